// Small charts as inline SVG text, generated here so a report needs no library, CDN or network:
// horizontal interval plots (differences, attributions), paired dot plots (one KPI, two arms,
// a line per seed) and line charts with whiskers (sweeps). Every label is escaped.

/** Escape text for HTML and SVG (element content and quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

export const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

/** A coordinate with one decimal (short, and the same text on every machine). */
function c(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}

/** Round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [0];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const rough = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** Labels for a row of ticks: k/M for large values, otherwise the fewest decimals that tell them apart. */
export function tickLabels(ticks: readonly number[]): string[] {
  const size = Math.max(...ticks.map(Math.abs));
  const [divisor, suffix] = size >= 1e6 ? [1e6, "M"] : size >= 1e4 ? [1e3, "k"] : [1, ""];
  const scaled = ticks.map((t) => t / divisor);
  let decimals = 0;
  while (decimals < 8 && new Set(scaled.map((t) => t.toFixed(decimals))).size < scaled.length) decimals++;
  return scaled.map((t) => {
    const text = t.toFixed(decimals);
    return `${Number(text) === 0 ? text.replace(/^-/, "") : text}${suffix}`;
  });
}

function scale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  return d1 === d0 ? () => (r0 + r1) / 2 : (x) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** One row of an interval plot. */
export interface IntervalRow {
  label: string;
  mean: number;
  lo: number;
  hi: number;
  /** Draw a bar from zero to the mean (attributions) instead of a dot. */
  bar?: boolean;
  color?: string;
}

/**
 * Horizontal interval plot: a row per label, a dot (or a bar from 0) at the mean, whiskers lo–hi, a
 * line at zero. With `clip`, the axis stops at ±clip and a whisker that goes further ends in an arrow.
 */
