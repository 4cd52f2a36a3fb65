// `omnitwin cluster …`: one batch (compare, ablation or sweep with its usual arguments) on a cluster.
// `slurm` plans it (shards sized to the work), writes the sbatch scripts and submits an array plus a
// merge; `k8s` writes an Indexed Job manifest; `task` is what each array task or pod runs (its shard
// from the scheduler's environment); `status`, `merge` and `resubmit` read the shards' files and
// name, merge or resubmit exactly the shards that did not finish.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { OMNITWIN_VERSION } from "../../sim/index.ts";
import { guarded, reportResults } from "./batch-options.ts";
import { mergeShards } from "../experiments/merge.ts";
import { BATCH_COMMANDS, BatchInputError } from "../experiments/spec.ts";
import { describeUnfinished, readPlan, shardDir, shardFromEnvironment, shardStates, writePlan, type ClusterPlan } from "../cluster/plan.ts";
import {
  activeJobs,
  arrayRanges,
  arrayScript,
  DEFAULT_MAX_ARRAY_SIZE,
  mergeScript,
  readSlurmOptions,
  realSbatch,
  sbatchCalls,
  submissions,
  submit,
  writeSlurmOptions,
  writeSlurmScripts,
  type SlurmOptions,
} from "../cluster/slurm.ts";
import { k8sManifest, type K8sOptions } from "../cluster/k8s.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { MIN_TASK_SECONDS, planBatch, sizeLine, type PlanOptions } from "./cluster-plan.ts";
import { EXIT, type CliIo, type CommandContext, type ExitCode } from "./io.ts";

function wholeNumber(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function positive(text: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError("expected a number above 0");
  return n;
}

function collect(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

interface SlurmCommandOptions extends PlanOptions {
  throttle?: number;
  maxArraySize: number;
  partition?: string;
  time?: string;
  mem?: string;
  sbatch?: string[];
}

function slurmOptions(options: SlurmCommandOptions): SlurmOptions {
  return {
    ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
    maxArraySize: options.maxArraySize,
    ...(options.partition ? { partition: options.partition } : {}),
    ...(options.time ? { time: options.time } : {}),
    ...(options.mem ? { mem: options.mem } : {}),
    sbatch: options.sbatch ?? [],
    node: process.execPath,
    omnitwin: join(PACKAGE_ROOT, "bin", "omnitwin.js"),
  };
}

function printSubmitted(io: CliIo, plan: ClusterPlan, submission: ReturnType<typeof submit>): void {
  for (const a of submission.arrays) io.stdout.write(`submitted array job ${a.jobId} (--array=${a.array}: shard(s) ${arrayRanges(a.shards)} of ${plan.shards})\n`);
  io.stdout.write(`submitted merge job ${submission.mergeJobId} (after every task ends, however it ends)\n`);
  io.stdout.write(`follow it with: omnitwin cluster status ${plan.workDir}\n`);
}

async function slurmCommand(command: string, args: string[], options: SlurmCommandOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const plan = await planBatch(command, args, options, context);
  if (typeof plan === "number") return plan;
  const slurm = slurmOptions(options);
  const all = Array.from({ length: plan.shards }, (_, i) => i + 1);
  io.stderr.write(`${sizeLine(plan)}\n`);
  if (options.dryRun) {
    const calls = sbatchCalls(plan, all, slurm);
    io.stdout.write(`# ${join(plan.workDir, "slurm-array.sh")}\n${arrayScript(plan, slurm)}\n# ${join(plan.workDir, "slurm-merge.sh")}\n${mergeScript(plan, slurm)}\n`);
    io.stdout.write("# would submit:\n");
    calls.arrays.forEach((call, i) => io.stdout.write(`sbatch --parsable ${call.args.join(" ")}   # -> ARRAY_${i + 1}\n`));
    io.stdout.write(`sbatch --parsable --dependency=afterany:${calls.arrays.map((_, i) => `$ARRAY_${i + 1}`).join(":")} ${calls.merge.join(" ")}\n`);
    return EXIT.ok;
  }
  writePlan(plan);
  mkdirSync(join(plan.workDir, "logs"), { recursive: true });
  writeSlurmScripts(plan, slurm);
  writeSlurmOptions(plan, slurm);
  printSubmitted(io, plan, submit(plan, all, slurm, realSbatch));
  return EXIT.ok;
}

interface K8sCommandOptions extends PlanOptions, Omit<K8sOptions, "retriesPerShard"> {
  retries: number;
  manifest?: string;
}

async function k8sCommand(command: string, args: string[], options: K8sCommandOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.name) || options.name.length > 40) {
    io.stderr.write(`error: --name ${JSON.stringify(options.name)}: lower-case letters, digits and '-', at most 40\n`);
    return EXIT.badInput;
  }
  const planned = await planBatch(command, args, options, context);
  if (typeof planned === "number") return planned;
  const mount = options.mountPath.replace(/\/+$/, "");
  if (!planned.out.startsWith(`${mount}/`)) {
    io.stderr.write(`error: --out ${planned.out} is not on the shared volume: give an --out under --mount-path ${mount}, e.g. ${mount}/618\n`);
    return EXIT.badInput;
  }
  // Scenario paths in the arguments are read inside the image, relative to its working directory.
  const plan = { ...planned, cwd: options.workingDir };
  io.stderr.write(`${sizeLine(plan)}\n`);
  const manifest = k8sManifest(plan, { ...options, retriesPerShard: options.retries });
  if (options.manifest === undefined) io.stdout.write(manifest);
  else {
    writeFileSync(options.manifest, manifest);
    io.stderr.write(`wrote ${options.manifest}\n`);
  }
  return EXIT.ok;
}

