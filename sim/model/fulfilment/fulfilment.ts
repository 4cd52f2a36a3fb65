// Fulfilment of online orders: payment, routing (routing.ts), stock reservation (allocation.ts), the
// pick/pack wave at each site (a queue with measured waits, never a silent cap), riders, express hand-over,
// store pickup counters, delivery, and cancellation when the customer's patience runs out. The sites'
// capacity and the time estimates the router reads from it are in capacity.ts.
import type { ServerQueue } from "../../engine/index.ts";
import type { CostLine } from "../../metrics/collector.ts";
import { deliveryExperienceScore } from "../../policy/satisfaction.ts";
import { pickCapacityOver } from "../../network/network.ts";
import { isPickupPath, isRiderPath, PATH, type Path } from "../../network/paths.ts";
import { ORDER_STATE, STAGE, type OrderId } from "../orders/order.ts";
import type { OrderQueue } from "../stock/stock.ts";
import { lateCompensationRule } from "../../scenario/schema.ts";
import type { World } from "../world.ts";
import type { Allocation } from "./allocation.ts";
import { PICK_WAVE_MINUTES, type FulfilmentCapacity } from "./capacity.ts";
import type { Routing } from "./routing.ts";
import type { Transport } from "../transport.ts";
import type { Lots } from "../stock/lots.ts";

const COUNTER_SERVICE_FLOOR_MINUTES = 0.5;

/** Hooks fulfilment calls into the other processes. */
export interface FulfilmentHooks {
  /** Send `units` from `from` to `to` at once on a dedicated van; `onArrive` when they are there. */
  adHocTransfer(from: number, to: number, sku: number, units: number, onArrive: () => void): void;
  /** An order was delivered or picked up. */
  delivered(order: OrderId): void;
  /** A site saw customer demand for `units` of a SKU (its own history, for its forecast). */
  demandSeen(site: number, sku: number, units: number): void;
}

/** The fulfilment process of one run. */
export class Fulfilment {
  // The capacity's own arrays, held here too so the per-order paths read them without a hop.
  private readonly pickQueues: OrderQueue[];
  private readonly pickCredit: Float64Array;
  private readonly riderOrdersQueued: Float64Array;
  /** Extra pick capacity share in force per site (surge, lever L3); the capacity's array. */
  readonly pickSurge: Float64Array;
  /** Each site's riders and pickup counter (null where it has none); the capacity's arrays. */
  readonly riders: Array<ServerQueue | null>;
  readonly counters: Array<ServerQueue | null>;
  /** Paid orders neither delivered nor cancelled yet, in no particular order (each knows its slot). */
  readonly paidOpen: OrderId[] = [];
  /** The late-compensation rule in force (share, min, max) and what triggers it. */
  private readonly compensation: { share: number; min: number; max: number };
  private readonly compensateLateDispatch: boolean;
  /** Late compensation already paid per multi-line customer order (basket id): its late lines' value and the payment. */
  private readonly basketCompensation = new Map<number, { value: number; paid: number }>();
  /** Compensate a paid order cancelled after its deadline passed, as well as one served late. */
  private readonly compensateBreachedCancel: boolean;
  private readonly dispatchWithinMinutes: number;

  constructor(
    private readonly w: World,
    readonly capacity: FulfilmentCapacity,
    private readonly allocation: Allocation,
    readonly routing: Routing,
    private readonly hooks: FulfilmentHooks,
    private readonly transport: Transport,
  ) {
    const { network, sim } = w;
    const n = network.siteCount;
    this.pickQueues = capacity.pickQueues;
    this.pickCredit = capacity.pickCredit;
    this.riderOrdersQueued = capacity.riderOrdersQueued;
    this.pickSurge = capacity.pickSurge;
    this.riders = capacity.riders;
    this.counters = capacity.counters;
    const c = w.scenario.costs.lateCompensation;
    this.compensation = lateCompensationRule(c);
    this.compensateLateDispatch = c.trigger === "lateDispatch";
    this.compensateBreachedCancel = c.afterBreachCancel;
    this.dispatchWithinMinutes = c.dispatchWithinHours * 60;
    for (let site = 0; site < n; site++) if (network.siteType[site] !== 0) sim.scheduleAt(0, this.pickWave, site);
  }

