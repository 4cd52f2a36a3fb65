// `omnitwin compare SCENARIO`: N paired replications of two policies with common random numbers
// (replication i of both arms on seed S + i); per KPI the means, the mean difference with its paired
// 95% t interval and the % change. Parallel, shardable and resumable like every batch command.
import { Option, type Command } from "commander";
import { COORDINATED, policyName, SILOED } from "../../sim/index.ts";
import { addBatchOptions, baseVariant, buildSpec, guarded, policyOption, runBatchCommand, type BatchOptions } from "./batch-options.ts";
import { loadInterventions, loadScenario } from "./scenario-file.ts";
import { EXIT, type CommandContext, type ExitCode } from "./io.ts";
import { batchFiles } from "../experiments/batch-files.ts";

interface CompareOptions extends BatchOptions {
  a: string;
  b: string;
}

/** Add the `compare` command to the program. */
export function registerCompare(program: Command, context: CommandContext): void {
  const command = program
    .command("compare")
    .description("compare two policies over paired replications (common random numbers), with 95% intervals")
    .argument("<scenario>", "scenario file (JSON)")
    .addOption(new Option("--a <policy>", "policy A (the reference)").argParser(policyOption).default(policyName(SILOED)))
    .addOption(new Option("--b <policy>", "policy B (compared with A)").argParser(policyOption).default(policyName(COORDINATED)));
  addBatchOptions(command, 10)
    .addHelpText(
      "after",
      `
Policies: siloed, coordinated, or a comma list of levers (dataPlatform, tieredFulfilment,
capacityLinkage, unifiedService). B − A is the mean of the per-seed differences.
With --out DIR: DIR/runs/ (one file per replication), results.csv, results.json, compare.csv,
compare.json and report.html; running the same command again resumes. docs/experiments.md has more.
--interventions FILE adds the same what-ifs to both arms (on top of the scenario's own).

Examples:
  omnitwin compare scenarios/618-promotion.json --reps 10 --out results/618
  omnitwin compare scenarios/baseline-week.json --a siloed --b tieredFulfilment --reps 20 --kpi costs.,fillRate
  omnitwin compare scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json --reps 10`,
    )
    .action(async (file: string, options: CompareOptions) => context.setExitCode(await compareCommand(file, options, context)));
}

async function compareCommand(file: string, options: CompareOptions, context: CommandContext): Promise<ExitCode> {
  const base = loadScenario(file, context, options.maxOrders);
  if (base === undefined) return EXIT.badInput;
  const interventions = loadInterventions(options.interventions, base, context, options.maxOrders);
  if (interventions === undefined) return EXIT.badInput;
  if (options.a === options.b) {
    context.io.stderr.write(`error: --a and --b are both ${options.a}; compare two different policies\n`);
    return EXIT.badInput;
  }
  return guarded(context, () => {
    const variant = baseVariant(base);
    const spec = buildSpec("compare", base, [variant], [options.a, options.b], options, { a: options.a, b: options.b }, interventions);
    spec.files = batchFiles(file, options.interventions);
    return runBatchCommand({ spec, scenarios: new Map([[variant.scenarioHash, base]]) }, options, context);
  });
}
