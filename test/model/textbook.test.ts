// Textbook check: the single-store-base-stock scenario against the exact steady state of a periodic-review
// base-stock system with LOST sales (walk-ins who find an empty shelf leave; nothing is backordered).
// Review R = 1 day at 18:00, order up to S, the truck leaves at 18:00 and takes L whole days, so an order
// lands at the review L days later: protection interval R + L. Demand is Poisson(λ) per day, one unit per
// customer. Theory: test/model/lost-sales-theory.ts (Markov chain, exact). Each setting runs independent
// replications; every figure is measured over whole review days after a warm-up, and the analytic value
// must fall inside the replication t interval (Bonferroni: family level 95% over all comparisons).
import { beforeAll, describe, expect, it } from "vitest";
import { Twin, validateScenario, type Scenario } from "../../sim/index.ts";
import { meanInterval, type Interval } from "../../sim/metrics/confidence.ts";
import { exampleScenario } from "../support/runs.ts";
import { backorderFillRate, lostSalesBaseStock, type LostSalesFigures } from "./lost-sales-theory.ts";

interface Setting {
  readonly name: string;
  readonly S: number;
  readonly leadDays: number;
  readonly lambda: number;
}

const SETTINGS: readonly Setting[] = [
  { name: "as shipped: S 60, L 1 d, λ 40/d (heavy losses)", S: 60, leadDays: 1, lambda: 40 },
  { name: "S 90, L 1 d, λ 40/d", S: 90, leadDays: 1, lambda: 40 },
  { name: "S 70, L 2 d, λ 20/d", S: 70, leadDays: 2, lambda: 20 },
  { name: "S 40, L 3 d, λ 8/d", S: 40, leadDays: 3, lambda: 8 },
];
const MEASURES = ["fillRate", "lostPerDay", "meanOnHand"] as const;
type Measure = (typeof MEASURES)[number];

const REPLICATIONS = 60;
const DAY = 1440;
const REVIEW_MINUTE = 18 * 60;
/** Measure from the review of day 10 to the review of day 119 (the horizon is 120 days): 109 whole days. */
const WINDOW_START = 10 * DAY + REVIEW_MINUTE;
const WINDOW_END = 119 * DAY + REVIEW_MINUTE;
const WINDOW_DAYS = (WINDOW_END - WINDOW_START) / DAY;
/** Per-comparison confidence level: 95% for the whole family (Bonferroni). */
const LEVEL = 1 - 0.05 / (SETTINGS.length * MEASURES.length);

