// Small time-series charts of the main KPIs, drawn by hand on 2D canvases (a chart library would
// outweigh the whole client for four line charts): one line per sim over the run's whole horizon, a
// time axis with day ticks, the value axis's range with its unit, the presenter's changes as marks,
// a line at "now", and the latest value of each sim in the title.
import type { TimelineMarker } from "../../../server/protocol.ts";
import { CHART_SERIES } from "../kpis.ts";
import { cssColor } from "../portrayal.ts";
import { dayTicks, extent, type ChartHistory } from "../series.ts";
import { el, setText } from "./dom.ts";

/** Line colour per arm (siloed, coordinated); also used by the pane headers and KPI values. */
export const ARM_COLORS = [0xf0883e, 0x39c5cf] as const;

interface Chart {
  canvas: HTMLCanvasElement;
  latest: HTMLElement;
}

/** Room for the value labels (left) and the day labels (below), CSS px. */
const PAD = { l: 40, r: 6, t: 6, b: 16 };

export class Charts {
  private charts: Chart[] = [];

  constructor(private readonly host: HTMLElement) {
    for (const s of CHART_SERIES) {
      const canvas = el("canvas", { className: "chart", attrs: { width: "300", height: "104", role: "img", "aria-label": `${s.label} (${s.unit}) by day` } });
      const latest = el("span", { className: "chart-latest" });
      host.append(el("figure", { className: "chart-box", attrs: { "data-series": s.key } }, [el("figcaption", {}, [el("span", { text: `${s.label} (${s.unit})` }), latest]), canvas]));
      this.charts.push({ canvas, latest });
    }
  }

  /** Redraw from each arm's history; `horizon` is the run's length in sim minutes, `now` the session's minute. */
  draw(series: readonly ChartHistory[], horizon: number, now: number, markers: readonly TimelineMarker[] = [], held: readonly TimelineMarker[] = []): void {
    CHART_SERIES.forEach((def, c) => {
      const { canvas, latest } = this.charts[c];
      const lists = series.map((s) => s.points(def.key));
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const cssW = canvas.clientWidth || 300;
      const cssH = canvas.clientHeight || 104;
      if (canvas.width !== Math.round(cssW * dpr)) canvas.width = Math.round(cssW * dpr);
      if (canvas.height !== Math.round(cssH * dpr)) canvas.height = Math.round(cssH * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, cssW, cssH);
      const range = extent(lists.map((l) => l.v));
      const plotW = cssW - PAD.l - PAD.r;
      const plotH = cssH - PAD.t - PAD.b;
      const x = (t: number) => PAD.l + (t / Math.max(1, horizon)) * plotW;
      const y = (v: number) => (range ? PAD.t + plotH - ((v - range.min) / (range.max - range.min)) * plotH : PAD.t + plotH / 2);
      ctx.font = "10px system-ui, sans-serif";
      ctx.fillStyle = "#8b9bb4";
      ctx.strokeStyle = "#1b2a40";
      ctx.lineWidth = 1;
      ctx.strokeRect(PAD.l + 0.5, PAD.t + 0.5, plotW - 1, plotH - 1);
      // Time axis: a tick and a label at the start of every few days.
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const tick of dayTicks(horizon, plotW)) {
        const tx = Math.round(x(tick.t)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(tx, PAD.t + plotH);
        ctx.lineTo(tx, PAD.t + plotH + 3);
        ctx.stroke();
        ctx.fillText(tick.label, Math.min(Math.max(tx, PAD.l + 8), cssW - 10), PAD.t + plotH + 4);
      }
      // Value axis: the range shown, in the series' format.
      if (range) {
        ctx.textAlign = "right";
        ctx.textBaseline = "top";
        ctx.fillText(def.format(range.max), PAD.l - 4, PAD.t);
        ctx.textBaseline = "bottom";
        ctx.fillText(def.format(range.min), PAD.l - 4, PAD.t + plotH);
      }
      // The presenter's changes (held ones dashed) and "now".
      const mark = (t: number, colour: string, dash: number[]) => {
        ctx.strokeStyle = colour;
        ctx.setLineDash(dash);
        ctx.beginPath();
        ctx.moveTo(Math.round(x(t)) + 0.5, PAD.t);
        ctx.lineTo(Math.round(x(t)) + 0.5, PAD.t + plotH);
        ctx.stroke();
      };
      for (const m of markers) mark(m.t, "#c9a227", []);
      for (const m of held) mark(m.t, "#c9a227", [2, 3]);
      mark(now, "#44546c", [1, 2]);
      ctx.setLineDash([]);
      lists.forEach((l, arm) => {
        ctx.strokeStyle = cssColor(ARM_COLORS[arm] ?? 0xffffff);
        ctx.lineWidth = 1.75;
        ctx.beginPath();
        let open = false;
        for (let i = 0; i < l.t.length; i++) {
          const v = l.v[i];
          if (v === null || v === undefined || !Number.isFinite(v)) {
            open = false;
            continue;
          }
          if (open) ctx.lineTo(x(l.t[i]), y(v));
          else ctx.moveTo(x(l.t[i]), y(v));
          open = true;
        }
        ctx.stroke();
        ctx.lineWidth = 1;
      });
      const texts = lists.map((l) => {
        let i = l.v.length - 1;
        while (i >= 0 && (l.v[i] === null || l.v[i] === undefined)) i--;
        return i < 0 ? "—" : def.format(l.v[i]!);
      });
      setText(latest, texts.join("  ·  "));
    });
  }
}
