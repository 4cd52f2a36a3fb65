// Tally and TimeWeighted against values worked out by hand and against a two-pass reference.
import { describe, expect, it } from "vitest";
import { Simulation, Tally, TimeWeighted } from "../../sim/engine/index.ts";
import { normalQuantile } from "../../sim/engine/stats.ts";

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
