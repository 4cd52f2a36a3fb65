// A batch planned for a cluster: which command and arguments, how many shards, where each shard and the
// merged result go (plan.json in the work directory), how big a shard should be, which shard a node runs
// (from the scheduler's environment), and which shards are finished. Scheduler-specific text (sbatch
// scripts, Kubernetes manifests) lives in slurm.ts and k8s.ts.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFilesAtomically } from "../output/files.ts";
import { describeTask } from "../experiments/batch.ts";
import { runKey, shardTasks, specHash, taskList, BatchInputError, type BatchCommand, type BatchSpec } from "../experiments/spec.ts";
import { readManifest, readRun, specDifferences } from "../experiments/store.ts";

export const PLAN_FORMAT = "omnitwin-cluster/1";
export const PLAN_FILE = "plan.json";

/** What plan.json holds: enough for any node to run its shard and for merge to check them all. */
export interface ClusterPlan {
  format: string;
  /** The batch command and its arguments as given (without --out, --shard, --workers), run from `cwd`. */
  command: BatchCommand;
  args: string[];
  cwd: string;
  /** The merged result: what one machine running the command with --out would have written. */
  out: string;
  /** This directory: plan.json, the scheduler's scripts, logs/ and shard-1 … shard-N. */
  workDir: string;
  shards: number;
  runs: number;
  /** Worker threads each shard uses (a task's CPUs). */
  cpusPerTask: number;
  /** Wall seconds one replication took when the plan was made (what sized the shards). */
  secondsPerRun: number;
  specHash: string;
  spec: BatchSpec;
}

/** Where a plan for `out` keeps its work: beside the result, never inside it, so the result stays byte-identical. */
export function workDirFor(out: string): string {
  return `${resolve(out).replace(/\/+$/, "")}.shards`;
}

/** The directory shard k writes. */
export function shardDir(plan: Pick<ClusterPlan, "workDir">, k: number): string {
  return join(plan.workDir, `shard-${k}`);
}

/**
 * How many shards: explicit, or enough replications per shard that a task runs at least `minTaskSeconds`
 * on its CPUs (each array task costs ~1.3 s of scheduling, so 120 s keeps that near 1%), never more
 * shards than replications.
 */
export function shardCount(runs: number, sizing: { shards?: number; secondsPerRun: number; cpusPerTask: number; minTaskSeconds: number }): number {
  if (sizing.shards !== undefined) return Math.max(1, Math.min(sizing.shards, runs));
  const runsPerTask = Math.max(1, Math.ceil((sizing.minTaskSeconds * sizing.cpusPerTask) / Math.max(sizing.secondsPerRun, 1e-3)));
  return Math.max(1, Math.min(runs, Math.ceil(runs / runsPerTask)));
}

/** Write plan.json (atomically; a second plan for the same result must be the same batch). */
export function writePlan(plan: ClusterPlan): void {
  const existing = readPlanIfAny(plan.workDir);
  if (existing !== undefined) {
    const differences = specDifferences(existing.spec, plan.spec);
    if (differences.length > 0) throw new BatchInputError(`${plan.workDir} holds the plan of another batch (${differences.join("; ")}); choose another --out`);
    if (existing.shards !== plan.shards)
      throw new BatchInputError(`${plan.workDir} holds this batch split into ${existing.shards} shards, not ${plan.shards}; use --shards ${existing.shards}, or resubmit it`);
  }
  writeFilesAtomically(plan.workDir, { [PLAN_FILE]: `${JSON.stringify(plan, null, 2)}\n` });
}

function readPlanIfAny(workDir: string): ClusterPlan | undefined {
  const path = workDir.endsWith(".json") ? workDir : join(workDir, PLAN_FILE);
  if (!existsSync(path)) return undefined;
  const plan = JSON.parse(readFileSync(path, "utf8")) as ClusterPlan;
  if (plan.format !== PLAN_FORMAT) throw new BatchInputError(`${path} is not an omnitwin cluster plan (format ${PLAN_FORMAT})`);
  return plan;
}

/** The plan in `dir` (the work directory, or the result directory it sits beside), or the plan file `dir` names. */
export function readPlan(dir: string): ClusterPlan {
  const plan = readPlanIfAny(dir) ?? readPlanIfAny(workDirFor(dir));
  if (plan === undefined) throw new BatchInputError(`no ${PLAN_FILE} in ${dir} or ${workDirFor(dir)}: make one with omnitwin cluster slurm (or k8s)`);
  return plan;
}

/**
 * The shard this node runs, 1-based, from the scheduler's environment: Slurm's SLURM_ARRAY_TASK_ID plus
 * the chunk's offset (arrays are chunked to MaxArraySize), or Kubernetes' JOB_COMPLETION_INDEX; both 0-based.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>, offset: number, shards: number): number {
  const raw = env.SLURM_ARRAY_TASK_ID ?? env.JOB_COMPLETION_INDEX;
  if (raw === undefined || !/^\d+$/.test(raw))
    throw new BatchInputError("neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set to an index: run this as a Slurm array task or a Kubernetes Indexed Job pod, or pass --shard k");
  const k = offset + Number(raw) + 1;
  if (k > shards) throw new BatchInputError(`index ${raw} (+ offset ${offset}) is shard ${k}, but the plan has ${shards} shards`);
  return k;
}

/** One shard's state: done (every run file there), partial (started: its manifest is there, not every run file), absent (not started). */
export interface ShardState {
  k: number;
  dir: string;
  state: "done" | "partial" | "absent";
  finished: number;
  of: number;
  /** The first replication without a run file, described. */
  firstMissing?: string;
}

/** The state of every shard, 1 … N, read from the files (what the scheduler says does not matter). */
export function shardStates(plan: ClusterPlan): ShardState[] {
  const tasks = taskList(plan.spec);
  return Array.from({ length: plan.shards }, (_, i) => {
    const k = i + 1;
    const dir = shardDir(plan, k);
    const mine = shardTasks(tasks, { k, n: plan.shards });
    const manifest = readManifest(dir);
    if (manifest === undefined || specHash(manifest.spec) !== plan.specHash || manifest.shard?.k !== k || manifest.shard.n !== plan.shards)
      return { k, dir, state: "absent" as const, finished: 0, of: mine.length, ...(mine.length > 0 ? { firstMissing: describeTask(plan.spec, mine[0]) } : {}) };
    const missing = mine.filter((task) => readRun(dir, runKey(plan.spec, task)) === undefined);
    const state = missing.length === 0 ? ("done" as const) : ("partial" as const);
    return { k, dir, state, finished: mine.length - missing.length, of: mine.length, ...(missing.length > 0 ? { firstMissing: describeTask(plan.spec, missing[0]) } : {}) };
  });
}

/** "3/8 (2 of 5 replications)" lines for unfinished shards. */
export function describeUnfinished(states: readonly ShardState[], shards: number): string[] {
  return states
    .filter((s) => s.state !== "done")
    .map((s) => `shard ${s.k}/${shards}: ${s.state === "absent" ? "not started" : `started, ${s.finished} of ${s.of} replications`} (${s.dir})`);
}
