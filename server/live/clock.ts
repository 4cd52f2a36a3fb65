// The wall clock, injected: sessions pace the simulation and bound their work by it, and the rate
// limiter counts by it, so tests drive time by hand (ManualClock) and never wait on a timer.

/** Milliseconds on some monotonic-enough scale; only differences and `epochMs` for frame stamps are used. */
export interface WallClock {
  /** Milliseconds, for pacing and work budgets. */
  now(): number;
  /** Epoch milliseconds, stamped on frames so clients can measure latency. */
  epochMs(): number;
}

/** The real clock. */
export const systemClock: WallClock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
};

/** A clock that moves only when told to: for tests and replays. */
export class ManualClock implements WallClock {
  constructor(private ms = 0) {}
  now(): number {
    return this.ms;
  }
  epochMs(): number {
    return 1_700_000_000_000 + this.ms;
  }
  /** Move the clock forward by `ms`. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs ms >= 0, got ${ms}`);
    this.ms += ms;
  }
}
