// What a validation problem is and how it is written down: the Problem record, JSON paths,
// the ScenarioError thrown by loadScenarioOrThrow, and small wording helpers (values, lists,
// "did you mean"). No checks live here.
import { OmnitwinError } from "../errors.ts";
import type { Scenario } from "./schema.ts";

/** One thing wrong with a scenario: where (a JSON path such as `sites[2].lat`, "" = the whole file) and what. */
export interface Problem {
  path: string;
  message: string;
}

/** The result of loading or validating a scenario: a frozen scenario, or every problem found. */
export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** A path as a list of keys and array indices, before it is written as text. */
export type PathSegments = ReadonlyArray<string | number>;

/** A problem whose path is still a list of segments (so problems can be sorted in file order). */
export interface PathProblem {
  path: PathSegments;
  message: string;
}

/** Thrown by loadScenarioOrThrow; `problems` holds every problem found, in file order. */
export class ScenarioError extends OmnitwinError {
  override name = "ScenarioError";
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`));
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`the scenario has ${count}:\n${lines.join("\n")}`);
    this.problems = problems;
  }
}

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** Write segments as a JSON path: `sites[2].lat`, `demand.skuMix.fresh-veg`, `demand.skuMix["a.b"]`. */
export function formatPath(path: PathSegments): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A value as a planner would want to see it quoted in a message (short, on one line). */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") {
    const quoted = JSON.stringify(value);
    return quoted.length > 60 ? `${quoted.slice(0, 56)}…"` : quoted;
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list []" : `a list of ${value.length}`;
  return "an object {…}";
}

/** What kind of JSON value this is, with its article: "text", "a number", "a list", ... */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true/false";
    case "object":
      return "an object";
    default:
      return "nothing";
  }
}

/** `"a", "b", "c"`, cut after `max` entries. */
export function quotedList(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(", ")}, … (${values.length - max} more)` : shown.join(", ");
}

/** `n thing` / `n things`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed && best !== word ? best : undefined;
}

/** ` did you mean "x"?` or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates);
  return guess === undefined ? "" : ` did you mean ${JSON.stringify(guess)}?`;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each cost 1, so "rcd" is one typo away from "rdc".
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
    }
    [beforePrevious, previous] = [previous, current];
  }
  return previous[b.length];
}

/** Sort problems into the order their paths appear in the file; ties keep the order they were found. */
export function sortInFileOrder(problems: PathProblem[], document: unknown): PathProblem[] {
  const keyed = problems.map((problem, index) => ({ problem, index, rank: fileRank(problem.path, document) }));
  keyed.sort((a, b) => compareRanks(a.rank, b.rank) || a.index - b.index);
  return keyed.map((k) => k.problem);
}

// A path's rank: at each level, the position of the key among the object's keys as written
// (missing keys sort after present ones), or the array index.
function fileRank(path: PathSegments, document: unknown): number[] {
  const rank: number[] = [];
  let node = document;
  for (const segment of path) {
    if (typeof segment === "number" || node === null || typeof node !== "object" || Array.isArray(node)) {
      rank.push(typeof segment === "number" ? segment : Number.MAX_SAFE_INTEGER);
    } else {
      const position = Object.keys(node).indexOf(segment);
      rank.push(position === -1 ? Number.MAX_SAFE_INTEGER : position);
    }
    node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return rank;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
