// What compare, ablation and sweep share on the command line: the batch options (replications,
// seed, workers, timeout, output directory, shard, KPIs, added interventions), reading the scenario
// and the interventions file, and turning a batch's outcome into files, printed tables, messages and
// an exit code.
import { availableParallelism } from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import { interventionsHash, OMNITWIN_VERSION, parsePolicy, PolicyError, policyName, scenarioHash, type Intervention, type Scenario } from "../../sim/index.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { OutputError, writeFilesAtomically } from "../output/files.ts";
import { describeFsError, describeHolder, tryLock, unwritableReason, type DirLock } from "../output/writable.ts";
import { INTERVENTIONS_OPTION_HELP, MAX_SEED, parseSeed } from "./run.ts";
import { MAX_ORDERS_OPTION_HELP, parseMaxOrders } from "./scenario-file.ts";
import { describeTask, executeBatch, type BatchPlan } from "../experiments/batch.ts";
import { selectKpis } from "../experiments/kpis.ts";
import { batchOutputs } from "../experiments/outputs.ts";
import type { ResultSet } from "../experiments/results.ts";
import { BatchInputError, parseShard, type BatchCommand, type BatchSpec, type Shard, type Variant } from "../experiments/spec.ts";
import { batchWorkbook } from "../experiments/workbook.ts";
import { writeWorkbookFile, XLSX_OPTION_HELP, xlsxPath } from "./workbook-file.ts";