/** The shipped scenario with base stock S (and as much initial stock), lead time L days and λ walk-ins a day. */
function variant(s: Setting): Scenario {
  const raw = structuredClone(exampleScenario("single-store-base-stock")) as Record<string, any>;
  const store = raw.sites.find((x: { id: string }) => x.id === "store");
  store.inventory[0].orderUpTo = s.S;
  store.inventory[0].initial = s.S;
  raw.lanes[0].transitHours = 24 * s.leadDays;
  raw.demand.walkInPerDay = s.lambda;
  // The theory's demand is Poisson(λ) whatever the service: customers who do not remember an empty shelf.
  raw.service.satisfaction.gain = 0;
  const result = validateScenario(raw);
  if (!result.ok) throw new Error(`invalid variant ${s.name}: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

/** One replication: fill rate, lost units a day and time-average on-hand over the measurement window. */
function replicate(scenario: Scenario, seed: number): Record<Measure, number> & { backorderUnitsMax: number } {
  const twin = new Twin(scenario, { seed });
  const { sim, stock, metrics, network } = twin.world;
  const store = network.siteIdx("store");
  const sku = network.skuIdx("widget");
  const at = stock.at(store, sku);
  twin.runUntil(WINDOW_START);
  const customers0 = metrics.walkInCustomers;
  const sold0 = metrics.walkInSold;
  // On-hand changes only at events: integrate it exactly, event by event.
  let area = 0;
  let last = sim.now;
  let level = stock.onHand(store, sku);
  let backorderUnitsMax = 0;
  while (sim.peekTime() <= WINDOW_END) {
    const t = sim.peekTime();
    area += level * (t - last);
    last = t;
    sim.step();
    level = stock.onHand(store, sku);
    backorderUnitsMax = Math.max(backorderUnitsMax, stock.backorderUnits[at]);
  }
  area += level * (WINDOW_END - last);
  const customers = metrics.walkInCustomers - customers0;
  const sold = metrics.walkInSold - sold0;
  return {
    fillRate: sold / customers,
    lostPerDay: (customers - sold) / WINDOW_DAYS,
    meanOnHand: area / (WINDOW_END - WINDOW_START),
    backorderUnitsMax,
  };
}

interface Outcome {
  theory: LostSalesFigures;
  backorderApproximation: number;
  ci: Record<Measure, Interval>;
  ci95: Record<Measure, Interval>;
  backorderUnitsMax: number;
}

const outcomes = new Map<string, Outcome>();

beforeAll(() => {
  for (const s of SETTINGS) {
    const scenario = variant(s);
    const runs = Array.from({ length: REPLICATIONS }, (_, r) => replicate(scenario, 101 + r));
    const ci = {} as Record<Measure, Interval>;
    const ci95 = {} as Record<Measure, Interval>;
    for (const m of MEASURES) {
      ci[m] = meanInterval(runs.map((x) => x[m]), LEVEL);
      ci95[m] = meanInterval(runs.map((x) => x[m]), 0.95);
    }
    outcomes.set(s.name, {
      theory: lostSalesBaseStock(s.S, s.leadDays, s.lambda),
      backorderApproximation: backorderFillRate(s.S, s.leadDays, s.lambda),
      ci,
      ci95,
      backorderUnitsMax: Math.max(...runs.map((x) => x.backorderUnitsMax)),
    });
  }
  // The figures docs/verification.md quotes: sim mean ± 95% half-width [± half-width at the test's level].
  for (const s of SETTINGS) {
    const o = outcomes.get(s.name)!;
    const line = MEASURES.map(
      (m) => `${m} theory ${o.theory[m].toFixed(4)} sim ${o.ci95[m].mean.toFixed(4)} ± ${o.ci95[m].halfWidth.toFixed(4)} [± ${o.ci[m].halfWidth.toFixed(4)}]`,
    ).join("; ");
    console.log(`[textbook] ${s.name}: ${line}; backorder formula fill ${o.backorderApproximation.toFixed(4)}`);
  }
});

describe(`single-store base stock vs the exact lost-sales model (${REPLICATIONS} replications × ${WINDOW_DAYS} days)`, () => {
  for (const s of SETTINGS)
    it(s.name, () => {
      const o = outcomes.get(s.name)!;
      for (const m of MEASURES) {
        const { lo, hi, mean } = o.ci[m];
        const theory = o.theory[m];
        expect(theory, `${m}: theory ${theory} outside [${lo}, ${hi}] (sim mean ${mean})`).toBeGreaterThanOrEqual(lo);
        expect(theory, `${m}: theory ${theory} outside [${lo}, ${hi}] (sim mean ${mean})`).toBeLessThanOrEqual(hi);
      }
      // Tight enough to catch a modelling error: fill rate to ±0.01, on-hand to ±3%.
      expect(o.ci.fillRate.halfWidth).toBeLessThan(0.01);
      expect(o.ci.meanOnHand.halfWidth / o.theory.meanOnHand).toBeLessThan(0.03);
      // Lost sales, never backorders.
      expect(o.backorderUnitsMax).toBe(0);
    });

  it("the test tells the two models apart: with heavy losses the backorder formula falls far outside the interval", () => {
    const o = outcomes.get(SETTINGS[0].name)!;
    expect(o.backorderApproximation).toBeLessThan(o.ci.fillRate.lo - 0.1);
  });

  it("the analytic model agrees with the backorder formula where shortages are rare (S 120, L 1 d, λ 40/d)", () => {
    expect(lostSalesBaseStock(120, 1, 40).fillRate).toBeCloseTo(backorderFillRate(120, 1, 40), 6);
  });
});
