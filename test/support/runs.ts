// Shared by the model and lever tests: load an example scenario once, run it under a policy and
// seed, and word a paired interval for an assertion message.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadScenarioOrThrow, parsePolicy, runScenario, type Policy, type RunSummary, type Scenario } from "../../sim/index.ts";
import type { Interval } from "../../sim/metrics/confidence.ts";

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

/** An interval as an assertion message: "name: mean difference …, 95% CI [lo, hi]". */
export function describeDiff(name: string, ci: Interval): string {
  return `${name}: mean difference ${ci.mean.toPrecision(4)}, 95% CI [${ci.lo.toPrecision(4)}, ${ci.hi.toPrecision(4)}]`;
}