  /** Orders waiting to be picked at a site. */
  pickQueueLength(site: number): number {
    return this.capacity.pickQueueLength(site);
  }

  /** A paid order enters fulfilment: promise, patience, routing, allocation. */
  release(o: OrderId): void {
    this.open(o);
    const decision = this.routing.route(o); // overwritten by the next order's routing: read it now
    const { metrics } = this.w;
    metrics.basketsRouted++;
    metrics.linesRouted++;
    metrics.parcelsPlanned++;
    if (this.declines(o, decision.path)) {
      this.decline(o, decision.path, decision.site);
      return;
    }
    this.apply(o, decision.path, decision.site, decision.transferFrom, decision.reason);
  }

  /**
   * The paid lines of one customer order (`rows[0..n)`, n > 1) enter fulfilment together: routed as one
   * (Routing.routeBasket: split or one parcel), split handling charged per extra parcel, then each line goes
   * its way. A customer who declines a pickup offer for any line cancels the whole order.
   */
  releaseBasket(rows: Int32Array, n: number): void {
    const { metrics } = this.w;
    for (let i = 0; i < n; i++) this.open(rows[i]);
    const parcels = this.routing.routeBasket(rows, n);
    metrics.basketsRouted++;
    metrics.linesRouted += n;
    metrics.basketsMultiLine++;
    metrics.parcelsPlanned += parcels;
    if (parcels > 1) metrics.basketsSplit++;
    let declined = false;
    for (let i = 0; i < n; i++) if (this.declines(rows[i], this.routing.decisionFor(i).path)) declined = true;
    if (declined) {
      metrics.pickupOffersDeclined++;
      for (let i = 0; i < n; i++) {
        const d = this.routing.decisionFor(i);
        this.decline(rows[i], d.path, d.site, false);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const d = this.routing.decisionFor(i);
      this.apply(rows[i], d.path, d.site, d.transferFrom, d.reason);
    }
    if (parcels > 1) this.charge(rows[0], "fulfilment", (parcels - 1) * (this.w.scenario.customers?.baskets?.splitHandlingPerParcel ?? 0));
  }

  /** A paid order joins the open list and the backlog. */
  private open(o: OrderId): void {
    const O = this.w.orders;
    const { metrics, sim } = this.w;
    O.paidAt[o] = sim.now;
    O.openSlot[o] = this.paidOpen.length;
    this.paidOpen.push(o);
    metrics.ordersPaid++;
    metrics.backlogUp();
  }

  /** The customer of `o` asked for home delivery, would decline store pickup, and the router offers it. */
  private declines(o: OrderId, path: number): boolean {
    const O = this.w.orders;
    return O.declinesPickup[o] === 1 && isPickupPath(path as Path) && this.w.network.channels[O.channel[o]].fulfilment === "delivery";
  }

  /** The customer declines the pickup offer and cancels; `count` the customer order (its first line does). */
  private decline(o: OrderId, path: number, site: number, count = true): void {
    const O = this.w.orders;
    const { metrics } = this.w;
    O.path[o] = path;
    O.site[o] = site;
    if (count) metrics.pickupOffersDeclined++;
    metrics.unitsPickupDeclined += O.quantity[o];
    this.cancel(o);
  }

  /** Apply a routing decision to a paid order: promise, patience, allocation or transfer. */
  private apply(o: OrderId, path: number, site: number, transferFrom: number, reason: number): void {
    const O = this.w.orders;
    const { stock, metrics, sim } = this.w;
    O.path[o] = path;
    O.site[o] = site;
    O.reason[o] = reason;
    metrics.ordersByPath[O.path[o]]++;
    O.promiseAt[o] = this.capacity.promiseFor(O.path[o] as Path, O.site[o], O.paidAt[o], O.campaign[o]);
    const patience = O.patienceMinutes[o];
    if (Number.isFinite(patience)) O.patienceEvent[o] = sim.scheduleAt(Math.max(sim.now, O.promiseAt[o] + patience), this.onPatience, o);
    this.hooks.demandSeen(O.site[o], O.sku[o], O.quantity[o]);
    if (transferFrom >= 0) {
      stock.take(transferFrom, O.sku[o], O.quantity[o]);
      const lots = stock.lastTaken;
      stock.lastTaken = null;
      O.awaitingTransfer[o] = 1;
      O.state[o] = ORDER_STATE.allocated;
      O.stamp(o, STAGE.allocated, sim.now);
      this.hooks.adHocTransfer(transferFrom, O.site[o], O.sku[o], O.quantity[o], () => this.transferArrived(o, lots));
      return;
    }
    this.allocation.allocateOrBackorder(o);
  }

  /** Charge a cost to an order: its cost line, its path, and the near-customer tally. */
  private charge(o: OrderId, line: CostLine, amount: number): void {
    const O = this.w.orders;
    const { metrics } = this.w;
    metrics.cost(line, amount);
    metrics.costByPath[O.path[o]] += amount;
    if (O.near[o]) metrics.nearCost += amount;
  }


  private transferArrived(o: OrderId, lots: Lots | null): void {
    const O = this.w.orders;
    const { stock } = this.w;
    // The transferred units land at the store; if the customer already gave up they simply restock it.
    stock.receive(O.site[o], O.sku[o], O.quantity[o], this.w.sim.now, lots);
    if (O.state[o] === ORDER_STATE.cancelled) {
      this.allocation.serveBackorders(O.site[o], O.sku[o]);
      return;
    }
    O.awaitingTransfer[o] = 0;
    stock.tryReserve(O.site[o], O.sku[o], O.quantity[o]);
    this.allocation.enqueuePick(o);
  }


  /** One pick wave at a site: pick as many queued orders as the wave's capacity allows. */
  private readonly pickWave = (site: number): void => {
    const O = this.w.orders;
    const w = this.w;
    const { sim, network, metrics } = w;
    const next = sim.now + PICK_WAVE_MINUTES;
    if (next < w.horizon) sim.scheduleAt(next, this.pickWave, site);
    if (!this.capacity.inShift(site, sim.now)) {
      this.pickCredit[site] = 0;
      return;
    }
    const s = network.sites[site];
    if (s.type === "factory") return;
    const capacity = pickCapacityOver(s, this.pickSurge[site], PICK_WAVE_MINUTES);
    metrics.pickOffered[site] += capacity;
    const queue = this.pickQueues[site];
    let credit = this.pickCredit[site] + capacity;
    const unitCost = this.capacity.pickPackCost(site);
    while (credit >= 1) {
      const o = queue.shift(O);
      if (o < 0) break;
      if (isRiderPath(O.path[o])) this.riderOrdersQueued[site]--;
      // Capacity and pick/pack are per parcel (domain numbers: orders of 1.6 lines); a line joining a
      // parcel of its customer order rides on the parcel's slot.
      if (O.parcelLead[o]) {
        credit -= 1;
        metrics.picked[site]++;
        this.charge(o, "pickPack", unitCost);
      }
      this.afterPick(o);
    }
    // Unused capacity does not carry over into an empty queue.
    this.pickCredit[site] = queue.live > 0 ? credit : 0;
  };

  /** The last parcel lead shipped by express or made ready for pickup, and when: its lines picked right after it join it. */
  private lastLead = -1;
  private lastLeadAt = Number.NaN;
  /** The last line of that lead's chain (lines keep their picking order). */
  private lastTail = -1;

  /**
   * A line of a parcel picked right after the parcel's lead (same wave, same site, same way out) travels with
   * it: it joins the lead's chain and shares its delivery or hand-over events. Express and pickup only: a
   * rider line keeps its own trip (a lead waiting for a rider may still be cancelled).
   */
  private joinsLead(o: OrderId): boolean {
    const O = this.w.orders;
    const lead = this.lastLead;
    if (O.parcelLead[o] || lead < 0 || this.lastLeadAt !== this.w.sim.now) return false;
    if (O.basket[lead] !== O.basket[o] || O.site[lead] !== O.site[o] || O.path[lead] !== O.path[o] || O.parcelLead[lead] !== 1) return false;
    O.parcelNext[this.lastTail] = o;
    this.lastTail = o;
    return true;
  }

  /** `o` heads a parcel leaving now: lines picked right after it may join it. */
  private leads(o: OrderId): void {
    this.lastLead = this.lastTail = o;
    this.lastLeadAt = this.w.sim.now;
  }

  private afterPick(o: OrderId): void {
    const O = this.w.orders;
    const { sim } = this.w;
    O.state[o] = ORDER_STATE.picked;
    switch (O.path[o]) {
      case PATH.rdcExpress:
        this.shipExpress(o);
        return;
      case PATH.fdcInstant:
      case PATH.storeDelivery: {
        const riders = this.riders[O.site[o]];
        if (!riders) {
          this.shipExpress(o);
          return;
        }
        riders.request(this.riderGranted, 0, o);
        return;
      }
      default: {
        // Pickup: ready at the counter; the customer comes when they come (once for a parcel's lines).
        O.readyAt[o] = sim.now;
        this.stopPatience(o);
        this.w.metrics.backlogDown();
        if (this.joinsLead(o)) return;
        if (O.parcelLead[o]) this.leads(o);
        sim.scheduleIn(O.pickupDelayMinutes[o], this.customerAtCounter, o);
      }
    }
  }

  private stopPatience(o: OrderId): void {
    const O = this.w.orders;
    if (O.patienceEvent[o] >= 0) {
      this.w.sim.cancel(O.patienceEvent[o]);
      O.patienceEvent[o] = -1;
    }
  }

  private markShipped(o: OrderId): void {
    const O = this.w.orders;
    const { stock, metrics, sim } = this.w;
    stock.consumeReserved(O.site[o], O.sku[o], O.quantity[o]);
    metrics.ledger[O.sku[o]].shippedToCustomers += O.quantity[o];
    O.state[o] = ORDER_STATE.shipped;
    O.stamp(o, STAGE.shipped, sim.now);
    // Dispatched: handed to the carrier or a rider now; a pickup order was dispatched when it was ready.
    if (Number.isNaN(O.readyAt[o])) O.readyAt[o] = sim.now;
    this.stopPatience(o);
  }

  private shipExpress(o: OrderId): void {
    const O = this.w.orders;
    const w = this.w;
    const { network, sim, metrics } = w;
    this.markShipped(o);
    metrics.backlogDown();
    // A rider path whose site has no riders ships by express: it is charged as express.
    this.charge(o, "fulfilment", this.routing.lastMile(o, PATH.rdcExpress));
    if (this.joinsLead(o)) return;
    if (O.parcelLead[o]) this.leads(o);
    const km = network.kmFrom(O.lat[o], O.lon[o], O.site[o]);
    // The carrier collects it today if the site's daily pickup has room, else at a later day's pickup.
    const collectedAt = this.capacity.carrier.handOver(O.site[o], sim.now);
    const arriveAt = this.capacity.expressDeliveryAt(collectedAt, km, this.transport.express(O.lastMileDraw[o]));
    w.observer?.parcel("express", O.site[o], O.zone[o], O.sku[o], O.quantity[o], sim.now, arriveAt);
    sim.scheduleAt(arriveAt, this.onDelivered, o);
  }

  /** A rider of the order's site is free for it (the site cannot change once the order is picked). */
  private readonly riderGranted = (_wait: number, o: OrderId): void => {
    const O = this.w.orders;
    const w = this.w;
    const { network, sim, metrics } = w;
    if (O.state[o] === ORDER_STATE.cancelled) {
      this.riders[O.site[o]]!.release();
      return;
    }
    this.markShipped(o);
    metrics.backlogDown();
    const oneWay = this.capacity.riderOneWayMinutes(O.site[o], network.kmFrom(O.lat[o], O.lon[o], O.site[o])) * this.transport.rider(O.lastMileDraw[o]);
    this.charge(o, "fulfilment", this.routing.lastMile(o));
    w.observer?.parcel("rider", O.site[o], O.zone[o], O.sku[o], O.quantity[o], sim.now, sim.now + oneWay);
    sim.scheduleIn(oneWay, this.onDelivered, o);
    // By the time the rider is back the order is delivered and its row may hold another order: pass the site.
    sim.scheduleIn(2 * oneWay, this.riderBack, O.site[o]);
  };

  private readonly riderBack = (site: number): void => {
    this.riders[site]!.release();
  };

  private readonly customerAtCounter = (o: OrderId): void => {
    const counter = this.counters[this.w.orders.site[o]];
    if (counter) counter.request(this.handOver, 0, o);
    else this.handOver(0, o);
  };

  /** The counter (if the site has one) serves the pickup customer of `o`. */
  private readonly handOver = (_wait: number, o: OrderId): void => {
    const { sim, network } = this.w;
    const site = network.sites[this.w.orders.site[o]];
    const service = site.type === "store" ? Math.max(COUNTER_SERVICE_FLOOR_MINUTES, 60 / site.pickupCounterPerHour) : 1;
    this.markShipped(o);
    this.charge(o, "fulfilment", this.routing.lastMile(o));
    for (let f = this.w.orders.parcelNext[o]; f >= 0; f = this.w.orders.parcelNext[f]) {
      this.markShipped(f);
      this.charge(f, "fulfilment", this.routing.lastMile(f));
    }
    sim.scheduleIn(service, this.handedOver, o);
  };

  /** The counter has handed a pickup order over: free the counter, and the order is delivered. */
  private readonly handedOver = (o: OrderId): void => {
    this.counters[this.w.orders.site[o]]?.release();
    this.onDelivered(o);
  };

  /** A parcel arrives: its lead and every line chained to it are delivered. */
  private readonly onDelivered = (o: OrderId): void => {
    const O = this.w.orders;
    // Read the chain first: delivering a line retires its row.
    let f = O.parcelNext[o];
    this.delivered(o);
    while (f >= 0) {
      const next = O.parcelNext[f];
      this.delivered(f);
      f = next;
    }
  };

  private delivered(o: OrderId): void {
    const O = this.w.orders;
    const { sim, metrics, network, scenario, satisfaction } = this.w;
    O.state[o] = ORDER_STATE.delivered;
    O.stamp(o, STAGE.delivered, sim.now);
    metrics.ordersDelivered++;
    metrics.deliveredByPath[O.path[o]]++;
    if (O.near[o]) metrics.nearDelivered++;
    metrics.unitsFulfilled += O.quantity[o];
    metrics.leadTimesHours.push((sim.now - O.paidAt[o]) / 60);
    this.closePaid(o);
    // Pickup orders are on time when they were ready by the promise; the rest when delivered by it.
    const doneAt = isPickupPath(O.path[o]) ? O.readyAt[o] : sim.now;
    const onTime = doneAt <= O.promiseAt[o] + 1e-9;
    const sku = network.skus[O.sku[o]];
    metrics.revenue += O.unitPrice[o] * O.quantity[o];
    metrics.costOfGoodsSold += sku.unitCost * O.quantity[o];
    if (this.compensateLateDispatch ? O.readyAt[o] > this.dispatchDeadline(o) + 1e-9 : !onTime) this.compensate(o);
    if (onTime) {
      metrics.ordersDeliveredOnTime++;
      metrics.experience(1);
      satisfaction.record(O.zone[o], 1);
    } else {
      O.late[o] = 1;
      const score = deliveryExperienceScore((doneAt - O.promiseAt[o]) / 1440);
      metrics.experience(score);
      satisfaction.record(O.zone[o], score);
    }
    this.hooks.delivered(o);
    // Delivered is the end: no queue, event or list refers to the order any more, so its row may be reused.
    O.retire(o);
  }

  /**
   * Pay the late-compensation rule on this line (served late, or cancelled after its deadline). The rule is
   * per customer order: a basket's late lines add up to one payment — the share of their value, at least
   * `min` and at most `max` once — charged as each late line ends, and the order counts once.
   */
  private compensate(o: OrderId): void {
    const O = this.w.orders;
    const c = this.compensation;
    const value = O.unitPrice[o] * O.quantity[o];
    if (O.basketLines[o] <= 1) {
      this.w.metrics.ordersCompensated++;
      this.charge(o, "compensation", Math.min(c.max, Math.max(c.min, c.share * value)));
      return;
    }
    let owed = this.basketCompensation.get(O.basket[o]);
    if (owed === undefined) {
      this.basketCompensation.set(O.basket[o], (owed = { value: 0, paid: 0 }));
      this.w.metrics.ordersCompensated++;
    }
    owed.value += value;
    const due = Math.min(c.max, Math.max(c.min, c.share * owed.value));
    if (due > owed.paid) this.charge(o, "compensation", due - owed.paid);
    owed.paid = Math.max(owed.paid, due);
  }

  /**
   * When the order had to be dispatched by under the late-shipment rule: a pre-sale order by its promise
   * (shipWithinDays after the balance), any other within dispatchWithinHours of payment.
   */
  private dispatchDeadline(o: OrderId): number {
    const O = this.w.orders;
    const campaign = O.campaign[o];
    if (campaign >= 0 && this.w.scenario.campaigns[campaign].presale) return O.promiseAt[o];
    return O.paidAt[o] + this.dispatchWithinMinutes;
  }

  private readonly onPatience = (o: OrderId): void => {
    const O = this.w.orders;
    O.patienceEvent[o] = -1;
    if (O.state[o] <= ORDER_STATE.picked) this.cancel(o);
  };

  /** A paid order ends (delivered, collected or cancelled): record its wait and take it off the open list. */
  private closePaid(o: OrderId): void {
    const O = this.w.orders;
    this.w.metrics.waitDays[O.sku[o]].push((this.w.sim.now - O.paidAt[o]) / 1440);
    const last = this.paidOpen.pop()!;
    if (last !== o) {
      this.paidOpen[O.openSlot[o]] = last;
      O.openSlot[last] = O.openSlot[o];
    }
    O.openSlot[o] = -1;
  }

  /** The customer gives up: undo the order's claims on stock and refund what was paid. */
  cancel(o: OrderId): void {
    const O = this.w.orders;
    const { stock, metrics, sim } = this.w;
    const wasPaid = !Number.isNaN(O.paidAt[o]);
    switch (O.state[o]) {
      case ORDER_STATE.backordered: {
        const i = stock.at(O.site[o], O.sku[o]);
        stock.backorders[i].forget();
        stock.backorderUnits[i] -= O.quantity[o];
        break;
      }
      case ORDER_STATE.allocated:
        if (!O.awaitingTransfer[o]) {
          stock.unreserve(O.site[o], O.sku[o], O.quantity[o]);
          this.pickQueues[O.site[o]].forget();
          if (isRiderPath(O.path[o])) this.riderOrdersQueued[O.site[o]]--;
          this.allocation.serveBackorders(O.site[o], O.sku[o]);
        }
        break;
      case ORDER_STATE.picked:
        stock.unreserve(O.site[o], O.sku[o], O.quantity[o]);
        this.allocation.serveBackorders(O.site[o], O.sku[o]);
        break;
    }
    O.state[o] = ORDER_STATE.cancelled;
    O.stamp(o, STAGE.cancelled, sim.now);
    metrics.ordersCancelled++;
    metrics.unitsLostSales += O.quantity[o];
    const sku = this.w.network.skus[O.sku[o]];
    metrics.lostMargin += (O.unitPrice[o] - sku.unitCost) * O.quantity[o];
    if (wasPaid) {
      metrics.refunds++;
      metrics.backlogDown();
      this.closePaid(o);
      // Never dispatched (cancelled before dispatch): the promise the trigger watches was broken if its deadline passed.
      if (this.compensateBreachedCancel && sim.now > (this.compensateLateDispatch ? this.dispatchDeadline(o) : O.promiseAt[o]) + 1e-9) {
        this.compensate(o);
      }
    }
    metrics.experience(0);
    this.w.satisfaction.record(O.zone[o], 0);
  }
}
