// Stock for paid orders: reserve an order's units at its site or backorder it there; when new stock
// arrives, allocate it to the backorders first come first served; queue allocated orders for picking.
// Below both the order life cycle (fulfilment.ts) and the stock's arrivals (replenishment, returns), which
// each call it, so neither needs the other.
import { isRiderPath } from "../../network/paths.ts";
import { ORDER_STATE, STAGE, type OrderId } from "../orders/order.ts";
import type { World } from "../world.ts";
import type { FulfilmentCapacity } from "./capacity.ts";

/** Allocation of one run's stock to its orders. */
export class Allocation {
  constructor(
    private readonly w: World,
    private readonly capacity: FulfilmentCapacity,
  ) {}

  /** A paid order with no transfer to wait for: reserve its units at its site, or backorder it there. */
  allocateOrBackorder(o: OrderId): void {
    const O = this.w.orders;
    const { stock, sim } = this.w;
    if (stock.tryReserve(O.site[o], O.sku[o], O.quantity[o])) {
      O.state[o] = ORDER_STATE.allocated;
      O.stamp(o, STAGE.allocated, sim.now);
      this.enqueuePick(o);
    } else {
      O.state[o] = ORDER_STATE.backordered;
      const i = stock.at(O.site[o], O.sku[o]);
      stock.backorders[i].push(o);
      stock.backorderUnits[i] += O.quantity[o];
    }
  }

  /** New stock at a site: allocate it to the orders backordered there, first come first served. */
  serveBackorders(site: number, sku: number): void {
    const O = this.w.orders;
    const { stock, sim } = this.w;
    const i = stock.at(site, sku);
    const queue = stock.backorders[i];
    for (;;) {
      const o = queue.peek(O);
      if (o < 0 || stock.available[i] < O.quantity[o]) return;
      queue.shift(O);
      stock.backorderUnits[i] -= O.quantity[o];
      stock.tryReserve(site, sku, O.quantity[o]);
      O.state[o] = ORDER_STATE.allocated;
      O.stamp(o, STAGE.allocated, sim.now);
      this.enqueuePick(o);
    }
  }

  /** An allocated order joins its site's pick queue. */
  enqueuePick(o: OrderId): void {
    const O = this.w.orders;
    O.stamp(o, STAGE.pickQueued, this.w.sim.now);
    this.capacity.pickQueues[O.site[o]].push(o);
    if (isRiderPath(O.path[o])) this.capacity.riderOrdersQueued[O.site[o]]++;
  }
}
