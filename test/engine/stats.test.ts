// Tally and TimeWeighted against values worked out by hand and against a two-pass reference; Samples, and
// quantilesOf against quantiles read off a sorted copy.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Samples, Simulation, Tally, TimeWeighted } from "../../sim/engine/index.ts";
import { normalQuantile, quantilesOf } from "../../sim/engine/stats.ts";

describe("Tally", () => {
  it("matches a two-pass mean and sample variance, with min and max", () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]; // a large offset: the naive sum-of-squares formula loses this
    const tally = new Tally();
    for (const x of xs) tally.add(x);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(tally.count).toBe(4);
    expect(tally.sum).toBe(xs.reduce((a, b) => a + b, 0));
    expect(tally.mean).toBeCloseTo(mean, 6);
    expect(tally.variance / variance).toBeCloseTo(1, 12);
    expect(tally.min).toBe(1e9 + 4);
    expect(tally.max).toBe(1e9 + 16);
  });

  it("is NaN when empty and restarts on reset", () => {
    const tally = new Tally();
    expect(tally.mean).toBeNaN();
    expect(tally.variance).toBeNaN();
    tally.add(3);
    expect(tally.mean).toBe(3);
    expect(tally.variance).toBeNaN();
    tally.reset();
    expect(tally.count).toBe(0);
    expect(tally.max).toBeNaN();
  });
});

describe("TimeWeighted", () => {
  it("averages a piecewise-constant value over time", () => {
    const sim = new Simulation({ startTime: 10 });
    const level = new TimeWeighted(sim, 2); // starts at sim.now = 10
    level.update(14, 6); // 2 on [10,14)
    level.update(15, 0); // 6 on [14,15)
    expect(level.mean(20)).toBeCloseTo((2 * 4 + 6 * 1 + 0 * 5) / 10, 12);
    expect(level.max).toBe(6);
    expect(level.min).toBe(0);
    expect(level.current).toBe(0);
    expect(level.mean(10)).toBe(0); // no time elapsed: the current value
    expect(() => level.update(12, 1)).toThrow(/12/);
  });

  it("reset restarts the average at a time, keeping the current value", () => {
    const level = new TimeWeighted(0, 5);
    level.update(10, 1);
    level.reset(10);
    level.update(12, 3);
    expect(level.mean(14)).toBeCloseTo((1 * 2 + 3 * 2) / 4, 12);
    expect(level.max).toBe(3);
  });
});

describe("normalQuantile", () => {
  it("gives the standard normal quantiles of the tables, symmetric, and refuses p outside (0, 1)", () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263479, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.0902323, 6);
    expect(normalQuantile(0.2)).toBeCloseTo(-normalQuantile(0.8), 9);
    expect(() => normalQuantile(1)).toThrow(/0 < p < 1/);
    expect(() => normalQuantile(0)).toThrow(/0 < p < 1/);
  });
});

describe("quantilesOf and Samples", () => {
  /** The reference: interpolate between the order statistics around (n − 1)·q of a sorted copy. */
  const fromSorted = (xs: readonly number[], qs: readonly number[]) => {
    const sorted = Float64Array.from(xs).sort();
    const n = sorted.length;
    const at = (q: number) => {
      const pos = (n - 1) * q;
      const lo = Math.floor(pos);
      return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
    };
    return { quantiles: qs.map(at), max: sorted[n - 1] };
  };

  it("gives the sorted copy's quantiles and maximum, bit for bit (ties, infinities, tiny and huge values)", () => {
    const special = [0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 2.5];
    const qs = [0, 0.05, 0.5, 0.95, 1];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...special), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 300 }), (xs) => {
        const got = quantilesOf(Float64Array.from(xs), qs);
        const want = fromSorted(xs, qs);
        // Infinity − Infinity interpolates to NaN on both sides; Object.is tells 0 from −0 only where both agree to.
        expect(got.quantiles.map(String)).toEqual(want.quantiles.map(String));
        expect(got.max).toBe(want.max);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it("matches on half a million lead-time-like values, and gives 0s for none", () => {
    const rng = new Simulation({ seed: 3 }).streams.get("quantiles");
    const xs = Array.from({ length: 500_000 }, () => rng.exponential(30));
    expect(quantilesOf(Float64Array.from(xs), [0.5, 0.95])).toEqual(fromSorted(xs, [0.5, 0.95]));
    expect(quantilesOf(new Float64Array(0), [0.5, 0.95])).toEqual({ quantiles: [0, 0], max: 0 });
  });

  it("Samples keeps every observation in recorded order past its first growth", () => {
    const samples = new Samples();
    for (let i = 0; i < 3000; i++) samples.push((i * 7919) % 3001);
    expect(samples.length).toBe(3000);
    expect(Array.from(samples.values())).toEqual(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3001));
  });
});
