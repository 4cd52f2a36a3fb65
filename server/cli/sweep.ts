// `omnitwin sweep SCENARIO --set path=v1,v2 ...`: a grid over scenario parameters × policies × seeds,
// one flat row per run (every parameter and KPI a column), plus means with intervals per point.
import { InvalidArgumentError, type Command } from "commander";
import { COORDINATED, policyName, SILOED, validateInterventions, type Intervention, type Scenario } from "../../sim/index.ts";
import { addBatchOptions, buildSpec, guarded, policyOption, runBatchCommand, type BatchOptions } from "./batch-options.ts";
import { loadInterventions, loadScenario } from "./scenario-file.ts";
import { BatchInputError, variantLabel, type Variant } from "../experiments/spec.ts";
import { parseSetOption, sweepVariants, type SetOption } from "../experiments/sweep-grid.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { batchFiles } from "../experiments/batch-files.ts";

interface SweepOptions extends BatchOptions {
  set: SetOption[];
  policy?: string[];
}

function setOption(text: string, previous: SetOption[] = []): SetOption[] {
  try {
    return [...previous, parseSetOption(text)];
  } catch (error) {
    throw new InvalidArgumentError(`${errorText(error)}.`);
  }
}

function policies(text: string, previous: string[] = []): string[] {
  return [...previous, policyOption(text)];
}

/** Add the `sweep` command to the program. */
export function registerSweep(program: Command, context: CommandContext): void {
  const command = program
    .command("sweep")
    .description("run a grid of scenario parameters × policies × seeds; one row per run")
    .argument("<scenario>", "scenario file (JSON)")
    .requiredOption("--set <path=values>", "a scenario parameter and its values, e.g. demand.walkInPerDay=300,400 (repeatable: the grid of all)", setOption)
    .option("--policy <policy>", "a policy to run at every point (repeatable; default: siloed and coordinated)", policies);
  addBatchOptions(command, 5)
    .addHelpText(
      "after",
      `
A path is dotted keys with [n] for a list index or [id] for the entry with that id, e.g.
sites[rdc-gz-huangpu].pickPack.ordersPerHour. Values are JSON (numbers, true, false, "text") or
plain text. Every point is validated before anything runs.
results.csv has one row per run: replication, seed, policy, the levers, set:<path> per parameter,
then every KPI; sweep-summary.csv has each point's mean and 95% interval per policy and KPI.
--interventions FILE adds the same what-ifs at every point (checked against every point).

Examples:
  omnitwin sweep scenarios/baseline-week.json --set demand.onlineOrdersPerDay=8000,10000,12000 --reps 5
  omnitwin sweep scenarios/618-promotion.json --set costs.express.perParcel=8,12 --policy siloed --out results/express
  omnitwin sweep scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json --set 'sites[rdc-gz-huangpu].pickPack.ordersPerHour=800,1200' --reps 3`,
    )
    .action(async (file: string, options: SweepOptions) => context.setExitCode(await sweepCommand(file, options, context)));
}

async function sweepCommand(file: string, options: SweepOptions, context: CommandContext): Promise<ExitCode> {
  const base = loadScenario(file, context, options.maxOrders);
  if (base === undefined) return EXIT.badInput;
  const interventions = loadInterventions(options.interventions, base, context, options.maxOrders);
  if (interventions === undefined) return EXIT.badInput;
  const chosen = options.policy ?? [policyName(SILOED), policyName(COORDINATED)];
  if (new Set(chosen).size !== chosen.length) {
    context.io.stderr.write("error: a --policy is given twice\n");
    return EXIT.badInput;
  }
  return guarded(context, () => {
    const { variants, scenarios } = sweepVariants(base, options.set, options.maxOrders);
    if (options.interventions !== undefined) checkInterventionsAtEveryPoint(options.interventions, interventions, variants, scenarios, options.maxOrders);
    const spec = buildSpec("sweep", base, variants, chosen, options, {}, interventions);
    spec.files = batchFiles(file, options.interventions);
    const byHash = new Map(variants.map((v, i) => [v.scenarioHash, scenarios[i]]));
    return runBatchCommand({ spec, scenarios: byHash }, options, context);
  });
}

/** A sweep point may move the horizon or a site's type out from under the interventions: check them at every point. */
function checkInterventionsAtEveryPoint(file: string, interventions: readonly Intervention[], variants: readonly Variant[], scenarios: readonly Scenario[], maxOrders: number | undefined): void {
  scenarios.forEach((scenario, i) => {
    const checked = validateInterventions(scenario, interventions, { maxOrders });
    if (!checked.ok)
      throw new BatchInputError(`the sweep point ${variantLabel(variants[i])} does not take the interventions in ${file}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  });
}
