// The frame every report page shares: one self-contained HTML page (inline CSS and SVG, no scripts, no
// network) that fits a 1280 px window — wide tables scroll inside their own box, charts scale down — and
// prints on A4 with every table inside the page. Plus the table helpers the report sections use.
import { escapeHtml } from "./svg.ts";
import type { Verdict } from "./report-words.ts";

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em}
.headline{font-size:1.08em;background:#f6f8fa;border-left:4px solid #4e79a7;padding:.6em .9em}
.wide{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{padding:2px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.small{color:#666;font-size:.85em}
.better{color:#17663a}.worse{color:#a4161a}td.better{background:#e7f4ea}td.worse{background:#fbe9e9}.unclear,.neutral{color:#555}
.grid{display:flex;flex-wrap:wrap;gap:8px}code{background:#f4f4f4;padding:0 3px}
pre.command{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:.5em;font-size:.85em}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:9pt}.wide{overflow:visible}
table{font-size:7.5pt;width:100%}td.n,th.n{white-space:normal}td,th{padding:1px 3px;overflow-wrap:anywhere}
h2,h3{break-after:avoid}svg,tr{break-inside:avoid}.headline{border-left-width:2px}}`;

/** A whole report page: `title` as the heading, the headline paragraph, then `body` (already HTML). */
export function reportPage(title: string, headline: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="headline">${headline}</p>
${body}
</body></html>
`;
}

/** A table cell: its text, right-aligned if numeric, a verdict class for colour, a title (code key, reason) on hover. */
export interface CellSpec {
  text: string;
  numeric?: boolean;
  verdict?: Verdict;
  title?: string;
}

type CellLike = string | CellSpec;

function cell(tag: "td" | "th", value: CellLike, numeric: boolean): string {
  const c = typeof value === "string" ? { text: value } : value;
  const classes = [(c.numeric ?? numeric) ? "n" : "", c.verdict ?? ""].filter(Boolean).join(" ");
  const attributes = `${classes ? ` class="${classes}"` : ""}${c.title ? ` title="${escapeHtml(c.title)}"` : ""}`;
  return `<${tag}${attributes}>${escapeHtml(c.text)}</${tag}>`;
}

/** A table in a box that scrolls sideways on a narrow screen; `numeric[i]` right-aligns column i. */
export function htmlTable(headers: readonly CellLike[], numeric: readonly boolean[], rows: ReadonlyArray<readonly CellLike[]>): string {
  const head = `<tr>${headers.map((h, i) => cell("th", h, numeric[i] ?? false)).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((x, i) => cell("td", x, numeric[i] ?? false)).join("")}</tr>`).join("\n");
  return `<div class="wide"><table>${head}\n${body}</table></div>`;
}

/** A sentence part coloured by its verdict. */
export function marked(text: string, verdict: Verdict): string {
  return `<span class="${verdict}">${escapeHtml(text)}</span>`;
}

/** The colour key printed under a headline. */
export const COLOUR_KEY =
  '<p class="small">Colours follow each KPI\'s good direction: <span class="better">green is better</span>, <span class="worse">red is worse</span>; grey means no clear difference (the 95% interval includes zero) or a KPI that is neither good nor bad in itself (a volume or a mix).</p>';
