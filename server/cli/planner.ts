// The spreadsheet path into a scenario: `omnitwin template FILE.xlsx` writes a network workbook with a
// README and example rows (from scenarios/618-promotion.json, or --from any scenario), and `omnitwin
// import FILE.xlsx --out SCENARIO.json` turns a filled workbook into a scenario, checked by the scenario
// validator, with every problem named by sheet, row and column and the JSON path it maps to (exit 2).
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { scenarioHash, scenarioWarnings, validateScenario } from "../../sim/index.ts";
import { columnLetters, readNetworkWorkbook, writeNetworkWorkbook } from "../planner/network-workbook.ts";
import { originOf, scenarioToTables, tablesToScenario, type SheetProblem } from "../planner/sheets.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { writeFilesAtomically } from "../output/files.ts";
import { readScenarioFile, readScenarioText } from "./scenario-file.ts";
import { writeBytesAtomically, xlsxPath } from "./workbook-file.ts";

/** The scenario whose rows fill a new template. */
export const TEMPLATE_SCENARIO = fileURLToPath(new URL("../../scenarios/618-promotion.json", import.meta.url));

/** Add `template` to the program. */
export function registerTemplate(program: Command, context: CommandContext): void {
  program
    .command("template")
    .description("write a network workbook (.xlsx) to fill in: sites, lanes, SKUs, zones, demand, campaigns, levers, costs")
    .argument("<file>", "the workbook to write (.xlsx)", xlsxPath)
    .option("--from <scenario>", "fill it from this scenario instead of scenarios/618-promotion.json")
    .addHelpText("after", "\nExamples:\n  omnitwin template network.xlsx\n  omnitwin template mine.xlsx --from scenarios/baseline-week.json")
    .action(async (file: string, options: { from?: string }) => context.setExitCode(await templateCommand(file, options.from ?? TEMPLATE_SCENARIO, context)));
}

/** Add `import` to the program. */
export function registerImport(program: Command, context: CommandContext): void {
  program
    .command("import")
    .description("turn a filled network workbook (.xlsx) into a scenario file, checked by the validator")
    .argument("<file>", "the workbook to read (.xlsx)")
    .option("--out <file>", "write the scenario JSON here")
    .option("--dry-run", "only check the workbook and report; write nothing")
    .addHelpText(
      "after",
      `
Every problem is reported by sheet, row and column, with the scenario JSON path it maps to.
Exit code 0 when the workbook is a valid scenario, 2 when it has problems (nothing is written).

Examples:
  omnitwin import network.xlsx --dry-run
  omnitwin import network.xlsx --out my-network.json`,
    )
    .action(async (file: string, options: { out?: string; dryRun?: boolean }) => context.setExitCode(await importCommand(file, options, context)));
}

