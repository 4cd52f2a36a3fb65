// Sanity of the model's economics and information (issue #16), each on paired seeds with a 95% interval
// and each able to fail: a deeper discount raises orders placed; with capacity abundant everywhere, L3
// (promotion–capacity linkage) changes nothing; more factory capacity never raises cancellations beyond
// noise. Scenarios are cut down (fewer orders a day, a shorter run) so the file stays fast.
import { describe, expect, it } from "vitest";
import { buildSummary, parsePolicy, SILOED, Twin, type Policy, type RunSummary, type Scenario } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { describeDiff, scaledScenario } from "../support/runs.ts";

const DAY = 1440;
const SEEDS = [1, 2, 3];

const variant = scaledScenario;

/** The summary of a run cut at `days`. */
function runFor(scenario: Scenario, policy: Policy, seed: number, days: number): RunSummary {
  return buildSummary(new Twin(scenario, { policy, seed }).runUntil(days * DAY));
}

describe("price response", () => {
  it("a deeper wave-1 discount (25% instead of 10%) raises orders placed, on every seed", () => {
    // 618 to day 10: wave 1 runs from day 7, 20:00.
    const shallow = variant("618-promotion", 2000);
    const deep = variant("618-promotion", 2000, (s) => (s.campaigns.find((c) => c.id === "wave-1")!.discount = 0.25));
    const a = SEEDS.map((seed) => runFor(deep, SILOED, seed, 10).kpis.ordersPlaced);
    const b = SEEDS.map((seed) => runFor(shallow, SILOED, seed, 10).kpis.ordersPlaced);
    const ci = pairedInterval(b, a);
    expect(ci.lo, describeDiff("orders placed, 25% − 10% off", ci)).toBeGreaterThan(0);
    a.forEach((x, i) => expect(x).toBeGreaterThan(b[i]));
  }, 60_000);
});

describe("618 with abundant capacity", () => {
  it("L3's capacity decisions change nothing: campaigns reviewed, but no surge, ramp, throttle or saturation, no demand suppressed or added; without its stock rule (the safety line) the same orders, cancellations and lost sales, and the cost differs by exactly L3's running cost", () => {
    const scenario = variant("618-abundant-capacity", 2500);
    // The safety line is L3's inventory rule, not a capacity one: abundant capacity is not abundant stock, and
    // here fresh food runs short in the run's first days (the opening stock's last lot expires on day 3 across
    // the network), so its emergency vans move stock between sites (docs/levers.md, "618-abundant-capacity").
    const noSafetyLine = variant("618-abundant-capacity", 2500, (s) => (s.levers.capacityLinkage.safetyLineDays = 0));
    for (const seed of SEEDS.slice(0, 2)) {
      const l3 = runFor(scenario, parsePolicy("capacityLinkage"), seed, 14);
      const counts = l3.kpis.decisionCounts as Record<string, number>;
      for (const kind of ["surge-booked", "ramp-booked", "surge-declined", "ramp-declined", "throttle", "saturation-line"]) expect(counts[kind] ?? 0, kind).toBe(0);
      expect(counts["campaign-review"]).toBeGreaterThan(0);
      expect(l3.kpis.demandShiftedByPressure.ordersSuppressed).toBe(0);
      expect(l3.kpis.demandShiftedByPressure.ordersAdded).toBe(0);

      const siloed = runFor(noSafetyLine, SILOED, seed, 14);
      const capacityOnly = runFor(noSafetyLine, parsePolicy("capacityLinkage"), seed, 14);
      expect((capacityOnly.kpis.decisionCounts as Record<string, number>)["campaign-review"]).toBeGreaterThan(0);
      expect(capacityOnly.kpis.ordersPlaced).toBe(siloed.kpis.ordersPlaced);
      expect(capacityOnly.kpis.ordersCancelled).toBe(siloed.kpis.ordersCancelled);
      expect(capacityOnly.kpis.unitsLostSales).toBe(siloed.kpis.unitsLostSales);
      const running = capacityOnly.kpis.costs.coordination - siloed.kpis.costs.coordination;
      expect(running).toBeGreaterThan(0);
      expect(capacityOnly.kpis.costs.total - siloed.kpis.costs.total).toBeCloseTo(running, 3);
    }
  }, 60_000);
});

describe("factory capacity", () => {
  it("doubling every factory's output never raises cancellations beyond noise (siloed, 618 to day 25)", () => {
    const normal = variant("618-promotion", 2000);
    const doubled = variant("618-promotion", 2000, (s) => {
      for (const site of s.sites) if (site.type === "factory") for (const line of site.production) line.unitsPerDay *= 2;
    });
    const more = SEEDS.map((seed) => runFor(doubled, SILOED, seed, 25).kpis.ordersCancelled);
    const less = SEEDS.map((seed) => runFor(normal, SILOED, seed, 25).kpis.ordersCancelled);
    const ci = pairedInterval(less, more);
    // Not significantly more cancellations with more output (the interval's low end at or below 0).
    expect(ci.lo, describeDiff("cancellations, output ×2 − ×1", ci)).toBeLessThanOrEqual(0);
  }, 60_000);
});
