// The KPI cards above the map: each KPI's value per sim and, in compare, the difference of the
// coordinated arm against the siloed one, coloured better or worse.
import { compareKpi, KPI_CARDS, kpiText, type KpiReading } from "../kpis.ts";
import { el, setText } from "./dom.ts";

interface Card {
  values: HTMLElement[];
  diff: HTMLElement | null;
}

export class KpiStrip {
  private cards: Card[] = [];

  constructor(private readonly host: HTMLElement) {}

  /** Build the cards for these arm labels. */
  setArms(labels: readonly string[]): void {
    this.host.replaceChildren();
    this.cards = KPI_CARDS.map((def) => {
      const values = labels.map((label, i) => el("span", { className: `kpi-value arm-${i}`, text: "—", title: label }));
      const diff = labels.length === 2 ? el("span", { className: "kpi-diff", text: "—", title: `${labels[1]} against ${labels[0]}` }) : null;
      this.host.append(
        el("div", { className: "kpi", title: def.hint, attrs: { "data-kpi": def.key } }, [
          el("div", { className: "kpi-label", text: def.label }),
          el("div", { className: "kpi-values" }, values),
          diff,
        ]),
      );
      return { values, diff };
    });
  }

  update(kpis: readonly (KpiReading | undefined)[]): void {
    KPI_CARDS.forEach((def, c) => {
      const card = this.cards[c];
      if (!card) return;
      card.values.forEach((node, i) => setText(node, kpiText(def, kpis[i])));
      if (card.diff) {
        const a = kpis[0] ? def.value(kpis[0]) : null;
        const b = kpis[1] ? def.value(kpis[1]) : null;
        const { text, tone } = compareKpi(def, a, b);
        setText(card.diff, text);
        card.diff.dataset.tone = tone;
      }
    });
  }
}
