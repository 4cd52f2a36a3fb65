// `omnitwin validate FILE...`: check scenario files and list every problem in every file at once,
// one line each (`FILE: json.path: what is wrong and what is allowed`), or as JSON with --json; with
// --interventions, also an interventions file against each valid scenario.
import type { Command } from "commander";
import { parseScenarioText, scenarioWarnings, type Problem, type Scenario } from "../../sim/index.ts";
import { EXIT, type CommandContext } from "./io.ts";
import { isScenarioJsonSchema, MAX_ORDERS_OPTION_HELP, parseMaxOrders, problemLines, readInterventionsFile, readScenarioText, warningLines } from "./scenario-file.ts";

interface ValidateOptions {
  json?: boolean;
  interventions?: string;
  maxOrders?: number;
}

/** One file's verdict, as printed by `validate --json`. */
export interface FileReport {
  file: string;
  ok: boolean;
  /** Why the file was not checked as a scenario (only the scenario JSON Schema itself is skipped). */
  skipped?: string;
  problems: Problem[];
  /** Settings of a valid scenario that run as written but look unintended (never a reason to refuse it). */
  warnings: Problem[];
}

/** Add the `validate` command to the program. */
export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command("validate")
    .description("check scenario files; print every problem with its JSON path")
    .argument("<files...>", "scenario files (JSON)")
    .option("--json", "print the results as JSON: a list of { file, ok, problems: [{ path, message }] }")
    .option("--interventions <file>", "also check this interventions file (what --interventions adds to run, compare, …) against each valid scenario")
    .option("--max-orders <n>", MAX_ORDERS_OPTION_HELP, parseMaxOrders)
    .addHelpText(
      "after",
      `
Prints "FILE: ok" for each valid file, otherwise one line per problem:
  FILE: json.path: what is wrong and what is allowed
A valid file may also get warnings (settings that run as written but look unintended; exit code still 0):
  FILE: warning: json.path: what looks wrong and what to set instead
The scenario JSON Schema (scenarios/scenario.schema.json) is recognised and skipped.
Exit code 0 when every file is valid, 2 when any file has a problem.

With --interventions, the interventions file gets its own verdict on each valid scenario, reported as
  INTERVENTIONS on SCENARIO: json.path: …

Examples:
  omnitwin validate scenarios/*.json
  omnitwin validate scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json`,
    )
    .action((files: string[], options: ValidateOptions) => {
      const reports = files.flatMap((file) => {
        const { report, scenario } = validateFile(file, options.maxOrders);
        if (options.interventions === undefined || scenario === undefined) return [report];
        return [report, validateInterventionsFile(options.interventions, scenario, file, options.maxOrders)];
      });
      const { stdout } = context.io;
      if (options.json) stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      else for (const report of reports) stdout.write(`${reportLines(report).join("\n")}\n`);
      context.setExitCode(reports.every((r) => r.ok) ? EXIT.ok : EXIT.badInput);
    });
}

/** Validate one file into a report, with the scenario when it is a valid one (a missing or unreadable file is a problem, not an exception). */
function validateFile(file: string, maxOrders: number | undefined): { report: FileReport; scenario?: Scenario } {
  const read = readScenarioText(file);
  if (!read.ok) return { report: { file, ok: false, problems: read.problems, warnings: [] } };
  // `omnitwin validate scenarios/*.json` also matches the JSON Schema that lives beside the scenarios.
  if (isScenarioJsonSchema(read.text)) return { report: { file, ok: true, skipped: SKIPPED_SCHEMA, problems: [], warnings: [] } };
  const result = parseScenarioText(read.text, { maxOrders });
  return result.ok
    ? { report: { file, ok: true, problems: [], warnings: scenarioWarnings(result.scenario) }, scenario: result.scenario }
    : { report: { file, ok: false, problems: result.problems, warnings: [] } };
}

/** Validate an interventions file against the valid scenario read from `scenarioFile`. */
function validateInterventionsFile(interventions: string, scenario: Scenario, scenarioFile: string, maxOrders: number | undefined): FileReport {
  const file = `${interventions} on ${scenarioFile}`;
  const result = readInterventionsFile(interventions, scenario, undefined, maxOrders);
  return result.ok ? { file, ok: true, problems: [], warnings: [] } : { file, ok: false, problems: result.problems, warnings: [] };
}

const SKIPPED_SCHEMA = "the scenario JSON Schema, not a scenario";

function reportLines(report: FileReport): string[] {
  if (report.skipped !== undefined) return [`${report.file}: skipped (${report.skipped})`];
  return report.ok ? [`${report.file}: ok`, ...warningLines(report.file, report.warnings)] : problemLines(report.file, report.problems);
}