async function taskCommand(dir: string, options: { indexOffset: number; shard?: number }, { io }: CommandContext): Promise<ExitCode> {
  const plan = readPlan(dir);
  const k = options.shard ?? shardFromEnvironment(process.env, options.indexOffset, plan.shards);
  if (k > plan.shards) throw new BatchInputError(`--shard ${k}: the plan has ${plan.shards} shards`);
  const cpus = Number(process.env.SLURM_CPUS_PER_TASK ?? plan.cpusPerTask);
  const workers = Number.isInteger(cpus) && cpus > 0 ? cpus : plan.cpusPerTask;
  io.stderr.write(`omnitwin ${OMNITWIN_VERSION} cluster task: shard ${k}/${plan.shards} of ${plan.command} into ${shardDir(plan, k)}\n`);
  const { main } = await import("./main.ts");
  // Resumes from the run files already there (a requeued or resubmitted task), and writes each new one atomically.
  const code = await main(["node", "omnitwin", plan.command, ...plan.args, "--out", shardDir(plan, k), "--shard", `${k}/${plan.shards}`, "--workers", String(workers)], io);
  return code as ExitCode;
}

function statusCommand(dir: string, { io }: CommandContext): ExitCode {
  const plan = readPlan(dir);
  const states = shardStates(plan);
  const done = states.filter((s) => s.state === "done").length;
  io.stdout.write(`${plan.command} ${plan.args.join(" ")} → ${plan.out}\n${done} of ${plan.shards} shards done (${states.reduce((n, s) => n + s.finished, 0)} of ${plan.runs} replications)\n`);
  for (const line of describeUnfinished(states, plan.shards)) io.stdout.write(`  ${line}\n`);
  for (const s of submissions(plan)) io.stdout.write(`submitted: arrays ${s.arrays.map((a) => `${a.jobId} (${a.array})`).join(", ")}, merge ${s.mergeJobId}\n`);
  if (done === plan.shards) io.stdout.write(`every shard is done; merge with: omnitwin cluster merge ${plan.workDir}\n`);
  return done === plan.shards ? EXIT.ok : EXIT.failed;
}

function mergeCommand(dir: string, options: { json?: boolean }, context: CommandContext): ExitCode {
  const plan = readPlan(dir);
  const unfinished = describeUnfinished(shardStates(plan), plan.shards);
  if (unfinished.length > 0) {
    context.io.stderr.write(`error: ${unfinished.length} of ${plan.shards} shards did not finish, nothing merged:\n${unfinished.map((l) => `  ${l}\n`).join("")}`);
    context.io.stderr.write(`run only those again with: omnitwin cluster resubmit ${plan.workDir}\n`);
    return EXIT.failed;
  }
  const results = mergeShards(Array.from({ length: plan.shards }, (_, i) => shardDir(plan, i + 1)), plan.out);
  return reportResults(results, { out: plan.out, json: options.json }, context);
}

