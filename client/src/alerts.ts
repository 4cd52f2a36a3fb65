// The alerts feed: what the server flags (a stocked site ran out or was restocked, a site crossed the
// saturation line, an intervention landed), newest first, capped. Pure data: the feed panel renders
// `items` as text.
import type { Alert, NetworkInfo } from "../../server/protocol.ts";
import { plainMessage } from "./plain-words.ts";

export type FeedKind = Alert["kind"];
export type Severity = "info" | "warn" | "alert";

export interface FeedItem {
  id: number;
  /** Sim minute. */
  t: number;
  /** Which arm (sim) it came from, and its label. */
  arm: number;
  armLabel: string;
  kind: FeedKind;
  severity: Severity;
  message: string;
}

const SEVERITY: Record<FeedKind, Severity> = {
  stockout: "alert",
  restocked: "info",
  intervention: "warn",
  saturation: "alert",
};

/** A server alert in words, using the network's names where the indices are known. */
export function describeAlert(alert: Alert, network: NetworkInfo | null): string {
  const site = network?.sites[alert.site];
  const sku = network?.skus[alert.sku];
  if (alert.kind === "stockout" && site && sku) return `${sku.name} out of stock at ${site.name}`;
  if (alert.kind === "restocked" && site && sku) return `${sku.name} back in stock at ${site.name}`;
  if (alert.kind === "intervention") return site ? `${plainMessage(alert.message)} at ${site.name}` : plainMessage(alert.message);
  return alert.message;
}

export class AlertFeed {
  items: FeedItem[] = [];
  /** Items ever added (the feed keeps only the newest `max`). */
  total = 0;
  /** Items by kind, ever added. */
  readonly counts: Record<FeedKind, number> = { stockout: 0, restocked: 0, intervention: 0, saturation: 0 };
  private nextId = 1;

  constructor(private readonly max = 300) {}

  add(item: Omit<FeedItem, "id" | "severity">): FeedItem {
    const full: FeedItem = { ...item, id: this.nextId++, severity: SEVERITY[item.kind] };
    this.items.unshift(full);
    if (this.items.length > this.max) this.items.length = this.max;
    this.total++;
    this.counts[item.kind]++;
    return full;
  }

  addServerAlert(arm: number, armLabel: string, alert: Alert, network: NetworkInfo | null): FeedItem {
    return this.add({ t: alert.t, arm, armLabel, kind: alert.kind, message: describeAlert(alert, network) });
  }

  /** Forget items after sim minute t (a seek back replays them). */
  truncateAfter(t: number): void {
    this.items = this.items.filter((i) => i.t <= t);
  }
}
