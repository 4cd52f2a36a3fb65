// The running stock of every site × SKU — the "world" side of inventory: available, reserved (allocated
// to an order, still on the shelf), in transit towards the site, on order from its parent, and the
// FIFO queue of orders backordered there; for a SKU with a shelf life, the lots on hand (lots.ts), taken
// first-expiry-first-out by every unit that leaves. The static targets live with replenishment.
import { ORDER_STATE, type OrderId, type Orders } from "../orders/order.ts";
import { addLot, expiredUnits, mergeLots, takeLots, type Lots } from "./lots.ts";

/** A FIFO of orders with O(1) push/shift; cancelled orders stay queued and are skipped by whoever pops. */
export class OrderQueue {
  private items: OrderId[] = [];
  private head = 0;
  /** Live (not cancelled) orders waiting. */
  live = 0;

  push(order: OrderId): void {
    this.items.push(order);
    this.live++;
  }
  /** Next order still wanting service (cancelled ones are dropped), or -1. */
  shift(orders: Orders): OrderId {
    while (this.head < this.items.length) {
      const o = this.items[this.head++];
      if (this.head > 4096 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (orders.state[o] !== ORDER_STATE.cancelled) {
        this.live--;
        return o;
      }
    }
    return -1;
  }
  /** The next live order without removing it, or -1. */
  peek(orders: Orders): OrderId {
    while (this.head < this.items.length) {
      const o = this.items[this.head];
      if (orders.state[o] !== ORDER_STATE.cancelled) return o;
      this.head++;
    }
    return -1;
  }
  /** Called when a queued order is cancelled (it stays in the array and is skipped later). */
  forget(): void {
    this.live--;
  }
}

/** Stock of every site × SKU, flat-indexed `site * skuCount + sku`. */
export class Stock {
  readonly available: Float64Array;
  readonly reserved: Float64Array;
  readonly inTransit: Float64Array;
  readonly onOrder: Float64Array;
  /** Units of backordered orders waiting at the site. */
  readonly backorderUnits: Float64Array;
  readonly backorders: OrderQueue[];
  /** Shelf life per SKU in minutes (0: the SKU does not perish). */
  readonly lifeMinutes: Float64Array;
  /**
   * Lots on hand per site × SKU for SKUs with a shelf life (null for the rest): their units always add up to
   * available + reserved. Reserved units are not tied to lots; every unit that leaves takes the first to expire.
   */
  readonly lots: Array<Lots | null>;
  /** The lots the last `take` removed, for the caller to carry (null when the SKU does not perish). */
  lastTaken: Lots | null = null;

  constructor(
    readonly siteCount: number,
    readonly skuCount: number,
    lifeMinutes?: Float64Array,
  ) {
    const n = siteCount * skuCount;
    this.available = new Float64Array(n);
    this.reserved = new Float64Array(n);
    this.inTransit = new Float64Array(n);
    this.onOrder = new Float64Array(n);
    this.backorderUnits = new Float64Array(n);
    this.backorders = Array.from({ length: n }, () => new OrderQueue());
    this.lifeMinutes = lifeMinutes ?? new Float64Array(skuCount);
    this.lots = Array.from({ length: n }, (_, i) => (this.lifeMinutes[i % skuCount] > 0 ? [] : null));
  }

  /** Whether a SKU has a shelf life (its stock is kept in lots). */
  perishable(sku: number): boolean {
    return this.lifeMinutes[sku] > 0;
  }

  /**
   * Units arrive on a site's shelf. `lots` are what a shipment carried; without them, units of a perishable
   * SKU are fresh (they expire one shelf life after `now`).
   */
  receive(site: number, sku: number, units: number, now: number, lots: Lots | null = null): void {
    const i = site * this.skuCount + sku;
    this.available[i] += units;
    const onHand = this.lots[i];
    if (onHand === null) return;
    if (lots) mergeLots(onHand, lots);
    else addLot(onHand, now + this.lifeMinutes[sku], units);
  }

  /**
   * Scrap the expired units of a site × SKU (expiry ≤ now) that are not reserved for an order; returns the
   * units scrapped. Reserved units are about to be picked and leave with the order.
   */
  expire(site: number, sku: number, now: number): number {
    const i = site * this.skuCount + sku;
    const lots = this.lots[i];
    if (lots === null || lots.length === 0 || lots[0] > now) return 0;
    const units = Math.min(expiredUnits(lots, now), this.available[i]);
    if (units <= 0) return 0;
    this.available[i] -= units;
    takeLots(lots, units);
    return units;
  }

  at(site: number, sku: number): number {
    return site * this.skuCount + sku;
  }
  /** Physical units on hand (available + reserved). */
  onHand(site: number, sku: number): number {
    const i = site * this.skuCount + sku;
    return this.available[i] + this.reserved[i];
  }
  /** Inventory position: on hand + in transit + on order − backorders. */
  position(site: number, sku: number): number {
    const i = site * this.skuCount + sku;
    return this.available[i] + this.reserved[i] + this.inTransit[i] + this.onOrder[i] - this.backorderUnits[i];
  }
  /** Reserve units for an order if the site has them; false otherwise. */
  tryReserve(site: number, sku: number, units: number): boolean {
    const i = site * this.skuCount + sku;
    if (this.available[i] < units) return false;
    this.available[i] -= units;
    this.reserved[i] += units;
    return true;
  }
  /** Give a reservation back to the shelf (a cancelled order). */
  unreserve(site: number, sku: number, units: number): void {
    const i = site * this.skuCount + sku;
    this.reserved[i] -= units;
    this.available[i] += units;
  }
  /** Reserved units leave the site (shipped, picked up). */
  consumeReserved(site: number, sku: number, units: number): void {
    const i = site * this.skuCount + sku;
    this.reserved[i] -= units;
    const lots = this.lots[i];
    if (lots !== null) takeLots(lots, units);
  }
  /** Take available units straight off the shelf (walk-in sale, outbound transfer); false if short. */
  take(site: number, sku: number, units: number): boolean {
    const i = site * this.skuCount + sku;
    if (this.available[i] < units) return false;
    this.available[i] -= units;
    const lots = this.lots[i];
    this.lastTaken = lots === null ? null : takeLots(lots, units);
    return true;
  }
}
