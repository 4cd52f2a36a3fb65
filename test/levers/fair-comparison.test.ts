// Sanity checks a sceptical researcher would run on the comparison (issue #16), each on paired seeds with a
// 95% paired t interval, each able to fail: customers react to service, not to which lever is on; a dearer
// express moves orders to store pickup under tiered fulfilment; a lever whose running cost exceeds what it
// earns loses margin; and with customers who remember, less factory capacity does not pay. Small scenarios
// and short horizons (the tiny fixture, 5 days), except the factory check, which needs 618's appliance story.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenarioOrThrow, parsePolicy, SILOED, type RunSummary, type Scenario } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { describeDiff, summaryOf } from "../support/runs.ts";

const TINY = fileURLToPath(new URL("../experiments/fixtures/tiny.json", import.meta.url));
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const RUN_TIMEOUT_MS = 600_000;

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The tiny scenario, edited. */
function tiny(edit: (raw: Raw) => void = () => {}): Scenario {
  const raw = JSON.parse(readFileSync(TINY, "utf8")) as Raw;
  edit(raw);
  return loadScenarioOrThrow(raw);
}

/** Capacity abundant everywhere: factories, pick/pack, riders and opening stock ×20. */
function abundant(raw: Raw): void {
  for (const site of raw.sites as Raw[]) {
    for (const p of (site.production ?? []) as Raw[]) p.unitsPerDay *= 20;
    for (const i of (site.inventory ?? []) as Raw[]) i.initial *= 20;
    if (site.pickPack) site.pickPack.ordersPerHour *= 20;
    if (site.riders) site.riders *= 20;
  }
}

const runs = (scenario: Scenario, policy: string) => SEEDS.map((seed) => summaryOf(scenario, policy === "siloed" ? SILOED : parsePolicy(policy), seed));
const diff = (a: RunSummary[], b: RunSummary[], measure: (s: RunSummary) => number) => pairedInterval(a.map(measure), b.map(measure));

describe("customers react to service, not to the lever (tiny scenario, capacity abundant everywhere)", () => {
  it("with no returns, unified service changes no experience, so it changes no demand: the same orders, seed by seed", () => {
    const scenario = tiny((raw) => {
      abundant(raw);
      for (const sku of raw.skus as Raw[]) sku.returnRate = 0;
    });
    const siloed = runs(scenario, "siloed");
    const unified = runs(scenario, "unifiedService");
    SEEDS.forEach((seed, i) => {
      expect(unified[i].kpis.ordersPlaced, `seed ${seed}`).toBe(siloed[i].kpis.ordersPlaced);
      expect(unified[i].kpis.satisfactionIndex, `seed ${seed}`).toBe(siloed[i].kpis.satisfactionIndex);
    });
  });

  it("with returns, L4's demand effect is within noise unless its service differs, and then it follows the service", () => {
    const scenario = tiny(abundant);
    const siloed = runs(scenario, "siloed");
    const unified = runs(scenario, "unifiedService");
    const orders = diff(siloed, unified, (s) => s.kpis.ordersPlaced);
    const satisfaction = diff(siloed, unified, (s) => s.kpis.satisfactionIndex);
    const message = `${describeDiff("ordersPlaced", orders)}; ${describeDiff("satisfactionIndex", satisfaction)}`;
    console.info(`[fair] L4 vs siloed, abundant tiny: ${message}`);
    const ordersWithinNoise = orders.lo <= 0 && orders.hi >= 0;
    if (satisfaction.lo <= 0 && satisfaction.hi >= 0) expect(ordersWithinNoise, message).toBe(true);
    else expect(ordersWithinNoise || Math.sign(orders.mean) === Math.sign(satisfaction.mean), message).toBe(true);
  });
});

