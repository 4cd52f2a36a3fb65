// A sweep's grid: `--set path=v1,v2,...` options parsed into JSON paths and values, the grid of
// their combinations, and each point applied to the scenario and validated again, so a typo in a
// path or a value the scenario cannot take is reported before anything runs.
import { scenarioHash, validateScenario, type Scenario } from "../../sim/index.ts";
import { BatchInputError, type Setting, type Variant } from "./spec.ts";

/** One `--set` option: the path, its parsed segments, and the values to try. */
export interface SetOption {
  path: string;
  segments: Array<string | number>;
  values: Array<Setting["value"]>;
}

/**
 * Parse `path=v1,v2,...`. The path is dotted keys with [n] for an array index or [id] for the
 * element whose "id" is id (`sites[rdc-gz].pickPack.ordersPerHour`). Each value is read as JSON
 * when it is JSON (numbers, true, false, null, "quoted text"), else as plain text.
 */
export function parseSetOption(text: string): SetOption {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new RangeError(`expected path=value1,value2,... (e.g. demand.walkInPerDay=300,400), got ${JSON.stringify(text)}`);
  const path = text.slice(0, eq).trim();
  const segments = parsePath(path);
  const raw = text.slice(eq + 1).split(",").map((v) => v.trim());
  if (raw.some((v) => v === "")) throw new RangeError(`${path}: an empty value in ${JSON.stringify(text.slice(eq + 1))}; list values separated by commas`);
  const values = raw.map(parseValue);
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw new RangeError(`${path}: the value ${key} is listed twice`);
    seen.add(key);
  }
  return { path, segments, values };
}

/** A `--set`-style value: JSON when it is JSON (numbers, true, false, null, "text"), else plain text. */
export function parseValue(text: string): Setting["value"] {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value as Setting["value"];
  } catch {
    // Not JSON: plain text.
  }
  return text;
}

/** "a.b[2].c[rdc-gz]" → ["a", "b", 2, "c", {id}] with ids kept as "#id" strings. */
export function parsePath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[([^\]]*)\]|(\.)/gy;
  let expectKey = true;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) {
      if (!expectKey) throw new RangeError(`bad path ${JSON.stringify(path)}: put a "." before ${JSON.stringify(match[1])}`);
      segments.push(match[1]);
      expectKey = false;
    } else if (match[2] !== undefined) {
      if (match[2] === "") throw new RangeError(`bad path ${JSON.stringify(path)}: empty []`);
      segments.push(/^\d+$/.test(match[2]) ? Number(match[2]) : `#${match[2]}`);
      expectKey = false;
    } else {
      if (expectKey) throw new RangeError(`bad path ${JSON.stringify(path)}: an empty key between dots`);
      expectKey = true;
    }
  }
  if (pattern.lastIndex !== path.length || segments.length === 0 || expectKey)
    throw new RangeError(`bad path ${JSON.stringify(path)}: write keys with dots and array elements as [index] or [id], e.g. sites[rdc-gz].pickPack.ordersPerHour`);
  return segments;
}

/** Set `value` at `segments` in a plain JSON copy of the scenario; throws a BatchInputError naming the step that does not exist. */
function assign(document: unknown, option: SetOption, value: Setting["value"]): void {
  let node = document as Record<string, unknown> | unknown[];
  const where = (i: number) => JSON.stringify(describe(option.segments.slice(0, i + 1)));
  option.segments.forEach((segment, i) => {
    const last = i === option.segments.length - 1;
    let key: string | number;
    if (typeof segment === "number") {
      if (!Array.isArray(node)) throw new BatchInputError(`${where(i)} is not in the scenario: its parent is not a list`);
      if (segment >= node.length) throw new BatchInputError(`${where(i)} is not in the scenario: the list has ${node.length} entries (from [0])`);
      key = segment;
    } else if (segment.startsWith("#")) {
      if (!Array.isArray(node)) throw new BatchInputError(`${where(i)} is not in the scenario: its parent is not a list`);
      const id = segment.slice(1);
      const at = node.findIndex((e) => e !== null && typeof e === "object" && (e as { id?: unknown }).id === id);
      if (at < 0) {
        const ids = node.map((e) => (e as { id?: unknown })?.id).filter((x) => typeof x === "string");
        throw new BatchInputError(`${where(i)} is not in the scenario: no entry has id ${JSON.stringify(id)} (ids: ${ids.join(", ")})`);
      }
      key = at;
    } else {
      if (node === null || typeof node !== "object" || Array.isArray(node)) throw new BatchInputError(`${where(i)} is not in the scenario: its parent is not an object`);
      // The last key may be new (an optional field); the validator rejects a key the schema does not know.
      if (!last && !(segment in node)) throw new BatchInputError(`${where(i)} is not in the scenario`);
      key = segment;
    }
    if (last) (node as Record<string | number, unknown>)[key] = value;
    else node = (node as Record<string | number, unknown>)[key] as Record<string, unknown>;
  });
}

function describe(segments: ReadonlyArray<string | number>): string {
  return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : s.startsWith("#") ? `[${s.slice(1)}]` : i === 0 ? s : `.${s}`)).join("");
}

/**
 * Named bundles of settings applied to `base` — each bundle one point, validated (a robustness study's
 * assumptions, where a point moves several parameters together instead of a grid of them).
 */
export function bundleVariants(base: Scenario, bundles: ReadonlyArray<{ name: string; settings: readonly Setting[] }>): { variants: Variant[]; scenarios: Scenario[] } {
  const variants: Variant[] = [];
  const scenarios: Scenario[] = [];
  for (const bundle of bundles) {
    const document = structuredClone(base) as unknown;
    for (const s of bundle.settings) assign(document, { path: s.path, segments: parsePath(s.path), values: [s.value] }, s.value);
    const result = validateScenario(document);
    if (!result.ok) throw new BatchInputError(`the assumption "${bundle.name}" does not give a valid ${base.id}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    variants.push({ settings: [...bundle.settings], scenarioHash: scenarioHash(result.scenario) });
    scenarios.push(result.scenario);
  }
  return { variants, scenarios };
}

/** The sweep's points in order (first --set outermost), each applied to `base` and validated. */
export function sweepVariants(base: Scenario, options: readonly SetOption[]): { variants: Variant[]; scenarios: Scenario[] } {
  const paths = new Set<string>();
  for (const o of options) {
    if (paths.has(o.path)) throw new BatchInputError(`--set ${o.path} is given twice; list all its values in one --set`);
    paths.add(o.path);
  }
  let grid: Setting[][] = [[]];
  for (const o of options) grid = grid.flatMap((settings) => o.values.map((value) => [...settings, { path: o.path, value }]));
  const variants: Variant[] = [];
  const scenarios: Scenario[] = [];
  for (const settings of grid) {
    const document = structuredClone(base) as unknown;
    settings.forEach((s, i) => assign(document, options[i], s.value));
    const result = validateScenario(document);
    if (!result.ok) {
      const point = settings.map((s) => `${s.path}=${JSON.stringify(s.value)}`).join(" ");
      throw new BatchInputError(`the sweep point ${point} is not a valid scenario: ${result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    }
    variants.push({ settings, scenarioHash: scenarioHash(result.scenario) });
    scenarios.push(result.scenario);
  }
  return { variants, scenarios };
}
