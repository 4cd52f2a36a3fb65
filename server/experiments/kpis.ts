// KPIs as flat numeric columns: a run summary's `kpis` block flattened into dotted keys
// (`costs.total`, `orderLeadTimeHours.p95`), whatever KPIs the summary holds today. Names, units and
// the headline list come from the KPI registry (sim/observe/kpis.ts).
import { HEADLINE_KPI_KEYS } from "../../sim/index.ts";

/** One run's KPIs: dotted key → number, in the summary's own key order. */
export type FlatKpis = Record<string, number>;

/**
 * Flatten a KPI block into dotted keys, depth first in key order. Only finite numbers become
 * columns: a null (a ratio with nothing to divide by), a string or a boolean is left out.
 */
export function flattenKpis(kpis: unknown, prefix = ""): FlatKpis {
  const out: FlatKpis = {};
  visit(kpis, prefix, out);
  return out;
}

function visit(value: unknown, key: string, out: FlatKpis): void {
  if (typeof value === "number") {
    if (Number.isFinite(value) && key !== "") out[key] = value;
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const [name, child] of Object.entries(value)) visit(child, key === "" ? name : `${key}.${name}`, out);
}

/**
 * KPI maps that list only what happened: a key missing from one run means zero there, not
 * "undefined" (a decision kind that never fired). Every other missing key stays missing.
 */
const ZERO_WHEN_ABSENT_PREFIXES: readonly string[] = ["decisionCounts."];

/** A run's value of `kpi`: the number, 0 for an absent count, or undefined when the run has no value. */
export function kpiValue(kpis: Readonly<FlatKpis>, kpi: string): number | undefined {
  const value = kpis[kpi];
  if (value !== undefined) return value;
  return ZERO_WHEN_ABSENT_PREFIXES.some((p) => kpi.startsWith(p)) ? 0 : undefined;
}

/**
 * The union of the runs' KPI keys in a stable order: each key new to a later run goes right after
 * the key that precedes it in that run, so a count that only some runs have lands beside its siblings.
 */
export function kpiUnion(runs: ReadonlyArray<Readonly<FlatKpis>>): string[] {
  const order: string[] = [];
  const known = new Set<string>();
  for (const kpis of runs) {
    let previous: string | undefined;
    for (const key of Object.keys(kpis)) {
      if (!known.has(key)) {
        const at = previous === undefined ? 0 : order.indexOf(previous) + 1;
        order.splice(at, 0, key);
        known.add(key);
      }
      previous = key;
    }
  }
  return order;
}

/** The KPIs shown first in tables and charts when the user picks none (those the runs have): the registry's headline list. */
export const HEADLINE_KPIS: readonly string[] = HEADLINE_KPI_KEYS;

/**
 * The KPIs a `--kpi` list selects from `available`: each entry is a key, or a prefix ending in "."
 * (`costs.`) for a group. Unknown entries are returned separately so the caller can say so.
 */
export function selectKpis(requested: readonly string[] | undefined, available: readonly string[]): { kpis: string[]; unknown: string[] } {
  if (requested === undefined || requested.length === 0) return { kpis: HEADLINE_KPIS.filter((k) => available.includes(k)), unknown: [] };
  const kpis: string[] = [];
  const unknown: string[] = [];
  for (const entry of requested) {
    const matches = entry.endsWith(".") ? available.filter((k) => k.startsWith(entry)) : available.filter((k) => k === entry);
    if (matches.length === 0) unknown.push(entry);
    for (const k of matches) if (!kpis.includes(k)) kpis.push(k);
  }
  return { kpis, unknown };
}
