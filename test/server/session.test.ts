// Sessions in process on a hand-driven clock: pacing, pause, step, seek back and forth (the state
// hash after a seek equals a fresh run to that minute), lever switches, injections, compare lockstep
// and the frame numbering. No timers: wall time passes only when a test says so.
import { describe, expect, it } from "vitest";
import { COORDINATED, SILOED, type Intervention } from "../../sim/index.ts";
import { Session } from "../../server/live/session.ts";
import { exampleScenario, freshHash, harness } from "./helpers.ts";

const scenario = exampleScenario("baseline-week");

function lastAck(r: ReturnType<ReturnType<typeof harness>["send"]>) {
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.ack;
}

describe("pacing", () => {
  it("advances speed sim-minutes per wall second, only while playing", () => {
    const h = harness(scenario, { speed: 120 });
    h.wait(1000);
    expect(h.session.status().t).toBe(0);
    lastAck(h.send({ type: "play" }));
    h.wait(1000);
    expect(h.session.status().t).toBe(120);
    h.wait(250);
    expect(h.session.status().t).toBe(150);
    lastAck(h.send({ type: "pause" }));
    h.wait(5000);
    expect(h.session.status().t).toBe(150);
    lastAck(h.send({ type: "speed", simMinutesPerSecond: 600 }));
    lastAck(h.send({ type: "play" }));
    h.wait(100);
    expect(h.session.status().t).toBe(210);
  });

  it("does not turn a stalled second into a leap, and stops at the horizon", () => {
    const h = harness(scenario, { speed: 1440, playing: true });
    h.wait(60_000);
    expect(h.session.status().t).toBe(1440);
    lastAck(h.send({ type: "speed", simMinutesPerSecond: 10_080 }));
    h.wait(1000);
    h.wait(1000);
    const s = h.session.status();
    expect(s.t).toBe(h.session.horizon);
    expect(s.finished).toBe(true);
    expect(s.playing).toBe(false);
  });

  it("stops work at the tick's deadline and carries on next tick", () => {
    const h = harness(scenario, { speed: 1440, playing: true });
    h.clock.advance(1000);
    // A deadline already passed: one chunk of work at most, then the frame.
    h.session.tick(h.clock.now());
    const t = h.session.status().t;
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThan(1440);
    expect(h.frames.at(-1)?.t).toBe(t);
  });

  it("steps a paused session by the given minutes, sending frames", () => {
    const h = harness(scenario);
    lastAck(h.send({ type: "step", minutes: 90 }));
    expect(h.session.status().t).toBe(90);
    expect(h.session.status().playing).toBe(false);
    expect(h.frames.at(-1)?.sims).toHaveLength(1);
  });

  it("paces in chunks without changing the run: state equals one straight run to the same minute", () => {
    const h = harness(scenario, { speed: 37, playing: true });
    for (let i = 0; i < 30; i++) h.wait(333);
    const t = h.session.status().t;
    expect(freshHash(scenario, [SILOED], scenario.seed, [], t)).toBe(h.session.stateHash());
  });
});

