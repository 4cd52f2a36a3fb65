// Loading a scenario: parse → defaults → validate everything → frozen config.
//
// Every problem is collected before anything is reported, so a planner fixes a file in one pass:
// raw checks (size, empty, JSON syntax, forbidden keys), shape (zod, worded by shape-messages.ts),
// then cross-references, numeric consistency and the calendar. Problems come back in file order,
// each with a JSON path such as `sites[2].lat`.
import { checkCalendar } from "./check-calendar.ts";
import { checkReferences } from "./check-references.ts";
import { checkValues } from "./check-values.ts";
import { collectParts } from "./parts.ts";
import type { LoadResult, PathProblem, Problem } from "./problems.ts";
import { formatPath, ScenarioError, sortInFileOrder } from "./problems.ts";
import { DEFAULT_MAX_BYTES, inspectRawValue, parseJsonText } from "./raw-checks.ts";
import type { Scenario } from "./schema.ts";
import { scenarioSchema } from "./schema.ts";
import { describeShapeIssues } from "./shape-messages.ts";

export * from "./schema.ts";
export type { LoadResult, Problem } from "./problems.ts";
export { ScenarioError, formatPath } from "./problems.ts";
export { DEFAULT_MAX_BYTES, tooLargeMessage } from "./raw-checks.ts";
export { canonicalJson, fnv1a64, scenarioHash } from "./hash.ts";
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_SCHEMA_ID } from "./json-schema.ts";

export interface ParseOptions {
  /** Largest accepted text in UTF-8 bytes (default 5 MiB). */
  maxBytes?: number;
}

/** Parse and validate scenario text (the contents of a .json file). */
export function parseScenarioText(text: string, options: ParseOptions = {}): LoadResult {
  const parsed = parseJsonText(text, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(finish) };
  return validateScenario(parsed.value);
}

/** Validate an already-parsed JSON value; on success the scenario has its defaults filled in and is deeply frozen. */
export function validateScenario(value: unknown): LoadResult {
  const raw = inspectRawValue(value);
  if (raw.fatal) return { ok: false, problems: raw.problems.map(finish) };
  const document = raw.clean;
  const shape = scenarioSchema.safeParse(document);
  const problems: PathProblem[] = [...raw.problems];
  if (!shape.success) problems.push(...describeShapeIssues(shape.error.issues, document));
  const parts = collectParts(document, shape.success ? shape.data : undefined);
  problems.push(...checkReferences(parts), ...checkValues(parts), ...checkCalendar(parts));
  if (problems.length > 0 || !shape.success) return { ok: false, problems: dedupe(sortInFileOrder(problems, document).map(finish)) };
  return { ok: true, scenario: deepFreeze(shape.data) };
}

/** Parse and validate text or a value, throwing a ScenarioError that lists every problem. */
export function loadScenarioOrThrow(input: string | unknown, options: ParseOptions = {}): Scenario {
  const result = typeof input === "string" ? parseScenarioText(input, options) : validateScenario(input);
  if (!result.ok) throw new ScenarioError(result.problems);
  return result.scenario;
}

function finish(problem: PathProblem): Problem {
  return { path: formatPath(problem.path), message: problem.message };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
