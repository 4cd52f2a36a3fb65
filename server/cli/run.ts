// `omnitwin run SCENARIO`: run one scenario under a policy and seed (and, with --interventions, extra
// what-ifs on top of the scenario's own), print the KPI report (or the summary JSON), and optionally
// write summary.json and timeseries.csv to a directory. stdout holds only what the run determines; the
// wall-clock time goes to stderr.
import { InvalidArgumentError, Option, type Command } from "commander";
import { parsePolicy, PolicyError, policyName, runScenario, SILOED, type Policy } from "../../sim/index.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { writeFilesAtomically } from "../output/files.ts";
import { unwritableReason } from "../output/writable.ts";
import { kpiReport } from "./report.ts";
import { loadInterventions, loadScenario, MAX_ORDERS_OPTION_HELP, parseMaxOrders } from "./scenario-file.ts";
import { formatNumber } from "../output/table.ts";
import { runReportHtml } from "../experiments/report-run.ts";
import { runWorkbook } from "../experiments/workbook.ts";
import { writeWorkbookFile, XLSX_OPTION_HELP, xlsxPath } from "./workbook-file.ts";

/** Largest seed: the named random streams are seeded from an unsigned 32-bit number. */
export const MAX_SEED = 2 ** 32 - 1;

interface RunOptions {
  policy: Policy;
  seed?: number;
  json?: boolean;
  out?: string;
  interventions?: string;
  maxOrders?: number;
  xlsx?: string;
}

/** The --interventions option's help, shared by run and the batch commands. */
export const INTERVENTIONS_OPTION_HELP =
  'add the interventions in this JSON file on top of the scenario\'s own: a list in the scenario format\'s "interventions" form, or { "interventions": [...] }';

/** Add the `run` command to the program. */
export function registerRun(program: Command, context: CommandContext): void {
  program
    .command("run")
    .description("run a scenario and print its KPIs")
    .argument("<scenario>", "scenario file (JSON)")
    .addOption(
      new Option("--policy <policy>", 'siloed, coordinated, or a comma list of levers (e.g. "dataPlatform,tieredFulfilment")')
        .argParser(parsePolicyOption)
        .default(SILOED, "siloed"),
    )
    .option("--seed <n>", "master seed, a whole number from 0 to 4294967295 (default: the scenario's seed)", parseSeed)
    .option("--json", "print the run summary as JSON instead of the KPI table")
    .option("--out <dir>", "also write summary.json, timeseries.csv and report.html to this directory (created if needed)")
    .option("--interventions <file>", INTERVENTIONS_OPTION_HELP)
    .option("--max-orders <n>", MAX_ORDERS_OPTION_HELP, parseMaxOrders)
    .option("--xlsx <file>", XLSX_OPTION_HELP, xlsxPath)
    .addHelpText(
      "after",
      `
Levers: dataPlatform, tieredFulfilment, capacityLinkage, unifiedService.
The same scenario, policy, seed and interventions always print the same output.
Exit code 0 on success, 2 for a bad scenario, interventions file or option (nothing is run), 1 if the
output files cannot be written.

Examples:
  omnitwin run scenarios/618-promotion.json --policy coordinated --seed 7
  omnitwin run scenarios/baseline-week.json --json --out results/baseline
  omnitwin run scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json`,
    )
    .action(async (file: string, options: RunOptions) => context.setExitCode(await runCommand(file, options, context)));
}

async function runCommand(file: string, options: RunOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const scenario = loadScenario(file, context, options.maxOrders);
  if (scenario === undefined) return EXIT.badInput;
  const interventions = loadInterventions(options.interventions, scenario, context, options.maxOrders);
  if (interventions === undefined) return EXIT.badInput;
  // Before the run, so a read-only or full disk is not found out after it.
  const unwritable = options.out === undefined ? null : unwritableReason(options.out);
  if (unwritable !== null) {
    io.stderr.write(`error: ${unwritable}; nothing was run\n`);
    return EXIT.failed;
  }
  const started = performance.now();
  const { summary, timeseriesCsv, twin } = runScenario(scenario, { policy: options.policy, seed: options.seed, interventions });
  const seconds = (performance.now() - started) / 1000;
  const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;

  io.stdout.write(options.json ? summaryJson : kpiReport(summary));
  io.stderr.write(
    `ran ${summary.scenario.id} (policy ${policyName(options.policy)}, seed ${summary.seed}): ${formatNumber(summary.events)} events in ${seconds.toFixed(2)} s\n`,
  );
  if (options.out !== undefined) {
    try {
      const report = runReportHtml({ summary, timeseries: twin.metrics.timeseries, horizonMinutes: twin.horizon, scenarioName: scenario.name, scenarioFile: file, interventionsFile: options.interventions });
      const written = writeFilesAtomically(options.out, { "summary.json": summaryJson, "timeseries.csv": timeseriesCsv, "report.html": report });
      io.stderr.write(`wrote ${written.join(" and ")}\n`);
    } catch (error) {
      io.stderr.write(`error: ${errorText(error)}\n`);
      return EXIT.failed;
    }
  }
  if (options.xlsx !== undefined) return writeWorkbookFile(options.xlsx, () => runWorkbook(summary, twin.metrics.timeseries), context);
  return EXIT.ok;
}

/** Parse --seed: a whole number from 0 to MAX_SEED, written in plain digits. */
export function parseSeed(text: string): number {
  const seed = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) throw new InvalidArgumentError(`a seed is a whole number from 0 to ${MAX_SEED}.`);
  return seed;
}

function parsePolicyOption(text: string): Policy {
  try {
    return parsePolicy(text);
  } catch (error) {
    if (error instanceof PolicyError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
}
