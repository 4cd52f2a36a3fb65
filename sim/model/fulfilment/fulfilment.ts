// Fulfilment of online orders: payment, routing (sim/model/fulfilment/routing.ts), stock reservation, the pick/pack
// wave at each site (a queue with measured waits, never a silent cap), riders, express hand-over, store
// pickup counters, delivery, and cancellation when the customer's patience runs out. Also the time
// estimates the tiered router reads (pick done, rider free, express arrival), from the same rules.
import { ServerQueue } from "../../engine/index.ts";
import type { CostLine } from "../../metrics/collector.ts";
import { deliveryExperienceScore } from "../../policy/satisfaction.ts";
import { clockMinutes } from "../../network/network.ts";
import { isPickupPath, isRiderPath, PATH, type Path } from "../../network/paths.ts";
import { ORDER_STATE, STAGE, type OrderId } from "../orders/order.ts";
import { Routing } from "./routing.ts";
import { OrderQueue } from "../stock/stock.ts";
import type { World } from "../world.ts";

/** Minutes between pick waves at a site. */
export const PICK_WAVE_MINUTES = 10;
/** Express last-mile delivery rounds (local clock) and hand-over time. */
const EXPRESS_ROUNDS = [9 * 60, 14 * 60, 19 * 60];
const EXPRESS_HANDOVER_MINUTES = 120;
const EXPRESS_KM_PER_HOUR = 50;
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
  readonly pickQueues: OrderQueue[];
  private readonly pickCredit: Float64Array;
  private readonly shiftWindows: Array<Array<[number, number]>>;
  /** Extra pick capacity share in force per site (surge, lever L3). */
  readonly pickSurge: Float64Array;
  readonly riders: Array<ServerQueue | null>;
  readonly counters: Array<ServerQueue | null>;
  readonly routing: Routing;
  /** Paid orders neither delivered nor cancelled yet, in no particular order (each knows its slot). */
  readonly paidOpen: OrderId[] = [];
  /** Orders in each site's pick queue that will need a rider. */
  private readonly riderOrdersQueued: Float64Array;
  private readonly expressCutoffs: ReadonlyArray<{ orderBy: number; deliverBy: number; daysLater: number }>;

  constructor(
    private readonly w: World,
    private readonly hooks: FulfilmentHooks,
  ) {
    const { network, sim } = w;
    const n = network.siteCount;
    this.pickQueues = Array.from({ length: n }, () => new OrderQueue());
    this.pickCredit = new Float64Array(n);
    this.pickSurge = new Float64Array(n);
    this.shiftWindows = network.sites.map((s) =>
      s.type === "factory" ? [] : s.pickPack.shifts.map((sh) => [clockMinutes(sh.start), clockMinutes(sh.end)] as [number, number]),
    );
    this.riders = network.sites.map((s) =>
      (s.type === "fdc" || s.type === "store") && s.riders > 0 ? new ServerQueue(sim, { name: `riders/${s.id}`, capacity: s.riders }) : null,
    );
    this.counters = network.sites.map((s) => (s.type === "store" ? new ServerQueue(sim, { name: `counter/${s.id}`, capacity: 1 }) : null));
    this.riderOrdersQueued = new Float64Array(n);
    this.expressCutoffs = w.scenario.service.expressCutoffs.map((c) => ({
      orderBy: clockMinutes(c.orderBy),
      deliverBy: clockMinutes(c.deliverBy),
      daysLater: c.daysLater,
    }));
    for (let site = 0; site < n; site++) if (network.siteType[site] !== 0) sim.scheduleAt(0, this.pickWave, site);
    this.routing = new Routing(w, this);
  }

  /** Orders waiting to be picked at a site. */
  pickQueueLength(site: number): number {
    return this.pickQueues[site].live;
  }

  /** A paid order enters fulfilment: promise, patience, routing, allocation. */
  release(o: OrderId): void {
    const O = this.w.orders;
    const w = this.w;
    const { stock, metrics, sim } = w;
    O.paidAt[o] = sim.now;
    O.openSlot[o] = this.paidOpen.length;
    this.paidOpen.push(o);
    metrics.ordersPaid++;
    metrics.backlogUp();
    const decision = this.routing.route(o); // overwritten by the next order's routing: read it now
    const transferFrom = decision.transferFrom;
    O.path[o] = decision.path;
    O.site[o] = decision.site;
    O.reason[o] = decision.reason;
    metrics.ordersByPath[O.path[o]]++;
    O.promiseAt[o] = this.promiseFor(O.path[o] as Path, O.site[o], O.paidAt[o], O.campaign[o]);
    const patience = O.patienceMinutes[o];
    if (Number.isFinite(patience)) O.patienceEvent[o] = sim.scheduleAt(Math.max(sim.now, O.promiseAt[o] + patience), this.onPatience, o);
    this.hooks.demandSeen(O.site[o], O.sku[o], O.quantity[o]);
    if (transferFrom >= 0) {
      stock.take(transferFrom, O.sku[o], O.quantity[o]);
      O.awaitingTransfer[o] = 1;
      O.state[o] = ORDER_STATE.allocated;
      O.stamp(o, STAGE.allocated, sim.now);
      this.hooks.adHocTransfer(transferFrom, O.site[o], O.sku[o], O.quantity[o], () => this.transferArrived(o));
      return;
    }
    this.allocateOrBackorder(o);
  }

  /** The promise an order paid at `t` gets on a path from a site (pre-sale: days after the balance payment). */
  promiseFor(path: Path, site: number, t: number, campaign: number): number {
    const { scenario, clock } = this.w;
    if (campaign >= 0) {
      const presale = scenario.campaigns[campaign].presale;
      if (presale) return t + presale.shipWithinDays * 1440;
    }
    // Local sites promise from when they are next open: no store promises a pickup at 3 a.m.
    switch (path) {
      case PATH.fdcInstant:
        return this.nextOpen(site, t) + scenario.service.instantPromiseMinutes;
      case PATH.storeDelivery:
        return this.nextOpen(site, t) + scenario.service.storeDeliveryPromiseMinutes;
      case PATH.storePickup:
      case PATH.transferThenPickup:
        return this.nextOpen(site, t) + scenario.service.pickupReadyMinutes;
      default: {
        const minute = clock.minuteOfDay(t);
        const midnight = t - minute;
        for (const c of this.expressCutoffs) if (minute < c.orderBy) return midnight + c.daysLater * 1440 + c.deliverBy;
        return midnight + 2 * 1440 + 15 * 60;
      }
    }
  }

  /**
   * When an order joining a site's pick queue at `t` would be picked, if the site picks at its rate through
   * its shifts, one wave every PICK_WAVE_MINUTES, and every order ahead of it is picked first.
   */
  pickDoneEstimate(site: number, t: number): number {
    const s = this.w.network.sites[site];
    if (s.type === "factory") return t;
    const perWave = (s.pickPack.ordersPerHour * (1 + this.pickSurge[site]) * PICK_WAVE_MINUTES) / 60;
    let waves = Math.max(1, Math.ceil((this.pickQueues[site].live + 1 - this.pickCredit[site]) / perWave));
    let cursor = Math.ceil(t / PICK_WAVE_MINUTES) * PICK_WAVE_MINUTES;
    for (let guard = 0; guard < 1000; guard++) {
      const end = this.shiftEndAt(site, cursor);
      if (end < 0) {
        cursor = Math.ceil(this.nextOpen(site, cursor) / PICK_WAVE_MINUTES) * PICK_WAVE_MINUTES;
        if (this.shiftEndAt(site, cursor) < 0) return Infinity;
        continue;
      }
      const wavesHere = Math.ceil((end - cursor) / PICK_WAVE_MINUTES);
      if (waves <= wavesHere) return cursor + (waves - 1) * PICK_WAVE_MINUTES;
      waves -= wavesHere;
      cursor += wavesHere * PICK_WAVE_MINUTES;
    }
    return Infinity;
  }

  /** End (sim minutes) of the shift window a site is working in at t, or −1 if it is not working. */
  private shiftEndAt(site: number, t: number): number {
    const minute = this.w.clock.minuteOfDay(t);
    for (const [a, b] of this.shiftWindows[site]) if (minute >= a && minute < b) return t + (b - minute);
    return -1;
  }

  /** When a rider would be free for an order picked at a site now: after the riders' queue and the rider orders ahead. */
  riderFreeEstimate(site: number, t: number): number {
    const riders = this.riders[site];
    const s = this.w.network.sites[site];
    if (!riders || riders.capacity === 0 || (s.type !== "fdc" && s.type !== "store")) return Infinity;
    const ahead = riders.queueLength + this.riderOrdersQueued[site];
    const free = Math.max(0, riders.capacity - riders.busy);
    const waiting = ahead + 1 - free;
    return waiting <= 0 ? t : t + (waiting * s.deliveryMinutes) / riders.capacity;
  }

  /**
   * Rider minutes from a site to a customer `km` away: half the site's mean round trip (deliveryMinutes),
   * scaled so a customer at the edge of the radius takes 2.5× one at the door and the mean over customers
   * spread evenly over the disc is half the round trip.
   */
  riderOneWayMinutes(site: number, km: number): number {
    const s = this.w.network.sites[site];
    const radius = s.type === "fdc" || s.type === "store" ? s.deliveryRadiusKm : 3;
    const roundTrip = s.type === "fdc" || s.type === "store" ? s.deliveryMinutes : 30;
    return (roundTrip / 2) * (0.5 + (0.75 * km) / radius);
  }

  /** When an express parcel handed over at `pickedAt` reaches a customer `km` from the warehouse. */
  expressDeliveryAt(pickedAt: number, km: number): number {
    const { clock } = this.w;
    const atStation = pickedAt + EXPRESS_HANDOVER_MINUTES + (km / EXPRESS_KM_PER_HOUR) * 60;
    let round = Infinity;
    for (const r of EXPRESS_ROUNDS) round = Math.min(round, clock.nextClock(atStation, r));
    return round + 60;
  }

  /** Pick/pack cost per order at a site now (with the surge premium while surge capacity is booked). */
  pickPackCost(site: number): number {
    const s = this.w.network.sites[site];
    if (s.type === "factory") return 0;
    return this.w.scenario.costs.pickPackPerOrder[s.type] * (1 + (this.pickSurge[site] > 0 && s.pickPack.surge ? s.pickPack.surge.costPremiumShare : 0));
  }

  /** Charge a cost to an order: its cost line, its path, and the near-customer tally. */
  private charge(o: OrderId, line: CostLine, amount: number): void {
    const O = this.w.orders;
    const { metrics } = this.w;
    metrics.cost(line, amount);
    metrics.costByPath[O.path[o]] += amount;
    if (O.near[o]) metrics.nearCost += amount;
  }

  private allocateOrBackorder(o: OrderId): void {
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

  private transferArrived(o: OrderId): void {
    const O = this.w.orders;
    const { stock } = this.w;
    // The transferred units land at the store; if the customer already gave up they simply restock it.
    stock.available[stock.at(O.site[o], O.sku[o])] += O.quantity[o];
    if (O.state[o] === ORDER_STATE.cancelled) {
      this.serveBackorders(O.site[o], O.sku[o]);
      return;
    }
    O.awaitingTransfer[o] = 0;
    stock.tryReserve(O.site[o], O.sku[o], O.quantity[o]);
    this.enqueuePick(o);
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

  private enqueuePick(o: OrderId): void {
    const O = this.w.orders;
    O.stamp(o, STAGE.pickQueued, this.w.sim.now);
    this.pickQueues[O.site[o]].push(o);
    if (isRiderPath(O.path[o])) this.riderOrdersQueued[O.site[o]]++;
  }

  /** t if the site is working at t, else the start of its next shift. */
  private nextOpen(site: number, t: number): number {
    if (this.inShift(site, t)) return t;
    let best = Infinity;
    for (const [a] of this.shiftWindows[site]) best = Math.min(best, this.w.clock.nextClock(t, a));
    return Number.isFinite(best) ? best : t;
  }

  private inShift(site: number, t: number): boolean {
    const minute = this.w.clock.minuteOfDay(t);
    for (const [a, b] of this.shiftWindows[site]) if (minute >= a && minute < b) return true;
    return false;
  }

  /** One pick wave at a site: pick as many queued orders as the wave's capacity allows. */
  private readonly pickWave = (site: number): void => {
    const O = this.w.orders;
    const w = this.w;
    const { sim, network, metrics } = w;
    const next = sim.now + PICK_WAVE_MINUTES;
    if (next < w.horizon) sim.scheduleAt(next, this.pickWave, site);
    if (!this.inShift(site, sim.now)) {
      this.pickCredit[site] = 0;
      return;
    }
    const s = network.sites[site];
    if (s.type === "factory") return;
    const capacity = (s.pickPack.ordersPerHour * (1 + this.pickSurge[site]) * PICK_WAVE_MINUTES) / 60;
    metrics.pickOffered[site] += capacity;
    const queue = this.pickQueues[site];
    let credit = this.pickCredit[site] + capacity;
    const unitCost = this.pickPackCost(site);
    while (credit >= 1) {
      const o = queue.shift(O);
      if (o < 0) break;
      credit -= 1;
      if (isRiderPath(O.path[o])) this.riderOrdersQueued[site]--;
      metrics.picked[site]++;
      this.charge(o, "pickPack", unitCost);
      this.afterPick(o);
    }
    // Unused capacity does not carry over into an empty queue.
    this.pickCredit[site] = queue.live > 0 ? credit : 0;
  };

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
        // Pickup: ready at the counter; the customer comes when they come.
        O.readyAt[o] = sim.now;
        this.stopPatience(o);
        this.w.metrics.backlogDown();
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
    const km = network.kmFrom(O.lat[o], O.lon[o], O.site[o]);
    const arriveAt = this.expressDeliveryAt(sim.now, km);
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
    const oneWay = this.riderOneWayMinutes(O.site[o], network.kmFrom(O.lat[o], O.lon[o], O.site[o]));
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
    sim.scheduleIn(service, this.handedOver, o);
  };

  /** The counter has handed a pickup order over: free the counter, and the order is delivered. */
  private readonly handedOver = (o: OrderId): void => {
    this.counters[this.w.orders.site[o]]?.release();
    this.onDelivered(o);
  };

  private readonly onDelivered = (o: OrderId): void => {
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
    if (onTime) {
      metrics.ordersDeliveredOnTime++;
      metrics.experience(1);
      satisfaction.record(O.zone[o], 1);
    } else {
      O.late[o] = 1;
      const c = scenario.costs.lateCompensation;
      const comp = Math.min(c.max, Math.max(c.min, c.share * O.unitPrice[o] * O.quantity[o]));
      this.charge(o, "compensation", comp);
      const score = deliveryExperienceScore((doneAt - O.promiseAt[o]) / 1440);
      metrics.experience(score);
      satisfaction.record(O.zone[o], score);
    }
    this.hooks.delivered(o);
    // Delivered is the end: no queue, event or list refers to the order any more, so its row may be reused.
    O.retire(o);
  };

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
          this.serveBackorders(O.site[o], O.sku[o]);
        }
        break;
      case ORDER_STATE.picked:
        stock.unreserve(O.site[o], O.sku[o], O.quantity[o]);
        this.serveBackorders(O.site[o], O.sku[o]);
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
    }
    metrics.experience(0);
    this.w.satisfaction.record(O.zone[o], 0);
  }
}
