// The kernel through its public API: whole (who, when) traces for ordering, cancellation,
// run semantics, errors, generator processes and seeded determinism.
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SchedulingError, Simulation, SimulationError } from "../../sim/engine/index.ts";

type Trace = Array<[string, number]>;

function recorder(sim: Simulation, trace: Trace) {
  return (who: string) => trace.push([who, sim.now]);
}

describe("Simulation ordering", () => {
  it("runs events by time, and same-time events in scheduling order", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    sim.scheduleAt(5, log, "a@5");
    sim.scheduleAt(1, log, "b@1");
    sim.scheduleIn(5, log, "c@5");
    sim.scheduleAt(3, log, "d@3");
    sim.scheduleAt(5, log, "e@5");
    sim.scheduleAt(0, log, "f@0");
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["f@0", 0],
      ["b@1", 1],
      ["d@3", 3],
      ["a@5", 5],
      ["c@5", 5],
      ["e@5", 5],
    ]);
  });

  it("keeps scheduling order for many same-time events scheduled from handlers", () => {
    const sim = new Simulation();
    const order: number[] = [];
    sim.scheduleAt(10, () => {
      for (let i = 0; i < 200; i++) sim.scheduleIn(0, (n: number) => order.push(n), i);
    });
    for (let i = 0; i < 50; i++) sim.scheduleAt(20 - (i % 7), () => undefined);
    sim.runUntil(Infinity);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("passes the argument and reports now as the event time", () => {
    const sim = new Simulation({ startTime: 100 });
    const seen: Array<[unknown, number]> = [];
    sim.scheduleIn(2.5, (arg: { id: number }) => seen.push([arg, sim.now]), { id: 7 });
    sim.scheduleAt(100, (arg: undefined) => seen.push([arg, sim.now]));
    sim.runUntil(200);
    expect(seen).toEqual([
      [undefined, 100],
      [{ id: 7 }, 102.5],
    ]);
    expect(sim.now).toBe(200);
  });

  it("matches a sorted reference on random schedules with ties", () => {
    const sim = new Simulation({ seed: 3 });
    const rng = sim.streams.get("test/times");
    const expected: Array<[number, number]> = [];
    const got: Array<[number, number]> = [];
    for (let i = 0; i < 5000; i++) {
      const t = rng.integer(0, 300);
      expected.push([t, i]);
      sim.scheduleAt(t, (n: number) => got.push([sim.now, n]), i);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    sim.runUntil(Infinity);
    expect(got).toEqual(expected);
  });
});

describe("Simulation cancel", () => {
  it("cancels pending events only, once", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    const a = sim.scheduleAt(1, log, "a");
    const b = sim.scheduleAt(2, log, "b");
    sim.scheduleAt(3, log, "c");
    expect(sim.pending).toBe(3);
    expect(sim.cancel(b)).toBe(true);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.pending).toBe(2);
    sim.runUntil(1);
    expect(sim.cancel(a)).toBe(false); // already run
    expect(sim.cancel(123456789)).toBe(false); // unknown
    expect(sim.cancel(-1)).toBe(false);
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["a", 1],
      ["c", 3],
    ]);
    expect(sim.eventsProcessed).toBe(2);
  });

  it("an old id does not cancel a newer event that reuses its slot", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    const old = sim.scheduleAt(1, log, "old");
    sim.runUntil(1);
    const reused = sim.scheduleAt(2, log, "new"); // the freed slot is reused
    expect(reused).not.toBe(old);
    expect(sim.cancel(old)).toBe(false);
    const cancelledOld = sim.scheduleAt(3, log, "cancelled");
    expect(sim.cancel(cancelledOld)).toBe(true);
    sim.step(); // runs "new"
    expect(sim.peekTime()).toBe(Infinity); // drops the cancelled entry and frees its slot
    const third = sim.scheduleAt(4, log, "third");
    expect(sim.cancel(cancelledOld)).toBe(false);
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["old", 1],
      ["new", 2],
      ["third", 4],
    ]);
    expect(sim.cancel(third)).toBe(false);
  });

  it("a handler cannot cancel itself but can cancel a later event", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    let self = -1;
    const later = sim.scheduleAt(5, log, "later");
    self = sim.scheduleAt(1, () => {
      trace.push([`self-cancel ${sim.cancel(self)}`, sim.now]);
      trace.push([`later-cancel ${sim.cancel(later)}`, sim.now]);
    });
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["self-cancel false", 1],
      ["later-cancel true", 1],
    ]);
  });

  it("survives mass cancellation (compaction) with the survivors in order", () => {
    const sim = new Simulation();
    const ran: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(sim.scheduleAt(10_000 - i, (n: number) => ran.push(n), i));
    for (let i = 0; i < 10_000; i++) if (i % 10 !== 0) expect(sim.cancel(ids[i])).toBe(true);
    expect(sim.pending).toBe(1000);
    for (let i = 0; i < 10_000; i++) if (i % 10 !== 0) expect(sim.cancel(ids[i])).toBe(false);
    sim.runUntil(Infinity);
    expect(ran).toEqual(Array.from({ length: 1000 }, (_, k) => 9990 - 10 * k));
  });
});

