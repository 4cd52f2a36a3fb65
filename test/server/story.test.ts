// The session features a room relies on, in process on a hand-driven clock: the chart history every
// snapshot carries (whole run so far, rebuilt exactly after a seek), the rolling cost per order, the
// changes a backward seek holds for the presenter to keep (replayed at their minutes) or drop, and a
// fork whose two sims share the past and differ only after the fork minute.
import { describe, expect, it } from "vitest";
import { localPlusMinutes } from "../../sim/index.ts";
import { ManualClock } from "../../server/live/clock.ts";
import { historyStep, rollingCostPerOrder } from "../../server/live/kpi-history.ts";
import { SessionRegistry } from "../../server/live/registry.ts";
import type { LiveSession as Session } from "../../server/live/live-session.ts";
import type { Command } from "../../server/protocol.ts";
import { exampleScenario, harness } from "./helpers.ts";

const scenario = exampleScenario("baseline-week");

function ok(r: ReturnType<ReturnType<typeof harness>["send"]>) {
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.ack;
}

describe("chart history", () => {
  it("keeps one point per sim hour from minute 0, in every snapshot, bounded for long runs", () => {
    const h = harness(scenario);
    ok(h.send({ type: "step", minutes: 600 }));
    const history = h.session.snapshot().sims[0].history;
    expect(history.stepMinutes).toBe(60);
    expect(history.points.t).toEqual(Array.from({ length: 11 }, (_, i) => i * 60));
    for (const list of Object.values(history.points.values)) expect(list).toHaveLength(11);
    // A 120-day run keeps at most 1500 points: two hours a point.
    expect(historyStep(120 * 1440)).toBe(120);
    expect(historyStep(7 * 1440)).toBe(60);
  });

  it("sends new points in deltas, and after a seek back the history equals an uninterrupted run's", () => {
    const straight = harness(scenario);
    ok(straight.send({ type: "step", minutes: 1500 }));
    const reference = straight.session.snapshot().sims[0].history;
    const h = harness(scenario);
    ok(h.send({ type: "step", minutes: 180 }));
    const sent = h.frames.flatMap((f) => f.sims[0]?.history?.points.t ?? []);
    expect(sent).toEqual([60, 120, 180]);
    ok(h.send({ type: "seek", t: 2880 }));
    ok(h.send({ type: "seek", t: 1500 }));
    const history = h.session.snapshot().sims[0].history;
    expect(history.points).toEqual(reference.points);
    expect(history.moments).toEqual(reference.moments);
  });

  it("cost per order is over the last 24 h, not since the start", () => {
    const t = [0, 720, 1440, 2160, 2880];
    const cost = [0, 5000, 5100, 5200, 5300];
    const delivered = [0, 5, 15, 25, 35];
    // Day 2 (1440 → 2880): ¥200 over 20 orders, whatever day 1 cost.
    expect(rollingCostPerOrder(t, cost, delivered, 4)).toBe(10);
    // Not before a whole day has passed: day 1's start-up is not a day's figure.
    expect(rollingCostPerOrder(t, cost, delivered, 1)).toBeNull();
    expect(rollingCostPerOrder(t, cost, delivered, 2)).toBe(340);
  });
});

