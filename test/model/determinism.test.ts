// Determinism and common random numbers. The same scenario, policy and seed give byte-identical summary
// JSON and time-series CSV (also when the run is paused and resumed); another seed gives another run; and
// whatever the policy, one seed sees the same customers: the Twin's hash of every accepted arrival
// (time, zone, channel, SKU, quantity) and every stream's candidate count are equal across policies.
import { beforeAll, describe, expect, it } from "vitest";
import { buildSummary, Calendar, COORDINATED, parsePolicy, runScenario, SILOED, timeseriesCsv, Twin, type Policy, type Scenario } from "../../sim/index.ts";
import { exampleScenario } from "../support/runs.ts";

interface Output {
  summaryJson: string;
  csv: string;
  arrivalHash: number;
  candidates: number[];
  accepted: number;
}

function output(scenario: Scenario, policy: Policy, seed: number): Output {
  const { twin, summary, timeseriesCsv: csv } = runScenario(scenario, { policy, seed });
  return {
    summaryJson: JSON.stringify(summary),
    csv,
    arrivalHash: twin.arrivalHash,
    candidates: twin.sources.map((s) => s.candidates),
    accepted: twin.sources.reduce((a, s) => a + s.accepted, 0),
  };
}

describe("determinism (baseline-week)", () => {
  let first: Output;
  let again: Output;
  let otherSeed: Output;
  beforeAll(() => {
    const scenario = exampleScenario("baseline-week");
    first = output(scenario, SILOED, 1);
    again = output(scenario, SILOED, 1);
    otherSeed = output(scenario, SILOED, 2);
  });

  it("the same seed gives a byte-identical summary and time series", () => {
    expect(again.summaryJson).toBe(first.summaryJson);
    expect(again.csv).toBe(first.csv);
    expect(first.csv.split("\n").length).toBeGreaterThan(7 * 24);
  });

  it("a different seed gives a different run", () => {
    expect(otherSeed.summaryJson).not.toBe(first.summaryJson);
    expect(otherSeed.csv).not.toBe(first.csv);
    expect(otherSeed.arrivalHash).not.toBe(first.arrivalHash);
  });

  it("a run paused every 7 sim hours and resumed ends byte-identical to one run straight through", () => {
    const scenario = exampleScenario("baseline-week");
    const twin = new Twin(scenario, { policy: SILOED, seed: 1 });
    for (let t = 7 * 60; t < twin.horizon; t += 7 * 60) twin.runUntil(t);
    twin.run();
    const calendar = new Calendar(scenario.start, scenario.timeZone);
    expect(JSON.stringify(buildSummary(twin))).toBe(first.summaryJson);
    expect(timeseriesCsv(twin, (t) => calendar.format(t))).toBe(first.csv);
  });
});

describe("common random numbers: the same customers whatever the policy", () => {
  // Every candidate customer comes from a policy-independent stream (thinning, sim/demand/arrivals.ts), so
  // candidates must match for any policy. The issue asks more: the ACCEPTED arrivals must match too, which
  // holds as long as no lever changes the demand rate on this scenario and seed.
  const POLICIES: Record<string, Policy> = {
    coordinated: COORDINATED,
    dataPlatform: parsePolicy("dataPlatform"),
    tieredFulfilment: parsePolicy("tieredFulfilment"),
    capacityLinkage: parsePolicy("capacityLinkage"),
    unifiedService: parsePolicy("unifiedService"),
  };
  const SEED = 3;
  let siloed: Output;
  const runs = new Map<string, Output>();
  beforeAll(() => {
    const scenario = exampleScenario("baseline-week");
    siloed = output(scenario, SILOED, SEED);
    for (const [name, policy] of Object.entries(POLICIES)) runs.set(name, output(scenario, policy, SEED));
  });

  for (const name of Object.keys(POLICIES))
    it(`baseline-week, seed ${SEED}: ${name} sees the customers siloed sees`, () => {
      const r = runs.get(name)!;
      expect(siloed.accepted).toBeGreaterThan(50_000);
      expect(r.candidates, "candidate customers per stream").toEqual(siloed.candidates);
      expect(r.accepted, "accepted customers").toBe(siloed.accepted);
      expect(r.arrivalHash, "hash of accepted (time, zone, channel, SKU, quantity)").toBe(siloed.arrivalHash);
    });

  it("618-promotion, seed 1: coordinated sees the customers siloed sees", () => {
    const scenario = exampleScenario("618-promotion");
    const a = output(scenario, SILOED, 1);
    const b = output(scenario, COORDINATED, 1);
    expect(b.candidates, "candidate customers per stream").toEqual(a.candidates);
    expect(b.accepted, "accepted customers").toBe(a.accepted);
    expect(b.arrivalHash, "hash of accepted (time, zone, channel, SKU, quantity)").toBe(a.arrivalHash);
  });
});
