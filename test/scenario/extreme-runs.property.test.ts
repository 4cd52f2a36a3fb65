// Property: whatever extreme but JSON-valid numbers a scenario holds, validation refuses it or the run
// finishes — in bounded time, without an internal error. Each case sets a few numeric fields of a small
// scenario (the valid-small fixture, or the baseline week cut to two days, both with a campaign burst and
// a demand surge so those numbers exist too) to values at and past the documented limits.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COORDINATED, runScenario, SILOED, validateScenario } from "../../sim/index.ts";
import { validBase } from "./fixtures.ts";

type Path = Array<string | number>;
type Json = any;

function withModifiers(document: Json, at: string): Json {
  if (document.campaigns.length === 0) {
    const sku = Object.keys(document.demand.skuMix)[0];
    const channel = document.channels.find((c: Json) => c.kind === "online").id;
    document.campaigns.push({ id: "extra", name: "Extra", submittedAt: document.start, start: at, end: `${at.slice(0, 11)}23:00`, channels: [channel], skus: [sku], discount: 0.1, uplift: 2, targetUnits: 100 });
  }
  document.campaigns[0].burst = { multiplier: 3, halfLifeMinutes: 30 };
  document.interventions = [{ type: "demand-surge", at, durationHours: 3, multiplier: 2 }];
  return document;
}

const baselineWeek = (): Json => {
  const document = JSON.parse(readFileSync(fileURLToPath(new URL("../../scenarios/baseline-week.json", import.meta.url)), "utf8"));
  document.horizonDays = 2;
  return withModifiers(document, "2026-06-01T12:00");
};
const small = (): Json => withModifiers(validBase(), "2026-06-04T08:00");
const BASES = [small, baselineWeek];

function numericPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value === "number") return [prefix];
  if (value === null || typeof value !== "object") return [];
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => numericPaths((value as Record<string | number, unknown>)[key], [...prefix, key]));
}
const PATHS = BASES.map((base) => numericPaths(base()).filter((p) => p[0] !== "seed"));

// At, just inside and past the limits, and the values of the reproductions.
// Or the value as written scaled far up or down, which stays inside most fields' ranges.
const extreme = fc.oneof(
  fc.constantFrom(0, -0, 5e-324, 1e-9, 0.01, 0.25, 1, 24, 1000, 1001, 1e6, 1e7, 1e8, 1e9, 2 ** 31, 1e15, 1e308, -1).map((value) => ({ value })),
  fc.constantFrom(0, 1e-6, 1e-3, 0.1, 10, 100, 1e3, 1e6).map((scale) => ({ scale })),
);

const PER_RUN_SECONDS = 30;
// Kept low so each accepted case runs in well under a second or two; the default limit is 2,000,000.
const MAX_ORDERS = 100_000;

describe("extreme numbers", () => {
  it("are refused by validation, or run to completion in bounded time without an internal error", () => {
    let accepted = 0;
    let refused = 0;
    let slowest = 0;
    fc.assert(
      fc.property(
        fc.nat(BASES.length - 1).chain((b) => fc.tuple(fc.constant(b), fc.array(fc.tuple(fc.nat(PATHS[b].length - 1), extreme), { minLength: 1, maxLength: 4 }), fc.boolean())),
        ([b, edits, coordinated]) => {
          const document = BASES[b]();
          for (const [at, value] of edits) {
            const path = PATHS[b][at];
            let parent = document;
            for (const segment of path.slice(0, -1)) parent = parent[segment];
            const key = path[path.length - 1];
            parent[key] = "value" in value ? value.value : parent[key] * value.scale;
          }
          const result = validateScenario(document, { maxOrders: MAX_ORDERS });
          if (!result.ok) {
            refused++;
            expect(result.problems.length).toBeGreaterThan(0);
            return;
          }
          accepted++;
          const started = performance.now();
          const { summary } = runScenario(result.scenario, { policy: coordinated ? COORDINATED : SILOED });
          const seconds = (performance.now() - started) / 1000;
          expect(seconds, `ran ${JSON.stringify(edits.map(([at, v]) => [PATHS[b][at].join("."), v]))}`).toBeLessThan(PER_RUN_SECONDS);
          slowest = Math.max(slowest, seconds);
          expect(summary.events).toBeGreaterThan(0);
          expect(summary.events).toBeLessThanOrEqual(MAX_ORDERS * 5);
        },
      ),
      // The seed is fixed for the suite (test/setup/fast-check.ts: an unseeded run once failed CI on a case
      // no run before had drawn); hunt wider with OMNITWIN_FC_RUNS=4000 OMNITWIN_FC_SEED=<any>.
      { numRuns: Number(process.env.OMNITWIN_FC_RUNS ?? 400) },
    );
    // Both sides of the property were exercised.
    console.log(`accepted ${accepted}, refused ${refused}, slowest run ${slowest.toFixed(2)} s`);
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  }, 600_000);

  // Found by the property above (seed 1456191226): an hour weighted 5e-323 passes validation as above 0, but
  // its arrival rate is so small that the mean gap 1 / rate overflows to Infinity, and the run threw.
  it("run when an hour's weight is the smallest number above 0", () => {
    for (const weight of [5e-324, 5e-323, 1e-310]) {
      const document = small();
      document.demand.hourlyProfile[21] = weight;
      const result = validateScenario(document, { maxOrders: MAX_ORDERS });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      for (const policy of [SILOED, COORDINATED]) expect(runScenario(result.scenario, { policy }).summary.events).toBeGreaterThan(0);
    }
  });
});