async function templateCommand(file: string, from: string, { io }: CommandContext): Promise<ExitCode> {
  const text = readScenarioText(from);
  const checked = readScenarioFile(from);
  if (!text.ok || !checked.ok) {
    const problems = !text.ok ? text.problems : !checked.ok ? checked.problems : [];
    io.stderr.write(`error: ${from} is not a valid scenario:\n${problems.map((p) => `  ${p.path === "" ? "" : `${p.path}: `}${p.message}`).join("\n")}\n`);
    return EXIT.badInput;
  }
  try {
    const tables = scenarioToTables(JSON.parse(text.text), JSON.parse(JSON.stringify(checked.scenario)));
    writeBytesAtomically(file, await writeNetworkWorkbook(tables, `Example rows from ${checked.scenario.id} (scenario hash ${scenarioHash(checked.scenario)}).`));
  } catch (error) {
    io.stderr.write(`error: cannot write ${file}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`wrote ${file} (example rows from ${checked.scenario.id}); fill it in, then: omnitwin import ${file} --out my-network.json\n`);
  return EXIT.ok;
}

/** A problem as one line: "Sites row 5, column C (pickPack.ordersPerHour) → sites[2].pickPack.ordersPerHour: …". */
export function problemLine(p: SheetProblem): string {
  const where = [
    `sheet ${p.sheet}`,
    p.row === undefined ? "" : `row ${p.row}`,
    p.column === undefined ? "" : `column ${columnLetters(p.column)}${p.key ? ` (${p.key})` : ""}`,
  ].filter(Boolean);
  return `${where.join(", ")}${p.path === undefined ? "" : ` → ${p.path}`}: ${p.message}`;
}

/**
 * Every problem of a workbook: the cells no scenario can hold, then the validator's, mapped to their cells;
 * and, when it is a valid scenario, its warnings (settings that run as written but look unintended), mapped too.
 */
export async function checkWorkbook(bytes: Uint8Array): Promise<{ problems: SheetProblem[]; warnings: SheetProblem[]; value: unknown }> {
  const read = await readNetworkWorkbook(bytes);
  const built = tablesToScenario(read.tables);
  const problems = [...read.problems, ...built.problems];
  const result = validateScenario(built.value);
  const toCell = (p: { path: string; message: string }): SheetProblem => {
    const at = originOf(p.path, built.origins);
    return at === undefined ? { sheet: "(none)", path: p.path, message: `${p.message} (no sheet holds this; add it)` } : { ...at, path: p.path, message: p.message };
  };
  if (!result.ok) problems.push(...result.problems.map(toCell));
  const warnings = result.ok && problems.length === 0 ? scenarioWarnings(result.scenario).map(toCell) : [];
  return { problems, warnings, value: built.value };
}

async function importCommand(file: string, options: { out?: string; dryRun?: boolean }, { io }: CommandContext): Promise<ExitCode> {
  if (options.out === undefined && !options.dryRun) {
    io.stderr.write("error: say where to write the scenario with --out FILE.json, or check the workbook with --dry-run\n");
    return EXIT.badInput;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    io.stderr.write(`error: cannot read ${file}: ${errorText(error)}\n`);
    return EXIT.badInput;
  }
  let checked: Awaited<ReturnType<typeof checkWorkbook>>;
  try {
    checked = await checkWorkbook(bytes);
  } catch (error) {
    io.stderr.write(`error: ${file} is not an Excel workbook (.xlsx) omnitwin can read: ${errorText(error)}\n`);
    return EXIT.badInput;
  }
  if (checked.problems.length > 0) {
    const count = checked.problems.length === 1 ? "1 problem" : `${checked.problems.length} problems`;
    io.stderr.write(`${file} has ${count}; nothing was written:\n${checked.problems.map((p) => `  ${problemLine(p)}`).join("\n")}\n`);
    return EXIT.badInput;
  }
  const result = validateScenario(checked.value);
  if (!result.ok) throw new Error("a workbook with no problems failed validation"); // checkWorkbook reported them all
  if (checked.warnings.length > 0) io.stderr.write(`${checked.warnings.map((p) => `warning: ${problemLine(p)}`).join("\n")}\n`);
  const hash = scenarioHash(result.scenario);
  const summary = `${result.scenario.sites.length} sites, ${result.scenario.lanes.length} lanes, ${result.scenario.skus.length} SKUs, ${result.scenario.zones.length} zones, ${result.scenario.campaigns.length} campaigns; scenario hash ${hash}`;
  if (options.dryRun) {
    io.stdout.write(`${file} is a valid scenario "${result.scenario.id}": ${summary}. Nothing written (--dry-run).\n`);
    return EXIT.ok;
  }
  try {
    writeFilesAtomically(dirname(options.out!), { [basename(options.out!)]: `${JSON.stringify(checked.value, null, 2)}\n` });
  } catch (error) {
    io.stderr.write(`error: cannot write ${options.out}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`wrote ${options.out}: ${summary}\n`);
  return EXIT.ok;
}