describe("price and cost move decisions (tiny scenario)", () => {
  it("a dearer express raises the store-pickup share under tiered fulfilment", () => {
    const pickupShare = (s: RunSummary) => {
      const p = s.kpis.ordersByPath;
      const all = Object.values(p).reduce((a, b) => a + b, 0);
      return (p.storePickup + p.transferThenPickup) / all;
    };
    const cheap = runs(tiny(), "tieredFulfilment");
    const dear = runs(
      tiny((raw) => (raw.costs = { express: { perParcel: 24 } })),
      "tieredFulfilment",
    );
    const ci = diff(cheap, dear, pickupShare);
    expect(ci.lo, describeDiff("store-pickup share", ci)).toBeGreaterThan(0);
  });

  it("a lever whose running cost exceeds what it earns shows a negative margin effect, one-for-one with the cost", () => {
    const base = tiny();
    const dear = tiny((raw) => (raw.costs = { coordination: { dataPlatform: { buildCny: 0, perYearCny: 1e9 } } }));
    const siloed = runs(base, "siloed");
    const platform = runs(base, "dataPlatform");
    const dearPlatform = runs(dear, "dataPlatform");
    const margin = diff(siloed, dearPlatform, (s) => s.kpis.grossMargin);
    expect(margin.hi, describeDiff("grossMargin, data platform at 1e9 CNY a year", margin)).toBeLessThan(0);
    // The running cost changes no decision, so the margin falls by exactly the extra charge, seed by seed.
    const days = base.horizonDays;
    const extra = (1e9 - (3e6 / 5 + 1e6)) * (days / 365);
    SEEDS.forEach((seed, i) => {
      expect(platform[i].kpis.costs.coordination, `seed ${seed}`).toBeCloseTo(((3e6 / 5 + 1e6) / 365) * days, 0);
      expect(platform[i].kpis.grossMargin - dearPlatform[i].kpis.grossMargin, `seed ${seed}`).toBeCloseTo(extra, -1);
    });
  });
});

describe("with customers who remember, less factory capacity does not pay (618-promotion, siloed, paired seeds)", () => {
  const raw = JSON.parse(readFileSync(fileURLToPath(new URL("../../scenarios/618-promotion.json", import.meta.url)), "utf8")) as Raw;
  const full = loadScenarioOrThrow(raw);
  const appliance = (raw.sites as Raw[]).find((s) => s.id === "factory-shunde-appliance")!;
  appliance.production[0].unitsPerDay = Math.round(appliance.production[0].unitsPerDay / 2);
  const half = loadScenarioOrThrow(raw);
  const FACTORY_SEEDS = [1, 2, 3];
  let fullRuns: RunSummary[];
  let halfRuns: RunSummary[];
  beforeAll(() => {
    fullRuns = FACTORY_SEEDS.map((seed) => summaryOf(full, SILOED, seed));
    halfRuns = FACTORY_SEEDS.map((seed) => summaryOf(half, SILOED, seed));
  }, RUN_TIMEOUT_MS);

  it("halving the appliance factory's output raises cancellations", () => {
    const cancelled = pairedInterval(fullRuns.map((s) => s.kpis.ordersCancelled), halfRuns.map((s) => s.kpis.ordersCancelled));
    const margin = pairedInterval(fullRuns.map((s) => s.kpis.grossMargin), halfRuns.map((s) => s.kpis.grossMargin));
    const cost = pairedInterval(fullRuns.map((s) => s.kpis.costs.total), halfRuns.map((s) => s.kpis.costs.total));
    console.info(`[fair] half the appliance factory: ${describeDiff("ordersCancelled", cancelled)}; ${describeDiff("grossMargin", margin)}; ${describeDiff("costs.total", cost)}`);
    expect(cancelled.lo, describeDiff("ordersCancelled", cancelled)).toBeGreaterThan(0);
  });

  // Issue #16 item 8. Before `afterBreachCancel` (a paid order cancelled after its dispatch deadline is
  // compensated too) halving the factory RAISED the siloed margin, +184k [+139k, +230k] over seeds 1–3: under
  // the 30% / 500 CNY rule a fridge dispatched late cost more than its margin, while one cancelled late cost
  // nothing. With the breach compensated either way: −788k [−841k, −735k].
  it("halving the appliance factory's output does not raise the expected margin", () => {
    const margin = pairedInterval(fullRuns.map((s) => s.kpis.grossMargin), halfRuns.map((s) => s.kpis.grossMargin));
    expect(margin.lo, describeDiff("grossMargin", margin)).toBeLessThan(0);
  });
});
