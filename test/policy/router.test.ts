// The routers and the path cost model as pure functions of an observation (no simulation): the siloed
// rules of the paper's §2, and tiered routing (lever L2) — cheapest path that meets its promise, the
// category rules of §3.2, and the reaction to an express price multiplier.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PATH, type Path } from "../../sim/network/paths.ts";
import { addedLineCost, lastMileCost, lateCompensation, lateProbability, pathCost, type LastMilePrices } from "../../sim/policy/path-cost.ts";
import { ROUTE_REASON, ROUTE_REASONS, routeSiloed, routeTiered, shipAsOneParcel, type PathOption, type TieredObservation } from "../../sim/policy/router.ts";

/** Domain numbers §3.4 prices, no shock; pickup coupon 2 CNY/km (the scenario default). */
const PRICES: LastMilePrices = {
  expressPerParcel: 8,
  expressPerKgAboveOne: 1,
  expressLargeAppliancePerUnit: 80,
  expressMultiplier: 1,
  instantPerOrder: 8,
  storeDeliveryPerOrder: 8,
  riderPerKm: 0,
  pickupHandlingPerOrder: 3,
  pickupCouponPerOrder: 0,
  pickupCouponPerKm: 2,
};
const COMPENSATION = { share: 0.3, min: 5, max: 500 };
const RULES = { heavyKg: 20, valuableCny: 2000, farKm: 30, nearKm: 3, lateSpreadMinutes: 15 };
const NOW = 600; // 10:00 on day 0
const DAILY_GOODS = { quantity: 1, weightKg: 0.8, largeAppliance: false, deliveryCustomer: true, valueCny: 80, perishableOrUrgent: false };

function option(path: Path, site: number, fields: Partial<PathOption> = {}): PathOption {
  return { path, site, transferFrom: -1, km: 1, available: 100, etaMinutes: NOW + 60, promiseAt: NOW + 120, pickPackCost: 1.5, transferCost: 0, ...fields };
}
const express = (fields: Partial<PathOption> = {}) => option(PATH.rdcExpress, 0, { km: 20, etaMinutes: NOW + 600, promiseAt: NOW + 780, ...fields });

function observe(options: PathOption[], fields: Partial<TieredObservation> = {}): TieredObservation {
  return { order: DAILY_GOODS, rules: RULES, prices: PRICES, compensation: COMPENSATION, nearestLocalKm: 1, options, optionCount: options.length, ...fields };
}

describe("path cost model", () => {
  it("prices the last mile as the domain numbers say", () => {
    const order = { quantity: 1, weightKg: 0.8, largeAppliance: false, deliveryCustomer: true };
    expect(lastMileCost(PATH.rdcExpress, order, 30, PRICES)).toBe(8); // per parcel, not per km
    expect(lastMileCost(PATH.rdcExpress, { ...order, weightKg: 1.5, quantity: 2 }, 30, PRICES)).toBe(10); // 3 kg: 8 + 2 × 1
    expect(lastMileCost(PATH.rdcExpress, { ...order, weightKg: 40, largeAppliance: true, quantity: 2 }, 30, PRICES)).toBe(160);
    expect(lastMileCost(PATH.rdcExpress, order, 30, { ...PRICES, expressMultiplier: 1.8 })).toBeCloseTo(14.4, 12);
    expect(lastMileCost(PATH.fdcInstant, order, 2, PRICES)).toBe(8);
    expect(lastMileCost(PATH.fdcInstant, order, 2, { ...PRICES, riderPerKm: 0.5 })).toBe(9);
    expect(lastMileCost(PATH.storeDelivery, order, 2, PRICES)).toBe(8);
    // Pickup: handling, plus the coupon for a delivery customer asked to collect (per km of their trip).
    expect(lastMileCost(PATH.storePickup, order, 1, PRICES)).toBe(5);
    expect(lastMileCost(PATH.storePickup, { ...order, deliveryCustomer: false }, 1, PRICES)).toBe(3);
    expect(lastMileCost(PATH.transferThenPickup, { ...order, deliveryCustomer: false }, 1, PRICES)).toBe(3);
  });

  it("store pickup ~1 km from the customer costs about half of regional express on the last mile (paper §2)", () => {
    const order = { quantity: 1, weightKg: 0.8, largeAppliance: false, deliveryCustomer: true };
    const ratio = lastMileCost(PATH.storePickup, order, 1, PRICES) / lastMileCost(PATH.rdcExpress, order, 20, PRICES);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(0.7);
  });

  it("late compensation is share × value between min and max; lateness is a ramp around the promise", () => {
    expect(lateCompensation(80, COMPENSATION)).toBeCloseTo(24, 12);
    expect(lateCompensation(10, COMPENSATION)).toBe(5);
    expect(lateCompensation(3000, COMPENSATION)).toBe(500);
    expect(lateProbability(100, 100, 15)).toBe(0.5);
    expect(lateProbability(85, 100, 15)).toBe(0);
    expect(lateProbability(115, 100, 15)).toBe(1);
    expect(lateProbability(Infinity, 100, 15)).toBe(1);
    expect(lateProbability(101, 100, 0)).toBe(1);
    expect(lateProbability(100, 100, 0)).toBe(0);
  });

  it("a path's cost is last mile + pick/pack + transfer + P(late) × compensation", () => {
    const order = { ...DAILY_GOODS };
    expect(pathCost(PATH.rdcExpress, order, 20, 1.5, 0, 0, PRICES, COMPENSATION)).toBe(9.5);
    expect(pathCost(PATH.storePickup, order, 1, 2, 10, 0.5, PRICES, COMPENSATION)).toBeCloseTo(5 + 2 + 10 + 12, 12);
  });
});

