// KPI history for the charts: one point per `resolution` sim minutes at most (the latest frame in a
// bucket wins), cut back when the session seeks backwards. Pure: the charts draw `points()`.
import type { KpiReading } from "./kpis.ts";

export class KpiSeries {
  readonly t: number[] = [];
  private readonly values = new Map<string, (number | null)[]>();

  constructor(
    private readonly extractors: readonly { key: string; value(k: KpiReading): number | null }[],
    /** Sim minutes between kept points. */
    private readonly resolution: number,
    /** Points kept at most (older ones are thinned by half when it is reached). */
    private readonly maxPoints = 1000,
  ) {
    if (!(resolution > 0)) throw new RangeError(`KpiSeries resolution must be > 0 minutes, got ${resolution}`);
    for (const e of extractors) this.values.set(e.key, []);
  }

  get length(): number {
    return this.t.length;
  }

  /** Record a KPI frame at sim minute t. */
  push(t: number, kpi: KpiReading): void {
    if (this.t.length && t < this.t[this.t.length - 1]) this.truncateAfter(t);
    const last = this.t.length - 1;
    const replace = last >= 1 && t - this.t[last - 1] < this.resolution;
    if (replace) this.t[last] = t;
    else this.t.push(t);
    for (const e of this.extractors) {
      const v = e.value(kpi);
      const list = this.values.get(e.key)!;
      if (replace) list[last] = v;
      else list.push(v);
    }
    if (this.t.length > this.maxPoints) this.thin();
  }

  /**
   * Break the lines here: the session jumped ahead (a seek forward) and what happened in between was
   * never sent, so the charts must not draw a straight line across it.
   */
  gap(): void {
    const last = this.t.length - 1;
    if (last < 0 || this.values.values().next().value?.[last] === null) return;
    this.t.push(this.t[last]);
    for (const list of this.values.values()) list.push(null);
  }

  /** Sim minutes between kept points. */
  get step(): number {
    return this.resolution;
  }

  /** Drop points after sim minute t (a seek back). */
  truncateAfter(t: number): void {
    let n = this.t.length;
    while (n > 0 && this.t[n - 1] > t) n--;
    this.t.length = n;
    for (const list of this.values.values()) list.length = n;
  }

  clear(): void {
    this.truncateAfter(-Infinity);
  }

  /** The series of one KPI as parallel arrays (null where the KPI was not defined yet). */
  points(key: string): { t: readonly number[]; v: readonly (number | null)[] } {
    return { t: this.t, v: this.values.get(key) ?? [] };
  }

  /** Keep every other point (the last one always). */
  private thin(): void {
    const keep = (_: unknown, i: number, a: readonly unknown[]) => i % 2 === 0 || i === a.length - 1;
    const t = this.t.filter(keep);
    this.t.length = 0;
    this.t.push(...t);
    for (const [key, list] of this.values) this.values.set(key, list.filter(keep));
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
