// bench:model's ceiling figure replays a run's schedule on the bare engine; it is only worth printing if the
// replay is the same schedule: same events, pushes and cancels, and the recording leaves the engine as it was.
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.ts";
import { replaySchedule } from "../../bench/schedule-replay.ts";

/** Timers that each schedule a follow-up and a watchdog, and cancel the watchdog of the one before. */
function run(): { sim: Simulation; pushes: number; cancels: number } {
  const sim = new Simulation({ seed: 7 });
  const rng = sim.streams.get("t");
  let pushes = 0;
  let cancels = 0;
  let watchdog = -1;
  const tick = (n: number): void => {
    if (watchdog >= 0 && sim.cancel(watchdog)) cancels++;
    if (n > 0) {
      sim.scheduleIn(rng.exponential(3), tick, n - 1);
      watchdog = sim.scheduleIn(50 + rng.exponential(50), () => {});
      pushes += 2;
    }
  };
  for (let i = 0; i < 20; i++, pushes++) sim.scheduleIn(rng.exponential(10), tick, 200);
  sim.runUntil(500);
  return { sim, pushes, cancels };
}

describe("schedule replay (bench:model)", () => {
  it("replays exactly the recorded events, pushes and cancels, and restores the engine", () => {
    const expected = run();
    const proto = Simulation.prototype as unknown as Record<string, unknown>;
    const [push, cancel] = [proto.push, proto.cancel];
    const replay = replaySchedule(() => run().sim, 1);
    expect(replay.events).toBe(expected.sim.eventsProcessed);
    expect(replay.pushes).toBe(expected.pushes);
    expect(replay.cancels).toBe(expected.cancels);
    expect(replay.cancels).toBeGreaterThan(0);
    expect(replay.meanPending).toBeGreaterThan(1);
    expect(replay.replayEventsPerSecond).toBeGreaterThan(0);
    // The prototype is unwrapped: a run after the replay behaves as one before it.
    const again = run();
    expect([again.sim.eventsProcessed, again.pushes, again.cancels]).toEqual([expected.sim.eventsProcessed, expected.pushes, expected.cancels]);
    expect([proto.push, proto.cancel]).toEqual([push, cancel]);
  });
});
