// Lever L3's decision rules as pure functions: the campaign review (pick/pack surge, production ramp,
// throttle), the saturation throttle and its alert hysteresis, and the safety-line trigger.
import { describe, expect, it } from "vitest";
import {
  emergencyQuantity,
  overSaturationLine,
  reviewOutcome,
  reviewPickPack,
  reviewProduction,
  safetyLineCheck,
  safetyLineUnits,
  saturationThrottle,
  THROTTLE_FLOOR_SHARE,
} from "../../sim/policy/capacity-linkage.ts";

describe("reviewPickPack", () => {
  const surge = { extraShare: 0.5, noticeDays: 15 };

  it("accepts a plan whose busiest day stays under the line", () => {
    expect(reviewPickPack({ peakDayOrders: 11000, baselineDayOrders: 9000, capacityPerDay: 12800, surge, daysUntilPeak: 30, line: 0.9 })).toEqual({
      bookSurge: false,
      marginProtected: 0,
      surgeCost: 0,
      utilisation: 11000 / 12800,
      utilisationAfter: 11000 / 12800,
      pressureScale: 1,
    });
  });

  it("books the surge when the busiest day crosses the line and the notice allows; no throttle if that suffices", () => {
    const r = reviewPickPack({ peakDayOrders: 20000, baselineDayOrders: 8000, capacityPerDay: 12800, surge, daysUntilPeak: 53, line: 0.9 });
    expect(r.bookSurge).toBe(true);
    expect(r.utilisationAfter).toBeCloseTo(20000 / 19200, 12);
    // Still over 0.9 × 19,200 = 17,280: the campaign's 12,000 increment is scaled to (17,280 − 8,000) / 12,000.
    expect(r.pressureScale).toBeCloseTo(9280 / 12000, 12);
    const fits = reviewPickPack({ peakDayOrders: 14000, baselineDayOrders: 8000, capacityPerDay: 12800, surge, daysUntilPeak: 20, line: 0.9 });
    expect(fits).toMatchObject({ bookSurge: true, pressureScale: 1 });
  });

  it("cannot book a surge at shorter notice than it needs, nor at a site without one: it throttles instead", () => {
    const late = reviewPickPack({ peakDayOrders: 14000, baselineDayOrders: 8000, capacityPerDay: 12800, surge, daysUntilPeak: 8, line: 0.9 });
    expect(late.bookSurge).toBe(false);
    expect(late.pressureScale).toBeCloseTo((11520 - 8000) / 6000, 12);
    const store = reviewPickPack({ peakDayOrders: 2000, baselineDayOrders: 500, capacityPerDay: 520, surge: null, daysUntilPeak: 30, line: 0.9 });
    expect(store.bookSurge).toBe(false);
    expect(store.pressureScale).toBe(0); // the baseline alone is over the line: the campaign gets no push there
  });

  it("weighs money: books the surge only when the margin of the orders it brings under the line exceeds its cost", () => {
    // Days of 14,000 and 12,000 orders against a line of 11,520: 2,480 + 480 = 2,960 orders protected.
    const base = { peakDayOrders: 14000, baselineDayOrders: 8000, capacityPerDay: 12800, daysUntilPeak: 20, line: 0.9, dayOrders: [14000, 12000] };
    const worth = reviewPickPack({ ...base, surge: { ...surge, cost: 50_000 }, marginPerOrder: 20 });
    expect(worth.marginProtected).toBeCloseTo(2960 * 20, 9);
    expect(worth).toMatchObject({ bookSurge: true, surgeCost: 50_000, pressureScale: 1 });
    const dear = reviewPickPack({ ...base, surge: { ...surge, cost: 60_000 }, marginPerOrder: 20 });
    expect(dear.bookSurge).toBe(false);
    // Not booked: the push is scaled to the line of normal capacity, as when the notice is too short.
    expect(dear.pressureScale).toBeCloseTo((11520 - 8000) / 6000, 12);
  });
});

