// Day-by-day charts as inline SVG: one line per policy (its mean over the replications) inside a shaded
// band (its 95% interval at each day). A single run is a band of zero width. Every label is escaped.
import { COLORS, escapeHtml, niceTicks, tickLabels } from "./svg.ts";

/** One policy's series: mean and interval at each day. */
export interface Band {
  name: string;
  mean: readonly number[];
  lo: readonly number[];
  hi: readonly number[];
}

function c(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}

/** A chart of `bands` over `days` (x axis: day number), titled. */
export function bandChart(title: string, days: readonly number[], bands: readonly Band[], width = 720): string {
  const height = 220;
  const left = 64;
  const right = width - 12;
  const top = 26;
  const bottom = height - 46;
  const values = bands.flatMap((b) => [...b.mean, ...b.lo, ...b.hi]).filter(Number.isFinite);
  const ticks = niceTicks(values.length > 0 ? Math.min(...values) : 0, values.length > 0 ? Math.max(...values) : 1, 4);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const y = (v: number) => (y1 === y0 ? (top + bottom) / 2 : bottom - ((v - y0) / (y1 - y0)) * (bottom - top));
  const d0 = days[0] ?? 0;
  const d1 = days[days.length - 1] ?? 1;
  const x = (d: number) => (d1 === d0 ? (left + right) / 2 : left + ((d - d0) / (d1 - d0)) * (right - left));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="system-ui, sans-serif" font-size="11">`];
  parts.push(`<text x="${c(width / 2)}" y="14" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`);
  tickLabels(ticks).forEach((label, i) => {
    parts.push(`<line x1="${left}" y1="${c(y(ticks[i]))}" x2="${right}" y2="${c(y(ticks[i]))}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 4}" y="${c(y(ticks[i]) + 4)}" text-anchor="end">${escapeHtml(label)}</text>`);
  });
  const dayTicks = niceTicks(d0, d1, Math.min(8, Math.max(1, days.length - 1))).filter((d) => d >= d0 && d <= d1 && Number.isInteger(d));
  for (const d of dayTicks) parts.push(`<text x="${c(x(d))}" y="${bottom + 14}" text-anchor="middle">${d}</text>`);
  parts.push(`<text x="${c((left + right) / 2)}" y="${bottom + 28}" text-anchor="middle">day</text>`);
  bands.forEach((band, k) => {
    const color = COLORS[k % COLORS.length];
    const ok = days.map((_, i) => Number.isFinite(band.lo[i]) && Number.isFinite(band.hi[i]));
    const upper = days.flatMap((d, i) => (ok[i] ? [`${c(x(d))},${c(y(band.hi[i]))}`] : []));
    const lower = days.flatMap((d, i) => (ok[i] ? [`${c(x(d))},${c(y(band.lo[i]))}`] : [])).reverse();
    if (upper.length > 1) parts.push(`<polygon points="${[...upper, ...lower].join(" ")}" fill="${color}" opacity="0.22"/>`);
    const line = days.flatMap((d, i) => (Number.isFinite(band.mean[i]) ? [`${c(x(d))},${c(y(band.mean[i]))}`] : []));
    if (line.length > 0) parts.push(`<polyline points="${line.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<rect x="${left + k * 220}" y="${height - 14}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${left + k * 220 + 14}" y="${height - 5}">${escapeHtml(band.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

/** The time series columns in words, with the unit and whether each is a running total or a level. */
export const DAILY_SERIES_LABELS: Readonly<Record<string, string>> = {
  ordersPlaced: "Online orders placed, running total (orders)",
  ordersDelivered: "Orders delivered, running total (orders)",
  ordersCancelled: "Orders cancelled, running total (orders)",
  backlogOrders: "Backlog at day end (orders)",
  onHandRdc: "Units on hand at regional warehouses (units)",
  onHandFdc: "Units on hand at forward warehouses (units)",
  onHandStore: "Units on hand in stores (units)",
  inTransit: "Units in transit (units)",
  rdcPickQueue: "Orders waiting to be picked at regional warehouses (orders)",
  unitsLostSales: "Lost sales, running total (units)",
  costTotal: "Total cost, running total (CNY)",
  revenue: "Revenue, running total (CNY)",
};

/** A time series column in words (the column name itself if it is new). */
export function dailySeriesLabel(name: string): string {
  return DAILY_SERIES_LABELS[name] ?? name;
}