function resubmitCommand(dir: string, options: { dryRun?: boolean; force?: boolean; throttle?: number }, { io }: CommandContext): ExitCode {
  const plan = readPlan(dir);
  const unfinished = shardStates(plan).filter((s) => s.state !== "done").map((s) => s.k);
  if (unfinished.length === 0) {
    io.stdout.write(`every shard is done; merge with: omnitwin cluster merge ${plan.workDir}\n`);
    return EXIT.ok;
  }
  const slurm = { ...readSlurmOptions(plan), ...(options.throttle !== undefined ? { throttle: options.throttle } : {}) };
  io.stdout.write(`unfinished: shard${unfinished.length === 1 ? "" : "s"} ${unfinished.join(", ")} of ${plan.shards}\n`);
  if (options.dryRun) {
    const calls = sbatchCalls(plan, unfinished, slurm);
    for (const call of calls.arrays) io.stdout.write(`sbatch --parsable ${call.args.join(" ")}\n`);
    io.stdout.write(`sbatch --parsable --dependency=afterany:… ${calls.merge.join(" ")}\n`);
    return EXIT.ok;
  }
  if (!options.force) {
    const active = activeJobs(plan);
    if (active.length > 0) {
      io.stderr.write(`error: ${active.length} job(s) of this batch are still queued or running (${active.slice(0, 5).join(", ")}${active.length > 5 ? ", …" : ""}); wait for them (or scancel them), then resubmit; --force skips this check\n`);
      return EXIT.failed;
    }
  }
  printSubmitted(io, plan, submit(plan, unfinished, slurm, realSbatch));
  return EXIT.ok;
}

