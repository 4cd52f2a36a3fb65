// Fast local-time arithmetic for the model's hot paths (hour of day, day index, day of week).
// The scenario's zone is taken as a fixed offset from its start (true for Asia/Shanghai, which has no
// daylight saving); the engine's Calendar does exact IANA conversions for display.

import { minutesBetween } from "../engine/local-time.ts";

const MINUTES_PER_DAY = 1440;

/** Local time of day and calendar days of sim minutes, from the scenario's local start. */
export class LocalClock {
  /** Minutes after local midnight at sim time 0. */
  readonly startMinuteOfDay: number;
  /** Day of week (0 = Sunday) of the start day. */
  readonly startDayOfWeek: number;

  constructor(startLocal: string) {
    const [datePart, timePart = "00:00"] = startLocal.split("T");
    const [y, m, d] = datePart.split("-").map(Number);
    this.startMinuteOfDay = Number(timePart.slice(0, 2)) * 60 + Number(timePart.slice(3, 5));
    this.startDayOfWeek = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  }

  /** Minutes after local midnight, [0, 1440). */
  minuteOfDay(t: number): number {
    const x = (t + this.startMinuteOfDay) % MINUTES_PER_DAY;
    return x < 0 ? x + MINUTES_PER_DAY : x;
  }
  /** Local hour 0..23. */
  hourOfDay(t: number): number {
    return Math.floor(this.minuteOfDay(t) / 60);
  }
  /** Whole local days since the start day (the start day is 0). */
  dayIndex(t: number): number {
    return Math.floor((t + this.startMinuteOfDay) / MINUTES_PER_DAY);
  }
  /** Day of week, 0 = Sunday. */
  dayOfWeek(t: number): number {
    return (((this.startDayOfWeek + this.dayIndex(t)) % 7) + 7) % 7;
  }
  /** Sim time of local midnight starting day `day` (day 0 = the start day). */
  midnightOf(day: number): number {
    return day * MINUTES_PER_DAY - this.startMinuteOfDay;
  }
  /** The first sim time >= t whose local clock reads `minuteOfDay`. */
  nextClock(t: number, minuteOfDay: number): number {
    const day = this.dayIndex(t);
    const today = this.midnightOf(day) + minuteOfDay;
    return today >= t ? today : today + MINUTES_PER_DAY;
  }
  /** Sim minutes of a local "YYYY-MM-DDTHH:MM" in the same zone. */
  toMinutes(local: string, startLocal: string): number {
    return minutesBetween(startLocal, local);
  }
}
