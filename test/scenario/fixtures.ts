// Shared by the scenario tests: the small valid base scenario and the bad-input fixture files in
// test/fixtures/scenarios/, plus a helper that applies one mutation and returns the problems.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { validateScenario, type Problem } from "../../sim/index.ts";

/** Absolute path of a file in test/fixtures/scenarios/. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));
}

/** The text of a fixture file. */
export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

// Loose on purpose: tests reach into the scenario to break it in every way.
type Json = any;

/** A fresh, mutable copy of the valid base scenario (valid-small.json). */
export function validBase(): Json {
  return JSON.parse(fixtureText("valid-small.json"));
}

/** Validate the base scenario after `mutate` has broken it; fails the test if it is still valid. */
export function problemsAfter(mutate: (scenario: Json) => void): Problem[] {
  const scenario = validBase();
  mutate(scenario);
  const result = validateScenario(scenario);
  if (result.ok) throw new Error("expected the mutated scenario to be invalid, but it validated");
  return result.problems;
}

/** Assert there is exactly one problem, at `path`, whose message contains every one of `words`. */
export function expectOnlyProblem(problems: readonly Problem[], path: string, ...words: string[]): void {
  expect(problems.map((p) => p.path)).toEqual([path]);
  for (const word of words) expect(problems[0].message).toContain(word);
}
