// Results in plain words: KPI values with their units, policy and lever names a planner reads, whether a
// difference is better or worse by the KPI registry's `better`, when a % change is worth printing, and
// the headline sentences that open a report. Text only; report-html.ts escapes and lays it out.
import { KPI_UNITS, kpiLabel, kpiSpec, LEVERS, type Lever } from "../../sim/index.ts";
import { studentTQuantile } from "../../sim/metrics/confidence.ts";
import { formatNumber } from "../output/table.ts";
import { decimalsFor } from "./report-text.ts";
import { LEVEL, type ComparisonRow } from "./stats.ts";

/** How a difference reads for its KPI: better, worse, no clear difference, or a KPI with no good direction. */
export type Verdict = "better" | "worse" | "unclear" | "neutral";

/** The verdict on a change whose interval is lo–hi (B − A, or an effect), by the registry's `better`. */
export function verdict(kpi: string, lo: number, hi: number): Verdict {
  const better = kpiSpec(kpi)?.better ?? "neither";
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || (lo <= 0 && hi >= 0)) return "unclear";
  if (better === "neither") return "neutral";
  const up = lo > 0;
  return up === (better === "higher") ? "better" : "worse";
}

const LEVER_WORDS: Record<Lever, string> = {
  dataPlatform: "data platform",
  tieredFulfilment: "tiered fulfilment",
  capacityLinkage: "capacity linkage",
  unifiedService: "unified service",
};

/** A lever in words ("tiered fulfilment"). */
export function leverWords(lever: string): string {
  return LEVER_WORDS[lever as Lever] ?? lever;
}

/** A policy in words: "Siloed", "Coordinated", "Data platform + tiered fulfilment". */
export function policyWords(policy: string): string {
  if (policy === "siloed" || policy === "coordinated") return capital(policy);
  const levers = policy.split(",").filter((l) => (LEVERS as readonly string[]).includes(l));
  return levers.length === 0 ? policy : capital(levers.map(leverWords).join(" + "));
}

