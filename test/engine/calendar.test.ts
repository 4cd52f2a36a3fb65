// Calendar: sim minutes <-> local wall time in an explicit zone. Shanghai (fixed offset, the fast
// path) and Berlin (DST: a 23-hour day, a gap and an overlap), checked against Intl directly.
import { describe, expect, it } from "vitest";
import { Calendar, CalendarError } from "../../sim/engine/index.ts";

/** Hour and weekday of an instant in a zone, straight from Intl: the reference. */
function intlLocal(date: Date, timeZone: string): { hour: number; weekday: string; ymd: string } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit", weekday: "short", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { hour: Number(get("hour")), weekday: get("weekday"), ymd: `${get("year")}-${get("month")}-${get("day")}` };
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

describe("Calendar in Asia/Shanghai (default zone)", () => {
  const calendar = new Calendar("2026-05-13T20:00");

  it("minute 0 is 20:00 local on a Wednesday, 12:00 UTC", () => {
    expect(calendar.timeZone).toBe("Asia/Shanghai");
    expect(calendar.toDate(0).toISOString()).toBe("2026-05-13T12:00:00.000Z");
    expect(calendar.format(0)).toBe("2026-05-13 20:00");
    expect(calendar.localParts(0)).toEqual({ year: 2026, month: 5, day: 13, hour: 20, minute: 0, dayOfWeek: 3 });
    expect(calendar.hourOfDay(0)).toBe(20);
    expect(calendar.dayOfWeek(0)).toBe(3);
  });

  it("days and hours roll over at local midnight", () => {
    expect(calendar.dayIndex(0)).toBe(0);
    expect(calendar.dayIndex(239.99)).toBe(0);
    expect(calendar.dayIndex(240)).toBe(1); // 2026-05-14 00:00
    expect(calendar.hourOfDay(240)).toBe(0);
    expect(calendar.dayOfWeek(240)).toBe(4);
    expect(calendar.dayIndex(-1)).toBe(0);
    expect(calendar.dayIndex(-20 * 60 - 1)).toBe(-1); // before the start day
    expect(calendar.format(240 + 7 * 1440 + 90.5)).toBe("2026-05-21 01:30");
  });

  it("toMinutes inverts format, including negative and fractional minutes", () => {
    expect(calendar.toMinutes("2026-05-14T08:30")).toBe(750);
    expect(calendar.toMinutes("2026-05-13")).toBe(-1200);
    expect(calendar.toMinutes("2026-05-13T20:00:30")).toBe(0.5);
    for (let m = -3000; m < 60 * 24 * 40; m += 137) {
      expect(calendar.toMinutes(calendar.format(m).replace(" ", "T"))).toBe(m);
    }
  });

  it("the fast hour/weekday path agrees with Intl", () => {
    for (let m = -5000; m < 60 * 24 * 400; m += 61.7) {
      const ref = intlLocal(calendar.toDate(m), "Asia/Shanghai");
      expect(calendar.hourOfDay(m)).toBe(ref.hour);
      expect(WEEKDAYS[calendar.dayOfWeek(m)]).toBe(ref.weekday);
    }
  });
});

describe("Calendar in Europe/Berlin (DST)", () => {
  const calendar = new Calendar("2026-03-28T12:00", "Europe/Berlin");

  it("the spring-forward day has 23 hours", () => {
    expect(calendar.toDate(0).toISOString()).toBe("2026-03-28T11:00:00.000Z");
    expect(calendar.toMinutes("2026-03-29T12:00")).toBe(23 * 60);
    expect(calendar.format(23 * 60)).toBe("2026-03-29 12:00");
    expect(calendar.hourOfDay(23 * 60)).toBe(12);
    expect(calendar.dayIndex(23 * 60)).toBe(1);
    expect(calendar.dayOfWeek(23 * 60)).toBe(0);
    expect(calendar.format(14 * 60 - 1)).toBe("2026-03-29 01:59");
    expect(calendar.format(14 * 60)).toBe("2026-03-29 03:00");
  });

  it("a wall time in the gap moves forward; one in the overlap takes the earlier instant", () => {
    expect(calendar.format(calendar.toMinutes("2026-03-29T02:30"))).toBe("2026-03-29 03:30");
    const overlap = calendar.toMinutes("2026-10-25T02:30");
    expect(calendar.toDate(overlap).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(calendar.format(overlap + 60)).toBe("2026-10-25 02:30"); // the same wall time again, an hour later
  });

  it("round-trips every quarter hour across both transitions and agrees with Intl", () => {
    for (const from of [0, calendar.toMinutes("2026-10-24T00:00")]) {
      for (let m = from; m < from + 3 * 1440; m += 15) {
        const ref = intlLocal(calendar.toDate(m), "Europe/Berlin");
        expect(calendar.hourOfDay(m)).toBe(ref.hour);
        expect(calendar.format(m).slice(0, 10)).toBe(ref.ymd);
        const back = calendar.toMinutes(calendar.format(m).replace(" ", "T"));
        const inRepeatedHour = calendar.format(m).startsWith("2026-10-25 02:") && back !== m;
        expect(inRepeatedHour ? back + 60 : back).toBe(m);
      }
    }
  });
});

describe("Calendar validation", () => {
  it("names the bad date or zone", () => {
    expect(() => new Calendar("2026-02-30")).toThrow(/2026-02-30/);
    expect(() => new Calendar("13/05/2026")).toThrow(CalendarError);
    expect(() => new Calendar("2026-05-13", "Mars/Olympus")).toThrow(/Mars\/Olympus/);
    expect(() => new Calendar("2026-05-13").toMinutes("2026-05-13T25:00")).toThrow(/25:00/);
  });
});