describe("Simulation against a reference model (fast-check)", () => {
  type Op = { kind: "schedule"; delay: number } | { kind: "cancel"; pick: number } | { kind: "step" } | { kind: "runFor"; duration: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("schedule" as const), delay: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("step" as const) }),
    fc.record({ kind: fc.constant("runFor" as const), duration: fc.integer({ min: 0, max: 10 }) }),
  );

  it("schedule / cancel / step / runFor match a sorted list, ids never alias", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const sim = new Simulation();
        const ran: number[] = [];
        const ids: number[] = [];
        // Reference: pending entries in (time, label) order; labels are scheduling order.
        let pending: Array<{ time: number; label: number }> = [];
        const expected: number[] = [];
        let now = 0;
        const runRef = (until: number) => {
          pending.sort((a, b) => a.time - b.time || a.label - b.label);
          while (pending.length > 0 && pending[0].time <= until) {
            const e = pending.shift()!;
            now = e.time;
            expected.push(e.label);
          }
        };
        for (const o of ops) {
          if (o.kind === "schedule") {
            const label = ids.length;
            ids.push(sim.scheduleIn(o.delay, (n: number) => ran.push(n), label));
            pending.push({ time: now + o.delay, label });
          } else if (o.kind === "cancel" && ids.length > 0) {
            const label = o.pick % ids.length;
            const wasPending = pending.some((e) => e.label === label);
            expect(sim.cancel(ids[label])).toBe(wasPending);
            pending = pending.filter((e) => e.label !== label);
          } else if (o.kind === "step") {
            pending.sort((a, b) => a.time - b.time || a.label - b.label);
            expect(sim.step()).toBe(pending.length > 0);
            if (pending.length > 0) runRef(pending[0].time);
          } else if (o.kind === "runFor") {
            const target = now + o.duration;
            sim.runFor(o.duration);
            runRef(target);
            now = target;
          }
          expect(sim.pending).toBe(pending.length);
          expect(sim.now).toBe(now);
        }
        expect(ran).toEqual(expected);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 300, seed: 20260513 },
    );
  });
});

