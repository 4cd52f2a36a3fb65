// The engine's share of a model run: record every push and cancel one run makes on its event list, each
// attached to the event whose handler made it, then replay that schedule on a fresh Simulation whose
// handlers do nothing but the same pushes and cancels. The replay runs the model's event list (its size,
// its times, its cancelled patience timers) without the model, so its events/s is the most any model with
// this schedule could reach on this engine. bench/model.ts prints it beside the M/M/4 figure.
// Recording wraps the Simulation prototype's push and cancel for the one recorded run (bench only: sim/
// has no tracing hook, so the hot path pays nothing for it).
import { Simulation } from "../sim/engine/simulation.ts";
import { eventsPerSecond } from "./timing.ts";

export interface ScheduleReplay {
  /** Events the recorded run processed. */
  events: number;
  pushes: number;
  cancels: number;
  /** Mean and largest heap size (live and cancelled entries) seen when an event ran. */
  meanPending: number;
  maxPending: number;
  /** Median events/s of the replays. */
  replayEventsPerSecond: number;
}

type Internals = { push(time: number, handler: (arg: unknown) => void, arg: unknown): number; cancel(id: number): boolean; heapSize: number; processed: number };

/** Record the schedule of `run` (which builds and runs one simulation), then replay it `repeats` times. */
export function replaySchedule(run: () => Simulation, repeats = 5): ScheduleReplay {
  const proto = Simulation.prototype as unknown as Internals;
  const push = proto.push;
  const cancel = proto.cancel;
  const kind: number[] = [];
  const value: number[] = [];
  const madeBy: number[] = [];
  const pushIndex = new Map<number, number>();
  let current = -1;
  let pushes = 0;
  let pendingSum = 0;
  let pendingSamples = 0;
  let maxPending = 0;
  proto.push = function (this: Internals, time, handler, arg) {
    const id = push.call(
      this,
      time,
      (a: unknown) => {
        current = this.processed - 1;
        pendingSum += this.heapSize;
        pendingSamples++;
        if (this.heapSize > maxPending) maxPending = this.heapSize;
        handler(a);
      },
      arg,
    );
    pushIndex.set(id, pushes++);
    kind.push(0);
    value.push(time);
    madeBy.push(current);
    return id;
  };
  proto.cancel = function (this: Internals, id) {
    const ok = cancel.call(this, id);
    if (ok) {
      kind.push(1);
      value.push(pushIndex.get(id)!);
      madeBy.push(current);
    }
    return ok;
  };
  let events: number;
  let horizon: number;
  try {
    const sim = run();
    events = sim.eventsProcessed;
    horizon = sim.now;
  } finally {
    proto.push = push;
    proto.cancel = cancel;
  }
  // Operations are recorded in the order events ran, so event e's are ops[start[e + 1], start[e + 2]);
  // those made before the first event (set-up) are ops[start[0], start[1]).
  const ops = Int8Array.from(kind);
  const values = Float64Array.from(value);
  const start = new Int32Array(events + 2);
  for (const e of madeBy) start[e + 2]++;
  for (let i = 1; i < start.length; i++) start[i] += start[i - 1];
  const replay = (): number => {
    const sim = new Simulation({ seed: 1 });
    const ids = new Float64Array(pushes);
    let pushed = 0;
    let next = 0;
    const apply = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        if (ops[i] === 0) ids[pushed++] = sim.scheduleAt(values[i], handler);
        else sim.cancel(ids[values[i]]);
      }
    };
    const handler = (): void => {
      const e = next++;
      apply(start[e + 1], start[e + 2]);
    };
    apply(start[0], start[1]);
    sim.runUntil(horizon);
    if (sim.eventsProcessed !== events) throw new Error(`replay ran ${sim.eventsProcessed} events, the run ${events}`);
    return events;
  };
  return {
    events,
    pushes,
    cancels: kind.length - pushes,
    meanPending: pendingSum / Math.max(pendingSamples, 1),
    maxPending,
    replayEventsPerSecond: eventsPerSecond(replay, repeats),
  };
}
