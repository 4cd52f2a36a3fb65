import { describe, expect, it } from "vitest";
import { meanInterval, pairedInterval, studentTCdf, studentTQuantile } from "../../sim/metrics/confidence.ts";

describe("Student t", () => {
  it("matches printed t tables", () => {
    // Two-sided 95% critical values.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentTQuantile(0.995, 9)).toBeCloseTo(3.2498, 4);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.2622, 4);
  });

  it("the CDF is symmetric and inverts the quantile", () => {
    for (const df of [1, 3, 9, 40]) {
      expect(studentTCdf(0, df)).toBeCloseTo(0.5, 12);
      for (const p of [0.6, 0.9, 0.99]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
    }
  });
});

describe("intervals", () => {
  it("a mean interval is mean ± t·s/√n", () => {
    const xs = [1, 2, 3, 4, 5];
    const ci = meanInterval(xs);
    expect(ci.mean).toBe(3);
    expect(ci.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(ci.halfWidth).toBeCloseTo(2.7764 * Math.sqrt(2.5) / Math.sqrt(5), 3);
  });

  it("a paired interval is the interval of the per-seed differences", () => {
    const a = [10, 12, 9, 11];
    const b = [8, 10.5, 7, 9.2];
    const ci = pairedInterval(a, b);
    expect(ci.mean).toBeCloseTo(-1.825, 12);
    expect(ci.hi).toBeLessThan(0);
    expect(() => pairedInterval([1], [1, 2])).toThrow(/differ in length/);
  });

  it("is undefined (NaN) for fewer than two values rather than falsely narrow", () => {
    expect(Number.isNaN(meanInterval([4]).halfWidth)).toBe(true);
  });
});