describe("siloed router", () => {
  const base = { quantity: 1, rdc: 0, rdcAvailable: 10, store: 5, storeAvailable: 10 };
  it("ships every delivery order by regional express", () => {
    expect(routeSiloed({ ...base, fulfilment: "delivery" })).toEqual({ path: PATH.rdcExpress, site: 0, transferFrom: -1, reason: 0, costCny: NaN, expressCostCny: NaN });
  });
  it("sends pickup orders to the nearest store, with an ad-hoc transfer when it has no stock", () => {
    expect(routeSiloed({ ...base, fulfilment: "pickup" }).path).toBe(PATH.storePickup);
    expect(routeSiloed({ ...base, fulfilment: "pickup", storeAvailable: 0 })).toEqual({ path: PATH.transferThenPickup, site: 5, transferFrom: 0, reason: 2, costCny: NaN, expressCostCny: NaN });
    expect(routeSiloed({ ...base, fulfilment: "pickup", storeAvailable: 0, rdcAvailable: 0 }).reason).toBe(3);
  });
});

describe("tiered router (L2)", () => {
  it("takes the cheapest option that meets its promise", () => {
    const d = routeTiered(
      observe([
        express(), // 8 + 1.5 = 9.5
        option(PATH.fdcInstant, 3, { km: 2, pickPackCost: 1, etaMinutes: NOW + 25, promiseAt: NOW + 30 }), // 9
        option(PATH.storePickup, 5, { km: 1, pickPackCost: 2 }), // 3 + 2 + 2 = 7
        option(PATH.storeDelivery, 5, { km: 1, pickPackCost: 2 }), // 10
      ]),
    );
    expect(d).toMatchObject({ path: PATH.storePickup, site: 5, reason: ROUTE_REASON.cheapest });
    expect(d.costCny).toBeCloseTo(7, 12);
    expect(d.expressCostCny).toBeCloseTo(9.5, 12);
    expect(ROUTE_REASONS[d.reason]).toMatch(/cheapest/);
  });

  it("skips options without the units, or that would miss their promise", () => {
    const d = routeTiered(
      observe([
        express(),
        option(PATH.storePickup, 5, { km: 1, pickPackCost: 2, available: 0 }),
        option(PATH.storePickup, 6, { km: 0.5, pickPackCost: 2, etaMinutes: NOW + 200, promiseAt: NOW + 120 }),
        option(PATH.fdcInstant, 3, { km: 2, pickPackCost: 1, etaMinutes: NOW + 10, promiseAt: NOW + 30 }), // 9
      ]),
    );
    expect(d).toMatchObject({ path: PATH.fdcInstant, site: 3 });
    // Cutting it fine costs expected compensation: 5 minutes before a 30-minute promise, P(late) = 1/3.
    const close = routeTiered(observe([express(), option(PATH.fdcInstant, 3, { km: 2, pickPackCost: 1, etaMinutes: NOW + 25, promiseAt: NOW + 30 })]));
    expect(close.path).toBe(PATH.rdcExpress);
  });

  it("sends heavy, valuable or far orders by regional express whatever the cheaper local options", () => {
    const local = option(PATH.storePickup, 5, { km: 0.5, pickPackCost: 2 });
    const heavy = routeTiered(observe([express(), local], { order: { ...DAILY_GOODS, weightKg: 25 } }));
    const valuable = routeTiered(observe([express(), local], { order: { ...DAILY_GOODS, valueCny: 2400 } }));
    const far = routeTiered(observe([express(), local], { nearestLocalKm: 31 }));
    for (const d of [heavy, valuable, far]) expect(d).toMatchObject({ path: PATH.rdcExpress, site: 0, reason: ROUTE_REASON.heavyValuableFar });
    expect(routeTiered(observe([express(), local])).path).toBe(PATH.storePickup);
  });

  it("serves perishable or urgent orders near a stocked store or FDC locally, even when express is cheaper", () => {
    const options = [
      express({ pickPackCost: 0 }), // 8: cheaper than either local option
      option(PATH.storeDelivery, 5, { km: 2.5, pickPackCost: 2, etaMinutes: NOW + 40, promiseAt: NOW + 60 }), // 10
      option(PATH.storePickup, 6, { km: 2.9, pickPackCost: 2 }), // 3 + 5.8 + 2 = 10.8
    ];
    const fresh = routeTiered(observe(options, { order: { ...DAILY_GOODS, perishableOrUrgent: true, weightKg: 0.9 } }));
    expect(fresh).toMatchObject({ path: PATH.storeDelivery, site: 5, reason: ROUTE_REASON.perishableNear });
    const standard = routeTiered(observe(options));
    expect(standard).toMatchObject({ path: PATH.rdcExpress, reason: ROUTE_REASON.cheapest });
    // Beyond reach (here: a pickup 3.5 km away), the rule does not apply.
    const beyond = routeTiered(observe([options[0], { ...options[2], km: 3.5 }], { order: { ...DAILY_GOODS, perishableOrUrgent: true } }));
    expect(beyond.path).toBe(PATH.rdcExpress);
  });

  it("when nothing meets its promise, takes the least expected cost, late compensation included", () => {
    const d = routeTiered(
      observe([
        express({ etaMinutes: Infinity }), // out of stock at the RDC: sure to be late, 9.5 + 24
        option(PATH.storePickup, 5, { km: 1, pickPackCost: 2, etaMinutes: NOW + 200, promiseAt: NOW + 120 }), // 7 + 24
      ]),
    );
    expect(d).toMatchObject({ path: PATH.storePickup, reason: ROUTE_REASON.noneOnTime });
    expect(d.costCny).toBeCloseTo(31, 12);
  });

  it("reacts to an express price shock: a customer 2.5 km from a store moves from express to store pickup", () => {
    const options = [express(), option(PATH.storePickup, 5, { km: 2.5, pickPackCost: 2 })]; // express 9.5 vs pickup 3 + 5 + 2 = 10
    expect(routeTiered(observe(options)).path).toBe(PATH.rdcExpress);
    const shocked = routeTiered(observe(options, { prices: { ...PRICES, expressMultiplier: 1.8 } })); // express 15.9
    expect(shocked).toMatchObject({ path: PATH.storePickup, site: 5 });
    expect(shocked.expressCostCny).toBeCloseTo(15.9, 12);
  });

  it("a pickup customer whose store has no stock can wait for a transfer when it costs less than the alternatives", () => {
    const transfer = option(PATH.transferThenPickup, 5, { transferFrom: 0, km: 1, pickPackCost: 2, transferCost: 0 });
    const order = { ...DAILY_GOODS, deliveryCustomer: false };
    expect(routeTiered(observe([express(), transfer], { order }))).toMatchObject({ path: PATH.transferThenPickup, site: 5, transferFrom: 0 });
    // A van of its own (≈ 980 CNY to Shenzhen) is never worth it for one order.
    expect(routeTiered(observe([express(), { ...transfer, transferCost: 980 }], { order })).path).toBe(PATH.rdcExpress);
  });

  it("rejects an observation without the regional express option first", () => {
    expect(() => routeTiered(observe([option(PATH.storePickup, 5)]))).toThrow(/regional express/);
  });

  it("properties: feasible, never dearer than another on-time option, and a dearer express never wins an order", () => {
    const paths = [PATH.fdcInstant, PATH.storePickup, PATH.storeDelivery] as const;
    const arbOption = fc.record({
      path: fc.constantFrom(...paths),
      km: fc.double({ min: 0, max: 3, noNaN: true }),
      available: fc.integer({ min: 0, max: 3 }),
      slack: fc.integer({ min: -120, max: 240 }),
      pickPackCost: fc.constantFrom(1, 2),
    });
    fc.assert(
      fc.property(
        fc.array(arbOption, { maxLength: 8 }),
        fc.integer({ min: -300, max: 600 }),
        fc.boolean(),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (locals, expressSlack, perishable, multiplier) => {
          const options = [
            express({ etaMinutes: NOW + 600, promiseAt: NOW + 600 + expressSlack }),
            ...locals.map((l, i) => option(l.path, i + 1, { km: l.km, available: l.available, pickPackCost: l.pickPackCost, etaMinutes: NOW + 60, promiseAt: NOW + 60 + l.slack })),
          ];
          const order = { ...DAILY_GOODS, perishableOrUrgent: perishable };
          const obs = observe(options, { order });
          const d = routeTiered(obs);
          const chosen = options.find((o) => o.path === d.path && o.site === d.site)!;
          expect(chosen).toBeDefined();
          if (chosen.path !== PATH.rdcExpress) expect(chosen.available).toBeGreaterThanOrEqual(1);
          if (d.reason === ROUTE_REASON.cheapest)
            for (const o of options) {
              const onTime = o.etaMinutes <= o.promiseAt && (o.path === PATH.rdcExpress || o.available >= 1);
              if (!onTime) continue;
              const cost = pathCost(o.path, order, o.km, o.pickPackCost, 0, lateProbability(o.etaMinutes, o.promiseAt, 15), PRICES, COMPENSATION);
              expect(d.costCny).toBeLessThanOrEqual(cost + 1e-9);
            }
          // Raising the express price never moves an order onto express.
          const dearer = routeTiered(observe(options, { order, prices: { ...PRICES, expressMultiplier: multiplier } }));
          if (d.path !== PATH.rdcExpress) expect(dearer.path).not.toBe(PATH.rdcExpress);
        },
      ),
      { numRuns: 300, seed: 618 },
    );
  });
});

