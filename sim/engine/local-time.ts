// Local wall-clock text ↔ numbers, the one place omnitwin reads and writes "YYYY-MM-DDTHH:mm[:ss]": a local
// date-time is read as if it were UTC ("wall ms"), which is exact for differences and re-formatting in a zone
// without daylight saving inside the span (Asia/Shanghai has none). Exact zone conversions are Calendar's.

/** "YYYY-MM-DD", optionally "THH:mm", ":ss" and ".sss"; a space may stand for the T. */
export const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** The fields of a local date-time text, or null when it is not one (no range checks: see Calendar). */
export function localFields(text: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number } | null {
  const m = LOCAL_ISO.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((f) => (f === undefined ? 0 : Number(f)));
  return { year, month, day, hour, minute, second, ms: m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0")) };
}

/** Wall ms of a local date-time text (its fields read as UTC); NaN when it is not one. */
export function localWallMs(text: string): number {
  const f = localFields(text);
  return f === null ? Number.NaN : Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
}

/** Local text of wall ms: "YYYY-MM-DDTHH:mm:ss" (`seconds`) or "YYYY-MM-DD HH:mm" (`minutes`, for display). */
export function formatLocalWall(wallMs: number, form: "seconds" | "minutes"): string {
  const iso = new Date(wallMs).toISOString();
  return form === "seconds" ? iso.slice(0, 19) : iso.slice(0, 16).replace("T", " ");
}

/** Minutes after midnight of a clock time "HH:MM" ("24:00" is 1440). */
export function clockMinutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** Sim minutes from local date-time `from` to `to` in the same zone. */
export function minutesBetween(from: string, to: string): number {
  return (localWallMs(to) - localWallMs(from)) / 60_000;
}

/** The local date-time `minutes` after `local`, in the given form; null when `local` is not a date-time. */
export function localPlusMinutes(local: string, minutes: number, form: "seconds" | "minutes"): string | null {
  const wall = localWallMs(local);
  return Number.isNaN(wall) ? null : formatLocalWall(wall + minutes * 60_000, form);
}
