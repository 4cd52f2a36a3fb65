// The site inspector: click a site to see, for each sim, its stock by SKU against the target and
// the safety line, its pick queue and how much of its capacity that is, and the decisions taken
// there with their reasons; click a demand zone to see it and surge it.
import type { MapLayout } from "../layout.ts";
import { decisionKind, plainFigures } from "../plain-words.ts";
import { TIER_LOOK } from "../portrayal.ts";
import type { TwinStore } from "../store.ts";
import type { Pick } from "../map/map-view.ts";
import { el } from "./dom.ts";

const DECISIONS_SHOWN = 8;

export class Inspector {
  /** Rendered for this (pick, store version), to skip identical redraws. */
  private shown = "";
  /** Set by the page: a presenter's surge for a zone. */
  onSurgeZone: ((zone: number) => void) | null = null;
  canControl = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly when: (t: number) => string,
  ) {
    this.clear();
  }

  clear(): void {
    this.shown = "";
    this.host.replaceChildren(el("p", { className: "muted", text: "Click a site for its stock, queue and decisions; click a demand zone to surge it." }));
  }

  render(pick: Pick | null, store: TwinStore, layout: MapLayout): void {
    if (!pick) {
      if (this.shown !== "") this.clear();
      return;
    }
    const key = `${pick.kind}:${pick.index}:${store.version}:${this.canControl}`;
    if (key === this.shown) return;
    this.shown = key;
    if (pick.kind === "zone") return this.renderZone(pick.index, layout);
    const site = layout.sites[pick.index];
    const network = store.network;
    if (!site || !network) return this.clear();
    const blocks: HTMLElement[] = [el("h3", { text: site.name }), el("p", { className: "muted", text: `${TIER_LOOK[site.type].label} · ${site.id}` })];
    store.arms.forEach((arm, a) => {
      const load = store.siteLoad(a, site.index);
      const rows = network.skus.map((sku, k) => {
        const c = store.sku(a, site.index, k);
        const state = c.target <= 0 ? "" : c.onHand < 1 ? "out" : c.onHand < c.safetyLine ? "low" : "ok";
        return el("tr", { attrs: { "data-state": state } }, [
          el("td", { text: sku.name, title: sku.id }),
          cell(c.onHand),
          cell(c.inTransit),
          cell(c.backorder),
          c.target > 0 ? cell(c.target) : el("td", { text: "—" }),
          c.target > 0 && c.safetyLine > 0 ? cell(c.safetyLine) : el("td", { text: "—" }),
        ]);
      });
      const decisions = store.decisionsAt(a, site.id, DECISIONS_SHOWN);
      blocks.push(
        el("section", { className: `inspect-arm arm-${a}` }, [
          el("h4", { text: arm.label }),
          el("table", { className: "stock" }, [
            el("thead", {}, [el("tr", {}, [["SKU", "SKU"], ["on hand", "on hand"], ["transit", "in transit"], ["owed", "owed to backorders"], ["target", "order-up-to target"], ["safety", "the model's inventory safety line"]].map(([h, title]) => el("th", { text: h, title })))]),
            el("tbody", {}, rows),
          ]),
          el("p", {
            text:
              `Pick queue ${fmt(load.pickQueue)} orders` +
              (load.capacityPerDay > 0
                ? ` · last day ${fmt(load.ordersLastDay)} orders, ${(load.load * 100).toFixed(0)}% of ${fmt(load.capacityPerDay)}/day capacity` +
                  (load.saturated ? " · over the saturation line" : "")
                : ""),
          }),
          decisions.length
            ? el(
                "ol",
                { className: "decisions" },
                decisions.map((d) =>
                  el("li", {}, [
                    el("time", { text: this.when(d.t) }),
                    el("strong", { text: decisionKind(d.kind) }),
                    el("span", { text: `: ${d.reason}` }),
                    el("span", { className: "muted", text: ((f) => (f ? ` (${f})` : ""))(plainFigures(d.figures, network, this.when)) }),
                  ]),
                ),
              )
            : el("p", { className: "muted", text: "No decisions here yet in this session." }),
        ]),
      );
    });
    this.host.replaceChildren(...blocks);
  }

  private renderZone(index: number, layout: MapLayout): void {
    const zone = layout.zones[index];
    if (!zone) return this.clear();
    const button = el("button", { text: "Surge demand here", attrs: { type: "button", "data-action": "surge-zone" } });
    button.disabled = !this.canControl;
    button.title = this.canControl ? "triple the order rate in this zone for 6 sim hours, in every sim" : "only the presenter can intervene";
    button.addEventListener("click", () => this.onSurgeZone?.(index));
    this.host.replaceChildren(
      el("h3", { text: zone.name }),
      el("p", { className: "muted", text: `demand zone ${zone.id} · reach ${zone.radiusKm} km · weight ${(zone.weightShare * 100).toFixed(0)}% of the busiest` }),
      button,
    );
  }
}

/** A stock figure for a narrow column: "20.9k" from ten thousand on, the exact number in the tooltip. */
function cell(x: number): HTMLElement {
  const n = Math.round(x);
  return el("td", { text: Math.abs(n) < 10_000 ? fmt(n) : `${(n / 1000).toFixed(Math.abs(n) < 100_000 ? 1 : 0)}k`, title: fmt(n) });
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}
