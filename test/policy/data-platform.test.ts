// Lever L1's decision rules as pure functions: demand–resource matching, servable demand, the pre-position
// quantity and the rebalancing choice.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocatePressure, chooseRebalance, prepositionQuantity, servableUnits, serviceCover } from "../../sim/policy/data-platform.ts";
import { MAX_PRESSURE_SCALE } from "../../sim/demand/rates.ts";

describe("serviceCover", () => {
  it("is the lesser of stock cover and capacity cover", () => {
    expect(serviceCover(500, 1000, 800, 400)).toBe(0.5);
    expect(serviceCover(2000, 1000, 300, 600)).toBe(0.5);
    expect(serviceCover(0, 100, 1000, 10)).toBe(0);
  });
  it("is infinite when nothing is planned", () => {
    expect(serviceCover(0, 0, 0, 0)).toBe(Infinity);
  });
});

describe("allocatePressure", () => {
  it("leaves the push alone where every zone is covered", () => {
    expect(allocatePressure([{ demand: 10, cover: 1 }, { demand: 5, cover: 3 }], 0.3, 1.25)).toEqual([1, 1]);
  });

  it("cuts a zone without stock to the floor and moves the push to a zone with stock to spare", () => {
    // Zone A has nothing (cover 0): keeps the 0.3 floor, releasing 0.7 × 100 = 70 of push.
    // Zone B can take 2× its plan but is capped at 1.25: room 0.25 × 100 = 25 < 70, so it gets all of it.
    const [a, b] = allocatePressure([{ demand: 100, cover: 0 }, { demand: 100, cover: 2 }], 0.3, 1.25);
    expect(a).toBeCloseTo(0.3, 12);
    expect(b).toBeCloseTo(1.25, 12);
  });

  it("shares released push in proportion to demand × spare cover, never beyond a zone's own cover", () => {
    // A releases 100 × (1 − 0.65) = 35 (cover 0.5 → 0.3 + 0.7 × 0.5 = 0.65).
    // B (cover 1.1, room 0.1 × 100 = 10) and C (cover 1.2, room 0.2 × 200 = 40): 35 of 50 → fill 0.7.
    const [a, b, c] = allocatePressure(
      [
        { demand: 100, cover: 0.5 },
        { demand: 100, cover: 1.1 },
        { demand: 200, cover: 1.2 },
      ],
      0.3,
      1.25,
    );
    expect(a).toBeCloseTo(0.65, 12);
    expect(b).toBeCloseTo(1.07, 12);
    expect(c).toBeCloseTo(1.14, 12);
  });

  it("cuts everywhere when no zone has spare", () => {
    const [a, b] = allocatePressure([{ demand: 1, cover: 0.5 }, { demand: 1, cover: 1 }], 0.2, 1.25);
    expect(a).toBeCloseTo(0.6, 12);
    expect(b).toBe(1);
  });

  it("stays within [floor, MAX_PRESSURE_SCALE] and never grows the total push", () => {
    const zone = fc.record({ demand: fc.double({ min: 0, max: 1e4, noNaN: true }), cover: fc.double({ min: 0, max: 10, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(zone, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (zones, floor) => {
        const scales = allocatePressure(zones, floor, MAX_PRESSURE_SCALE);
        let before = 0;
        let after = 0;
        zones.forEach((z, i) => {
          expect(scales[i]).toBeGreaterThanOrEqual(Math.min(1, floor) - 1e-12);
          expect(scales[i]).toBeLessThanOrEqual(MAX_PRESSURE_SCALE + 1e-12);
          if (z.cover >= 1) expect(scales[i]).toBeGreaterThanOrEqual(1);
          else expect(scales[i]).toBeLessThanOrEqual(1);
          before += z.demand;
          after += z.demand * scales[i];
        });
        expect(after).toBeLessThanOrEqual(before * (1 + 1e-9) + 1e-9);
      }),
    );
  });
});

describe("servableUnits", () => {
  it("counts walk-ins in full and online orders only up to the pick/pack capacity", () => {
    // 1,000 online units planned against 520 orders of capacity for 2,000 planned orders → a quarter is servable.
    expect(servableUnits(300, 1000, 520, 2080)).toBe(300 + 250);
    expect(servableUnits(300, 1000, 5000, 2080)).toBe(1300);
    expect(servableUnits(0, 50, 10, 0)).toBe(50);
  });
});

describe("prepositionQuantity", () => {
  it("covers the forecast until the start and the campaign's first cycle, less the position", () => {
    expect(prepositionQuantity({ demandBeforeStart: 900, campaignDemand: 2100.2, position: 1200, parentAvailable: 1e6 })).toBe(1801);
  });
  it("is zero when the position already covers it", () => {
    expect(prepositionQuantity({ demandBeforeStart: 300, campaignDemand: 400, position: 800, parentAvailable: 1e6 })).toBe(0);
  });
  it("never asks for more than the parent can spare", () => {
    expect(prepositionQuantity({ demandBeforeStart: 300, campaignDemand: 4000, position: 0, parentAvailable: 999.5 })).toBe(999);
  });
});

describe("chooseRebalance", () => {
  const km = (a: number, b: number) => Math.abs(a - b);
  const always = () => true;

  it("sends from a site over its target to a site that will run short, nearest donor first", () => {
    const moves = chooseRebalance(
      [
        { site: 1, available: 10, inbound: 0, target: 100, need: 60 }, // short by 50
        { site: 2, available: 500, inbound: 0, target: 0, need: 0 }, // surplus 500, 1 km away
        { site: 9, available: 500, inbound: 0, target: 0, need: 0 }, // surplus 500, 8 km away
      ],
      km,
      always,
    );
    expect(moves).toEqual([{ from: 2, to: 1, units: 50 }]);
  });

  it("counts stock on the way and serves the largest shortfall first, splitting over donors", () => {
    const moves = chooseRebalance(
      [
        { site: 1, available: 0, inbound: 20, target: 50, need: 50 }, // short 30
        { site: 5, available: 0, inbound: 0, target: 80, need: 80 }, // short 80
        { site: 3, available: 100, inbound: 0, target: 40, need: 10 }, // surplus 60
        { site: 7, available: 90, inbound: 0, target: 50, need: 10 }, // surplus 40
      ],
      km,
      always,
    );
    expect(moves).toEqual([
      { from: 3, to: 5, units: 60 },
      { from: 7, to: 5, units: 20 },
      { from: 7, to: 1, units: 20 },
    ]);
  });

  it("makes no move that is not worthwhile, and none without a donor over target", () => {
    const sites = [
      { site: 1, available: 0, inbound: 0, target: 10, need: 5 },
      { site: 2, available: 8, inbound: 0, target: 5, need: 0 },
    ];
    expect(chooseRebalance(sites, km, (_f, _t, units) => units >= 4)).toEqual([]);
    expect(chooseRebalance(sites, km, always)).toEqual([{ from: 2, to: 1, units: 3 }]);
    expect(chooseRebalance([{ site: 1, available: 0, inbound: 0, target: 10, need: 5 }], km, always)).toEqual([]);
  });
});