describe("seek", () => {
  it("back and forth: the state hash equals a fresh run to the same minute with the same changes", () => {
    const h = harness(scenario, { speed: 600, playing: true });
    h.wait(1000); // t = 600
    const surge = lastAck(h.send({ type: "inject", intervention: { type: "demand-surge", durationHours: 6, multiplier: 3, zones: ["sz-nanshan"] } }));
    h.wait(500); // t = 900
    const lever = lastAck(h.send({ type: "lever", lever: "tieredFulfilment", on: true }));
    h.wait(500); // t = 1200
    const injected = h.session.manifest().commands.filter((c) => c.command.type === "inject" || c.command.type === "lever");
    const changes = injected.map((c) => ({ t: c.t, intervention: (c.command as { intervention: Intervention }).intervention }));
    expect(changes.map((c) => c.t)).toEqual([surge.t, lever.t]);
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED], scenario.seed, changes, 1200));
    expect(h.session.stateHash()).not.toBe(freshHash(scenario, [SILOED], scenario.seed, changes.slice(0, 1), 1200));

    lastAck(h.send({ type: "seek", t: 700 }));
    expect(h.resets).toBe(1);
    expect(h.session.status()).toMatchObject({ t: 700, seeking: null, playing: true });
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED], scenario.seed, changes, 700));
    // The lever switch at 900 is gone: seeking back rewrote the future.
    expect(h.session.info().sims[0].policy.tieredFulfilment).toBe(false);

    lastAck(h.send({ type: "pause" }));
    lastAck(h.send({ type: "seek", t: 1000 }));
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED], scenario.seed, changes.slice(0, 1), 1000));
    lastAck(h.send({ type: "seek", t: 0 }));
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED], scenario.seed, [], 0));
  });

  it("is sliced by the deadline: status reports progress, then one snapshot when done", () => {
    const h = harness(scenario, { speed: 1440, playing: true });
    h.wait(1000);
    h.session.command({ type: "seek", t: 720 }, () => {});
    let ticks = 0;
    while (h.resets === 0 && ticks < 10_000) {
      h.clock.advance(10);
      h.session.tick(h.clock.now()); // no budget: one chunk per tick
      ticks++;
      if (h.resets === 0) expect(h.session.status().seeking?.to).toBe(720);
    }
    expect(ticks).toBeGreaterThan(1);
    const seeking = h.frames.filter((f) => f.status?.seeking);
    expect(seeking.length).toBeGreaterThan(0);
    expect(seeking.every((f) => f.sims.length === 0)).toBe(true);
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED], scenario.seed, [], 720));
    expect(h.session.snapshot().seq).toBe(h.frames.at(-1)!.seq + 1);
  });

  it("refuses a minute past the horizon, and injections while seeking", () => {
    const h = harness(scenario);
    const r = h.send({ type: "seek", t: h.session.horizon + 1, ref: 7 });
    expect(r).toMatchObject({ ok: false, error: { code: "out-of-range", ref: 7 } });
    h.session.command({ type: "seek", t: 2000 }, () => {});
    h.clock.advance(10);
    h.session.tick(h.clock.now());
    expect(h.session.seeking).toBe(true);
    let refused: unknown;
    h.session.command({ type: "lever", lever: "dataPlatform", on: true }, (x) => (refused = x));
    h.session.tick(h.clock.now());
    expect(refused).toMatchObject({ ok: false, error: { code: "busy" } });
  });
});

describe("levers and injections", () => {
  it("switches a lever mid-run: the policy changes and the decision log says why", () => {
    const h = harness(scenario, { speed: 600, playing: true });
    h.wait(1000);
    lastAck(h.send({ type: "lever", lever: "unifiedService", on: true, ref: "a" }));
    expect(h.session.info().sims[0].policy.unifiedService).toBe(true);
    const decisions = h.frames.flatMap((f) => f.sims.flatMap((s) => s.decisions));
    expect(decisions.some((d) => d.kind === "intervention:lever")).toBe(true);
    expect(h.frames.flatMap((f) => f.sims.flatMap((s) => s.alerts)).some((a) => a.kind === "intervention")).toBe(true);
  });

  it("injects a valid intervention and refuses a bad one with the session unchanged", () => {
    const h = harness(scenario, { speed: 600, playing: true });
    h.wait(1000);
    const ok = h.send({ type: "inject", intervention: { type: "express-price-shock", multiplier: 2, durationHours: 12 } });
    expect(ok.ok).toBe(true);
    const before = h.session.stateHash();
    const commands = h.session.manifest().commands.length;
    const bad = h.send({ type: "inject", intervention: { type: "factory-disruption", site: "no-such-site", capacityShare: 0.5, durationHours: 3 }, ref: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: "bad-intervention", ref: 3 } });
    if (!bad.ok) expect(bad.error.problems?.[0].path).toBe("intervention.site");
    const shapeless = h.send({ type: "inject", intervention: { type: "demand-surge", multiplier: -1 } as never });
    expect(shapeless).toMatchObject({ ok: false, error: { code: "bad-intervention" } });
    expect(h.session.stateHash()).toBe(before);
    expect(h.session.manifest().commands.length).toBe(commands);
  });
});

