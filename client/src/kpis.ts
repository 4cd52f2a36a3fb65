// The KPIs the panels show, how each reads (format, which way is better), and the difference
// between the two arms of a compare session. Pure: the panels only put these strings in the DOM.
import type { HistorySeriesKey, Kpi } from "../../server/protocol.ts";
import { kpiSpec, type LiveKpiKey } from "../../sim/observe/kpis.ts";

/** A KPI frame of one sim, as the server sends it. */
export type KpiReading = Kpi;

export type Tone = "better" | "worse" | "same" | "none";

export interface KpiDef {
  key: string;
  label: string;
  /** One sentence for the card's title attribute. */
  hint: string;
  better: "higher" | "lower";
  value(k: KpiReading): number | null;
  format(v: number): string;
  /** How a difference b − a reads ("+4.1 pp", "−¥3.20"). */
  formatDiff(d: number): string;
  /** Relative change is shown too (counts and money, not shares). */
  relative: boolean;
  /** Differences smaller than this read as "same". */
  epsilon: number;
}

const sign = (d: number) => (d > 0 ? "+" : d < 0 ? "−" : "±");
const grouped = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A card for a registry KPI: label, hint and better direction come from the registry (sim/observe/kpis.ts). */
function card(key: LiveKpiKey, look: Pick<KpiDef, "format" | "formatDiff" | "relative" | "epsilon">, label?: string): KpiDef {
  const spec = kpiSpec(key)!;
  return {
    key,
    label: label ?? spec.label,
    hint: `${spec.formula} (${spec.unit}; ${spec.better} is better)`,
    better: spec.better === "lower" ? "lower" : "higher",
    value: (k) => k[key] ?? null,
    ...look,
  };
}

const shareLook = {
  format: (v: number) => `${(v * 100).toFixed(1)}%`,
  formatDiff: (d: number) => `${sign(d)}${Math.abs(d * 100).toFixed(1)} pp`,
  relative: false,
  epsilon: 5e-4,
};
const countLook = { format: (v: number) => grouped(v), formatDiff: (d: number) => `${sign(d)}${grouped(Math.abs(d))}`, relative: true, epsilon: 0.5 };
const moneyLook = { format: (v: number) => `¥${v.toFixed(2)}`, formatDiff: (d: number) => `${sign(d)}¥${Math.abs(d).toFixed(2)}`, relative: true, epsilon: 0.005 };
const indexLook = { format: (v: number) => v.toFixed(1), formatDiff: (d: number) => `${sign(d)}${Math.abs(d).toFixed(1)}`, relative: false, epsilon: 0.05 };

/** The six KPI cards, in the order the room reads them. */
export const KPI_CARDS: readonly KpiDef[] = [
  card("fillRate", shareLook),
  card("onTimeRate", shareLook, "On time"),
  card("fulfilmentCostPerOrder", moneyLook, "Cost per order"),
  card("backlogOrders", countLook),
  card("refunds", countLook),
  card("satisfactionIndex", indexLook),
];

/** The difference of arm b against arm a for one KPI, and whether b is better. */
export function compareKpi(def: KpiDef, a: number | null, b: number | null): { text: string; tone: Tone } {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return { text: "—", tone: "none" };
  const d = b - a;
  if (Math.abs(d) < def.epsilon) return { text: "same", tone: "same" };
  let text = def.formatDiff(d);
  if (def.relative && a !== 0) text += ` (${sign(d)}${Math.abs((d / a) * 100).toFixed(0)}%)`;
  const better = def.better === "higher" ? d > 0 : d < 0;
  return { text, tone: better ? "better" : "worse" };
}

/** A KPI value as card text ("—" before there is one). */
export function kpiText(def: KpiDef, k: KpiReading | undefined): string {
  const v = k ? def.value(k) : null;
  return v === null || !Number.isFinite(v) ? "—" : def.format(v);
}

/** The series the charts plot, from the server's history (server/live/kpi-history.ts), each with its unit. */
export const CHART_SERIES: readonly { key: HistorySeriesKey; label: string; unit: string; format(v: number): string }[] = [
  { key: "fillRate", label: kpiSpec("fillRate")!.label, unit: "%", format: (v) => `${(v * 100).toFixed(1)}%` },
  { key: "backlogOrders", label: kpiSpec("backlogOrders")!.label, unit: "orders", format: (v) => grouped(v) },
  { key: "costPerOrderDay", label: "Cost per order, last 24 h", unit: "¥/order", format: (v) => `¥${v.toFixed(1)}` },
  { key: "unitsLostSales", label: kpiSpec("unitsLostSales")!.label, unit: "units", format: (v) => grouped(v) },
];
