// Return review as work, in pure functions: when a reviewer working daily shifts finishes a piece of work,
// and how many reviewers a channel has when the scenario does not say (staffed for its baseline returns).
// The queue itself (one per channel, or one shared pool under unified service) is in
// sim/model/service/returns.ts.

/** The daily shift reviewers work: start (local minute of day) and length (minutes). */
export interface ReviewShift {
  readonly startMinute: number;
  readonly minutes: number;
}

/**
 * When work of `workMinutes` started at sim time `t` is done by a reviewer who works only within the daily
 * shift: time outside the shift does not count. `minuteOfDay` reads the local clock at a sim time.
 */
export function shiftFinish(t: number, workMinutes: number, shift: ReviewShift, minuteOfDay: (t: number) => number): number {
  if (shift.minutes >= 1440) return t + workMinutes;
  let now = t;
  let left = workMinutes;
  for (;;) {
    const into = (((minuteOfDay(now) - shift.startMinute) % 1440) + 1440) % 1440;
    if (into >= shift.minutes) {
      now += 1440 - into;
      continue;
    }
    const available = shift.minutes - into;
    if (left <= available) return now + left;
    left -= available;
    now += available;
  }
}

/**
 * Reviewers a channel needs so that `unitsPerDay` returned units of `minutesPerUnit` work keep them
 * `utilisation` busy over their shifts; at least 1.
 */
export function reviewersFor(unitsPerDay: number, minutesPerUnit: number, shiftMinutes: number, utilisation: number): number {
  return Math.max(1, Math.ceil((unitsPerDay * minutesPerUnit) / (Math.min(1440, shiftMinutes) * utilisation)));
}

/** The reviewer of a team free soonest (the first on a tie): the one a FIFO queue gives the next return. */
export function soonestFree(freeAt: Float64Array): number {
  let best = 0;
  for (let r = 1; r < freeAt.length; r++) if (freeAt[r] < freeAt[best]) best = r;
  return best;
}
