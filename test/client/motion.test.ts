// Interpolation of trips and the display clock: where a trip is at t, slots reused after arrival,
// growth to a hard limit, and a display time that is smooth, bounded and never runs backwards.
import { describe, expect, it } from "vitest";
import { DisplayClock, MotionBuffer, progressAt } from "../../client/src/motion.ts";

describe("progressAt", () => {
  it("is 0 before departure, linear on the road, 1 on and after arrival", () => {
    expect(progressAt(100, 200, 50)).toBe(0);
    expect(progressAt(100, 200, 125)).toBe(0.25);
    expect(progressAt(100, 200, 200)).toBe(1);
    expect(progressAt(100, 200, 999)).toBe(1);
    expect(progressAt(100, 100, 99)).toBe(0);
    expect(progressAt(100, 100, 100)).toBe(1);
  });
});

describe("MotionBuffer", () => {
  function run(buffer: MotionBuffer, t: number) {
    const placed = new Map<number, [number, number]>();
    const retired: number[] = [];
    const left = buffer.step(t, (slot, x, y) => placed.set(slot, [x, y]), (slot) => retired.push(slot));
    return { placed, retired, left };
  }

  it("interpolates each trip between its ends and retires it on arrival", () => {
    const b = new MotionBuffer(4);
    const a = b.add(0, 0, 10, 20, 100, 200);
    const c = b.add(5, 5, 5, 5, 0, 1000);
    let r = run(b, 150);
    expect(r.placed.get(a)).toEqual([5, 10]);
    expect(r.placed.get(c)).toEqual([5, 5]);
    expect(r.left).toBe(2);
    r = run(b, 50); // before departure: at the origin
    expect(r.placed.get(a)).toEqual([0, 0]);
    r = run(b, 200);
    expect(r.retired).toEqual([a]);
    expect(r.placed.has(a)).toBe(false);
    expect(b.size).toBe(1);
  });

  it("reuses freed slots, so slot numbers stay below the high-water mark", () => {
    const b = new MotionBuffer(2);
    for (let round = 0; round < 5; round++) {
      b.add(0, 0, 1, 1, round * 10, round * 10 + 5);
      b.add(0, 0, 1, 1, round * 10, round * 10 + 5);
      run(b, round * 10 + 5);
      expect(b.size).toBe(0);
    }
    expect(b.highWater).toBe(2);
    expect(b.capacity).toBe(2);
  });

  it("retires many trips in one step without skipping any (swap-remove)", () => {
    const b = new MotionBuffer(8);
    const arrivals = [5, 1, 9, 1, 1, 7, 1, 3];
    arrivals.forEach((a) => b.add(0, 0, 1, 0, 0, a));
    const r = run(b, 2);
    expect(r.retired.length).toBe(4);
    expect(r.placed.size).toBe(4);
    expect(r.left).toBe(4);
  });

  it("grows by doubling up to its limit, then drops and counts", () => {
    const b = new MotionBuffer(2, 5);
    const slots = Array.from({ length: 7 }, () => b.add(0, 0, 1, 1, 0, 10));
    expect(slots.slice(0, 5).every((s) => s >= 0)).toBe(true);
    expect(slots.slice(5)).toEqual([-1, -1]);
    expect(b.capacity).toBe(5);
    expect(b.dropped).toBe(2);
    expect(new Set(slots.slice(0, 5)).size).toBe(5);
  });

  it("clear retires everything", () => {
    const b = new MotionBuffer();
    b.add(0, 0, 1, 1, 0, 10);
    b.add(0, 0, 1, 1, 0, 10);
    const retired: number[] = [];
    b.clear((s) => retired.push(s));
    expect(retired.sort()).toEqual([0, 1]);
    expect(b.size).toBe(0);
  });
});

describe("DisplayClock", () => {
  it("runs on at the session speed between frames, but at most `lead` past the newest frame", () => {
    const c = new DisplayClock(250);
    c.reset(0, 0, true, 60); // 60 sim minutes per second
    expect(c.at(100)).toBeCloseTo(6, 9);
    expect(c.at(1000)).toBeCloseTo(15, 9); // capped: frame 0 + 0.25 s × 60
    c.frame(6, 100, true, 60);
    expect(c.at(200)).toBeCloseTo(12, 9);
  });

  it("never goes backwards on a frame that is behind what it showed", () => {
    const c = new DisplayClock(250);
    c.reset(0, 0, true, 60);
    const shown = c.at(200); // 12
    c.frame(10, 200, true, 60);
    expect(c.at(200)).toBeGreaterThanOrEqual(shown);
    expect(c.at(210)).toBeGreaterThanOrEqual(c.at(200));
  });

  it("jumps ahead when far behind, holds still when paused, and follows steps", () => {
    const c = new DisplayClock(250);
    c.reset(0, 0, true, 60);
    c.frame(600, 100, true, 60); // ten sim hours in one frame: catch up
    expect(c.at(100)).toBe(600);
    c.frame(610, 200, false, 60);
    expect(c.at(5000)).toBe(610);
    c.frame(670, 300, false, 60); // a step while paused
    expect(c.at(300)).toBe(670);
  });

  it("reset moves backwards (a seek)", () => {
    const c = new DisplayClock();
    c.reset(5000, 0, false, 60);
    c.reset(100, 10, false, 60);
    expect(c.at(20)).toBe(100);
  });
});
