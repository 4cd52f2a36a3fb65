// Sim minutes <-> wall-clock dates in one explicit IANA time zone, counted from the scenario's
// start. Pure: offsets come from Intl.DateTimeFormat, never from the host's zone or clock.
// The engine itself never reads the calendar; models use it for hour-of-day and day-of-week effects.
import { CalendarError } from "./errors.ts";
import { localFields, localWallMs } from "./local-time.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const OFFSET_BUCKET_MS = 15 * MINUTE_MS; // zone transitions fall on quarter hours (since ~1900)

/** Local calendar fields of an instant; month 1-12, dayOfWeek 0 = Sunday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  dayOfWeek: number;
}

/** Converts sim minutes to dates and back in a fixed IANA zone, starting at a local wall time. */
export class Calendar {
  /** The IANA time zone, e.g. "Asia/Shanghai". */
  readonly timeZone: string;
  /** The absolute instant of sim minute 0, in epoch milliseconds. */
  readonly startEpochMs: number;

  private readonly formatter: Intl.DateTimeFormat;
  private readonly startLocalDay: number;
  // When the zone keeps one offset across [fixedFrom, fixedTo], the hot helpers skip Intl.
  private readonly hasFixedOffset: boolean;
  private readonly fixedOffset: number;
  private readonly fixedFrom: number;
  private readonly fixedTo: number;
  private cachedBucket = NaN;
  private cachedOffset = 0;

  /** `start` is a local wall time in `timeZone`: "2026-05-13T20:00" or "2026-05-13". */
  constructor(start: string, timeZone = "Asia/Shanghai") {
    try {
      this.formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new CalendarError(`Unknown time zone ${JSON.stringify(timeZone)}`);
    }
    this.timeZone = timeZone;
    const startWall = parseLocalIso(start);
    // Sample the offset weekly from a year before to four years after the start; any DST
    // period or zone change shows up as a second offset.
    let fixed = this.offsetAt(startWall - this.offsetAt(startWall));
    for (let t = startWall - 366 * DAY_MS; t <= startWall + 4 * 366 * DAY_MS; t += 7 * DAY_MS) {
      if (this.offsetAt(t) !== fixed) {
        fixed = NaN;
        break;
      }
    }
    this.hasFixedOffset = !Number.isNaN(fixed);
    this.fixedOffset = fixed;
    this.fixedFrom = startWall - 366 * DAY_MS;
    this.fixedTo = startWall + 4 * 366 * DAY_MS;
    this.startEpochMs = this.wallToEpoch(startWall);
    this.startLocalDay = Math.floor(startWall / DAY_MS);
  }

  /** The absolute instant `minutes` after the start. */
  toDate(minutes: number): Date {
    return new Date(this.startEpochMs + minutes * MINUTE_MS);
  }

  /** Sim minutes (possibly negative or fractional) of a local wall time in this zone; gaps resolve forward, overlaps to the earlier instant. */
  toMinutes(localIso: string): number {
    return (this.wallToEpoch(parseLocalIso(localIso)) - this.startEpochMs) / MINUTE_MS;
  }

  /** Local wall time as "YYYY-MM-DD HH:mm". */
  format(minutes: number): string {
    const p = this.localParts(minutes);
    return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)} ${pad(p.hour, 2)}:${pad(p.minute, 2)}`;
  }

  /** Local calendar fields `minutes` after the start. */
  localParts(minutes: number): LocalParts {
    const local = new Date(this.localMs(minutes));
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      dayOfWeek: local.getUTCDay(),
    };
  }

  /** Local hour 0..23; arithmetic only when the zone has a fixed offset around the run. */
  hourOfDay(minutes: number): number {
    return Math.floor(positiveModulo(this.localMs(minutes), DAY_MS) / HOUR_MS);
  }

  /** Local day of week, 0 = Sunday. */
  dayOfWeek(minutes: number): number {
    return positiveModulo(Math.floor(this.localMs(minutes) / DAY_MS) + 4, 7); // 1970-01-01 was a Thursday
  }

  /** Whole local calendar days from the start day (0 on the start day, 1 after the next local midnight). */
  dayIndex(minutes: number): number {
    return Math.floor(this.localMs(minutes) / DAY_MS) - this.startLocalDay;
  }

  // Wall-clock milliseconds (local fields read as if UTC) of sim minute `minutes`.
  private localMs(minutes: number): number {
    const epoch = this.startEpochMs + minutes * MINUTE_MS;
    if (this.hasFixedOffset && epoch >= this.fixedFrom && epoch <= this.fixedTo) return epoch + this.fixedOffset;
    const bucket = Math.floor(epoch / OFFSET_BUCKET_MS);
    if (bucket !== this.cachedBucket) {
      this.cachedBucket = bucket;
      this.cachedOffset = this.offsetAt(bucket * OFFSET_BUCKET_MS);
    }
    return epoch + this.cachedOffset;
  }

  // Epoch ms of a wall time, with Temporal's "compatible" disambiguation.
  private wallToEpoch(wall: number): number {
    if (this.hasFixedOffset && wall - this.fixedOffset >= this.fixedFrom && wall - this.fixedOffset <= this.fixedTo) {
      return wall - this.fixedOffset;
    }
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const viaBefore = wall - before;
    const viaAfter = wall - after;
    const beforeValid = this.offsetAt(viaBefore) === before;
    const afterValid = this.offsetAt(viaAfter) === after;
    if (beforeValid && afterValid) return Math.min(viaBefore, viaAfter);
    if (beforeValid) return viaBefore;
    if (afterValid) return viaAfter;
    return viaBefore; // in a gap: keep the pre-transition offset, which moves the time forward
  }

  // Offset (local minus UTC, ms) of the zone at an absolute instant.
  private offsetAt(epoch: number): number {
    const whole = epoch - positiveModulo(epoch, 1000);
    const fields: Record<string, number> = {};
    for (const part of this.formatter.formatToParts(whole)) {
      if (part.type !== "literal") fields[part.type] = Number(part.value);
    }
    const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
    return wall - whole;
  }
}

// Wall-clock ms of a local ISO string, fields read as UTC.
function parseLocalIso(text: string): number {
  const f = localFields(text);
  if (f === null) throw new CalendarError(`Bad local date ${JSON.stringify(text)}: expected "YYYY-MM-DD" or "YYYY-MM-DDTHH:mm[:ss]"`);
  const { year, month, day, hour, minute, second } = f;
  const wall = localWallMs(text);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new CalendarError(`Bad local date ${JSON.stringify(text)}: no such day or time`);
  }
  return wall;
}

function positiveModulo(x: number, m: number): number {
  const r = x % m;
  return r < 0 ? r + m : r;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
