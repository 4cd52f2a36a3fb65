// The statistics of a paired comparison and of a sweep, from a ResultSet: per KPI the arm means,
// the mean paired difference with its Student-t interval (common random numbers: replication i of
// both arms ran on seed S + i), the % change, and the unpaired Welch interval for contrast.
import { mean, sampleStandardDeviation } from "simple-statistics";
import { meanInterval, pairedInterval, welchInterval } from "../../sim/metrics/confidence.ts";
import type { ResultSet } from "./results.ts";

/** Confidence level of every interval the experiment commands report. */
export const LEVEL = 0.95;

/** One KPI of a paired comparison. NaN where a figure is undefined (fewer than two pairs, mean A zero). */
export interface ComparisonRow {
  kpi: string;
  /** Replications where both arms have a value (the difference and its intervals use these). */
  n: number;
  meanA: number;
  meanB: number;
  sdA: number;
  sdB: number;
  /** mean(B − A). */
  difference: number;
  ciLo: number;
  ciHi: number;
  /** 100 · difference / |mean A|. */
  changePercent: number;
  /** The difference's interval as % of |mean A| (mean A taken as known). */
  changeCiLo: number;
  changeCiHi: number;
  /** The unpaired (Welch) interval over the same runs: what the comparison would be worth without common random numbers. */
  welchLo: number;
  welchHi: number;
}

/** Paired values of one KPI under two policies (replications where both have a value). */
export function pairs(results: ResultSet, variant: number, a: string, b: string, kpi: string): { a: number[]; b: number[] } {
  const xa = results.series(variant, a, kpi);
  const xb = results.series(variant, b, kpi);
  const out = { a: [] as number[], b: [] as number[] };
  xa.forEach((x, i) => {
    const y = xb[i];
    if (x !== undefined && y !== undefined) {
      out.a.push(x);
      out.b.push(y);
    }
  });
  return out;
}

/** Compare policy b with policy a on every KPI (variant 0 unless given). */
export function compareArms(results: ResultSet, a: string, b: string, variant = 0): ComparisonRow[] {
  return results.kpis.map((kpi) => {
    const own = (policy: string) => results.series(variant, policy, kpi).filter((x): x is number => x !== undefined);
    return comparisonRow(kpi, pairs(results, variant, a, b, kpi), { a: own(a), b: own(b) });
  });
}

/**
 * The comparison figures of one KPI. The difference, its intervals and n use the replications where
 * both arms have a value; each arm's mean and sd use all of that arm's values (`own`, default the pairs),
 * so a KPI only one arm has (a path the other never uses) still shows that arm's mean.
 */
export function comparisonRow(kpi: string, values: { a: number[]; b: number[] }, own = values): ComparisonRow {
  const n = values.a.length;
  const paired = pairedInterval(values.a, values.b, LEVEL);
  const welch = welchInterval(values.a, values.b, LEVEL);
  const meanA = own.a.length > 0 ? mean(own.a) : NaN;
  const meanB = own.b.length > 0 ? mean(own.b) : NaN;
  const scale = meanA !== 0 && Number.isFinite(meanA) && n > 0 ? 100 / Math.abs(meanA) : NaN;
  return {
    kpi,
    n,
    meanA,
    meanB,
    sdA: own.a.length > 1 ? sampleStandardDeviation(own.a) : NaN,
    sdB: own.b.length > 1 ? sampleStandardDeviation(own.b) : NaN,
    difference: paired.mean,
    ciLo: paired.lo,
    ciHi: paired.hi,
    changePercent: paired.mean * scale,
    changeCiLo: paired.lo * scale,
    changeCiHi: paired.hi * scale,
    welchLo: welch.lo,
    welchHi: welch.hi,
  };
}

/** The mean of one KPI over a variant's replications of one policy, with its t interval. */
export interface CellSummary {
  n: number;
  mean: number;
  ciLo: number;
  ciHi: number;
}

/** Mean and interval of the values a series has (missing replications left out). */
export function summarise(series: ReadonlyArray<number | undefined>): CellSummary {
  const values = series.filter((x): x is number => x !== undefined);
  const ci = meanInterval(values, LEVEL);
  return { n: values.length, mean: values.length > 0 ? mean(values) : NaN, ciLo: ci.lo, ciHi: ci.hi };
}

/** A sweep's table: for every variant × policy × KPI, the mean and its interval. */
export function sweepSummary(results: ResultSet): Array<{ variant: number; policy: string; kpi: string } & CellSummary> {
  const out: Array<{ variant: number; policy: string; kpi: string } & CellSummary> = [];
  results.spec.variants.forEach((_, variant) => {
    for (const policy of results.spec.policies)
      for (const kpi of results.kpis) out.push({ variant, policy, kpi, ...summarise(results.series(variant, policy, kpi)) });
  });
  return out;
}

/** One variant and policy's day-by-day series (--timeseries): each day's mean over the replications with its t interval. */
export interface DailyBands {
  /** Day numbers (0 = the start), from the first replication. */
  day: number[];
  /** Per series, in the runs' column order: one summary per day. */
  series: Array<{ name: string; cells: CellSummary[] }>;
  /** Replications that kept no daily series. */
  missing: number;
}

/** The day-by-day bands of one variant and policy; null when its first replication kept no daily series. */
export function dailyBands(results: ResultSet, variant: number, policy: string): DailyBands | null {
  const runs = Array.from({ length: results.spec.reps }, (_, rep) => results.record(variant, policy, rep).daily);
  const first = runs[0];
  if (first === undefined) return null;
  return {
    day: first.day,
    series: Object.keys(first.columns).map((name) => ({ name, cells: first.day.map((_, i) => summarise(runs.map((r) => r?.columns[name]?.[i]))) })),
    missing: runs.filter((r) => r === undefined).length,
  };
}