describe("seeking back holds the presenter's later changes", () => {
  it("lists them as held markers; kept, they replay at their minutes (same state as never seeking)", () => {
    const live = harness(scenario);
    ok(live.send({ type: "step", minutes: 600 }));
    ok(live.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    ok(live.send({ type: "step", minutes: 600 }));
    const straightHash = live.session.stateHash();

    const h = harness(scenario);
    ok(h.send({ type: "step", minutes: 600 }));
    ok(h.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    ok(h.send({ type: "step", minutes: 600 }));
    expect(h.session.status().markers.map((m) => [m.t, m.text])).toEqual([[600, "L2 tiered fulfilment on"]]);
    ok(h.send({ type: "seek", t: 300 }));
    const status = h.session.status();
    expect(status.t).toBe(300);
    expect(status.held.map((m) => [m.t, m.text])).toEqual([[600, "L2 tiered fulfilment on"]]);
    expect(status.markers).toEqual([]);
    expect(h.session.snapshot().sims[0].policy.tieredFulfilment).toBe(false);
    ok(h.send({ type: "held", keep: true }));
    expect(h.session.status().held).toEqual([]);
    ok(h.send({ type: "step", minutes: 900 }));
    expect(h.session.status().t).toBe(1200);
    expect(h.session.snapshot().sims[0].policy.tieredFulfilment).toBe(true);
    expect(h.session.stateHash()).toBe(straightHash);
    expect(h.session.status().markers.map((m) => m.t)).toEqual([600]);
    // The manifest's log rebuilds the same run (the kept change is logged again at minute 600).
    const manifest = h.session.manifest();
    const rebuilt = harness(scenario);
    rebuilt.session.restore(manifest.commands, manifest.position);
    rebuilt.session.tick(Infinity);
    expect(rebuilt.session.stateHash()).toBe(straightHash);
  });

  it("are still held after a restart: a session rebuilt from its saved log lists them and keeps them when asked", () => {
    const h = harness(scenario);
    ok(h.send({ type: "step", minutes: 600 }));
    ok(h.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    ok(h.send({ type: "step", minutes: 600 }));
    ok(h.send({ type: "seek", t: 300 }));
    h.session.tick(Infinity);
    const manifest = h.session.manifest();
    const restarted = harness(scenario);
    restarted.session.restore(manifest.commands, manifest.position);
    restarted.session.tick(Infinity);
    expect(restarted.session.status().held.map((m) => [m.t, m.text])).toEqual([[600, "L2 tiered fulfilment on"]]);
    ok(restarted.send({ type: "held", keep: true }));
    ok(restarted.send({ type: "step", minutes: 900 }));
    expect(restarted.session.snapshot().sims[0].policy.tieredFulfilment).toBe(true);
    // Answered before the restart: nothing is held after it.
    ok(h.send({ type: "held", keep: false }));
    const answered = h.session.manifest();
    const again = harness(scenario);
    again.session.restore(answered.commands, answered.position);
    expect(again.session.status().held).toEqual([]);
  });

  it("kept after playing past them, they are re-simulated; dropped, they are gone and said so", () => {
    const h = harness(scenario);
    ok(h.send({ type: "step", minutes: 600 }));
    ok(h.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    ok(h.send({ type: "step", minutes: 120 }));
    ok(h.send({ type: "seek", t: 300 }));
    ok(h.send({ type: "step", minutes: 600 }));
    ok(h.send({ type: "held", keep: true }));
    expect(h.session.seeking || h.session.status().t === 900).toBe(true);
    h.session.tick(Infinity);
    expect(h.session.snapshot().sims[0].policy.tieredFulfilment).toBe(true);

    const d = harness(scenario);
    ok(d.send({ type: "step", minutes: 600 }));
    ok(d.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    ok(d.send({ type: "seek", t: 300 }));
    ok(d.send({ type: "held", keep: false }));
    expect(d.session.status().held).toEqual([]);
    ok(d.send({ type: "step", minutes: 600 }));
    expect(d.session.snapshot().sims[0].policy.tieredFulfilment).toBe(false);
    const again = d.send({ type: "held", keep: true });
    expect(again.ok).toBe(false);
  });
});

describe("fork", () => {
  function drive(session: Session, command: Command): void {
    session.command(command, (r) => {
      if (!r.ok) throw new Error(r.error.message);
    });
    session.tick(Infinity);
  }

  it("makes a pair that shares the past to the fork minute and diverges after it", () => {
    const clock = new ManualClock();
    const registry = new SessionRegistry({ clock, store: null, maxSessions: 4, tickBudgetMs: 1e9, maxEventsPerSession: Number.POSITIVE_INFINITY, isolation: null, log: () => {} });
    const source = registry.create({ scenario, scenarioName: "baseline-week", scenarioText: "{}" })!.session;
    drive(source, { type: "step", minutes: 600 });
    drive(source, { type: "inject", intervention: { type: "demand-surge", multiplier: 3, durationHours: 6 } });
    drive(source, { type: "step", minutes: 1200 });
    const sourceHistory = source.snapshot()!.sims[0].history.points;
    const forked = registry.fork(source, 0, { type: "lever", at: localPlusMinutes(scenario.start, 1800, "seconds")!, lever: "tieredFulfilment", on: true }, "lever");
    expect(forked).not.toBeNull();
    const pair = forked!.session;
    pair.tick(Infinity);
    expect(pair.status().t).toBe(1800);
    expect(pair.simCount).toBe(2);
    expect(pair.info().sims[1].label).toMatch(/L2 tiered fulfilment on at /);
    const before = pair.snapshot()!.sims.map((s) => s.history.points);
    expect(before[0]).toEqual(sourceHistory);
    expect(before[1].t).toEqual(sourceHistory.t);
    expect(before[1].values.fillRate).toEqual(sourceHistory.values.fillRate);
    // The pair's markers: the shared surge on both, the fork's change on the second only.
    expect(pair.status().markers.map((m) => [m.t, m.kind, m.sims])).toEqual([
      [600, "inject", [0, 1]],
      [1800, "lever", [1]],
    ]);
    drive(pair, { type: "step", minutes: 1440 });
    const after = pair.snapshot()!.sims.map((s) => s.kpi);
    expect(after[1].fulfilmentCostPerOrder).not.toBe(after[0].fulfilmentCostPerOrder);
  });
});
