// Planning a batch for a cluster from the batch command's own arguments: the command checks them and
// hands back the batch instead of running it (main's planOnly), one replication is timed to size the
// shards, and the result is a ClusterPlan. What is written and submitted is cluster.ts's business.
import { resolve } from "node:path";
import type { BatchPlan } from "../experiments/batch.ts";
import type { BatchOptions } from "./batch-options.ts";
import { replicateJob } from "../experiments/replicate.ts";
import { BATCH_COMMANDS, runKey, specHash, taskList, type BatchCommand } from "../experiments/spec.ts";
import { PLAN_FORMAT, shardCount, workDirFor, type ClusterPlan } from "../cluster/plan.ts";
import { EXIT, type CliIo, type CommandContext, type ExitCode } from "./io.ts";

/** Each array task is a shard that runs at least this long on its CPUs unless --shards says otherwise. */
export const MIN_TASK_SECONDS = 120;
/**
 * Slurm's cost of starting one array task as issue #21 reported it (Slurm 22.05). On the one-node test
 * cluster 20 empty array tasks took 25.2 s on 2 CPUs, ~2.5 s per task slot (docs/experiments.md).
 */
const SCHEDULING_SECONDS_PER_TASK = 1.3;

/** How `cluster slurm` and `cluster k8s` size a batch. */
export interface PlanOptions {
  shards?: number;
  cpusPerTask: number;
  secondsPerRun?: number;
  minTaskSeconds: number;
  dryRun?: boolean;
}

/** The batch command's arguments without the options the cluster sets per shard. */
function withoutOut(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") i++;
    else if (!args[i].startsWith("--out=")) out.push(args[i]);
  }
  return out;
}

/** Check the batch's arguments exactly as the command itself would, and get the batch back without running it. */
async function captureBatch(command: string, args: readonly string[], io: CliIo): Promise<{ code: number; batch?: { plan: BatchPlan; options: BatchOptions } }> {
  if (!(BATCH_COMMANDS as readonly string[]).includes(command)) {
    io.stderr.write(`error: the batch command is one of ${BATCH_COMMANDS.join(", ")}, not ${JSON.stringify(command)}\n`);
    return { code: EXIT.badInput };
  }
  if (args.some((a) => a === "--shard" || a.startsWith("--shard="))) {
    io.stderr.write("error: leave out --shard: the cluster gives every task its own shard\n");
    return { code: EXIT.badInput };
  }
  let batch: { plan: BatchPlan; options: BatchOptions } | undefined;
  const { main } = await import("./main.ts");
  const code = await main(["node", "omnitwin", command, ...args], io, (plan, options) => (batch = { plan, options }));
  return { code, ...(batch ? { batch } : {}) };
}

/** Plan the batch: shards sized to the work (one replication is timed here unless --shards or --seconds-per-run says). */
export async function planBatch(command: string, args: readonly string[], options: PlanOptions, context: CommandContext): Promise<ClusterPlan | ExitCode> {
  const { io } = context;
  const { code, batch } = await captureBatch(command, args, io);
  // No batch and exit 0: the command printed its --help.
  if (batch === undefined) return code as ExitCode;
  if (batch.options.out === undefined) {
    io.stderr.write(`error: add --out DIR to the ${command} arguments: the merged result goes there, the shards beside it in DIR.shards\n`);
    return EXIT.badInput;
  }
  const { spec } = batch.plan;
  const tasks = taskList(spec);
  let secondsPerRun = options.secondsPerRun ?? 0;
  if (options.shards === undefined && options.secondsPerRun === undefined) {
    const timed = replicateJob(batch.plan.scenarios, runKey(spec, tasks[0]), spec.interventions ?? [], spec.timeseries === "daily");
    secondsPerRun = timed.seconds;
    io.stderr.write(`one replication took ${timed.seconds.toFixed(2)} s here (pass --seconds-per-run if the nodes are much faster or slower)\n`);
  }
  const out = resolve(batch.options.out);
  const shards = shardCount(tasks.length, { shards: options.shards, secondsPerRun, cpusPerTask: options.cpusPerTask, minTaskSeconds: options.minTaskSeconds });
  return {
    format: PLAN_FORMAT,
    command: command as BatchCommand,
    args: withoutOut(args),
    cwd: process.cwd(),
    out,
    workDir: workDirFor(out),
    shards,
    runs: tasks.length,
    cpusPerTask: options.cpusPerTask,
    secondsPerRun,
    specHash: specHash(spec),
    spec,
  };
}

/** "24 replications in 4 shard(s) of up to 6, 1 CPU(s) each: ~… s per task, scheduling …". */
export function sizeLine(plan: ClusterPlan): string {
  const perShard = Math.ceil(plan.runs / plan.shards);
  const line = `${plan.runs} replications in ${plan.shards} shard(s) of up to ${perShard}, ${plan.cpusPerTask} CPU(s) each`;
  if (plan.secondsPerRun <= 0) return line;
  const taskSeconds = (perShard * plan.secondsPerRun) / plan.cpusPerTask;
  return `${line}: ~${Math.round(taskSeconds)} s per task, scheduling ~${SCHEDULING_SECONDS_PER_TASK} s per task (${((100 * SCHEDULING_SECONDS_PER_TASK) / (taskSeconds + SCHEDULING_SECONDS_PER_TASK)).toFixed(1)}%)`;
}