/** A lever pair "a×b" or a single lever, in words. */
export function leversWords(levers: string): string {
  return levers === "" ? "total" : levers.split("×").map(leverWords).join(" × ");
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A KPI's label with its unit, as a heading or column reads it: "Total cost (CNY)", "Fill rate (%)". */
export function kpiNamed(kpi: string): string {
  const unit = kpiSpec(kpi)?.unit;
  if (unit === undefined) return kpiLabel(kpi);
  return `${kpiLabel(kpi)} (${unit === KPI_UNITS.share ? "%" : unit})`;
}

/** True when the KPI is a share (0–1) that reads as a percentage. */
export function isShare(kpi: string): boolean {
  return kpiSpec(kpi)?.unit === KPI_UNITS.share;
}

const COUNT_UNITS: ReadonlySet<string | undefined> = new Set([KPI_UNITS.orders, KPI_UNITS.refunds, KPI_UNITS.customers, KPI_UNITS.units, KPI_UNITS.decisions]);

/** Counts read as whole numbers; a mean over replications keeps one decimal. */
function countDecimals(value: number): number {
  return Number.isInteger(value) ? 0 : Math.min(1, decimalsFor(value));
}

/** A value of a KPI as a reader sees it: shares as "97.5%", others with their unit ("1,234 CNY"). */
export function kpiValueWords(kpi: string, value: number, decimals?: number): string {
  const unit = kpiSpec(kpi)?.unit;
  if (unit === KPI_UNITS.share) return `${formatNumber(value * 100, decimals ?? 1)}%`;
  const text = formatNumber(value, decimals ?? (COUNT_UNITS.has(unit) ? countDecimals(value) : decimalsFor(value)));
  return unit === undefined ? text : `${text} ${unit}`;
}

/**
 * Why a % change (and its interval) of this comparison would mislead, or undefined when it is sound. The %
 * interval divides the paired interval by A's mean as if A were known exactly; that holds only while A's
 * mean is well away from zero compared with its own uncertainty.
 */
export function ratioProblem(row: Pick<ComparisonRow, "meanA" | "sdA" | "n">): string | undefined {
  const { meanA, sdA, n } = row;
  if (!Number.isFinite(meanA)) return "A has no value";
  if (meanA === 0) return "A's mean is zero";
  if (n < 2 || !Number.isFinite(sdA)) return undefined;
  const half = studentTQuantile(1 - (1 - LEVEL) / 2, n - 1) * (sdA / Math.sqrt(n));
  if (half >= Math.abs(meanA)) return "A's mean is near zero: its own 95% interval includes zero, so the ratio could change sign";
  if (half > 0.25 * Math.abs(meanA)) return "A's mean is too uncertain to divide by (its own 95% interval is wider than ±25%)";
  return undefined;
}

/** "39.6–40.1" for an interval of magnitudes (both ends the same sign). */
function magnitudes(lo: number, hi: number, decimals: number, suffix = ""): string {
  const [a, b] = [Math.abs(lo), Math.abs(hi)].sort((x, y) => x - y);
  return `${formatNumber(a, decimals)}–${formatNumber(b, decimals)}${suffix}`;
}

/** One clause on a KPI's change from A to B: "cuts total cost by 39.9% (95% CI 39.6–40.1%)". */
export function changeClause(row: ComparisonRow): string {
  const { kpi } = row;
  const label = kpiLabel(kpi).toLowerCase();
  const verb = row.difference < 0 ? (kpiSpec(kpi)?.better === "lower" ? "cuts" : "lowers") : "raises";
  if (isShare(kpi)) {
    // Enough decimals that the interval's ends differ (4.3–4.3 says nothing).
    let d = 1;
    while (d < 3 && formatNumber(Math.abs(row.ciLo) * 100, d) === formatNumber(Math.abs(row.ciHi) * 100, d)) d++;
    return `${verb} ${label} from ${kpiValueWords(kpi, row.meanA)} to ${kpiValueWords(kpi, row.meanB)} (${formatNumber(Math.abs(row.difference) * 100, d)} points, 95% CI ${magnitudes(row.ciLo * 100, row.ciHi * 100, d)})`;
  }
  const unit = kpiSpec(kpi)?.unit;
  const d = COUNT_UNITS.has(unit) ? Math.min(1, decimalsFor(row.meanA, row.meanB)) : decimalsFor(row.meanA, row.meanB);
  const inUnit = (x: number) => `${formatNumber(x, d)}${unit === undefined ? "" : ` ${unit}`}`;
  if (ratioProblem(row) === undefined)
    return `${verb} ${label} by ${formatNumber(Math.abs(row.changePercent), 1)}% (95% CI ${magnitudes(row.changeCiLo, row.changeCiHi, 1, "%")}), from ${inUnit(row.meanA)} to ${inUnit(row.meanB)}`;
  return `${verb} ${label} from ${inUnit(row.meanA)} to ${inUnit(row.meanB)} (by ${inUnit(Math.abs(row.difference))}, 95% CI ${magnitudes(row.ciLo, row.ciHi, d)})`;
}

/** A list in words: "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The headline of a comparison: what B does better, worse, and where there is no clear difference. */
export interface CompareHeadline {
  better: string[];
  /** The labels of the KPIs in `better`, same order. */
  betterLabels: string[];
  worse: string[];
  neutral: string[];
  unclear: string[];
}

/** Sort the chosen KPIs' clauses by verdict, in the order given (the registry's headline order). */
export function compareHeadline(rows: readonly ComparisonRow[], kpis: readonly string[]): CompareHeadline {
  const out: CompareHeadline = { better: [], betterLabels: [], worse: [], neutral: [], unclear: [] };
  for (const kpi of kpis) {
    const row = rows.find((r) => r.kpi === kpi);
    if (row === undefined) continue;
    const v = verdict(kpi, row.ciLo, row.ciHi);
    out[v].push(v === "unclear" ? kpiLabel(kpi).toLowerCase() : changeClause(row));
    if (v === "better") out.betterLabels.push(kpiLabel(kpi).toLowerCase());
  }
  return out;
}
