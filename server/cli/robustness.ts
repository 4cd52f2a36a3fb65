// `omnitwin robustness SCENARIO...`: does coordination's worth hold across networks and assumptions? Each
// scenario runs under each assumption (by default the three published late-compensation rules) with the
// siloed organisation, each lever alone and full coordination on common seeds; prints (and with --out
// writes) the table of paired differences from siloed with 95% intervals.
import { InvalidArgumentError, type Command } from "commander";
import type { Scenario } from "../../sim/index.ts";
import { addBatchOptions, buildSpec, guarded, type BatchOptions } from "./batch-options.ts";
import { executeBatch, describeTask } from "../experiments/batch.ts";
import { COMPENSATION_ASSUMPTIONS, parseAssumption, robustnessCsv, robustnessMarkdown, robustnessRows, ROBUSTNESS_KPIS, ROBUSTNESS_POLICIES, type Assumption, type RobustnessRow } from "../experiments/robustness.ts";
import { BatchInputError } from "../experiments/spec.ts";
import { bundleVariants } from "../experiments/sweep-grid.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { writeFilesAtomically } from "../output/files.ts";
import { loadScenario } from "./scenario-file.ts";
import { join } from "node:path";

interface RobustnessOptions extends BatchOptions {
  assumption?: Assumption[];
}

function assumptionOption(text: string, previous: Assumption[] = []): Assumption[] {
  try {
    return [...previous, parseAssumption(text)];
  } catch (error) {
    throw new InvalidArgumentError(`${errorText(error)}.`);
  }
}

/** Add the `robustness` command to the program. */
export function registerRobustness(program: Command, context: CommandContext): void {
  const command = program
    .command("robustness")
    .description("each lever alone and full coordination vs siloed, across scenarios × assumptions, with paired 95% intervals")
    .argument("<scenarios...>", "scenario files (JSON)")
    .option("--assumption <name: path=value; ...>", "a named assumption: scenario settings applied together (repeatable; default: the three published late-compensation rules)", assumptionOption);
  addBatchOptions(command, 5)
    .addHelpText(
      "after",
      `
Arms: ${ROBUSTNESS_POLICIES.join(", ")}. KPIs: ${ROBUSTNESS_KPIS.join(", ")}.
With --out DIR each scenario's runs go to DIR/<scenario id>/ (re-running resumes) and the table to
DIR/robustness.md and DIR/robustness.csv.

Examples:
  omnitwin robustness scenarios/618-promotion.json scenarios/baseline-week.json --reps 5 --out results/robustness
  omnitwin robustness scenarios/baseline-week.json --assumption 'express x2: costs.express.perParcel=16' --reps 3`,
    )
    .action(async (files: string[], options: RobustnessOptions) => context.setExitCode(await robustnessCommand(files, options, context)));
}

async function robustnessCommand(files: string[], options: RobustnessOptions, context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  if (options.shard !== undefined || options.interventions !== undefined || options.timeseries || options.kpi !== undefined) {
    io.stderr.write("error: robustness takes no --shard, --interventions, --timeseries or --kpi; put what-ifs in an --assumption\n");
    return EXIT.badInput;
  }
  const assumptions = options.assumption ?? [...COMPENSATION_ASSUMPTIONS];
  if (new Set(assumptions.map((a) => a.name)).size !== assumptions.length) {
    io.stderr.write("error: two assumptions have the same name\n");
    return EXIT.badInput;
  }
  const bases: Scenario[] = [];
  for (const file of files) {
    const base = loadScenario(file, context);
    if (base === undefined) return EXIT.badInput;
    bases.push(base);
  }
  if (new Set(bases.map((b) => b.id)).size !== bases.length) {
    io.stderr.write("error: two scenarios have the same id; each scenario's runs are kept under its id\n");
    return EXIT.badInput;
  }
  return guarded(context, async () => {
    const plans = bases.map((base) => {
      const { variants, scenarios } = bundleVariants(base, assumptions);
      const spec = buildSpec("sweep", base, variants, [...ROBUSTNESS_POLICIES], options, { study: "robustness" });
      return { spec, scenarios: new Map(variants.map((v, i) => [v.scenarioHash, scenarios[i]])) };
    });
    const rows: RobustnessRow[] = [];
    for (const plan of plans) {
      const outcome = await executeBatch(plan, {
        out: options.out === undefined ? undefined : join(options.out, plan.spec.scenario.id),
        workers: options.workers,
        timeoutMs: options.timeout * 1000,
        stderr: io.stderr,
        workerModule: options.workerModule,
      });
      if (outcome.status === "failed") {
        io.stderr.write(`error: ${outcome.failures.length} replication(s) of ${plan.spec.scenario.id} failed:\n`);
        for (const f of outcome.failures) io.stderr.write(`  ${describeTask(plan.spec, f.task)}: ${f.reasons.join("; ")}\n`);
        return EXIT.failed;
      }
      if (outcome.status !== "complete") throw new BatchInputError("a robustness study runs whole, not in shards");
      rows.push(...robustnessRows(outcome.results, assumptions));
    }
    const spec = plans[0].spec;
    const markdown = robustnessMarkdown(rows, spec.reps, spec.firstSeed);
    if (options.out !== undefined) {
      const written = writeFilesAtomically(options.out, { "robustness.md": markdown, "robustness.csv": robustnessCsv(rows) });
      io.stderr.write(`wrote ${written.join(", ")}\n`);
    }
    io.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : markdown);
    return EXIT.ok;
  });
}
