// The KPIs the panels show, how each reads (format, which way is better), and the difference
// between the two arms of a compare session. Pure: the panels only put these strings in the DOM.
import type { Kpi } from "../../server/protocol.ts";

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

const share = (key: string, label: string, hint: string, value: (k: KpiReading) => number | null | undefined): KpiDef => ({
  key,
  label,
  hint,
  better: "higher",
  value: (k) => value(k) ?? null,
  format: (v) => `${(v * 100).toFixed(1)}%`,
  formatDiff: (d) => `${sign(d)}${Math.abs(d * 100).toFixed(1)} pp`,
  relative: false,
  epsilon: 5e-4,
});

const count = (key: string, label: string, hint: string, value: (k: KpiReading) => number | null | undefined): KpiDef => ({
  key,
  label,
  hint,
  better: "lower",
  value: (k) => value(k) ?? null,
  format: (v) => grouped(v),
  formatDiff: (d) => `${sign(d)}${grouped(Math.abs(d))}`,
  relative: true,
  epsilon: 0.5,
});

/** The six KPI cards, in the order the room reads them. */
export const KPI_CARDS: readonly KpiDef[] = [
  share("fillRate", "Fill rate", "units fulfilled / (fulfilled + lost sales)", (k) => k.fillRate),
  share("onTimeRate", "On time", "delivered orders delivered by their promise", (k) => k.onTimeRate),
  {
    key: "costPerOrder",
    label: "Cost per order",
    hint: "last mile, pick/pack and late compensation per delivered online order (CNY)",
    better: "lower",
    value: (k) => k.fulfilmentCostPerOrder,
    format: (v) => `¥${v.toFixed(2)}`,
    formatDiff: (d) => `${sign(d)}¥${Math.abs(d).toFixed(2)}`,
    relative: true,
    epsilon: 0.005,
  },
  count("backlog", "Backlog", "paid online orders not yet shipped or ready for pickup", (k) => k.backlogOrders),
  count("refunds", "Refunds", "cancelled paid orders plus accepted returns", (k) => k.refunds),
  {
    key: "satisfaction",
    label: "Satisfaction",
    hint: "100 × mean customer experience score",
    better: "higher",
    value: (k) => k.satisfactionIndex ?? null,
    format: (v) => v.toFixed(1),
    formatDiff: (d) => `${sign(d)}${Math.abs(d).toFixed(1)}`,
    relative: false,
    epsilon: 0.05,
  },
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

/** The series the charts plot, each from a KPI frame. */
export const CHART_SERIES: readonly { key: string; label: string; value(k: KpiReading): number | null; format(v: number): string }[] = [
  { key: "fillRate", label: "Fill rate", value: (k) => k.fillRate, format: (v) => `${(v * 100).toFixed(0)}%` },
  { key: "backlog", label: "Backlog (orders)", value: (k) => k.backlogOrders, format: (v) => grouped(v) },
  { key: "costPerOrder", label: "Cost per order (¥)", value: (k) => k.fulfilmentCostPerOrder, format: (v) => v.toFixed(1) },
  { key: "lostSales", label: "Lost sales (units)", value: (k) => k.unitsLostSales, format: (v) => grouped(v) },
];