/** Add the `cluster` command and its subcommands to the program. */
export function registerCluster(program: Command, context: CommandContext): void {
  program.enablePositionalOptions();
  const cluster = program
    .command("cluster")
    .description("run one compare, ablation or sweep as shards on Slurm or Kubernetes, then merge")
    .enablePositionalOptions();
  const run = (action: () => Promise<ExitCode> | ExitCode) => async () => context.setExitCode(await guarded(context, action));

  cluster
    .command("slurm")
    .description("plan a batch for Slurm, write its sbatch scripts and submit the array and the merge")
    .argument("<command>", `the batch command: ${BATCH_COMMANDS.join(", ")}`)
    .argument("[args...]", "its arguments, as you would give them to it (with --out DIR)")
    .passThroughOptions()
    .option("--shards <n>", "split into this many shards (default: sized so each task runs ≥ --min-task-seconds)", wholeNumber(1, 1_000_000))
    .option("--cpus-per-task <n>", "CPUs per array task (its worker threads)", wholeNumber(1, 1024), 1)
    .option("--seconds-per-run <s>", "wall seconds of one replication (default: timed once here)", positive)
    .option("--min-task-seconds <s>", "smallest task worth its ~1.3 s of scheduling", positive, MIN_TASK_SECONDS)
    .option("--throttle <k>", "at most k array tasks at once (sbatch --array=…%k)", wholeNumber(1, 1_000_000))
    .option("--max-array-size <n>", "the cluster's MaxArraySize (scontrol show config)", wholeNumber(1, 4_000_001), DEFAULT_MAX_ARRAY_SIZE)
    .option("--partition <name>", "sbatch --partition")
    .option("--time <limit>", "sbatch --time of each task")
    .option("--mem <size>", "sbatch --mem of each task")
    .option("--sbatch <option>", "another #SBATCH line, e.g. --sbatch=--account=lab (repeatable)", collect)
    .option("--dry-run", "print the scripts and the sbatch commands; write and submit nothing")
    .addHelpText(
      "after",
      `
The slurm options come before the batch command; everything after it is the command's own.
The merged result goes to the command's --out DIR; plan, scripts, logs and shards to DIR.shards.

Example:
  omnitwin cluster slurm --cpus-per-task 4 --time 1:00:00 ablation scenarios/618-promotion.json --reps 100 --out results/ablation
  omnitwin cluster status results/ablation        # which shards are done
  omnitwin cluster resubmit results/ablation      # only the shards that did not finish, and a new merge`,
    )
    .action((command: string, args: string[], options: SlurmCommandOptions) => run(() => slurmCommand(command, args, options, context))());

  cluster
    .command("k8s")
    .description("plan a batch for Kubernetes: print an Indexed Job manifest (one pod per shard) and a merge Job")
    .argument("<command>", `the batch command: ${BATCH_COMMANDS.join(", ")}`)
    .argument("[args...]", "its arguments (with --out under --mount-path; scenario paths as seen inside the image)")
    .passThroughOptions()
    .option("--shards <n>", "split into this many shards (default: sized so each pod runs ≥ --min-task-seconds)", wholeNumber(1, 100_000))
    .option("--cpus-per-task <n>", "CPUs per pod (its worker threads)", wholeNumber(1, 1024), 1)
    .option("--seconds-per-run <s>", "wall seconds of one replication (default: timed once here)", positive)
    .option("--min-task-seconds <s>", "smallest shard worth a pod", positive, MIN_TASK_SECONDS)
    .option("--name <name>", "prefix of the objects' names", "omnitwin")
    .option("--image <image>", "an image with omnitwin installed and the scenarios under --working-dir", "registry.example/omnitwin:0.1.0")
    .option("--working-dir <dir>", "the pods' working directory (scenario paths are relative to it)", "/omnitwin")
    .option("--claim <name>", "the ReadWriteMany PersistentVolumeClaim for the results", "omnitwin-results")
    .option("--storage <size>", "the claim's size", "5Gi")
    .option("--mount-path <dir>", "where the claim is mounted in the pods", "/results")
    .option("--memory <size>", "memory per pod", "2Gi")
    .option("--parallelism <n>", "pods at once", wholeNumber(1, 100_000), 100)
    .option("--retries <n>", "retries of a failed shard (it resumes each time)", wholeNumber(0, 100), 2)
    .option("--manifest <file>", "write the manifest here instead of stdout")
    .addHelpText(
      "after",
      `
Example:
  omnitwin cluster k8s --image registry.example/omnitwin:0.1.0 --cpus-per-task 4 \\
    ablation scenarios/618-promotion.json --reps 100 --out /results/ablation > ablation.yaml`,
    )
    .action((command: string, args: string[], options: K8sCommandOptions) => run(() => k8sCommand(command, args, options, context))());

  cluster
    .command("task")
    .description("run this node's shard (what each Slurm array task or Kubernetes pod runs)")
    .argument("<dir>", "the plan's directory (DIR.shards) or its plan.json")
    .option("--index-offset <n>", "added to SLURM_ARRAY_TASK_ID (arrays are chunked to MaxArraySize)", wholeNumber(0, 1_000_000_000), 0)
    .option("--shard <k>", "run shard k (1-based) instead of reading the index from the environment", wholeNumber(1, 1_000_000_000))
    .action((dir: string, options: { indexOffset: number; shard?: number }) => run(() => taskCommand(dir, options, context))());

  cluster
    .command("status")
    .description("which shards are done and which are not (from their files); exit 0 when all are done")
    .argument("<dir>", "the batch's --out DIR or DIR.shards")
    .action((dir: string) => run(() => statusCommand(dir, context))());

  cluster
    .command("merge")
    .description("merge every shard into the batch's --out DIR, or name the ones that did not finish (exit 1)")
    .argument("<dir>", "the batch's --out DIR or DIR.shards")
    .option("--json", "print the command's JSON instead of the table")
    .action((dir: string, options: { json?: boolean }) => run(() => mergeCommand(dir, options, context))());

  cluster
    .command("resubmit")
    .alias("resubmit-missing")
    .description("submit only the shards that did not finish, and a new merge after them (Slurm)")
    .argument("<dir>", "the batch's --out DIR or DIR.shards")
    .option("--throttle <k>", "at most k array tasks at once", wholeNumber(1, 1_000_000))
    .option("--force", "submit even if jobs of this batch are still queued or running")
    .option("--dry-run", "print the sbatch commands; submit nothing")
    .action((dir: string, options: { dryRun?: boolean; force?: boolean; throttle?: number }) => run(() => resubmitCommand(dir, options, context))());
}
