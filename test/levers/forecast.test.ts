// What the data platform knows (issue #16): by default ("observed") it forecasts from the sales it has seen
// and the campaign plans it was sent, so it cannot see a campaign's true response before the campaign runs,
// and marketing's targetUnits moves its plan; the "oracle" option reads the demand generator's rates and is
// labelled as such. Siloed planners hold safety stock for their service level. Small, short runs.
import { describe, expect, it } from "vitest";
import { buildSummary, COORDINATED, parsePolicy, SILOED, Twin, type Decision, type Scenario } from "../../sim/index.ts";
import { forecastLine } from "../../server/output/forecast-line.ts";
import { scaledScenario } from "../support/runs.ts";

const DAY = 1440;
const L1 = parsePolicy("dataPlatform");

/** 618 at 2,000 online orders a day (walk-ins and targets scaled alike), with `edit` applied. */
const small = (edit?: (s: Scenario) => void): Scenario => scaledScenario("618-promotion", 2000, edit);
const wave1 = (s: Scenario) => s.campaigns.find((c) => c.id === "wave-1")!;
const oracle = (s: Scenario) => (s.levers.dataPlatform.forecast = "oracle");

/** Wave 1's pre-positioning (three days before its start on day 7) under L1: site, SKU, units. */
function prePositioned(s: Scenario): string[] {
  const twin = new Twin(s, { policy: L1, seed: 1 }).runUntil(6 * DAY);
  return twin.world.decisions.filter((d: Decision) => d.kind === "pre-position" && d.figures.campaign === "wave-1").map((d) => `${d.site} ${d.figures.sku} ${d.figures.units}`);
}

describe("the data platform's forecast", () => {
  it("observed (the default) cannot see a campaign's true response before it runs: doubling wave 1's uplift leaves its pre-positioning unchanged; the oracle sees it", () => {
    const base = prePositioned(small());
    expect(base.length).toBeGreaterThan(0);
    expect(prePositioned(small((s) => (wave1(s).uplift *= 2)))).toEqual(base);
    const oracleBase = prePositioned(small(oracle));
    expect(prePositioned(small((s) => (oracle(s), (wave1(s).uplift *= 2))))).not.toEqual(oracleBase);
  }, 60_000);

  it("plans on marketing's targetUnits: doubling wave 1's target moves more stock forward (the oracle ignores the target)", () => {
    const units = (xs: string[]) => xs.reduce((a, x) => a + Number(x.split(" ")[2]), 0);
    expect(units(prePositioned(small((s) => (wave1(s).targetUnits *= 2))))).toBeGreaterThan(units(prePositioned(small())));
    expect(prePositioned(small((s) => (oracle(s), (wave1(s).targetUnits *= 2))))).toEqual(prePositioned(small(oracle)));
  }, 60_000);

  it("is labelled in the summary and the run report, and scored per arm (bias and MAPE of the daily forecast acted on)", () => {
    const run = (s: Scenario, policy = COORDINATED) => buildSummary(new Twin(s, { policy, seed: 1 }).runUntil(8 * DAY));
    const observed = run(small());
    const perfect = run(small(oracle));
    const siloed = run(small(), SILOED);
    expect([observed.forecast, perfect.forecast, siloed.forecast]).toEqual(["observed", "oracle", "own-history"]);
    expect(forecastLine(perfect.forecast)).toMatch(/ORACLE/);
    for (const s of [observed, perfect, siloed]) {
      expect(s.kpis.forecastAccuracy.cells).toBeGreaterThan(0);
      expect(s.kpis.forecastAccuracy.mape).toBeGreaterThan(0);
      expect(Number.isFinite(s.kpis.forecastAccuracy.bias)).toBe(true);
    }
    // Before any campaign the observed forecast and the oracle plan on nearly the same baseline; they differ once wave 1 is known and near.
    expect(observed.kpis.forecastAccuracy).not.toEqual(perfect.kpis.forecastAccuracy);
  }, 60_000);
});

describe("the data platform learns a running campaign (demand sensing)", () => {
  const WAVE1_START = 7 * DAY + 20 * 60;
  /** Wave 1's planned units over a day, summed over SKUs at the RDC (which plans for its stores and FDCs too). */
  function planned(s: Scenario, at: number, from: number): number {
    const twin = new Twin(s, { policy: L1, seed: 1 }).runUntil(at);
    const rdc = twin.network.sites.findIndex((x) => x.type === "rdc");
    let units = 0;
    for (let k = 0; k < twin.network.skuCount; k++) units += twin.coordination.view.plannedUnitsAt(rdc, k, from, from + DAY);
    return units;
  }
  const tripled = (s: Scenario) => (wave1(s).targetUnits *= 3);
  const noLearning = (s: Scenario) => (s.levers.dataPlatform.campaignLearningOrders = 1e12);

  it("plans a target three times too high at three times the lift, and after two local midnights of sales mostly corrects it; holding to the target alone does not", () => {
    const ahead = WAVE1_START - 60;
    const before = planned(small(tripled), ahead, WAVE1_START + 2 * DAY) / planned(small(), ahead, WAVE1_START + 2 * DAY);
    const later = WAVE1_START + 2 * DAY + 60;
    const learnt = planned(small(tripled), later, later) / planned(small(), later, later);
    const held = planned(small((s) => (tripled(s), noLearning(s))), later, later) / planned(small(noLearning), later, later);
    expect(before, `tripled / normal target before the start: ${before.toFixed(2)}`).toBeGreaterThan(2);
    expect(learnt, `after two midnights: ${learnt.toFixed(2)} (before ${before.toFixed(2)})`).toBeLessThan(1 + (before - 1) / 2);
    expect(held, `without learning: ${held.toFixed(2)}`).toBeGreaterThan(0.9 * before);
  }, 120_000);
});

describe("siloed replenishment", () => {
  it("holds safety stock for its service level: targets rise with serviceLevel 0.99 over 0.5 (z = 0, mean demand only)", () => {
    const at = (level: number) => {
      const s = small((x) => {
        for (const site of x.sites) if (site.type !== "factory") site.replenishment.serviceLevel = level;
      });
      const twin = new Twin(s, { policy: SILOED, seed: 1 }).runUntil(5 * DAY);
      const store = twin.network.siteIdx("store-gz-yuexiu");
      const sku = twin.network.skuIdx("daily-goods");
      return { target: twin.replenishment.target(store, sku), mean: twin.replenishment.ownDailyDemand(store, sku), cycle: twin.replenishment.cycleDays(store, sku) };
    };
    const half = at(0.5);
    expect(half.target).toBe(Math.ceil(half.mean * half.cycle));
    const high = at(0.99);
    expect(high.target).toBeGreaterThan(half.target);
  }, 60_000);
});