describe("compare", () => {
  it("keeps two sims in lockstep on one seed; changes land at the same minute in the sims they name", () => {
    const h = harness(scenario, { compare: true, speed: 300, playing: true });
    for (let i = 0; i < 7; i++) h.wait(150);
    lastAck(h.send({ type: "inject", intervention: { type: "demand-surge", durationHours: 4, multiplier: 2 } }));
    h.wait(400);
    lastAck(h.send({ type: "lever", lever: "dataPlatform", on: false, sim: 1 }));
    h.wait(400);
    const runs = h.session.info().sims;
    expect(runs.map((r) => r.label)).toEqual(["siloed", "coordinated"]);
    expect(runs[1].policy.dataPlatform).toBe(false);
    expect(runs[1].policy.tieredFulfilment).toBe(true);
    for (const f of h.frames) expect(f.sims).toHaveLength(2);
    const log = h.session.manifest().commands.filter((c) => c.command.type === "inject" || c.command.type === "lever");
    const changes = log.map((c) => ({ t: c.t, intervention: (c.command as { intervention: Intervention }).intervention, sims: (c.command as { sims: number[] }).sims }));
    const t = h.session.status().t;
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED, COORDINATED], scenario.seed, changes, t));
    lastAck(h.send({ type: "seek", t: 200 }));
    expect(h.session.stateHash()).toBe(freshHash(scenario, [SILOED, COORDINATED], scenario.seed, changes, 200));
  });
});

describe("frames", () => {
  it("numbers deltas 1, 2, 3… and a snapshot carries the seq deltas continue from", () => {
    const h = harness(scenario, { speed: 600, playing: true });
    for (let i = 0; i < 20; i++) h.wait(100);
    expect(h.frames.map((f) => f.seq)).toEqual(Array.from({ length: h.frames.length }, (_, i) => i + 1));
    const snap = h.session.snapshot();
    expect(snap.seq).toBe(h.frames.at(-1)!.seq);
    expect(snap.sims[0].cells).toHaveLength(scenario.sites.length * scenario.skus.length * 5);
    h.wait(100);
    expect(h.frames.at(-1)!.seq).toBe(snap.seq + 1);
    // Nothing happens while paused: no frames.
    h.send({ type: "pause" });
    const n = h.frames.length;
    h.wait(1000);
    expect(h.frames.length).toBe(n);
  });

  it("carries the model's safety line per stocked cell in every arm, whatever the policy", () => {
    const h = harness(scenario, {});
    h.send({ type: "seek", t: 2 * 1440 + 60 });
    for (const sim of h.session.snapshot().sims) {
      let lines = 0;
      for (let o = 0; o < sim.cells.length; o += 5) {
        if (sim.cells[o + 3] === 0) expect(sim.cells[o + 4]).toBe(0);
        if (sim.cells[o + 4] > 0) lines++;
      }
      expect(lines, sim.label).toBeGreaterThan(0);
    }
  });

  it("applying deltas to the first snapshot gives the latest snapshot's cells and KPIs", () => {
    const h = harness(scenario, { speed: 900, playing: true });
    h.wait(100);
    const first = structuredClone(h.session.snapshot());
    const start = h.frames.length;
    for (let i = 0; i < 30; i++) h.wait(100);
    const cells = [...first.sims[0].cells];
    for (const f of h.frames.slice(start))
      for (const s of f.sims) for (let i = 0; i < s.cells.length; i += 6) cells.splice(s.cells[i] * 5, 5, ...s.cells.slice(i + 1, i + 6));
    const latest = h.session.snapshot();
    expect(cells).toEqual(latest.sims[0].cells);
    expect(h.frames.at(-1)!.sims[0].kpi).toEqual(latest.sims[0].kpi);
    const shipments = h.frames.slice(start).flatMap((f) => f.sims[0].shipments);
    expect(shipments.length).toBeGreaterThan(0);
    expect(new Set(shipments.map((s) => s.id)).size).toBe(shipments.length);
  });
});

describe("restore", () => {
  it("rebuilds a session from its manifest to the same state hash", () => {
    const h = harness(scenario, { compare: true, speed: 600, playing: true });
    h.wait(1000);
    h.send({ type: "inject", intervention: { type: "demand-surge", durationHours: 5, multiplier: 2.5 } });
    h.wait(700);
    h.send({ type: "seek", t: 800 });
    h.send({ type: "lever", lever: "capacityLinkage", on: false, sim: 1 });
    h.wait(300);
    h.send({ type: "pause" });
    const manifest = h.session.manifest();
    const again = new Session(h.session.spec, h.clock, { speed: 1, playing: false });
    again.restore(manifest.commands, manifest.position);
    again.tick(Infinity);
    expect(again.status()).toMatchObject({ t: manifest.position.t, playing: false });
    expect(again.stateHash()).toBe(manifest.position.stateHash);
    expect(again.restoreCheck).toEqual({ expected: manifest.position.stateHash, matched: true });
  });
});
