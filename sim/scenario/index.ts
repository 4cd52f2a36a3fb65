// Loading a scenario: parse → defaults → validate everything → frozen config.
//
// Every problem is collected before anything is reported, so a planner fixes a file in one pass:
// raw checks (size, empty, JSON syntax, forbidden keys), shape (zod, worded by shape-messages.ts),
// then cross-references, numeric consistency and the calendar. Problems come back in file order,
// each with a JSON path such as `sites[2].lat`. An interventions file (what-ifs kept apart from the
// scenario) is checked by the same path: appended to the scenario's own interventions.
import { checkCalendar } from "./check-calendar.ts";
import { checkReferences } from "./check-references.ts";
import { checkValues } from "./check-values.ts";
import { checkWorkload, DEFAULT_MAX_ORDERS } from "./check-workload.ts";
import { interventionsHash } from "./hash.ts";
import { collectParts } from "./parts.ts";
import type { LoadResult, PathProblem, Problem } from "./problems.ts";
import { formatPath, kindOf, ScenarioError, sortInFileOrder } from "./problems.ts";
import { DEFAULT_MAX_BYTES, inspectRawValue, parseJsonText } from "./raw-checks.ts";
import type { Intervention, Scenario } from "./schema.ts";
import { scenarioSchema } from "./schema.ts";
import { describeShapeIssues } from "./shape-messages.ts";

export * from "./schema.ts";
export type { LoadResult, Problem } from "./problems.ts";
export { ScenarioError, formatPath } from "./problems.ts";
export { scenarioWarnings } from "./warnings.ts";
export { DEFAULT_MAX_BYTES, tooLargeMessage } from "./raw-checks.ts";
export { findDuplicateKeys, type DuplicateKey } from "./json-syntax.ts";
export { DEFAULT_MAX_ORDERS, EVENTS_PER_ALLOWED_ORDER, MAX_TIMESERIES_ROWS, estimateWorkload, type WorkloadEstimate } from "./check-workload.ts";
export { canonicalJson, fnv1a64, interventionsHash, scenarioHash } from "./hash.ts";
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_SCHEMA_ID } from "./json-schema.ts";

export interface ParseOptions extends ValidateOptions {
  /** Largest accepted text in UTF-8 bytes (default 5 MiB). */
  maxBytes?: number;
}

export interface ValidateOptions {
  /** Most expected customers a run may have (default DEFAULT_MAX_ORDERS); the event limit scales with it. */
  maxOrders?: number;
}

/** Parse and validate scenario text (the contents of a .json file). */
export function parseScenarioText(text: string, options: ParseOptions = {}): LoadResult {
  const parsed = parseJsonText(text, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(finish) };
  return validateScenario(parsed.value, options);
}

/**
 * Validate an already-parsed JSON value; on success the scenario has its defaults filled in and is deeply frozen.
 * The workload (expected customers and events over the horizon) is checked last, once everything else is right.
 */
export function validateScenario(value: unknown, options: ValidateOptions = {}): LoadResult {
  const raw = inspectRawValue(value);
  if (raw.fatal) return { ok: false, problems: raw.problems.map(finish) };
  const document = raw.clean;
  const shape = scenarioSchema.safeParse(document);
  const problems: PathProblem[] = [...raw.problems];
  if (!shape.success) problems.push(...describeShapeIssues(shape.error.issues, document));
  const parts = collectParts(document, shape.success ? shape.data : undefined);
  problems.push(...checkReferences(parts), ...checkValues(parts), ...checkCalendar(parts));
  if (problems.length === 0 && shape.success) problems.push(...checkWorkload(shape.data, options.maxOrders ?? DEFAULT_MAX_ORDERS));
  if (problems.length > 0 || !shape.success) return { ok: false, problems: dedupe(sortInFileOrder(problems, document).map(finish)) };
  return { ok: true, scenario: deepFreeze(shape.data) };
}

/** Parse and validate text or a value, throwing a ScenarioError that lists every problem. */
export function loadScenarioOrThrow(input: string | unknown, options: ParseOptions = {}): Scenario {
  const result = typeof input === "string" ? parseScenarioText(input, options) : validateScenario(input, options);
  if (!result.ok) throw new ScenarioError(result.problems);
  return result.scenario;
}

/** Interventions to add on top of a scenario's own, validated against it, with their hash; or every problem found. */
export type InterventionsResult =
  | { ok: true; interventions: readonly Intervention[]; hash: string }
  | { ok: false; problems: Problem[] };

const INTERVENTIONS_FILE_FORM = 'an interventions file is a list [{ "type": …, "at": … }, …] or { "interventions": [ … ] }';

/** Parse and validate the text of an interventions file against the scenario it is added to. */
export function parseInterventionsText(scenario: Scenario, text: string, options: ParseOptions = {}): InterventionsResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return { ok: false, problems: [{ path: "", message: `the file is empty; ${INTERVENTIONS_FILE_FORM}` }] };
  const parsed = parseJsonText(text, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(finish) };
  return validateInterventions(scenario, parsed.value, options);
}

/**
 * Validate interventions to add to `scenario` (a list, or `{ "interventions": [...] }`): they are
 * appended to the scenario's own and the whole scenario is validated again, so they get every check
 * a scenario's own interventions get (shape, ids, the horizon). Problem paths are paths in `value`.
 */
export function validateInterventions(scenario: Scenario, value: unknown, options: ValidateOptions = {}): InterventionsResult {
  const wrapped = value !== null && typeof value === "object" && !Array.isArray(value);
  const problems: Problem[] = [];
  let list: unknown[] = [];
  if (Array.isArray(value)) list = value;
  else if (!wrapped) problems.push({ path: "", message: `the file holds ${kindOf(value)}, not interventions; ${INTERVENTIONS_FILE_FORM}` });
  else if ("sites" in value) problems.push({ path: "", message: `the file is a scenario, not an interventions file; ${INTERVENTIONS_FILE_FORM}` });
  else {
    for (const key of Object.keys(value))
      if (key !== "interventions") problems.push({ path: formatPath([key]), message: `is not part of an interventions file; ${INTERVENTIONS_FILE_FORM}` });
    const inner = (value as Record<string, unknown>).interventions;
    if (Array.isArray(inner)) list = inner;
    else if (inner === undefined) problems.push({ path: "", message: `the file has no "interventions" list; ${INTERVENTIONS_FILE_FORM}` });
    else problems.push({ path: "interventions", message: `is ${kindOf(inner)}, not a list of interventions` });
  }
  const own = scenario.interventions.length;
  const result = validateScenario({ ...scenario, interventions: [...scenario.interventions, ...list] }, options);
  if (!result.ok) problems.push(...result.problems.map((p) => pathInInterventionsFile(p, own, wrapped)));
  if (problems.length > 0 || !result.ok) return { ok: false, problems };
  const interventions = Object.freeze(result.scenario.interventions.slice(own));
  return { ok: true, interventions, hash: interventionsHash(interventions) };
}

// `interventions[own + k].at` in the combined scenario is `[k].at` in a list file, `interventions[k].at` in a wrapped one.
function pathInInterventionsFile(problem: Problem, own: number, wrapped: boolean): Problem {
  const match = /^interventions\[(\d+)\](.*)$/.exec(problem.path);
  if (match !== null && Number(match[1]) >= own)
    return { path: `${wrapped ? "interventions" : ""}[${Number(match[1]) - own}]${match[2]}`, message: problem.message };
  // Not expected (the scenario was valid without them), but never dropped.
  return { path: "", message: `with these interventions the scenario does not validate: ${problem.path === "" ? "" : `${problem.path}: `}${problem.message}` };
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