/** The options every batch command takes. */
export interface BatchOptions {
  reps: number;
  seed?: number;
  workers: number;
  timeout: number;
  out?: string;
  shard?: Shard;
  json?: boolean;
  kpi?: string[];
  /** The interventions file (--interventions). */
  interventions?: string;
  /** --max-orders: the workload limit the scenario (and every sweep point) is validated against. */
  maxOrders?: number;
  /** --timeseries: keep each run's end-of-day state and write timeseries.csv. */
  timeseries?: boolean;
  /** --wait: wait for another run holding --out to finish instead of exiting. */
  wait?: boolean;
  /** --xlsx FILE: also write the results as one workbook. */
  xlsx?: string;
  /** Not a command-line option: tests run batches on a worker with injected faults. */
  workerModule?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 600;

function wholeNumber(min: number, max: number, what: string) {
  return (text: string): number => {
    const n = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new InvalidArgumentError(`${what} is a whole number from ${min} to ${max}.`);
    return n;
  };
}

function positiveSeconds(text: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError("a timeout is a number of seconds above 0.");
  return n;
}

function shardOption(text: string): Shard {
  try {
    return parseShard(text);
  } catch (error) {
    throw new InvalidArgumentError(`${errorText(error)}.`);
  }
}

function kpiList(text: string, previous: string[] = []): string[] {
  return [...previous, ...text.split(",").map((s) => s.trim()).filter(Boolean)];
}

/** Parse a policy option ("siloed", "coordinated", "dataPlatform,tieredFulfilment") to its canonical name. */
export function policyOption(text: string): string {
  try {
    return policyName(parsePolicy(text));
  } catch (error) {
    if (error instanceof PolicyError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
}

/** Add the shared batch options to a command. */
export function addBatchOptions(command: Command, defaultReps: number): Command {
  return command
    .option("--reps <n>", "replications per policy (and sweep point)", wholeNumber(1, 1_000_000, "--reps"), defaultReps)
    .option("--seed <n>", "seed of replication 1; replication i uses seed + i - 1 in every arm (default: the scenario's seed)", parseSeed)
    .option("--workers <n>", "worker threads (0: run in the main thread)", wholeNumber(0, 1024, "--workers"), availableParallelism())
    .option("--timeout <seconds>", "a replication with no result after this long is taken as hung, retried once, then reported", positiveSeconds, DEFAULT_TIMEOUT_SECONDS)
    .option("--out <dir>", "write run files, results.csv/json, the tables and report.html here; re-running resumes (one run at a time holds it)")
    .option("--wait", "if another run holds --out, wait for it to finish instead of exiting")
    .option("--shard <k/N>", "run only shard k of N (needs --out); join the shards with omnitwin merge", shardOption)
    .option("--kpi <keys>", "KPIs for the tables and charts: dotted keys or prefixes ending in '.' (e.g. costs.total,fillRate,costs.)", kpiList)
    .option("--interventions <file>", INTERVENTIONS_OPTION_HELP)
    .option("--max-orders <n>", MAX_ORDERS_OPTION_HELP, parseMaxOrders)
    .option("--timeseries", "also keep each run's state at the end of every simulated day and write timeseries.csv (mean and interval per day, policy and sweep point)")
    .option("--xlsx <file>", XLSX_OPTION_HELP, xlsxPath)
    .option("--json", "print the command's JSON instead of the table");
}

/** The spec of a batch over `variants` of `base` (one variant, no settings, unless sweeping), each run adding `interventions`. */
export function buildSpec(
  command: BatchCommand,
  base: Scenario,
  variants: Variant[],
  policies: string[],
  options: BatchOptions,
  extra: Record<string, string>,
  interventions: readonly Intervention[] = [],
): BatchSpec {
  const firstSeed = options.seed ?? base.seed;
  if (firstSeed + options.reps - 1 > MAX_SEED)
    throw new BatchInputError(`--seed ${firstSeed} with --reps ${options.reps} runs past the largest seed ${MAX_SEED}; lower one of them`);
  return {
    command,
    scenario: { id: base.id, name: base.name },
    variants,
    policies,
    reps: options.reps,
    firstSeed,
    interventionsHash: interventionsHash(interventions),
    ...(interventions.length === 0 ? {} : { interventions: [...interventions] }),
    ...(base.levers.dataPlatform.forecast === "oracle" ? { forecast: "oracle" as const } : {}),
    omnitwinVersion: OMNITWIN_VERSION,
    ...(options.timeseries ? { timeseries: "daily" as const } : {}),
    kpis: options.kpi ?? [],
    options: extra,
  };
}

/** The single variant of a batch that does not sweep. */
export function baseVariant(base: Scenario): Variant {
  return { settings: [], scenarioHash: scenarioHash(base) };
}

/** Run a batch and report it: files, table or JSON on stdout, messages on stderr; the exit code. */
export async function runBatchCommand(plan: BatchPlan, options: BatchOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  if (context.planOnly !== undefined) {
    context.planOnly(plan, options);
    return EXIT.ok;
  }
  if (options.shard !== undefined && options.out === undefined) {
    io.stderr.write("error: --shard needs --out DIR: each shard keeps its run files there for omnitwin merge\n");
    return EXIT.badInput;
  }
  let lock: DirLock | undefined;
  if (options.out !== undefined) {
    // Before any replication runs: a read-only, full or missing-permission --out is found out now, not at the end.
    const unwritable = unwritableReason(options.out);
    if (unwritable !== null) {
      io.stderr.write(`error: ${unwritable}; nothing was run\n`);
      return EXIT.failed;
    }
    lock = await lockOut(options.out, options.wait === true, io.stderr);
    if (lock === undefined) return EXIT.failed;
  }
  try {
    return await runLocked(plan, options, context);
  } finally {
    lock?.release();
  }
}

/** Wait between looks at a held --out with --wait. */
const LOCK_POLL_MS = 250;

/** The lock on `dir`; without `wait`, undefined (and a message) when another run holds it. */
async function lockOut(dir: string, wait: boolean, stderr: CommandContext["io"]["stderr"]): Promise<DirLock | undefined> {
  let said = false;
  for (;;) {
    let taken;
    try {
      taken = tryLock(dir);
    } catch (error) {
      stderr.write(`error: cannot lock ${dir}: ${describeFsError(error)}\n`);
      return undefined;
    }
    if (taken.ok) return taken.lock;
    if (!wait) {
      stderr.write(`error: ${describeHolder(dir, taken.holder)}; wait for it to finish, run again with --wait, or choose another --out\n`);
      return undefined;
    }
    if (!said) stderr.write(`${describeHolder(dir, taken.holder)}; waiting for it to finish (--wait)\n`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function runLocked(plan: BatchPlan, options: BatchOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const outcome = await executeBatch(plan, {
    out: options.out,
    shard: options.shard,
    workers: options.workers,
    timeoutMs: options.timeout * 1000,
    stderr: io.stderr,
    workerModule: options.workerModule,
  });
  if (outcome.status === "failed") {
    io.stderr.write(`error: ${outcome.failures.length} replication(s) failed:\n`);
    for (const f of outcome.failures)
      io.stderr.write(`  ${describeTask(plan.spec, f.task)} failed ${f.reasons.length} attempt(s): ${f.reasons.join("; ")}\n`);
    io.stderr.write(
      options.out === undefined
        ? "reproduce one with: omnitwin run SCENARIO --policy POLICY --seed SEED\n"
        : `the finished replications are kept in ${options.out}; re-run the same command to retry the failed ones\n`,
    );
    return EXIT.failed;
  }
  if (outcome.status === "shard-done") {
    io.stderr.write(
      `shard ${outcome.shard.k}/${outcome.shard.n}: ${outcome.total} replications done (${outcome.ran} run now) in ${options.out}; when all ${outcome.shard.n} shards are done, join them with: omnitwin merge DIR... --out DIR\n`,
    );
    return EXIT.ok;
  }
  const code = reportResults(outcome.results, options, context);
  return code === EXIT.ok && options.xlsx !== undefined ? writeWorkbookFile(options.xlsx, () => batchWorkbook(outcome.results), context) : code;
}

/** Write a finished batch's files (with --out) and print its table or JSON. */
export function reportResults(results: ResultSet, options: Pick<BatchOptions, "out" | "json">, { io }: CommandContext): ExitCode {
  const outputs = batchOutputs(results);
  const { unknown } = selectKpis(results.spec.kpis, results.kpis);
  if (unknown.length > 0) io.stderr.write(`warning: no KPI ${unknown.map((k) => JSON.stringify(k)).join(", ")} in these runs; see results.csv for every KPI\n`);
  if (options.out !== undefined) {
    try {
      writeFilesAtomically(options.out, outputs.files);
      io.stderr.write(`wrote ${Object.keys(outputs.files).join(", ")} and ${results.records.length} run files to ${options.out}\n`);
    } catch (error) {
      io.stderr.write(`error: ${errorText(error)}\n`);
      return EXIT.failed;
    }
  }
  io.stdout.write(options.json ? outputs.json : outputs.table);
  return EXIT.ok;
}

/** Run `action`, turning bad batch input into exit code 2 and file-system failures into exit code 1, each with its message. */
export async function guarded(context: CommandContext, action: () => Promise<ExitCode> | ExitCode): Promise<ExitCode> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof BatchInputError) {
      context.io.stderr.write(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    // A file-system failure (no permission, disk full) is the machine's, not a bug: say it with the path, exit 1.
    if (error instanceof OutputError) {
      context.io.stderr.write(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    if (typeof (error as NodeJS.ErrnoException | undefined)?.code === "string" && (error as NodeJS.ErrnoException).syscall !== undefined) {
      const path = (error as NodeJS.ErrnoException).path;
      context.io.stderr.write(`error: ${path === undefined ? "" : `${path}: `}${describeFsError(error)}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}
