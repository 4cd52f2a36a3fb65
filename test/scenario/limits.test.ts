// Workload limits: every number has a range, relative profiles are not all zero, a key is written
// once, and a scenario whose expected work is past the limit is refused with the estimate in the
// message — unless the caller raises the limit. The inputs are the issue's own reproductions.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_ORDERS, estimateWorkload, MAX_TIMESERIES_ROWS, parseScenarioText, validateScenario, type Scenario } from "../../sim/index.ts";
import { expectOnlyProblem, problemsAfter, validBase } from "./fixtures.ts";

function valid(mutate: (s: any) => void = () => {}): Scenario {
  const document = validBase();
  mutate(document);
  const result = validateScenario(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
}

describe("ranges of single numbers", () => {
  it("refuses a pick rate so small its service time is infinite", () => {
    const problems = problemsAfter((s) => (s.sites[1].pickPack.ordersPerHour = 5e-324));
    expectOnlyProblem(problems, "sites[1].pickPack.ordersPerHour", "too small", "from 1e-9 to 1000000000");
  });

  it("refuses a time-series interval under one minute", () => {
    const problems = problemsAfter((s) => (s.timeseriesIntervalMinutes = 1e-9));
    expectOnlyProblem(problems, "timeseriesIntervalMinutes", "too small", "from 1 to");
  });

  it("refuses hourly weights past the limit (24 × 1e308 would add up to Infinity)", () => {
    const problems = problemsAfter((s) => (s.demand.hourlyProfile = Array(24).fill(1e308)));
    expect(problems.length).toBe(24);
    expect(problems[0]).toEqual({ path: "demand.hourlyProfile[0]", message: expect.stringContaining("from 0 to 1000000") });
  });

  it("refuses an uplift or a demand of 1e308", () => {
    expectOnlyProblem(problemsAfter((s) => (s.campaigns[0].uplift = 1e308)), "campaigns[0].uplift", "too large", "from 0 to 1000");
    expectOnlyProblem(problemsAfter((s) => (s.demand.onlineOrdersPerDay = 1e308)), "demand.onlineOrdersPerDay", "too large", "from 0 to 100000000");
    expectOnlyProblem(problemsAfter((s) => (s.demand.walkInPerDay = 1e308)), "demand.walkInPerDay", "too large");
  });

  it("refuses a review every few seconds", () => {
    expectOnlyProblem(problemsAfter((s) => (s.sites[2].replenishment.reviewHours = 0.001)), "sites[2].replenishment.reviewHours", "from 1 to");
  });

  it("refuses planning assumptions outside their meaning: no weight on the newest delivery's life, a winsorising cut under one σ, a marketing push past the thinning bound", () => {
    expectOnlyProblem(problemsAfter((s) => (s.sites[2].replenishment.arrivalLifeWeight = 0)), "sites[2].replenishment.arrivalLifeWeight", "from 0.01 to 1");
    expectOnlyProblem(problemsAfter((s) => (s.levers = { dataPlatform: { errorClipSigmas: 0.5 } })), "levers.dataPlatform.errorClipSigmas", "from 1 to 1000");
    expect(valid((s) => (s.levers = { dataPlatform: { errorClipSigmas: 1000 } })).levers.dataPlatform.errorClipSigmas).toBe(1000);
    expectOnlyProblem(problemsAfter((s) => (s.marketing = { maxPushScale: 1.3 })), "marketing.maxPushScale", "from 1 to 1.25");
  });
});

describe("relative profiles", () => {
  it("an all-zero hourly profile is an error at its path, not silently no demand", () => {
    expectOnlyProblem(problemsAfter((s) => (s.demand.hourlyProfile = Array(24).fill(0))), "demand.hourlyProfile", "every hour's weight is 0");
  });

  it("an all-zero week is an error too", () => {
    expectOnlyProblem(problemsAfter((s) => (s.demand.dayOfWeek = Array(7).fill(0))), "demand.dayOfWeek", "every day's multiplier is 0");
  });

  it("zero demand is still written as zero demand", () => {
    expect(valid((s) => Object.assign(s.demand, { onlineOrdersPerDay: 0, walkInPerDay: 0 })).demand.onlineOrdersPerDay).toBe(0);
  });
});

describe("keys written twice", () => {
  it("each repeat is an error with its JSON path and position", () => {
    const text = JSON.stringify(validBase(), null, 2).replace('"onlineOrdersPerDay": 300,', '"onlineOrdersPerDay": 300,\n    "onlineOrdersPerDay": 900,');
    const result = parseScenarioText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].path).toBe("demand.onlineOrdersPerDay");
    expect(result.problems[0].message).toMatch(/is written twice in the same object \(again at line \d+, column 5\)/);
  });

  it("finds a repeat inside a list entry, and an escaped spelling of the same key", () => {
    const text = JSON.stringify(validBase()).replace('"id":"rdc",', '"id":"rdc","\\u0069d":"rdc2",');
    const result = parseScenarioText(text);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(["sites[1].id"]);
  });
});

