// Levers L1 (data platform) and L3 (capacity linkage), each alone, against the siloed organisation on the
// 618 scenario: paired replications on the same seeds (common random numbers), 95% paired t intervals on
// the difference, one siloed arm shared by both comparisons. docs/levers.md (L1, L3) gives the figures.
import { beforeAll, describe, expect, it } from "vitest";
import { parsePolicy, runScenario, type RunSummary } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { describeDiff, exampleScenario, sharedSummaries } from "../support/runs.ts";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const RUN_TIMEOUT_MS = 600_000;
const APPLIANCE = "fridge-618";

describe("L1 and L3 alone vs siloed (618-promotion, 10 paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  let siloed: RunSummary[];
  let dataPlatform: RunSummary[];
  let capacityLinkage: RunSummary[];
  beforeAll(() => {
    const run = (policy: string) => SEEDS.map((seed) => runScenario(scenario, { policy: parsePolicy(policy), seed }).summary);
    siloed = sharedSummaries("618-promotion", "siloed", SEEDS);
    dataPlatform = run("dataPlatform");
    capacityLinkage = run("capacityLinkage");
  }, RUN_TIMEOUT_MS);

  const diff = (b: () => RunSummary[], measure: (s: RunSummary) => number) => pairedInterval(siloed.map(measure), b().map(measure));

  // The index counts the site-SKUs customers ask for (demand in the last two local days). Until session 12 it
  // counted every stocking site-SKU, and L1 appeared to raise it (+0.0025 [+0.0017, +0.0033], seeds 1–10):
  // the rise was FDC fresh food under routing that never sends an FDC an order — empty 93% of the hours under
  // both policies, counted as "out" whenever the platform's targets put another site over its own.
  it("L1: the stockout-while-overstocked index falls", () => {
    const ci = diff(() => dataPlatform, (s) => s.kpis.stockoutWhileOverstocked);
    expect(ci.hi, describeDiff("stockoutWhileOverstocked", ci)).toBeLessThan(0);
  });

  it("L1: lost sales fall", () => {
    const ci = diff(() => dataPlatform, (s) => s.kpis.unitsLostSales);
    expect(ci.hi, describeDiff("unitsLostSales", ci)).toBeLessThan(0);
  });

  it("siloed: in every replication the pre-sale appliance's slowest buyers wait about two weeks (the paper's §2.3 has some over 15 days)", () => {
    // Since issue #16 (price response, the siloed planners' safety stock) the longest siloed wait is ≈ 14.7
    // days on seeds 1–2, just under the paper's 15: the tail is asserted, not the paper's exact threshold.
    for (const s of siloed) expect(s.kpis.waitDaysBySku[APPLIANCE].p95).toBeGreaterThan(10);
  });

  it("L3: the p95 wait of the pre-sale appliance falls, and nobody waits 15 days", () => {
    const ci = diff(() => capacityLinkage, (s) => s.kpis.waitDaysBySku[APPLIANCE].p95);
    expect(ci.hi, describeDiff(`${APPLIANCE} p95 wait (days)`, ci)).toBeLessThan(0);
    const longest = diff(() => capacityLinkage, (s) => s.kpis.waitDaysBySku[APPLIANCE].max);
    expect(longest.hi, describeDiff(`${APPLIANCE} longest wait (days)`, longest)).toBeLessThan(0);
    for (const s of capacityLinkage) expect(s.kpis.waitDaysBySku[APPLIANCE].over15Days).toBe(0);
  });

  it("L3: refunds fall", () => {
    const ci = diff(() => capacityLinkage, (s) => s.kpis.refunds);
    expect(ci.hi, describeDiff("refunds", ci)).toBeLessThan(0);
  });

  it("each lever records its decisions; the siloed run records none of them", () => {
    const l1 = ["pre-position", "pressure-match"];
    const l3 = ["campaign-review", "surge-booked", "saturation-line"];
    // The appliance ramp is weighed against its overtime: booked or declined, the review records which.
    const ramp = ["ramp-booked", "ramp-declined"];
    for (const s of siloed) for (const kind of [...l1, ...l3, ...ramp]) expect(s.kpis.decisionCounts[kind]).toBeUndefined();
    for (const s of dataPlatform) for (const kind of l1) expect(s.kpis.decisionCounts[kind]).toBeGreaterThan(0);
    for (const s of capacityLinkage) for (const kind of l3) expect(s.kpis.decisionCounts[kind]).toBeGreaterThan(0);
    for (const s of capacityLinkage) expect(ramp.reduce((n, kind) => n + (s.kpis.decisionCounts[kind] ?? 0), 0)).toBeGreaterThan(0);
  });
});
