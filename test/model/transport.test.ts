// Transport uncertainty and carrier capacity (sim/model/transport.ts, sim/model/fulfilment/carrier.ts):
// the lognormal factor's moments against the distribution's closed form; the trunk draws of a lane are the
// same under every policy (a departure's transit time does not depend on what the policy loaded before);
// and express pickups follow a hand-computed sample path, with the wait showing in a run's lead times.
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../sim/engine/index.ts";
import { buildSummary, COORDINATED, SILOED, Twin, validateScenario, type Policy } from "../../sim/index.ts";
import { lognormalFactor, LognormalAt } from "../../sim/model/transport.ts";
import { CarrierPickups } from "../../sim/model/fulfilment/carrier.ts";
import { LocalClock } from "../../sim/network/clock.ts";
import type { World } from "../../sim/model/world.ts";
import { exampleScenario } from "../support/runs.ts";

describe("lognormal transit factor: moments against the closed form", () => {
  for (const cv of [0.15, 0.33, 0.47]) {
    it(`CV ${cv}: mean 1, CV ${cv}, log-mean −σ²/2 and log-variance σ² = ln(1 + CV²)`, () => {
      const stream = new RandomStream(7, `test/transit/${cv}`);
      const n = 200_000;
      let sum = 0;
      let sum2 = 0;
      let logSum = 0;
      let logSum2 = 0;
      for (let i = 0; i < n; i++) {
        const x = lognormalFactor(stream, cv);
        sum += x;
        sum2 += x * x;
        logSum += Math.log(x);
        logSum2 += Math.log(x) ** 2;
      }
      const mean = sum / n;
      const sd = Math.sqrt(sum2 / n - mean * mean);
      const s2 = Math.log(1 + cv * cv);
      const logMean = logSum / n;
      const logVar = logSum2 / n - logMean * logMean;
      console.log(`[transit] CV ${cv}: mean ${mean.toFixed(4)}, CV ${(sd / mean).toFixed(4)}, log-mean ${logMean.toFixed(4)} (−σ²/2 = ${(-s2 / 2).toFixed(4)}), log-var ${logVar.toFixed(4)} (σ² = ${s2.toFixed(4)})`);
      // Four standard errors of each estimate.
      expect(Math.abs(mean - 1)).toBeLessThan((4 * cv) / Math.sqrt(n));
      expect(Math.abs(logMean + s2 / 2)).toBeLessThan(4 * Math.sqrt(s2 / n));
      expect(Math.abs(logVar - s2)).toBeLessThan(4 * s2 * Math.sqrt(2 / n));
      expect(Math.abs(sd / mean - cv)).toBeLessThan(0.02 * cv + 0.002);
    });
  }

  // Express parcels and rider trips take the factor at the customer's own last-mile uniform (drawn at arrival,
  // the same under every policy): the quantile transform must give the same distribution.
  for (const cv of [0.33, 0.47])
    it(`at a uniform: CV ${cv}, the quantile transform has mean 1 and CV ${cv}`, () => {
      const stream = new RandomStream(11, `test/transit/at/${cv}`);
      const factor = new LognormalAt();
      const n = 200_000;
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < n; i++) {
        const x = factor.at(stream.next(), cv);
        sum += x;
        sum2 += x * x;
      }
      const mean = sum / n;
      const sd = Math.sqrt(sum2 / n - mean * mean);
      expect(Math.abs(mean - 1)).toBeLessThan((4 * cv) / Math.sqrt(n));
      expect(Math.abs(sd / mean - cv)).toBeLessThan(0.02 * cv + 0.002);
      expect(factor.at(0.5, cv)).toBeCloseTo(Math.exp(-Math.log(1 + cv * cv) / 2), 9);
      expect(factor.at(0.3, 0)).toBe(1);
      // The parameters follow a changed CV (an intervention may change the scenario's).
      expect(factor.at(0.5, 0.1)).toBeCloseTo(Math.exp(-Math.log(1.01) / 2), 9);
    });

  it("CV 0 is exactly 1 and draws nothing", () => {
    const stream = new RandomStream(7, "test/transit/zero");
    const before = stream.saveState();
    expect(lognormalFactor(stream, 0)).toBe(1);
    expect(stream.saveState()).toEqual(before);
  });
});

/** Trunk departures of a 618 run over its first `days` days: "lane@departAt" → transit minutes. */
function trunkTransits(policy: Policy, days: number): Map<string, number> {
  const twin = new Twin(validateOrThrow(exampleScenario("618-promotion")), { policy, seed: 3 });
  const out = new Map<string, number>();
  twin.world.observer = {
    shipment(kind, from, to, _sku, _units, departAt, arriveAt) {
      if (kind === "trunk") out.set(`${from}>${to}@${departAt}`, arriveAt - departAt);
    },
    parcel() {},
  };
  twin.runUntil(days * 1440);
  return out;
}

