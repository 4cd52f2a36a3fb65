// Conservation and accounting as properties over random small scenarios: the 618 network with its
// campaigns and pre-sale, scaled down (a few hundred orders a day) and with the numbers varied — demand,
// units per order, stock, production, pick capacity, riders, trucks, lead times, patience, returns, shelf
// lives, finished-goods caps, transit CVs, carrier pickup capacity, the policy, a few interventions, customer
// switching and multi-line orders split across sites (issue #17), and the seed. Every 12 sim hours and at the end the run must keep
//   initial + produced + returnedToStock = shippedToCustomers + scrapped + onHandEnd + inTransitEnd (per SKU, exactly;
// scrapped counts expired units of SKUs with a shelf life, whose lots must add up to the stock on hand),
// no negative stock, every counter equal to what the orders' states say, and cost lines summing to the total;
// and a run that reuses delivered orders' rows (the default) must give the same summary as one that keeps them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSummary, LEVERS, Twin, validateScenario, type Policy, type Scenario } from "../../sim/index.ts";
import { exampleScenario } from "../support/runs.ts";
import { stateViolations, summaryViolations } from "./invariants.ts";

type Json = Record<string, any>;

/** A number in [min, max] on a grid of 1/1000. fc.double piles up on its bounds and on subnormals (half the
 * runs had no demand at all); integers spread the runs over the range. */
const num = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) }).map((x) => x / 1000);

const patienceArb = fc.oneof(
  fc.constant({ kind: "never" }),
  fc.record({ kind: fc.constant("exponential"), meanHours: num(0.05, 96) }),
  fc.record({ kind: fc.constant("fixed"), hours: num(0, 72) }),
  fc.record({ kind: fc.constant("uniform"), minHours: fc.constant(0), maxHours: num(0, 48) }),
);

/** A day-and-hour within the 618 horizon (13 May – 25 Jun), as a local date-time. */
const momentArb = fc.record({ day: fc.integer({ min: 0, max: 43 }), hour: fc.integer({ min: 0, max: 23 }) }).map(({ day, hour }) => {
  const d = new Date(Date.UTC(2026, 4, 13 + day, hour));
  return d.toISOString().slice(0, 13) + ":00";
});

const interventionArb = fc.oneof(
  fc.record({ type: fc.constant("demand-surge"), at: momentArb, durationHours: num(1, 72), multiplier: num(0, 5) }),
  fc.record({ type: fc.constant("express-price-shock"), at: momentArb, multiplier: num(0.5, 3), durationHours: num(1, 200) }),
  fc.record({ type: fc.constant("factory-disruption"), at: momentArb, site: fc.constantFrom("factory-shunde-appliance", "supplier-dongguan"), capacityShare: num(0, 1), durationHours: num(1, 240) }),
  fc.record({ type: fc.constant("lever"), at: momentArb, lever: fc.constantFrom(...LEVERS), on: fc.boolean() }),
);

/** Customer choices: none, or switching and baskets with their shares varied (shares of one choice add up to at most 1). */
const customersArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  {
    arbitrary: fc.record({
      switching: fc.record({
        walkIn: fc.record({ otherStoreShare: num(0, 0.5), onlineShare: num(0, 0.5), otherStoreKm: num(1, 40) }),
        pickupAcceptanceShare: num(0, 1),
      }),
      baskets: fc.record({
        linesPerOrder: fc.constantFrom([{ lines: 1, share: 1 }], [{ lines: 2, share: 1 }], [{ lines: 1, share: 0.6 }, { lines: 2, share: 0.25 }, { lines: 3, share: 0.15 }]),
        splitHandlingPerParcel: num(0, 20),
      }),
    }),
    weight: 1,
  },
);

const variationArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  onlineOrdersPerDay: num(0, 500),
  walkInPerDay: num(0, 300),
  unitsPerOrder: num(1, 3),
  stockScale: num(0, 0.05),
  productionScale: num(0, 0.1),
  pickScale: num(0.002, 0.1),
  riders: fc.integer({ min: 0, max: 4 }),
  counterPerHour: num(0.5, 60),
  truckCapacityUnits: fc.integer({ min: 1, max: 500 }),
  trucksPerDeparture: fc.integer({ min: 1, max: 3 }),
  transitHours: num(0.5, 72),
  factoryLeadTimeHours: num(0, 96),
  patience: fc.array(patienceArb, { minLength: 4, maxLength: 4 }),
  returnRate: fc.array(num(0, 0.5), { minLength: 4, maxLength: 4 }),
  resaleableShare: num(0, 1),
  shelfLifeDays: fc.array(fc.option(num(0.2, 10), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  finishedGoodsCapDays: fc.option(num(0, 10), { nil: undefined }),
  transitCv: num(0, 1),
  expressPickupsPerDay: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  policy: fc.record({ dataPlatform: fc.boolean(), tieredFulfilment: fc.boolean(), capacityLinkage: fc.boolean(), unifiedService: fc.boolean() }),
  interventions: fc.array(interventionArb, { maxLength: 3 }),
  customers: customersArb,
});
type Variation = typeof variationArb extends fc.Arbitrary<infer T> ? T : never;