export function intervalPlot(rows: readonly IntervalRow[], axisTitle: string, width = 720, clip = Infinity): string {
  const labelWidth = 230;
  const rowHeight = 22;
  const top = 10;
  const height = top + rows.length * rowHeight + 40;
  const limit = (v: number) => Math.max(-clip, Math.min(clip, v));
  const finite = rows.flatMap((r) => [r.mean, r.lo, r.hi]).filter(Number.isFinite).map(limit);
  const ticks = niceTicks(Math.min(0, ...finite), Math.max(0, ...finite));
  const scaleX = scale(ticks[0], ticks[ticks.length - 1], labelWidth, width - 20);
  const x = (v: number) => scaleX(limit(v));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ${FONT}>`];
  const axisY = top + rows.length * rowHeight;
  const labels = tickLabels(ticks);
  ticks.forEach((t, i) => {
    parts.push(`<line x1="${c(x(t))}" y1="${top}" x2="${c(x(t))}" y2="${axisY}" stroke="${t === 0 ? "#333" : "#ddd"}"/>`);
    parts.push(`<text x="${c(x(t))}" y="${axisY + 14}" text-anchor="middle">${escapeHtml(labels[i])}</text>`);
  });
  parts.push(`<text x="${c((labelWidth + width - 20) / 2)}" y="${axisY + 32}" text-anchor="middle">${escapeHtml(axisTitle)}</text>`);
  rows.forEach((r, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const color = r.color ?? COLORS[0];
    parts.push(`<text x="${labelWidth - 8}" y="${c(y + 4)}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    if (!Number.isFinite(r.mean)) return;
    if (r.bar) {
      const x0 = Math.min(x(0), x(r.mean));
      parts.push(`<rect x="${c(x0)}" y="${c(y - 7)}" width="${c(Math.abs(x(r.mean) - x(0)))}" height="14" fill="${color}" opacity="0.8"/>`);
    } else parts.push(`<circle cx="${c(x(r.mean))}" cy="${c(y)}" r="4" fill="${color}"/>`);
    if (Number.isFinite(r.lo) && Number.isFinite(r.hi)) {
      parts.push(`<line x1="${c(x(r.lo))}" y1="${c(y)}" x2="${c(x(r.hi))}" y2="${c(y)}" stroke="#222" stroke-width="1.5"/>`);
      for (const end of [r.lo, r.hi]) {
        const e = x(end);
        if (Math.abs(end) <= clip) parts.push(`<line x1="${c(e)}" y1="${c(y - 5)}" x2="${c(e)}" y2="${c(y + 5)}" stroke="#222" stroke-width="1.5"/>`);
        else {
          const d = end > 0 ? -6 : 6; // an arrowhead: the interval goes on past the axis
          parts.push(`<path d="M${c(e)},${c(y)} l${d},-4 l0,8 z" fill="#222"/>`);
        }
      }
    }
  });
  parts.push("</svg>");
  return parts.join("");
}

/** Paired dot plot of one KPI: arm A's replications on the left, B's on the right, a grey line joining each seed's pair. */
export function pairedDots(title: string, a: readonly number[], b: readonly number[], names: readonly [string, string], width = 230): string {
  const height = 190;
  const top = 28;
  const bottom = height - 24;
  const finite = [...a, ...b].filter(Number.isFinite);
  const ticks = niceTicks(Math.min(...finite), Math.max(...finite), 4);
  const y = scale(ticks[0], ticks[ticks.length - 1], bottom, top);
  const xa = 90;
  const xb = width - 40;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ${FONT}>`];
  parts.push(`<text x="${c(width / 2)}" y="14" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`);
  const labels = tickLabels(ticks);
  ticks.forEach((t, i) => {
    parts.push(`<line x1="50" y1="${c(y(t))}" x2="${width - 10}" y2="${c(y(t))}" stroke="#eee"/>`);
    parts.push(`<text x="46" y="${c(y(t) + 4)}" text-anchor="end">${escapeHtml(labels[i])}</text>`);
  });
  a.forEach((v, i) => {
    if (Number.isFinite(v) && Number.isFinite(b[i])) parts.push(`<line x1="${xa}" y1="${c(y(v))}" x2="${xb}" y2="${c(y(b[i]))}" stroke="#bbb"/>`);
  });
  const mean = (xs: readonly number[]) => xs.filter(Number.isFinite).reduce((s, v, _, all) => s + v / all.length, 0);
  ([[a, xa, COLORS[0]], [b, xb, COLORS[1]]] as const).forEach(([values, x, color], arm) => {
    for (const v of values) if (Number.isFinite(v)) parts.push(`<circle cx="${x}" cy="${c(y(v))}" r="3" fill="${color}" opacity="0.8"/>`);
    parts.push(`<line x1="${x - 14}" y1="${c(y(mean(values)))}" x2="${x + 14}" y2="${c(y(mean(values)))}" stroke="#111" stroke-width="2"/>`);
    parts.push(`<text x="${x}" y="${height - 8}" text-anchor="middle">${escapeHtml(names[arm])}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

/** One series of a line chart: a mean with an interval at each category. */
export interface Series {
  name: string;
  points: ReadonlyArray<{ mean: number; lo: number; hi: number }>;
}

/** Line chart over categories (sweep points), one line per series, whiskers at each point. */
export function lineChart(title: string, categories: readonly string[], series: readonly Series[], width = 720): string {
  const height = 240;
  const left = 60;
  const top = 28;
  const bottom = height - 50;
  const finite = series.flatMap((s) => s.points.flatMap((p) => [p.mean, p.lo, p.hi])).filter(Number.isFinite);
  const ticks = niceTicks(Math.min(...finite), Math.max(...finite), 4);
  const y = scale(ticks[0], ticks[ticks.length - 1], bottom, top);
  const x = (i: number) => (categories.length === 1 ? (left + width - 20) / 2 : left + 20 + (i * (width - left - 60)) / (categories.length - 1));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ${FONT}>`];
  parts.push(`<text x="${c(width / 2)}" y="14" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`);
  const labels = tickLabels(ticks);
  ticks.forEach((t, i) => {
    parts.push(`<line x1="${left}" y1="${c(y(t))}" x2="${width - 10}" y2="${c(y(t))}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 4}" y="${c(y(t) + 4)}" text-anchor="end">${escapeHtml(labels[i])}</text>`);
  });
  categories.forEach((label, i) => parts.push(`<text x="${c(x(i))}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`));
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const path = s.points.map((p, i) => (Number.isFinite(p.mean) ? `${c(x(i))},${c(y(p.mean))}` : "")).filter(Boolean);
    if (path.length > 1) parts.push(`<polyline points="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.points.forEach((p, i) => {
      if (!Number.isFinite(p.mean)) return;
      if (Number.isFinite(p.lo) && Number.isFinite(p.hi)) parts.push(`<line x1="${c(x(i))}" y1="${c(y(p.lo))}" x2="${c(x(i))}" y2="${c(y(p.hi))}" stroke="${color}"/>`);
      parts.push(`<circle cx="${c(x(i))}" cy="${c(y(p.mean))}" r="3.5" fill="${color}"/>`);
    });
    parts.push(`<rect x="${left + k * 170}" y="${height - 18}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${left + k * 170 + 14}" y="${height - 9}">${escapeHtml(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}