function validateOrThrow(raw: unknown) {
  const r = validateScenario(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
  return r.scenario;
}

describe("trunk transit draws do not depend on the policy's decisions", () => {
  it("a lane's departure at the same minute takes the same time under siloed and coordinated (618, 4 days)", () => {
    const a = trunkTransits(SILOED, 4);
    const b = trunkTransits(COORDINATED, 4);
    let shared = 0;
    const nominal = new Set<number>();
    for (const [key, minutes] of a) {
      if (!b.has(key)) continue;
      shared++;
      expect(b.get(key), key).toBe(minutes);
      nominal.add(minutes);
    }
    // The two policies load different departures, but many in common; and the times do vary.
    expect(shared).toBeGreaterThan(10);
    expect(nominal.size).toBeGreaterThan(10);
  });
});

/** A world with only what CarrierPickups reads: one RDC with a daily pickup capacity, a clock and the metrics. */
function carrierWorld(perDay: number): World {
  const metrics = { parcelsWaitingForPickup: 0, pickupWaitMinutesSum: 0 };
  return {
    network: { siteCount: 1, sites: [{ type: "rdc", expressPickupsPerDay: perDay }] },
    clock: new LocalClock("2026-05-13T00:00"),
    metrics,
  } as unknown as World;
}

describe("express carrier pickups: a hand-computed sample path", () => {
  it("capacity 3 a day, 5 parcels a day at 10:00–14:00: the surplus rolls forward day by day, first come first served", () => {
    const w = carrierWorld(3);
    const carrier = new CarrierPickups(w);
    const got: number[] = [];
    for (let day = 0; day < 3; day++) for (let h = 10; h <= 14; h++) got.push(carrier.handOver(0, day * 1440 + h * 60));
    const D = 1440;
    // Parcel n (in arrival order) is collected on day ⌊n/3⌋: at once if that is its own day, else at that day's midnight.
    expect(got).toEqual([
      600, 660, 720, 1 * D, 1 * D, // day 0: three go, two wait for day 1
      D + 600, 2 * D, 2 * D, 2 * D, 3 * D, // day 1: one slot left today
      3 * D, 3 * D, 4 * D, 4 * D, 4 * D, // day 2: the backlog grows by two a day
    ]);
    const waits = got.map((at, n) => at - (Math.floor(n / 5) * D + (10 + (n % 5)) * 60));
    const metrics = (w as unknown as { metrics: { parcelsWaitingForPickup: number; pickupWaitMinutesSum: number } }).metrics;
    expect(metrics.parcelsWaitingForPickup).toBe(waits.filter((x) => x > 0).length);
    expect(metrics.pickupWaitMinutesSum).toBe(waits.reduce((a, b) => a + b, 0));
    // The estimate books nothing and agrees with the next booking.
    const next = carrier.estimate(0, 2 * D + 23 * 60);
    expect(carrier.handOver(0, 2 * D + 23 * 60)).toBe(next);
  });

  it("no capacity given: every parcel goes at once", () => {
    const w = carrierWorld(1);
    (w.network.sites[0] as { expressPickupsPerDay?: number }).expressPickupsPerDay = undefined;
    const carrier = new CarrierPickups(w);
    for (let i = 0; i < 100; i++) expect(carrier.handOver(0, 600 + i)).toBe(600 + i);
  });

  it("in a run, a tight pickup capacity at the RDC shows in lead times and lateness (baseline week, siloed)", () => {
    const raw = structuredClone(exampleScenario("baseline-week")) as Record<string, any>;
    const free = buildSummary(new Twin(validateOrThrow(raw), { seed: 1 }).run());
    for (const site of raw.sites) if (site.type === "rdc") site.expressPickupsPerDay = 6000;
    const twin = new Twin(validateOrThrow(raw), { seed: 1 }).run();
    const tight = buildSummary(twin);
    console.log(
      `[carrier] baseline-week siloed: RDC pickups unlimited → 6000/day: parcels waiting ${twin.metrics.parcelsWaitingForPickup}, ` +
        `mean wait ${(twin.metrics.pickupWaitMinutesSum / Math.max(1, twin.metrics.parcelsWaitingForPickup) / 60).toFixed(1)} h; ` +
        `lead time p50 ${free.kpis.orderLeadTimeHours.p50} → ${tight.kpis.orderLeadTimeHours.p50} h; on-time ${free.kpis.onTimeRate} → ${tight.kpis.onTimeRate}`,
    );
    expect(twin.metrics.parcelsWaitingForPickup).toBeGreaterThan(0);
    expect(tight.kpis.orderLeadTimeHours.mean).toBeGreaterThan(free.kpis.orderLeadTimeHours.mean);
    expect(tight.kpis.onTimeRate!).toBeLessThan(free.kpis.onTimeRate!);
  });
});