describe("the workload estimate", () => {
  it("errs high against what the base scenario really asks for", () => {
    const estimate = estimateWorkload(valid());
    // 300 online + 50 walk-in a day for 10 days, ×1.1 (satisfaction bound), the campaign's uplift on top.
    expect(estimate.orders).toBeGreaterThan(3500);
    expect(estimate.orders).toBeLessThan(4500);
    expect(estimate.timeseriesRows).toBe(241);
  });

  it("refuses 1e7 orders a day for 10 days, with the estimate and the way out in the message", () => {
    const problems = problemsAfter((s) => (s.demand.onlineOrdersPerDay = 1e7));
    expect(problems[0].message).toMatch(/about 11\d,\d{3},\d{3} customers/);
    expectOnlyProblem(problems, "demand", `the limit is ${DEFAULT_MAX_ORDERS.toLocaleString("en-US")}`, "--max-orders");
  });

  it("counts campaign uplift and surges, not just the baseline", () => {
    const baseline = validBase();
    baseline.demand.onlineOrdersPerDay = 3000;
    expect(validateScenario(baseline).ok).toBe(true);
    // 3,000 a day for 10 days is under the limit alone; an uplift of 1000 on the campaign's channels for two days is not.
    const uplifted = problemsAfter((s) => {
      s.demand.onlineOrdersPerDay = 3000;
      s.campaigns[0].uplift = 1000;
      s.campaigns[0].skus = ["phone", "soap"];
    });
    expectOnlyProblem(uplifted, "demand", "customers");
    const surged = problemsAfter((s) => {
      s.demand.onlineOrdersPerDay = 3000;
      s.interventions = [{ type: "demand-surge", at: "2026-06-02T00:00", durationHours: 72, multiplier: 1000 }];
    });
    expectOnlyProblem(surged, "demand", "customers");
  });

  it("takes an explicit higher limit from someone who means it", () => {
    const document = validBase();
    document.demand.onlineOrdersPerDay = 1e6;
    expect(validateScenario(document).ok).toBe(false);
    expect(validateScenario(document, { maxOrders: 20_000_000 }).ok).toBe(true);
  });

  it("refuses more time-series rows than the limit over a long horizon", () => {
    const problems = problemsAfter((s) => {
      s.horizonDays = 3660;
      s.demand.onlineOrdersPerDay = 1;
      s.demand.walkInPerDay = 0;
      s.campaigns = [];
      s.timeseriesIntervalMinutes = 1;
    });
    expect(problems.map((p) => p.path)).toContain("timeseriesIntervalMinutes");
    expect(problems.find((p) => p.path === "timeseriesIntervalMinutes")?.message).toContain(`the limit is ${MAX_TIMESERIES_ROWS.toLocaleString("en-US")}`);
  });
});
