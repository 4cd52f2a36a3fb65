// Small time-series charts of the main KPIs, drawn by hand on 2D canvases (a chart library would
// outweigh the whole client for four line charts): one line per sim, the run's whole horizon on
// the x axis so progress reads at a glance, the latest value of each sim in the title.
import { CHART_SERIES } from "../kpis.ts";
import { cssColor } from "../portrayal.ts";
import { extent, type KpiSeries } from "../series.ts";
import { el, setText } from "./dom.ts";

/** Line colour per arm (siloed, coordinated); also used by the pane headers and KPI values. */
export const ARM_COLORS = [0xf0883e, 0x39c5cf] as const;

interface Chart {
  canvas: HTMLCanvasElement;
  latest: HTMLElement;
}

export class Charts {
  private charts: Chart[] = [];

  constructor(private readonly host: HTMLElement) {
    for (const s of CHART_SERIES) {
      const canvas = el("canvas", { className: "chart", attrs: { width: "300", height: "86", role: "img", "aria-label": s.label } });
      const latest = el("span", { className: "chart-latest" });
      host.append(el("figure", { className: "chart-box" }, [el("figcaption", {}, [el("span", { text: s.label }), latest]), canvas]));
      this.charts.push({ canvas, latest });
    }
  }

  /** Redraw from each arm's history; `horizon` is the run's length in sim minutes. */
  draw(series: readonly KpiSeries[], horizon: number): void {
    CHART_SERIES.forEach((def, c) => {
      const { canvas, latest } = this.charts[c];
      const lists = series.map((s) => s.points(def.key));
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const cssW = canvas.clientWidth || 300;
      const cssH = canvas.clientHeight || 86;
      if (canvas.width !== Math.round(cssW * dpr)) canvas.width = Math.round(cssW * dpr);
      if (canvas.height !== Math.round(cssH * dpr)) canvas.height = Math.round(cssH * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, cssW, cssH);
      const range = extent(lists.map((l) => l.v));
      const pad = { l: 4, r: 4, t: 6, b: 6 };
      const x = (t: number) => pad.l + (t / Math.max(1, horizon)) * (cssW - pad.l - pad.r);
      const y = (v: number) => (range ? cssH - pad.b - ((v - range.min) / (range.max - range.min)) * (cssH - pad.t - pad.b) : cssH / 2);
      ctx.strokeStyle = "#1b2a40";
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, cssW - 1, cssH - 1);
      lists.forEach((l, arm) => {
        ctx.strokeStyle = cssColor(ARM_COLORS[arm] ?? 0xffffff);
        ctx.lineWidth = 1.75;
        ctx.beginPath();
        let open = false;
        for (let i = 0; i < l.t.length; i++) {
          const v = l.v[i];
          if (v === null || !Number.isFinite(v)) {
            open = false;
            continue;
          }
          if (open) ctx.lineTo(x(l.t[i]), y(v));
          else ctx.moveTo(x(l.t[i]), y(v));
          open = true;
        }
        ctx.stroke();
      });
      const texts = lists.map((l) => {
        const v = l.v.at(-1);
        return v === null || v === undefined ? "—" : def.format(v);
      });
      setText(latest, texts.join("  ·  "));
    });
  }
}