describe("customers who decline pickup, and baskets (issue #17)", () => {
  it("prices a pickup offer to a delivery customer with the share who would decline × the order's margin", () => {
    const local = option(PATH.storePickup, 5, { km: 0.5, pickPackCost: 2 }); // 3 + 1 + 2 = 6 vs express 9.5
    const order = { ...DAILY_GOODS, marginCny: 30 };
    expect(routeTiered(observe([express(), local], { order, pickupDeclineShare: 0 })).path).toBe(PATH.storePickup);
    // 6 + 0.1 × 30 = 9 < 9.5: still offered; 6 + 0.2 × 30 = 12 > 9.5: express instead.
    const some = routeTiered(observe([express(), local], { order, pickupDeclineShare: 0.1 }));
    expect(some.path).toBe(PATH.storePickup);
    expect(some.costCny).toBeCloseTo(9, 12);
    expect(routeTiered(observe([express(), local], { order, pickupDeclineShare: 0.2 })).path).toBe(PATH.rdcExpress);
    // A customer who asked for pickup is never charged for declining.
    expect(routeTiered(observe([express(), local], { order: { ...order, deliveryCustomer: false }, pickupDeclineShare: 0.7 })).path).toBe(PATH.storePickup);
  });

  it("a line joining a parcel adds only its weight on express, nothing on a rider or at the counter", () => {
    const order = { quantity: 2, weightKg: 0.5, largeAppliance: false, deliveryCustomer: true };
    expect(addedLineCost(PATH.rdcExpress, order, PRICES)).toBe(1);
    expect(addedLineCost(PATH.rdcExpress, order, { ...PRICES, expressMultiplier: 1.8 })).toBeCloseTo(1.8, 12);
    expect(addedLineCost(PATH.rdcExpress, { ...order, largeAppliance: true, quantity: 1 }, PRICES)).toBe(80);
    for (const path of [PATH.fdcInstant, PATH.storeDelivery, PATH.storePickup, PATH.transferThenPickup]) expect(addedLineCost(path, order, PRICES)).toBe(0);
  });

  it("ships as one parcel only when the order would split and one parcel costs less", () => {
    expect(shipAsOneParcel({ parcels: 2, splitCostCny: 19.5, oneParcelCostCny: 10.5 })).toBe(true);
    expect(shipAsOneParcel({ parcels: 2, splitCostCny: 10, oneParcelCostCny: 10.5 })).toBe(false);
    expect(shipAsOneParcel({ parcels: 1, splitCostCny: 19.5, oneParcelCostCny: 10.5 })).toBe(false);
    expect(shipAsOneParcel({ parcels: 3, splitCostCny: 30, oneParcelCostCny: Infinity })).toBe(false);
  });
});
