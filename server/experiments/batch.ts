// Running a batch: the canonical task list, this shard's share of it, the replications a previous
// attempt already finished (skipped), the rest on worker threads (or in this thread), each result
// written as its run file the moment it arrives. A complete batch is then read back in canonical
// order, so what it reports never depends on workers, shards or interruptions.
import type { Scenario } from "../../sim/index.ts";
import type { Writer } from "../output/writer.ts";
import { runInProcess, runInWorkers, type Job, type JobFailure, type PoolResult } from "./pool.ts";
import { startProgress } from "./progress.ts";
import type { RunRecord, ScenarioTable } from "./replicate.ts";
import { ResultSet } from "./results.ts";
import { runKey, shardTasks, taskList, type BatchSpec, type Shard, type Task } from "./spec.ts";
import { prepareRunDir, readRun, writeRun } from "./store.ts";

/** A batch ready to run: its spec and the scenarios its variants name, by hash. */
export interface BatchPlan {
  spec: BatchSpec;
  scenarios: ReadonlyMap<string, Scenario>;
}

export interface ExecuteOptions {
  /** Run directory: run files, manifest, resume. Without it results stay in memory. */
  out?: string;
  shard?: Shard;
  /** Worker threads; 0 runs every replication in this thread. */
  workers: number;
  timeoutMs: number;
  stderr: Writer;
  /** A different worker module (tests inject faults). */
  workerModule?: string;
}

/** How a batch ended. */
export type BatchOutcome =
  | { status: "complete"; results: ResultSet; pool: PoolResult }
  | { status: "shard-done"; shard: Shard; ran: number; total: number; pool: PoolResult }
  | { status: "failed"; failures: Array<JobFailure & { task: Task }>; pool: PoolResult };

/** Run (or finish) a batch. Throws BatchInputError for a directory holding another batch, and write errors as they are. */
export async function executeBatch(plan: BatchPlan, options: ExecuteOptions): Promise<BatchOutcome> {
  const { spec } = plan;
  const tasks = taskList(spec);
  const mine = shardTasks(tasks, options.shard);
  if (options.out !== undefined) prepareRunDir(options.out, spec, tasks.length, options.shard);
  const records: Array<RunRecord | undefined> = new Array(tasks.length);
  const todo: Task[] = [];
  for (const task of mine) {
    const existing = options.out === undefined ? undefined : readRun(options.out, runKey(spec, task));
    if (existing === undefined) todo.push(task);
    else records[task.index] = existing;
  }

  const workers = options.workers === 0 ? "main thread" : `${Math.min(options.workers, Math.max(todo.length, 1))} worker(s)`;
  const shardLabel = options.shard ? ` shard ${options.shard.k}/${options.shard.n}` : "";
  const progress = startProgress(options.stderr, `${spec.command} ${spec.scenario.id}${shardLabel}`, mine.length, mine.length - todo.length, workers);
  let writeError: unknown;
  const onDone = (job: Job, record: RunRecord) => {
    records[job.id] = record;
    if (options.out !== undefined && writeError === undefined) {
      try {
        writeRun(options.out, record);
      } catch (error) {
        writeError = error;
      }
    }
    progress.tick();
  };
  const onAttemptFailed = (job: Job, reason: string, retrying: boolean) => {
    const task = tasks[job.id];
    progress.note(`${describeTask(spec, task)}: ${reason}${retrying ? "; retrying" : ""}`);
  };
  const jobs = todo.map((task) => ({ id: task.index, key: runKey(spec, task) }));
  const table = scenarioTable(plan);
  const interventions = spec.interventions ?? [];
  const daily = spec.timeseries === "daily";
  const pool =
    options.workers === 0
      ? runInProcess(jobs, { scenarios: table, interventions, daily, onDone, onAttemptFailed })
      : await runInWorkers(jobs, { workers: options.workers, timeoutMs: options.timeoutMs, scenarios: table, interventions, daily, workerModule: options.workerModule, onDone, onAttemptFailed });
  progress.finish();
  if (writeError !== undefined) throw writeError;
  if (pool.failures.length > 0) {
    const failures = pool.failures.map((f) => ({ ...f, task: tasks[f.job.id] })).sort((x, y) => x.task.index - y.task.index);
    return { status: "failed", failures, pool };
  }
  if (options.shard !== undefined) return { status: "shard-done", shard: options.shard, ran: todo.length, total: mine.length, pool };
  return { status: "complete", results: new ResultSet(spec, tasks, records as RunRecord[]), pool };
}

/** "policy coordinated, seed 7 (replication 3 of sweep point x=1)". */
export function describeTask(spec: BatchSpec, task: Task): string {
  const variant = spec.variants[task.variant];
  const point = variant.settings.length === 0 ? "" : ` at ${variant.settings.map((s) => `${s.path}=${JSON.stringify(s.value)}`).join(" ")}`;
  return `replication ${task.rep + 1} (policy ${task.policy}, seed ${task.seed}${point})`;
}

/** Only the scenarios the spec's variants name, as plain data for the workers. */
function scenarioTable(plan: BatchPlan): ScenarioTable {
  const table: ScenarioTable = {};
  for (const variant of plan.spec.variants) {
    const scenario = plan.scenarios.get(variant.scenarioHash);
    if (scenario === undefined) throw new Error(`no scenario for hash ${variant.scenarioHash}`);
    table[variant.scenarioHash] = scenario;
  }
  return table;
}
