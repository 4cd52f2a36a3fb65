// The parts of the page that tell the run as a story: the presenter's changes as marks on the timeline,
// the bar that lists the changes a backward seek held (keep = replay them at their minutes, drop), and
// the debrief (the sides' KPIs with their differences, the decisive moments, the downloads). They only
// read the store and send commands; what the session does comes back in frames.
import type { Moment, SessionStatus, TimelineMarker } from "../../../server/protocol.ts";
import { compareKpi, KPI_CARDS, kpiText } from "../kpis.ts";
import type { ChartHistory } from "../series.ts";
import { dayOf } from "../sim-time.ts";
import type { TwinStore } from "../store.ts";
import { byId, el, setText } from "./dom.ts";

/** "day 9 10:00" for sim minute t: the day of the run and the local time of day. */
export type WhenText = (t: number) => string;

/** The marks on the timeline: changes in force (solid) and held ones (dashed). */
export function renderTimelineMarks(host: HTMLElement, status: SessionStatus, when: WhenText): void {
  const key = JSON.stringify([status.horizon, status.markers.map((m) => m.n), status.held.map((m) => m.n)]);
  if (host.dataset.key === key) return;
  host.dataset.key = key;
  const mark = (m: TimelineMarker, held: boolean) =>
    el("span", {
      className: "timeline-mark",
      title: `${when(m.t)}: ${m.text}${held ? " (held)" : ""}`,
      attrs: { style: `left:${((m.t / Math.max(1, status.horizon)) * 100).toFixed(3)}%`, ...(held ? { "data-held": "" } : {}) },
    });
  host.replaceChildren(...status.markers.map((m) => mark(m, false)), ...status.held.map((m) => mark(m, true)));
}

/** The bar under the controls while a backward seek holds changes. */
export class HeldBar {
  private readonly node = byId("held-bar");
  private key = "";

  constructor(private readonly decide: (keep: boolean) => void) {}

  update(status: SessionStatus | null, canControl: boolean, when: WhenText): void {
    const held = status?.held ?? [];
    const key = JSON.stringify([held.map((m) => m.n), canControl, status?.seeking !== null]);
    if (key === this.key) return;
    this.key = key;
    this.node.hidden = held.length === 0;
    if (held.length === 0) return this.node.replaceChildren();
    const items = el(
      "ul",
      {},
      held.map((m) => el("li", { text: `${when(m.t)}: ${m.text}` })),
    );
    const lead = el("span", { text: `The seek back held ${held.length} later change${held.length === 1 ? "" : "s"}:` });
    if (!canControl) {
      this.node.replaceChildren(lead, items, el("span", { className: "muted", text: "— the presenter decides whether they happen again." }));
      return;
    }
    const keep = el("button", { text: "Keep (replay at their times)", attrs: { type: "button", id: "held-keep" } });
    const drop = el("button", { text: "Drop them", attrs: { type: "button", id: "held-drop" } });
    keep.disabled = drop.disabled = status?.seeking !== null;
    keep.addEventListener("click", () => this.decide(true));
    drop.addEventListener("click", () => this.decide(false));
    this.node.replaceChildren(lead, items, keep, drop);
  }
}

/** What the debrief shows and links to. */
export interface DebriefInput {
  store: TwinStore;
  series: readonly ChartHistory[];
  sessionId: string;
  title: string;
  when: WhenText;
}

/** The debrief dialog: side by side, decisive moments, downloads. */
export class Debrief {
  private readonly dialog = byId<HTMLDialogElement>("debrief");
  private readonly body = byId("debrief-body");
  private renderedSeq = -1;

  get open(): boolean {
    return this.dialog.open;
  }

  show(input: DebriefInput): void {
    this.render(input);
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** Re-render when open and a frame arrived since (figures move while the run plays on). */
  refresh(input: DebriefInput): void {
    if (this.dialog.open && input.store.seq !== this.renderedSeq) this.render(input);
  }

  private render({ store, series, sessionId, title, when }: DebriefInput): void {
    const status = store.status;
    if (!status) return;
    this.renderedSeq = store.seq;
    const arms = store.arms;
    setText(byId("debrief-title"), `Debrief: ${title}, ${status.finished ? "at the horizon" : `so far (${dayOf(status.t, status.horizon)})`}`);
    const head = el("tr", {}, [el("th", { text: "KPI" }), ...arms.map((a) => el("th", { text: a.label })), ...(arms.length === 2 ? [el("th", { text: `${arms[1].label} vs ${arms[0].label}` })] : [])]);
    const rows = KPI_CARDS.map((def) => {
      const cells = arms.map((a) => el("td", { text: kpiText(def, a.kpi) }));
      if (arms.length === 2) {
        const diff = compareKpi(def, def.value(arms[0].kpi), def.value(arms[1].kpi));
        cells.push(el("td", { text: diff.text, attrs: { "data-tone": diff.tone } }));
      }
      return el("tr", { attrs: { "data-kpi": def.key } }, [el("td", { text: def.label }), ...cells]);
    });
    const table = el("table", { className: "debrief-kpis" }, [el("thead", {}, [head]), el("tbody", {}, rows)]);

    const moments: (Moment & { arm: string })[] = series.flatMap((h, i) => h.moments.map((m) => ({ ...m, arm: arms[i]?.label ?? String(i) })));
    moments.sort((a, b) => a.t - b.t);
    const strips = series.map((h, i) =>
      el("div", {}, [
        el("span", { className: "muted", text: arms[i]?.label ?? "" }),
        el(
          "div",
          { className: "moment-strip" },
          h.moments.map((m) =>
            el("span", { className: "moment-dot", title: `${when(m.t)}: ${m.text}`, attrs: { "data-kind": m.kind, style: `left:${((m.t / Math.max(1, status.horizon)) * 100).toFixed(2)}%` } }),
          ),
        ),
      ]),
    );
    const list = el(
      "ol",
      { className: "moments" },
      moments.map((m) => el("li", { text: `${when(m.t)} · ${arms.length > 1 ? `${m.arm}: ` : ""}${m.text}`, attrs: { "data-kind": m.kind } })),
    );

    const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
    const downloads = arms.map((a, i) => {
      const files = ["summary.json", "timeseries.csv", "report.html"];
      return el("p", { className: "downloads" }, [
        el("span", { text: `${a.label}: ` }),
        ...files.map((f) =>
          status.finished && !status.seeking ? el("a", { text: f, attrs: { href: `${base}/${f}?sim=${i}`, download: "", "data-file": f } }) : el("span", { className: "muted", text: `${f} ` }),
        ),
      ]);
    });
    this.body.replaceChildren(
      table,
      el("h3", { text: "Decisive moments" }),
      el("p", { className: "muted", text: "First stockout and first saturation-line crossing at each site (checked every sim hour), and every intervention and lever switch." }),
      ...strips,
      moments.length ? list : el("p", { className: "muted", text: "None yet." }),
      el("h3", { text: "Downloads" }),
      ...(status.finished ? [] : [el("p", { className: "muted", text: "The files are ready when the run reaches its horizon." })]),
      ...downloads,
    );
  }
}
