// `omnitwin calibrate ORDERS.csv --scenario BASE.json --out CALIBRATED.json`: fit the base scenario's
// demand to an order history (server/calibrate/fit.ts), print the fit report, and write the calibrated
// scenario (validated before it is written) and the report as JSON beside it, atomically.
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Command } from "commander";
import { scenarioHash, validateScenario } from "../../sim/index.ts";
import { applyCalibration, calibrationText } from "../calibrate/apply.ts";
import { calibrate } from "../calibrate/fit.ts";
import { parseOrdersCsv } from "../calibrate/history.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { writeFilesAtomically } from "../output/files.ts";
import { loadScenario, readScenarioText } from "./scenario-file.ts";

/** Add `calibrate` to the program. */
export function registerCalibrate(program: Command, context: CommandContext): void {
  program
    .command("calibrate")
    .description("fit a scenario's demand to an order history (CSV): base rate, weekday and hour profiles, zone, channel and SKU mix, campaign uplift")
    .argument("<orders>", "order history, CSV with columns time,zone,channel,sku (one online order per row, local time)")
    .requiredOption("--scenario <file>", "the base scenario: its zones, channels, SKUs and campaign windows")
    .requiredOption("--out <file>", "write the calibrated scenario here; the fit report goes beside it as <name>.fit.json")
    .addHelpText(
      "after",
      `
The history's ids must be the scenario's zone, online channel and SKU ids. Campaign windows come from
the scenario; their uplift is fitted. scenarios/history/synthetic-orders.csv is a synthetic example.

Example:
  omnitwin calibrate scenarios/history/synthetic-orders.csv --scenario scenarios/618-promotion.json --out calibrated.json`,
    )
    .action((file: string, options: { scenario: string; out: string }) => context.setExitCode(calibrateCommand(file, options, context)));
}

function calibrateCommand(file: string, options: { scenario: string; out: string }, context: CommandContext): ExitCode {
  const { io } = context;
  const base = loadScenario(options.scenario, context);
  if (base === undefined) return EXIT.badInput;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    io.stderr.write(`error: cannot read ${file}: ${errorText(error)}\n`);
    return EXIT.badInput;
  }
  const { orders, problems } = parseOrdersCsv(text, base);
  if (problems.length > 0 || orders.length === 0) {
    const shown = problems.slice(0, 20).map((p) => `  ${file}:${p.line}: ${p.message}`);
    io.stderr.write(`error: ${file} ${orders.length === 0 && problems.length === 0 ? "has no orders" : `has ${problems.length} bad row(s)`}; nothing was written:\n${shown.join("\n")}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ""}\n`);
    return EXIT.badInput;
  }
  const fit = calibrate(base, orders);
  const raw = readScenarioText(options.scenario);
  const calibrated = applyCalibration(JSON.parse(raw.ok ? raw.text : "{}"), fit);
  const checked = validateScenario(calibrated);
  if (!checked.ok) {
    io.stderr.write(`error: the calibrated scenario does not validate (a bug): ${checked.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}\n`);
    return EXIT.failed;
  }
  const report = calibrationText(fit, file);
  const fitName = basename(options.out).replace(/\.json$/i, "") + ".fit.json";
  try {
    writeFilesAtomically(dirname(options.out), {
      [basename(options.out)]: `${JSON.stringify(calibrated, null, 2)}\n`,
      [fitName]: `${JSON.stringify({ ordersFile: file, scenarioFile: options.scenario, calibratedScenarioHash: scenarioHash(checked.scenario), ...fit }, null, 1)}\n`,
    });
  } catch (error) {
    io.stderr.write(`error: cannot write ${options.out}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  io.stdout.write(report);
  io.stderr.write(`wrote ${options.out} (scenario hash ${scenarioHash(checked.scenario)}) and ${fitName}\n`);
  return EXIT.ok;
}
