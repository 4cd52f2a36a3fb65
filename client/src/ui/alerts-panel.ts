// The alerts feed panel: the newest alerts first, each with its sim time, which sim it came from
// and what happened, as plain text.
import type { AlertFeed } from "../alerts.ts";
import { el, setText } from "./dom.ts";

const SHOWN = 80;

export class AlertsPanel {
  private shownTotal = -1;
  private shownFirst = -1;

  constructor(
    private readonly list: HTMLElement,
    private readonly count: HTMLElement,
    /** Sim minute → "05-20 21:40" in the scenario's zone. */
    private readonly when: (t: number) => string,
  ) {}

  render(feed: AlertFeed): void {
    const first = feed.items[0]?.id ?? 0;
    if (feed.total === this.shownTotal && first === this.shownFirst) return;
    this.shownTotal = feed.total;
    this.shownFirst = first;
    setText(this.count, String(feed.total));
    this.list.replaceChildren(
      ...feed.items.slice(0, SHOWN).map((item) =>
        el("li", { className: `alert alert-${item.severity} arm-${item.arm}`, attrs: { "data-kind": item.kind } }, [
          el("time", { text: this.when(item.t) }),
          el("span", { className: "alert-arm", text: item.armLabel }),
          el("span", { className: "alert-text", text: item.message }),
        ]),
      ),
    );
  }
}