/** The 618 scenario with one variation's numbers; throws if the result is not a valid scenario. */
function variedScenario(v: Variation): Scenario {
  const raw = structuredClone(exampleScenario("618-promotion")) as Json;
  raw.demand.onlineOrdersPerDay = v.onlineOrdersPerDay;
  raw.demand.walkInPerDay = v.walkInPerDay;
  raw.demand.unitsPerOrder = { mean: v.unitsPerOrder };
  for (const site of raw.sites as Json[]) {
    for (const line of site.inventory as Json[]) line.initial = Math.round(line.initial * v.stockScale);
    if (site.type === "factory") {
      for (const p of site.production as Json[]) p.unitsPerDay = Math.round(p.unitsPerDay * v.productionScale);
      site.leadTimeHours = v.factoryLeadTimeHours;
      if (v.finishedGoodsCapDays !== undefined) for (const p of site.production as Json[]) p.finishedGoodsCapDays = v.finishedGoodsCapDays;
      continue;
    }
    if (v.expressPickupsPerDay !== undefined) site.expressPickupsPerDay = v.expressPickupsPerDay;
    site.pickPack.ordersPerHour *= v.pickScale;
    if (site.type === "fdc" || site.type === "store") site.riders = v.riders;
    if (site.type === "store") site.pickupCounterPerHour = v.counterPerHour;
  }
  for (const lane of raw.lanes as Json[]) {
    lane.truckCapacityUnits = v.truckCapacityUnits;
    lane.trucksPerDeparture = v.trucksPerDeparture;
    lane.transitHours = v.transitHours;
  }
  (raw.skus as Json[]).forEach((sku, i) => {
    sku.patience = v.patience[i];
    sku.returnRate = v.returnRate[i];
    sku.resaleableShare = v.resaleableShare;
    if (v.shelfLifeDays[i] === undefined) delete sku.shelfLifeDays;
    else sku.shelfLifeDays = v.shelfLifeDays[i];
  });
  raw.transport = { trunkCv: v.transitCv, vanCv: v.transitCv, factoryCv: v.transitCv, expressCv: v.transitCv, riderCv: v.transitCv };
  raw.interventions = v.interventions;
  if (v.customers === undefined) delete raw.customers;
  else raw.customers = v.customers;
  const result = validateScenario(raw);
  if (!result.ok) throw new Error(`generator made an invalid scenario: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result.scenario;
}

const CHECK_EVERY_MINUTES = 12 * 60;

/** Run one variation, checking the invariants every 12 h and at the end; returns the violations. */
function violationsOf(v: Variation): string[] {
  const scenario = variedScenario(v);
  const twin = new Twin(scenario, { seed: v.seed, policy: v.policy as Policy, keepOrders: true });
  for (let t = CHECK_EVERY_MINUTES; t < twin.horizon; t += CHECK_EVERY_MINUTES) {
    twin.runUntil(t);
    const found = stateViolations(twin);
    if (found.length > 0) return found.slice(0, 5);
  }
  twin.run();
  const summary = buildSummary(twin);
  const found = [...stateViolations(twin), ...summaryViolations(summary)].slice(0, 5);
  // An ordinary run reuses the rows of delivered orders; it must be the same run as one that keeps them all.
  const reusing = new Twin(scenario, { seed: v.seed, policy: v.policy as Policy }).run();
  if (JSON.stringify(buildSummary(reusing)) !== JSON.stringify(summary)) found.push("a run that reuses delivered orders' rows differs from one that keeps every order");
  return found;
}

describe("conservation over random small 618 variants (fast-check)", () => {
  it("the generator's base case is valid and busy enough to exercise backorders, cancellations and transfers", () => {
    const v: Variation = {
      seed: 7,
      onlineOrdersPerDay: 400,
      walkInPerDay: 200,
      unitsPerOrder: 1.5,
      stockScale: 0.01,
      productionScale: 0.01,
      pickScale: 0.05,
      riders: 2,
      counterPerHour: 10,
      truckCapacityUnits: 50,
      trucksPerDeparture: 1,
      transitHours: 12,
      factoryLeadTimeHours: 48,
      patience: [{ kind: "exponential", meanHours: 24 }, { kind: "never" }, { kind: "fixed", hours: 12 }, { kind: "uniform", minHours: 0, maxHours: 6 }],
      returnRate: [0.05, 0.1, 0.2, 0.3],
      resaleableShare: 0.5,
      shelfLifeDays: [undefined, undefined, undefined, 2],
      finishedGoodsCapDays: 1,
      transitCv: 0.3,
      expressPickupsPerDay: 100,
      policy: { dataPlatform: false, tieredFulfilment: false, capacityLinkage: false, unifiedService: false },
      interventions: [],
      customers: {
        switching: { walkIn: { otherStoreShare: 0.3, onlineShare: 0.3, otherStoreKm: 30 }, pickupAcceptanceShare: 0.5 },
        baskets: { linesPerOrder: [{ lines: 1, share: 0.6 }, { lines: 2, share: 0.25 }, { lines: 3, share: 0.15 }], splitHandlingPerParcel: 1 },
      },
    };
    const twin = new Twin(variedScenario(v), { seed: v.seed, keepOrders: true }).run();
    const s = buildSummary(twin);
    expect(stateViolations(twin)).toEqual([]);
    expect(summaryViolations(s)).toEqual([]);
    expect(s.kpis.ordersCancelled).toBeGreaterThan(0);
    expect(s.kpis.ordersOpenAtEnd).toBeGreaterThan(0);
    expect(s.kpis.ordersByPath.transferThenPickup + s.kpis.ordersByPath.storePickup).toBeGreaterThan(0);
    expect(twin.orders.some((o) => o.quantity > 1)).toBe(true);
    expect(s.kpis.baskets.multiLineOrders).toBeGreaterThan(0);
    expect(s.kpis.customerSwitching.walkInsToOtherStore + s.kpis.customerSwitching.walkInsToOnline).toBeGreaterThan(0);
    // Stock expires, and parcels wait for the carrier.
    expect(twin.metrics.unitsExpired).toBeGreaterThan(0);
    expect(twin.metrics.parcelsWaitingForPickup).toBeGreaterThan(0);
  });

  it("with tiered fulfilment, multi-line orders split across sites, and the ledger still holds", () => {
    const v: Variation = {
      seed: 11,
      onlineOrdersPerDay: 200,
      walkInPerDay: 100,
      unitsPerOrder: 1,
      stockScale: 0.02,
      productionScale: 0.02,
      pickScale: 0.05,
      riders: 3,
      counterPerHour: 20,
      truckCapacityUnits: 100,
      trucksPerDeparture: 1,
      transitHours: 6,
      factoryLeadTimeHours: 24,
      patience: [{ kind: "exponential", meanHours: 48 }, { kind: "never" }, { kind: "fixed", hours: 24 }, { kind: "exponential", meanHours: 12 }],
      returnRate: [0.05, 0.1, 0.1, 0],
      resaleableShare: 0.5,
      shelfLifeDays: [undefined, undefined, undefined, undefined],
      finishedGoodsCapDays: undefined,
      transitCv: 0,
      expressPickupsPerDay: undefined,
      policy: { dataPlatform: true, tieredFulfilment: true, capacityLinkage: true, unifiedService: true },
      interventions: [],
      customers: {
        switching: { walkIn: { otherStoreShare: 0.2, onlineShare: 0.2, otherStoreKm: 30 }, pickupAcceptanceShare: 0.3 },
        baskets: { linesPerOrder: [{ lines: 2, share: 1 }], splitHandlingPerParcel: 1 },
      },
    };
    const twin = new Twin(variedScenario(v), { seed: v.seed, policy: v.policy as Policy, keepOrders: true }).run();
    const s = buildSummary(twin);
    expect([...stateViolations(twin), ...summaryViolations(s)]).toEqual([]);
    console.info(`[conservation] tiered, 2-line orders: split rate ${s.kpis.baskets.splitRate}, parcels per order ${s.kpis.baskets.parcelsPerOrder}`);
    expect(s.kpis.baskets.splitOrders).toBeGreaterThan(0);
  });

  it("ledger, non-negative stock, order states and cost lines hold throughout every run", () => {
    fc.assert(
      fc.property(variationArb, (v) => {
        const found = violationsOf(v);
        if (found.length > 0) throw new Error(found.join("\n"));
      }),
      // A fixed seed keeps the suite reproducible; hunt wider with OMNITWIN_FC_RUNS=400 OMNITWIN_FC_SEED=<any> (this test keeps its own seed over the suite's).
      { numRuns: Number(process.env.OMNITWIN_FC_RUNS ?? 30), seed: Number(process.env.OMNITWIN_FC_SEED ?? 20260513) },
    );
  });
});