describe("Simulation run semantics", () => {
  it("runUntil runs events at exactly the bound, then sets now to the bound", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    sim.scheduleAt(10, log, "at10");
    sim.scheduleAt(10.5, log, "at10.5");
    sim.runUntil(10);
    expect(trace).toEqual([["at10", 10]]);
    expect(sim.now).toBe(10);
    expect(sim.peekTime()).toBe(10.5);
    sim.runFor(5);
    expect(sim.now).toBe(15);
    expect(trace).toEqual([
      ["at10", 10],
      ["at10.5", 10.5],
    ]);
    expect(sim.peekTime()).toBe(Infinity);
  });

  it("runUntil(Infinity) stops the clock at the last event", () => {
    const sim = new Simulation();
    sim.scheduleAt(42, () => undefined);
    sim.runUntil(Infinity);
    expect(sim.now).toBe(42);
    expect(sim.pending).toBe(0);
  });

  it("step runs one event at a time and skips cancelled ones", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    const first = sim.scheduleAt(1, log, "first");
    sim.scheduleAt(2, log, "second");
    sim.cancel(first);
    expect(sim.peekTime()).toBe(2);
    expect(sim.step()).toBe(true);
    expect(trace).toEqual([["second", 2]]);
    expect(sim.step()).toBe(false);
    expect(sim.now).toBe(2);
    expect(sim.eventsProcessed).toBe(1);
  });

  it("throws with the bad value in the message", () => {
    const sim = new Simulation({ startTime: 10 });
    const noop = () => undefined;
    expect(() => sim.scheduleIn(-3, noop)).toThrow(/Negative delay -3/);
    expect(() => sim.scheduleIn(-3, noop)).toThrow(SchedulingError);
    expect(() => sim.scheduleIn(Number.NaN, noop)).toThrow(/NaN/);
    expect(() => sim.scheduleAt(9.5, noop)).toThrow(/9\.5/);
    expect(() => sim.scheduleAt(Infinity, noop)).toThrow(/Infinity/);
    expect(() => sim.runUntil(5)).toThrow(/5/);
    expect(() => sim.runFor(-1)).toThrow(/-1/);
    expect(() => sim.scheduleIn(-3, noop)).toThrow(SimulationError);
    expect(sim.pending).toBe(0);
  });
});

describe("Simulation processes", () => {
  it("a generator process yields delays in minutes, interleaved with plain events", () => {
    const sim = new Simulation();
    const trace: Trace = [];
    const log = recorder(sim, trace);
    function* truck(name: string): Generator<number, void, unknown> {
      log(`${name} loads`);
      yield 30;
      log(`${name} departs`);
      yield 90;
      log(`${name} arrives`);
    }
    sim.scheduleAt(0, log, "event@0");
    sim.process(truck("t1"));
    sim.scheduleAt(30, log, "event@30");
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["event@0", 0],
      ["t1 loads", 0],
      ["event@30", 30], // scheduled during setup, before the process's first step scheduled its wake-up
      ["t1 departs", 30],
      ["t1 arrives", 120],
    ]);
  });

  it("a process yielding a negative delay throws from the run", () => {
    const sim = new Simulation();
    sim.process(
      (function* (): Generator<number, void, unknown> {
        yield -2;
      })(),
    );
    expect(() => sim.runUntil(Infinity)).toThrow(/Negative delay -2/);
  });
});

describe("Simulation determinism", () => {
  function tracedRun(seed: number): Trace {
    const sim = new Simulation({ seed });
    const trace: Trace = [];
    const arrivals = sim.streams.get("arrivals");
    const service = sim.streams.get("service");
    let busy = false;
    let waiting = 0;
    const done = (): void => {
      trace.push(["done", sim.now]);
      if (waiting > 0) {
        waiting--;
        sim.scheduleIn(service.exponential(0.8), done);
      } else busy = false;
    };
    const arrive = (): void => {
      trace.push(["arrive", sim.now]);
      if (!busy) {
        busy = true;
        sim.scheduleIn(service.exponential(0.8), done);
      } else waiting++;
      sim.scheduleIn(arrivals.exponential(1), arrive);
    };
    sim.scheduleIn(0, arrive);
    sim.runUntil(500);
    return trace;
  }

  it("the same seed gives an identical trace; another seed does not", () => {
    const a = tracedRun(11);
    expect(a.length).toBeGreaterThan(500);
    expect(tracedRun(11)).toEqual(a);
    expect(tracedRun(12)).not.toEqual(a);
  });
});
