// Lever L1 in the running model: common random numbers hold (the same candidate customers whatever the
// policy; the same accepted ones until a campaign gives the platform something to match), every pressure
// factor stays within the thinning bound, pre-positioning happens ahead of a campaign, rebalancing moves
// idle FDC stock to a store about to run out, and a lever switched on mid-run takes effect from then.
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenarioOrThrow, parsePolicy, runScenario, SILOED, Twin, type Intervention, type Policy } from "../../sim/index.ts";
import { exampleScenario } from "../support/runs.ts";

const L1 = parsePolicy("dataPlatform");
const DAY = 1440;

/**
 * The scenario with customers who do not react to service (satisfaction gain 0): by default they remember
 * under every policy (issue #16), so better service changes which candidates are accepted — the candidates
 * stay common to every policy, the accepted ones then differ. These tests check what the platform changes.
 */
function forgetful(name: string) {
  const s = exampleScenario(name);
  return { ...s, service: { ...s.service, satisfaction: { ...s.service.satisfaction, gain: 0 } } };
}

/** A twin run to `until`, with the arrival hash it had at `hashAt`. */
function runTo(policy: Policy, hashAt: number, until: number, interventions: readonly Intervention[] = []) {
  const twin = new Twin(forgetful("618-promotion"), { policy, seed: 2, interventions });
  twin.runUntil(hashAt);
  const hash = twin.arrivalHash;
  twin.runUntil(until);
  return { twin, hash };
}

describe("L1 dataPlatform in the model (618-promotion, first 12 days)", () => {
  let siloed: ReturnType<typeof runTo>;
  let l1: ReturnType<typeof runTo>;
  let waveStart: number;
  beforeAll(() => {
    waveStart = new Twin(exampleScenario("618-promotion")).rates.campaigns.find((c) => c.id === "wave-1")!.start;
    siloed = runTo(SILOED, waveStart, 12 * DAY);
    l1 = runTo(L1, waveStart, 12 * DAY);
  }, 120_000);

  it("sees the same candidate customers as siloed, and the same accepted ones until the first campaign starts", () => {
    expect(l1.twin.sources.map((s) => s.candidates)).toEqual(siloed.twin.sources.map((s) => s.candidates));
    expect(l1.hash).toBe(siloed.hash);
    // Once wave 1 runs, the platform moves promotion pressure, so which candidates are accepted may differ.
    expect(l1.twin.sources.reduce((a, s) => a + s.accepted, 0)).toBeGreaterThan(0);
  });

  it("keeps every pressure factor within the thinning bound (no candidate's rate above its bound)", () => {
    for (const s of l1.twin.sources) expect(s.boundViolations).toBe(0);
  });

  it("pre-positions stock RDC → stores three days before wave 1, from the campaign forecast", () => {
    const pre = l1.twin.world.decisions.filter((d) => d.kind === "pre-position" && d.figures.campaign === "wave-1");
    expect(pre.length).toBeGreaterThan(0);
    const ahead = exampleScenario("618-promotion").levers.dataPlatform.prepositionDaysAhead * DAY;
    for (const d of pre) {
      expect(d.t).toBeGreaterThanOrEqual(waveStart - ahead);
      expect(d.t).toBeLessThan(waveStart - ahead + 60);
      expect(d.figures.units as number).toBeGreaterThan(0);
      expect(d.site).toMatch(/^(store|fdc)-/);
    }
    expect(siloed.twin.world.decisions.some((d) => d.kind === "pre-position")).toBe(false);
  });

  it("switched on mid-run, acts only from the switch", () => {
    const at = "2026-05-15T00:00";
    const switched = runTo(SILOED, 0, 6 * DAY, [{ type: "lever", at, lever: "dataPlatform", on: true }]);
    const switchedAt = switched.twin.world.toMinutes(at);
    const kinds = new Set(["pre-position", "pressure-match", "rebalance"]);
    const ours = switched.twin.world.decisions.filter((d) => kinds.has(d.kind));
    expect(ours.length).toBeGreaterThan(0);
    for (const d of ours) expect(d.t).toBeGreaterThanOrEqual(switchedAt);
  });
});

describe("L1 dataPlatform without a campaign (baseline-week)", () => {
  it("accepts exactly the customers siloed accepts, and changes only how stock is placed", () => {
    const scenario = forgetful("baseline-week");
    const a = runScenario(scenario, { policy: SILOED, seed: 4 });
    const b = runScenario(scenario, { policy: L1, seed: 4 });
    expect(b.twin.arrivalHash).toBe(a.twin.arrivalHash);
    expect(b.summary.kpis.unitsDemanded).toBe(a.summary.kpis.unitsDemanded);
    expect(b.summary.kpis.decisionCounts["pressure-match"]).toBeUndefined();
  });
});

describe("L1 dataPlatform rebalancing", () => {
  it("sends a store that will run short the stock an FDC holds over its target, by van, at noon", () => {
    // baseline-week with the Shenzhen Luohu store's daily goods emptied: nothing comes by trunk before the
    // evening review, while the Futian FDC a few km away holds 2,000 units siloed routing never draws on.
    const raw = JSON.parse(JSON.stringify(exampleScenario("baseline-week")));
    raw.sites.find((s: { id: string }) => s.id === "store-sz-luohu").inventory.find((l: { sku: string }) => l.sku === "daily-goods").initial = 0;
    const scenario = loadScenarioOrThrow(JSON.stringify(raw));
    const twin = new Twin(scenario, { policy: L1, seed: 6 }).runUntil(DAY);
    const moves = twin.world.decisions.filter((d) => d.kind === "rebalance" && d.site === "store-sz-luohu" && d.figures.sku === "daily-goods");
    expect(moves.length).toBeGreaterThan(0);
    expect(moves[0].t).toBe(twin.world.clock.nextClock(0, 12 * 60));
    expect(moves[0].figures.from).toBe("fdc-sz-futian");
    expect(moves[0].figures.units as number).toBeGreaterThan(0);
    const siloed = new Twin(scenario, { policy: SILOED, seed: 6 }).runUntil(DAY);
    expect(siloed.world.decisions.some((d) => d.kind === "rebalance")).toBe(false);
  });
});
