// Interventions kept apart from the scenario (an interventions file): checked by the scenario's own
// validator after being appended to the scenario's interventions, with paths mapped back into the
// file, and fingerprinted by interventionsHash whatever the key order. The example files in
// scenarios/interventions/ fit the 618 scenario the docs run them on.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson, fnv1a64, interventionsHash, loadScenarioOrThrow, parseInterventionsText, validateInterventions } from "../../sim/index.ts";
import { fixtureText } from "./fixtures.ts";

// valid-small has one intervention of its own, so an added one is interventions[1] in the combined scenario.
const scenario = loadScenarioOrThrow(fixtureText("valid-small.json"));
const surge = { type: "demand-surge", at: "2026-06-02T00:00", durationHours: 24, multiplier: 2 };

describe("validateInterventions", () => {
  it("accepts a list or { interventions: [...] } and returns them frozen, with their hash", () => {
    for (const value of [[surge], { interventions: [surge] }]) {
      const result = validateInterventions(scenario, value);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.interventions).toEqual([surge]);
      expect(Object.isFrozen(result.interventions) && Object.isFrozen(result.interventions[0])).toBe(true);
      expect(result.hash).toBe(interventionsHash(result.interventions));
    }
    expect(scenario.interventions).toHaveLength(1);
  });

  it("maps each problem's path from the combined scenario back into the file", () => {
    const late = { ...surge, at: "2026-07-01T00:00" };
    const listed = validateInterventions(scenario, [surge, late]);
    const wrapped = validateInterventions(scenario, { interventions: [surge, late] });
    expect(listed.ok ? [] : listed.problems.map((p) => p.path)).toEqual(["[1].at"]);
    expect(wrapped.ok ? [] : wrapped.problems.map((p) => p.path)).toEqual(["interventions[1].at"]);
  });

  it("an empty list is valid and hashes as no interventions", () => {
    const result = validateInterventions(scenario, []);
    expect(result.ok && result.hash).toBe(interventionsHash([]));
  });
});

describe("parseInterventionsText", () => {
  it("reports JSON syntax with its line and column", () => {
    const result = parseInterventionsText(scenario, "[\n  { 'type': 'lever' }\n]");
    expect(result.ok ? [] : result.problems).toEqual([{ path: "", message: expect.stringMatching(/^not valid JSON at line 2, column 5: /) }]);
  });
});

describe("interventionsHash", () => {
  it("is the FNV-1a 64 of the canonical JSON: key order does not count, list order does", () => {
    const other = { type: "lever", at: "2026-06-03T00:00", lever: "dataPlatform", on: true } as const;
    const reordered = { on: true, lever: "dataPlatform", at: "2026-06-03T00:00", type: "lever" } as const;
    expect(interventionsHash([other])).toBe(interventionsHash([reordered]));
    expect(interventionsHash([other])).toBe(fnv1a64(canonicalJson([other])));
    const a = validateInterventions(scenario, [surge, other]);
    const b = validateInterventions(scenario, [other, surge]);
    expect(a.ok && b.ok && a.hash !== b.hash).toBe(true);
  });
});

describe("the example interventions files", () => {
  const dir = new URL("../../scenarios/interventions/", import.meta.url);
  const promotion = loadScenarioOrThrow(readFileSync(new URL("../618-promotion.json", dir), "utf8"));
  const examples = readdirSync(dir).filter((name) => name.endsWith(".json"));

  it("are found", () => expect(examples).toContain("surge-and-outage.json"));

  it.each(examples)("%s fits scenarios/618-promotion.json", (name) => {
    const result = parseInterventionsText(promotion, readFileSync(new URL(name, dir), "utf8"));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
