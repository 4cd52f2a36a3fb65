// The chart history of each sim as the server keeps it (server/live/kpi-history.ts): a snapshot brings
// the whole run so far, each delta the points recorded since; the run's decisive moments come along.
// Also the time axis: which days get a tick at a given width. Pure: the charts draw from it.
import type { HistoryPoints, HistorySeriesKey, Moment, SimSnapshot } from "../../server/protocol.ts";

/** One sim's history on the page. */
export class ChartHistory {
  t: number[] = [];
  private values = new Map<string, (number | null)[]>();
  moments: Moment[] = [];
  stepMinutes = 60;

  /** Replace everything (a snapshot). */
  reset(history: SimSnapshot["history"]): void {
    this.stepMinutes = history.stepMinutes;
    this.t = [...history.points.t];
    this.values = new Map(Object.entries(history.points.values).map(([k, v]) => [k, [...v]]));
    this.moments = [...history.moments];
  }

  /** Add points newer than the last one held (a delta; points already had from a snapshot are skipped). */
  append(points: HistoryPoints, moments: readonly Moment[] = []): void {
    const last = this.t.at(-1) ?? -Infinity;
    for (let i = 0; i < points.t.length; i++) {
      if (points.t[i] <= last) continue;
      this.t.push(points.t[i]);
      for (const [key, list] of Object.entries(points.values)) {
        let mine = this.values.get(key);
        if (!mine) this.values.set(key, (mine = new Array<number | null>(this.t.length - 1).fill(null)));
        mine.push(list[i]);
      }
    }
    for (const m of moments) if (!this.moments.some((x) => x.t === m.t && x.text === m.text)) this.moments.push(m);
  }

  get length(): number {
    return this.t.length;
  }

  /** One series as parallel arrays (null where the KPI was not defined yet). */
  points(key: HistorySeriesKey): { t: readonly number[]; v: readonly (number | null)[] } {
    return { t: this.t, v: this.values.get(key) ?? [] };
  }
}

/** Min and max over several series, padded so a flat line sits mid-chart; null if no values. */
export function extent(lists: readonly (readonly (number | null)[])[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const list of lists)
    for (const v of list)
      if (v !== null && Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
  if (min === Infinity) return null;
  if (max - min < 1e-9) {
    const pad = Math.abs(max) * 0.05 || 1;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** Days between ticks, from these, so ticks stay readable. */
const TICK_DAYS = [1, 2, 5, 7, 10, 14, 30, 60, 90] as const;

/**
 * The day ticks of a time axis `widthPx` wide over `horizon` minutes: the minute each tick stands at
 * (a day's start) and its label ("d1" is the first day), at least `minGapPx` apart.
 */
export function dayTicks(horizon: number, widthPx: number, minGapPx = 34): { t: number; label: string }[] {
  const days = Math.max(1, Math.ceil(horizon / 1440));
  const every = TICK_DAYS.find((d) => (d / days) * widthPx >= minGapPx) ?? days;
  const ticks: { t: number; label: string }[] = [];
  for (let d = 0; d < days; d += every) ticks.push({ t: d * 1440, label: `d${d + 1}` });
  return ticks;
}
