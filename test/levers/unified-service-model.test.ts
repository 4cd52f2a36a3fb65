// Lever L4's decision functions as pure functions: the after-sales process a channel gets, and the
// satisfaction model (zone score as a time-decayed mean of experience scores; repeat factor from the score).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_REPEAT_FACTOR } from "../../sim/demand/rates.ts";
import { afterSalesProcess } from "../../sim/model/service/returns.ts";
import { decayWeight, deliveryExperienceScore, repeatFactor, returnExperienceScore, updateSatisfaction } from "../../sim/policy/satisfaction.ts";
import { exampleScenario } from "../support/runs.ts";

const PARAMS = { halfLifeDays: 7, neutralScore: 0.92, gain: 0.5, minRepeatFactor: 0.9, maxRepeatFactor: 1.1 };

describe("after-sales process (L4)", () => {
  const scenario = exampleScenario("618-promotion");
  const store = scenario.channels.find((c) => c.id === "store")!;
  const app = scenario.channels.find((c) => c.id === "app")!;
  it("siloed: each channel keeps its own; the store needs three days and no free pickup (paper §2.4)", () => {
    expect(afterSalesProcess(false, store.afterSales, scenario.levers.unifiedService)).toMatchObject({ reviewHours: 72, freePickup: false });
    expect(afterSalesProcess(false, app.afterSales, scenario.levers.unifiedService)).toMatchObject({ reviewHours: 24, freePickup: true });
  });
  it("unified: one standard everywhere, 24 h review and free pickup (paper §3.4)", () => {
    for (const channel of scenario.channels)
      expect(afterSalesProcess(true, channel.afterSales, scenario.levers.unifiedService)).toMatchObject({ reviewHours: 24, freePickup: true });
  });
});

describe("satisfaction model (L4)", () => {
  it("scores experiences: on time 1, a broken promise below no promise and falling by the day, returns by cycle time", () => {
    expect(deliveryExperienceScore(0)).toBe(1);
    expect(deliveryExperienceScore(0.5)).toBeCloseTo(0.55, 12);
    expect(deliveryExperienceScore(3)).toBeCloseTo(0.3, 12);
    expect(deliveryExperienceScore(10)).toBe(0);
    expect(returnExperienceScore(24)).toBeCloseTo(0.8, 12);
    expect(returnExperienceScore(72)).toBeCloseTo(0.4, 12);
    expect(returnExperienceScore(200)).toBe(0);
  });

  it("decays old experiences with the half-life", () => {
    expect(decayWeight(100, 7 * 1440, 7)).toBeCloseTo(50, 9);
    expect(decayWeight(100, 0, 7)).toBe(100);
  });

  it("a zone's score is the time-decayed mean of its experiences", () => {
    let zone = { score: 0.92, weight: 0 };
    zone = updateSatisfaction(zone, 0, 1, 7);
    expect(zone).toEqual({ score: 1, weight: 1 });
    zone = updateSatisfaction(zone, 0, 0, 7);
    expect(zone.score).toBeCloseTo(0.5, 12);
    // A week later the first two weigh half: (0.5 × 1 + 0.5 × 0 + 1 × 1) / 2 = 0.75.
    zone = updateSatisfaction(zone, 7 * 1440, 1, 7);
    expect(zone.weight).toBeCloseTo(2, 9);
    expect(zone.score).toBeCloseTo(0.75, 9);
  });

  it("repeat factor: 1 at neutral, gain × distance from it, clamped within the thinning bound", () => {
    expect(repeatFactor(0.92, PARAMS)).toBe(1);
    expect(repeatFactor(1, PARAMS)).toBeCloseTo(1.04, 12);
    expect(repeatFactor(0.72, PARAMS)).toBeCloseTo(0.9, 12);
    expect(repeatFactor(0, PARAMS)).toBe(0.9);
    expect(repeatFactor(1, { ...PARAMS, gain: 10 })).toBe(MAX_REPEAT_FACTOR);
    expect(repeatFactor(1, { ...PARAMS, gain: 10, maxRepeatFactor: 1.05 })).toBe(1.05);
  });

  it("properties: the score stays in [0, 1] and moves towards each experience; the factor is monotone and bounded", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 30 * 1440, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (score, weight, minutes, experience, other) => {
          const next = updateSatisfaction({ score, weight }, minutes, experience, 7);
          expect(next.score).toBeGreaterThanOrEqual(Math.min(score, experience) - 1e-12);
          expect(next.score).toBeLessThanOrEqual(Math.max(score, experience) + 1e-12);
          expect(next.weight).toBeGreaterThanOrEqual(1);
          const [lo, hi] = score <= other ? [score, other] : [other, score];
          expect(repeatFactor(lo, PARAMS)).toBeLessThanOrEqual(repeatFactor(hi, PARAMS));
          expect(repeatFactor(score, PARAMS)).toBeGreaterThanOrEqual(PARAMS.minRepeatFactor);
          expect(repeatFactor(score, PARAMS)).toBeLessThanOrEqual(MAX_REPEAT_FACTOR);
        },
      ),
      { numRuns: 500, seed: 4 },
    );
  });
});
