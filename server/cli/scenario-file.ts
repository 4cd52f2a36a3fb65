// Reading a scenario file (or an interventions file, validated against its scenario) from disk into
// a validation result, and writing problems as the one-line-per-problem text both `validate` and
// `run` print; `loadScenario` / `loadInterventions` do both for `run` and the batch commands. A file
// that cannot be read, is too large or is not UTF-8 becomes one problem like any other, never an exception.
import { readFileSync, statSync } from "node:fs";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ORDERS,
  parseInterventionsText,
  parseScenarioText,
  SCENARIO_SCHEMA_ID,
  scenarioWarnings,
  tooLargeMessage,
  type InterventionsResult,
  type LoadResult,
  type Intervention,
  type Problem,
  type Scenario,
} from "../../sim/index.ts";
import { InvalidArgumentError } from "commander";
import type { CommandContext } from "./io.ts";

/** The --max-orders option's help, shared by validate, run and the batch commands. */
export const MAX_ORDERS_OPTION_HELP = `refuse a scenario expected to have more customers than this over its horizon (default ${DEFAULT_MAX_ORDERS.toLocaleString("en-US")}; the event limit scales with it); raise it only for a run you mean to be that large`;

/** Parse --max-orders: a whole number from 1 to 10^12, in plain digits. */
export function parseMaxOrders(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= 1e12)) throw new InvalidArgumentError("--max-orders is a whole number from 1 to 1000000000000.");
  return n;
}

/** The text of a file, or the one problem that stops it being read. */
export type FileText = { ok: true; text: string } | { ok: false; problems: Problem[] };

/** Read, parse and validate the scenario file at `path` (as the user wrote it). */
export function readScenarioFile(path: string, maxBytes = DEFAULT_MAX_BYTES, maxOrders?: number): LoadResult {
  const file = readScenarioText(path, maxBytes);
  return file.ok ? parseScenarioText(file.text, { maxBytes, maxOrders }) : file;
}

/** Read the interventions file at `path` and validate it against the scenario it is added to (`--interventions`). */
export function readInterventionsFile(path: string, scenario: Scenario, maxBytes = DEFAULT_MAX_BYTES, maxOrders?: number): InterventionsResult {
  const file = readScenarioText(path, maxBytes, "interventions");
  return file.ok ? parseInterventionsText(scenario, file.text, { maxBytes, maxOrders }) : file;
}

/** Read a file as UTF-8 text, refusing directories, files over `maxBytes` and text that is not UTF-8; `kind` words the messages. */
export function readScenarioText(path: string, maxBytes = DEFAULT_MAX_BYTES, kind: "scenario" | "interventions" = "scenario"): FileText {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return fileProblem(`is a directory, not ${kind === "scenario" ? "a scenario" : "an interventions"} file; name a .json file`);
    // Check the size before reading, so a huge file is never loaded into memory.
    if (stat.size > maxBytes) return fileProblem(tooLargeMessage(stat.size, maxBytes));
    bytes = readFileSync(path);
  } catch (error) {
    return fileProblem(unreadableMessage(error));
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return fileProblem(`is not UTF-8 text (is it a binary file, or saved in another encoding?); save the ${kind === "scenario" ? "scenario" : "interventions file"} as UTF-8 JSON`);
  }
}

/** True for the text of the published scenario JSON Schema (scenarios/scenario.schema.json), which sits beside the scenarios. */
export function isScenarioJsonSchema(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && (value as Record<string, unknown>).$id === SCENARIO_SCHEMA_ID;
  } catch {
    return false;
  }
}

/** One line per problem: `FILE: json.path: message`, or `FILE: message` for the whole file. */
export function problemLines(file: string, problems: readonly Problem[]): string[] {
  return problems.map((p) => (p.path === "" ? `${file}: ${p.message}` : `${file}: ${p.path}: ${p.message}`));
}

/** One line per warning of a valid scenario: `FILE: warning: json.path: message`. */
export function warningLines(file: string, warnings: readonly Problem[]): string[] {
  return problemLines(`${file}: warning`, warnings);
}

function fileProblem(message: string): { ok: false; problems: Problem[] } {
  return { ok: false, problems: [{ path: "", message }] };
}

function unreadableMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file; check the path (it is relative to the current directory)";
    case "EACCES":
    case "EPERM":
      return "cannot be read: permission denied";
    case "ENOTDIR":
      return "no such file: a part of the path is not a directory";
    default:
      return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Read and validate the scenario file; prints its problems and returns undefined if it is bad (and prints the warnings of a valid one). */
export function loadScenario(file: string, { io }: Pick<CommandContext, "io">, maxOrders?: number): Scenario | undefined {
  const loaded = readScenarioFile(file, DEFAULT_MAX_BYTES, maxOrders);
  if (loaded.ok) {
    // Valid but doubtful settings run as written; say so before the run, on stderr (stdout stays the result).
    const warnings = warningLines(file, scenarioWarnings(loaded.scenario));
    if (warnings.length > 0) io.stderr.write(`${warnings.join("\n")}\n`);
    return loaded.scenario;
  }
  io.stderr.write(`${problemLines(file, loaded.problems).join("\n")}\n`);
  return undefined;
}

/**
 * The interventions of --interventions FILE, validated against `scenario` ([] without the option);
 * prints the file's problems and returns undefined if it is bad.
 */
export function loadInterventions(file: string | undefined, scenario: Scenario, { io }: Pick<CommandContext, "io">, maxOrders?: number): readonly Intervention[] | undefined {
  if (file === undefined) return [];
  const loaded = readInterventionsFile(file, scenario, DEFAULT_MAX_BYTES, maxOrders);
  if (loaded.ok) return loaded.interventions;
  io.stderr.write(`${problemLines(file, loaded.problems).join("\n")}\n`);
  return undefined;
}