describe("reviewProduction", () => {
  it("accepts what can be made", () => {
    expect(reviewProduction({ demandUnits: 5000, campaignUnits: 3000, supplyUnits: 6000, ramp: null, line: 0.9, unitsPerDay: 167 })).toMatchObject({
      bookRamp: false,
      pressureScale: 1,
      shortfallUnits: 0,
      stretchDays: 0,
    });
  });

  it("the paper's pre-sale: books the ramp, then scales the campaign down to the line and says how long it would need", () => {
    // 10,000 units wanted by the deadline, 6,000 can be made, a ramp adds 750: 6,750 × 0.9 = 6,075.
    const r = reviewProduction({ demandUnits: 10000, campaignUnits: 7000, supplyUnits: 6000, ramp: { units: 750, bookable: true }, line: 0.9, unitsPerDay: 167 });
    expect(r.bookRamp).toBe(true);
    expect(r.utilisation).toBeCloseTo(10000 / 6000, 12);
    expect(r.utilisationAfter).toBeCloseTo(10000 / 6750, 12);
    expect(r.pressureScale).toBeCloseTo((6075 - 3000) / 7000, 12);
    expect(r.shortfallUnits).toBe(3250);
    expect(r.stretchDays).toBeCloseTo(3250 / 167, 12);
  });

  it("does not book a ramp whose notice is too long", () => {
    const r = reviewProduction({ demandUnits: 10000, campaignUnits: 7000, supplyUnits: 6000, ramp: { units: 750, bookable: false }, line: 0.9, unitsPerDay: 167 });
    expect(r.bookRamp).toBe(false);
    expect(r.pressureScale).toBeCloseTo((5400 - 3000) / 7000, 12);
  });

  it("weighs money: a ramp whose overtime exceeds the margin of the units it makes in time is not booked (650 CNY a unit against 270)", () => {
    // Over the line: 10,000 − 0.9 × 6,000 = 4,600 units, of which the ramp's 750 are protected.
    const input = { demandUnits: 10000, campaignUnits: 7000, supplyUnits: 6000, line: 0.9, unitsPerDay: 167 };
    const dear = reviewProduction({ ...input, ramp: { units: 750, bookable: true, cost: 750 * 650 }, marginPerUnit: 270 });
    expect(dear).toMatchObject({ bookRamp: false, marginProtected: 750 * 270, rampCost: 750 * 650 });
    expect(dear.pressureScale).toBeCloseTo((5400 - 3000) / 7000, 12);
    const cheap = reviewProduction({ ...input, ramp: { units: 750, bookable: true, cost: 750 * 100 }, marginPerUnit: 270 });
    expect(cheap.bookRamp).toBe(true);
  });

  it("throttles the campaign to nothing when the baseline alone fills the line", () => {
    expect(reviewProduction({ demandUnits: 9000, campaignUnits: 1000, supplyUnits: 8000, ramp: null, line: 0.9, unitsPerDay: 100 }).pressureScale).toBe(0);
  });
});

describe("reviewOutcome", () => {
  it("accept, book capacity, or throttle", () => {
    expect(reviewOutcome(false, [])).toBe("accept");
    expect(reviewOutcome(true, [1])).toBe("book-capacity");
    expect(reviewOutcome(true, [1, 0.4])).toBe("throttle");
  });
});

describe("saturationThrottle", () => {
  it("is 1 up to the line, falls linearly to the floor at full capacity, and stays there", () => {
    expect(saturationThrottle(0.5, 0.9)).toBe(1);
    expect(saturationThrottle(0.9, 0.9)).toBe(1);
    expect(saturationThrottle(0.95, 0.9)).toBeCloseTo(0.5, 12);
    expect(saturationThrottle(0.99, 0.9)).toBe(THROTTLE_FLOOR_SHARE);
    expect(saturationThrottle(1.5, 0.9)).toBe(THROTTLE_FLOOR_SHARE);
    expect(saturationThrottle(Infinity, 0.9, 0)).toBe(0);
  });
  it("never leaves [floor, 1]", () => {
    for (let u = 0; u < 2; u += 0.01) {
      const t = saturationThrottle(u, 0.8, 0.1);
      expect(t).toBeGreaterThanOrEqual(0.1);
      expect(t).toBeLessThanOrEqual(1);
    }
  });
});

describe("overSaturationLine", () => {
  it("raises at the line and clears only well below it", () => {
    expect(overSaturationLine(0.91, 0.9, false)).toBe(true);
    expect(overSaturationLine(0.9, 0.9, false)).toBe(false);
    expect(overSaturationLine(0.87, 0.9, true)).toBe(true);
    expect(overSaturationLine(0.85, 0.9, true)).toBe(false);
  });
});

describe("the inventory safety line", () => {
  it("is the scenario's own figure, else days of daily demand", () => {
    expect(safetyLineUnits(40, 1, 500)).toBe(40);
    expect(safetyLineUnits(undefined, 1.5, 101)).toBe(152);
  });

  it("triggers once on crossing below, not on every check while below", () => {
    expect(safetyLineCheck(99, 100, false)).toEqual({ crossed: true, below: true });
    expect(safetyLineCheck(50, 100, true)).toEqual({ crossed: false, below: true });
    expect(safetyLineCheck(100, 100, true)).toEqual({ crossed: false, below: false });
    expect(safetyLineCheck(0, 0, false)).toEqual({ crossed: false, below: false });
  });

  it("emergency replenishment refills to the larger of the target and twice the line, within the parent's stock", () => {
    expect(emergencyQuantity(60, 100, 300, 1e6)).toBe(240);
    expect(emergencyQuantity(60, 200, 300, 1e6)).toBe(340);
    expect(emergencyQuantity(60, 100, 300, 75.9)).toBe(75);
    expect(emergencyQuantity(500, 100, 300, 1e6)).toBe(0);
  });
});
