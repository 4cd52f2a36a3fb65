// Shared by the model and lever tests: load an example scenario once, run it under a policy and
// seed, and compare two policies over the same seeds (paired, common random numbers).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadScenarioOrThrow, parsePolicy, runScenario, type Policy, type RunSummary, type Scenario } from "../../sim/index.ts";
import { pairedInterval, type Interval } from "../../sim/metrics/confidence.ts";

const cache = new Map<string, Scenario>();

/** An example scenario from scenarios/, validated and frozen (loaded once per test file). */
export function exampleScenario(name: string): Scenario {
  let scenario = cache.get(name);
  if (scenario === undefined) {
    const path = fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url));
    scenario = loadScenarioOrThrow(readFileSync(path, "utf8"));
    cache.set(name, scenario);
  }
  return scenario;
}

/** The summary of one run. */
export function summaryOf(scenario: Scenario, policy: Policy | string, seed: number): RunSummary {
  const p = typeof policy === "string" ? parsePolicy(policy) : policy;
  return runScenario(scenario, { policy: p, seed }).summary;
}

/** Run two policies over the same seeds; `measure` picks the figures to compare from each summary. */
export function pairedRuns<K extends string>(
  scenario: Scenario,
  arms: { a: Policy | string; b: Policy | string },
  seeds: readonly number[],
  measure: (summary: RunSummary) => Record<K, number>,
): Record<K, Interval & { a: number[]; b: number[] }> {
  const a = seeds.map((seed) => measure(summaryOf(scenario, arms.a, seed)));
  const b = seeds.map((seed) => measure(summaryOf(scenario, arms.b, seed)));
  const out = {} as Record<K, Interval & { a: number[]; b: number[] }>;
  for (const key of Object.keys(a[0]) as K[]) {
    const xa = a.map((m) => m[key]);
    const xb = b.map((m) => m[key]);
    out[key] = { ...pairedInterval(xa, xb), a: xa, b: xb };
  }
  return out;
}
