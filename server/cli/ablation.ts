// `omnitwin ablation SCENARIO`: which lever buys what. All 16 lever combinations on the same seeds,
// each lever's Shapley attribution of coordinated − siloed (it sums to the total), main effects and
// two-way interactions; or --one-off: coordinated minus one lever at a time.
import type { Command } from "commander";
import { ablationPolicies } from "../experiments/ablation.ts";
import { addBatchOptions, baseVariant, buildSpec, guarded, runBatchCommand, type BatchOptions } from "./batch-options.ts";
import { loadInterventions, loadScenario } from "./scenario-file.ts";
import { EXIT, type CommandContext, type ExitCode } from "./io.ts";
import { batchFiles } from "../experiments/batch-files.ts";

interface AblationOptions extends BatchOptions {
  oneOff?: boolean;
}

/** Add the `ablation` command to the program. */
export function registerAblation(program: Command, context: CommandContext): void {
  const command = program
    .command("ablation")
    .description("attribute coordinated − siloed to the four levers (all 16 combinations, Shapley values)")
    .argument("<scenario>", "scenario file (JSON)")
    .option("--one-off", "run only siloed, coordinated and coordinated minus each lever (6 policies instead of 16)");
  addBatchOptions(command, 5)
    .addHelpText(
      "after",
      `
The tables show the headline KPIs (or --kpi); ablation.csv and ablation.json hold every KPI's total,
Shapley attribution, main effects and two-way interactions, each with a 95% interval over seeds.
--interventions FILE adds the same what-ifs to every combination (on top of the scenario's own).

Examples:
  omnitwin ablation scenarios/618-promotion.json --reps 5 --out results/618-ablation
  omnitwin ablation scenarios/baseline-week.json --one-off --reps 10 --kpi costs.total,fillRate
  omnitwin ablation scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json --reps 3`,
    )
    .action(async (file: string, options: AblationOptions) => context.setExitCode(await ablationCommand(file, options, context)));
}

async function ablationCommand(file: string, options: AblationOptions, context: CommandContext): Promise<ExitCode> {
  const base = loadScenario(file, context, options.maxOrders);
  if (base === undefined) return EXIT.badInput;
  const interventions = loadInterventions(options.interventions, base, context, options.maxOrders);
  if (interventions === undefined) return EXIT.badInput;
  const design = options.oneOff ? "one-off" : "full";
  return guarded(context, () => {
    const variant = baseVariant(base);
    const spec = buildSpec("ablation", base, [variant], ablationPolicies(design), options, { design }, interventions);
    spec.files = batchFiles(file, options.interventions);
    return runBatchCommand({ spec, scenarios: new Map([[variant.scenarioHash, base]]) }, options, context);
  });
}
