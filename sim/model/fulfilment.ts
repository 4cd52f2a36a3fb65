// Fulfilment of online orders: payment, routing, stock reservation, the pick/pack wave at each site
// (a queue with measured waits, never a silent cap), riders, express hand-over, store pickup counters,
// delivery, and cancellation when the customer's patience runs out.
import { ServerQueue } from "../engine/index.ts";
import { routeSiloed } from "../policy/router.ts";
import { clockMinutes } from "./network.ts";
import { Order, ORDER_STATE, PATH } from "./order.ts";
import { OrderQueue } from "./stock.ts";
import type { World } from "./world.ts";

/** Minutes between pick waves at a site. */
export const PICK_WAVE_MINUTES = 10;
/** Express last-mile delivery rounds (local clock) and hand-over time. */
const EXPRESS_ROUNDS = [9 * 60, 14 * 60, 19 * 60];
const EXPRESS_HANDOVER_MINUTES = 120;
const EXPRESS_KM_PER_HOUR = 50;
const COUNTER_SERVICE_FLOOR_MINUTES = 0.5;

const isLive = (o: Order): boolean => o.state !== ORDER_STATE.cancelled;

/** Hooks fulfilment calls into the other processes. */
export interface FulfilmentHooks {
  /** Send `units` from `from` to `to` at once on a dedicated van; `onArrive` when they are there. */
  adHocTransfer(from: number, to: number, sku: number, units: number, onArrive: () => void): void;
  /** An order was delivered or picked up. */
  delivered(order: Order): void;
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
    for (let site = 0; site < n; site++) if (network.siteType[site] !== 0) sim.scheduleAt(0, this.pickWave, site);
  }

  /** Orders waiting to be picked at a site. */
  pickQueueLength(site: number): number {
    return this.pickQueues[site].live;
  }

  /** A paid order enters fulfilment: promise, patience, routing, allocation. */
  release(o: Order): void {
    const w = this.w;
    const { network, stock, metrics, sim } = w;
    o.paidAt = sim.now;
    metrics.ordersPaid++;
    metrics.backlogUp();
    const channel = network.channels[o.channel];
    const rdc = network.zoneRdc[o.zone];
    const store = this.nearestStore(o);
    const decision = routeSiloed({
      fulfilment: channel.fulfilment,
      quantity: o.quantity,
      rdc,
      rdcAvailable: stock.available[stock.at(rdc, o.sku)],
      store,
      storeAvailable: store >= 0 ? stock.available[stock.at(store, o.sku)] : 0,
    });
    o.path = decision.path;
    o.site = decision.site;
    o.reason = decision.reason;
    metrics.ordersByPath[o.path]++;
    o.promiseAt = this.promise(o);
    const patience = o.patienceMinutes;
    if (Number.isFinite(patience)) o.patienceEvent = sim.scheduleAt(Math.max(sim.now, o.promiseAt + patience), this.onPatience, o);
    this.hooks.demandSeen(o.site, o.sku, o.quantity);
    if (decision.transferFrom >= 0) {
      stock.take(decision.transferFrom, o.sku, o.quantity);
      o.awaitingTransfer = true;
      o.state = ORDER_STATE.allocated;
      o.allocatedAt = sim.now;
      this.hooks.adHocTransfer(decision.transferFrom, o.site, o.sku, o.quantity, () => this.transferArrived(o));
      return;
    }
    this.allocateOrBackorder(o);
  }

  private nearestStore(o: Order): number {
    const { network } = this.w;
    let best = -1;
    let bestKm = Infinity;
    for (const s of network.stores) {
      const km = network.kmFrom(o.lat, o.lon, s);
      if (km < bestKm) {
        bestKm = km;
        best = s;
      }
    }
    return best;
  }

  /** The promised time for a paid order on its path. */
  private promise(o: Order): number {
    const { scenario, clock } = this.w;
    const t = o.paidAt;
    if (o.campaign >= 0) {
      const presale = scenario.campaigns[o.campaign].presale;
      if (presale) return t + presale.shipWithinDays * 1440;
    }
    // Local sites promise from when they are next open: no store promises a pickup at 3 a.m.
    switch (o.path) {
      case PATH.fdcInstant:
        return this.nextOpen(o.site, t) + scenario.service.instantPromiseMinutes;
      case PATH.storeDelivery:
        return this.nextOpen(o.site, t) + scenario.service.storeDeliveryPromiseMinutes;
      case PATH.storePickup:
      case PATH.transferThenPickup:
        return this.nextOpen(o.site, t) + scenario.service.pickupReadyMinutes;
      default: {
        const minute = clock.minuteOfDay(t);
        const midnight = t - minute;
        for (const c of scenario.service.expressCutoffs)
          if (minute < clockMinutes(c.orderBy)) return midnight + c.daysLater * 1440 + clockMinutes(c.deliverBy);
        return midnight + 2 * 1440 + 15 * 60;
      }
    }
  }

  private allocateOrBackorder(o: Order): void {
    const { stock, sim } = this.w;
    if (stock.tryReserve(o.site, o.sku, o.quantity)) {
      o.state = ORDER_STATE.allocated;
      o.allocatedAt = sim.now;
      this.enqueuePick(o);
    } else {
      o.state = ORDER_STATE.backordered;
      const i = stock.at(o.site, o.sku);
      stock.backorders[i].push(o);
      stock.backorderUnits[i] += o.quantity;
    }
  }

  private transferArrived(o: Order): void {
    const { stock } = this.w;
    // The transferred units land at the store; if the customer already gave up they simply restock it.
    stock.available[stock.at(o.site, o.sku)] += o.quantity;
    if (o.state === ORDER_STATE.cancelled) {
      this.serveBackorders(o.site, o.sku);
      return;
    }
    o.awaitingTransfer = false;
    stock.tryReserve(o.site, o.sku, o.quantity);
    this.enqueuePick(o);
  }

  /** New stock at a site: allocate it to the orders backordered there, first come first served. */
  serveBackorders(site: number, sku: number): void {
    const { stock, sim } = this.w;
    const i = stock.at(site, sku);
    const queue = stock.backorders[i];
    for (;;) {
      const o = queue.peek(isLive);
      if (!o || stock.available[i] < o.quantity) return;
      queue.shift(isLive);
      stock.backorderUnits[i] -= o.quantity;
      stock.tryReserve(site, sku, o.quantity);
      o.state = ORDER_STATE.allocated;
      o.allocatedAt = sim.now;
      this.enqueuePick(o);
    }
  }

  private enqueuePick(o: Order): void {
    o.pickQueuedAt = this.w.sim.now;
    this.pickQueues[o.site].push(o);
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
    const unitCost = w.scenario.costs.pickPackPerOrder[s.type] * (1 + (this.pickSurge[site] > 0 && s.pickPack.surge ? s.pickPack.surge.costPremiumShare : 0));
    while (credit >= 1) {
      const o = queue.shift(isLive);
      if (!o) break;
      credit -= 1;
      metrics.picked[site]++;
      metrics.cost("pickPack", unitCost);
      metrics.costByPath[o.path] += unitCost;
      this.afterPick(o);
    }
    // Unused capacity does not carry over into an empty queue.
    this.pickCredit[site] = queue.live > 0 ? credit : 0;
  };

  private afterPick(o: Order): void {
    const { sim } = this.w;
    o.state = ORDER_STATE.picked;
    switch (o.path) {
      case PATH.rdcExpress:
        this.shipExpress(o);
        return;
      case PATH.fdcInstant:
      case PATH.storeDelivery: {
        const riders = this.riders[o.site];
        if (!riders) {
          this.shipExpress(o);
          return;
        }
        riders.request(() => this.riderGranted(o, riders));
        return;
      }
      default: {
        // Pickup: ready at the counter; the customer comes when they come.
        o.readyAt = sim.now;
        this.stopPatience(o);
        this.w.metrics.backlogDown();
        sim.scheduleIn(o.pickupDelayMinutes, this.customerAtCounter, o);
      }
    }
  }

  private stopPatience(o: Order): void {
    if (o.patienceEvent >= 0) {
      this.w.sim.cancel(o.patienceEvent);
      o.patienceEvent = -1;
    }
  }

  private markShipped(o: Order): void {
    const { stock, metrics, sim } = this.w;
    stock.consumeReserved(o.site, o.sku, o.quantity);
    metrics.ledger[o.sku].shippedToCustomers += o.quantity;
    o.state = ORDER_STATE.shipped;
    o.shippedAt = sim.now;
    this.stopPatience(o);
  }

  private shipExpress(o: Order): void {
    const w = this.w;
    const { network, scenario, clock, sim, metrics } = w;
    this.markShipped(o);
    metrics.backlogDown();
    const sku = network.skus[o.sku];
    const express = scenario.costs.express;
    const cost =
      (sku.category === "large-appliance"
        ? express.largeAppliancePerUnit * o.quantity
        : express.perParcel + express.perKgAboveOne * Math.max(0, sku.weightKg * o.quantity - 1)) * w.expressPriceMultiplier;
    metrics.cost("fulfilment", cost);
    metrics.costByPath[o.path] += cost;
    const km = network.kmFrom(o.lat, o.lon, o.site);
    const atStation = sim.now + EXPRESS_HANDOVER_MINUTES + (km / EXPRESS_KM_PER_HOUR) * 60;
    let round = Infinity;
    for (const r of EXPRESS_ROUNDS) round = Math.min(round, clock.nextClock(atStation, r));
    w.observer?.parcel("express", o.site, o.zone, o.sku, o.quantity, sim.now, round + 60);
    sim.scheduleAt(round + 60, this.onDelivered, o);
  }

  private riderGranted(o: Order, riders: ServerQueue): void {
    const w = this.w;
    const { network, sim, scenario, metrics } = w;
    if (o.state === ORDER_STATE.cancelled) {
      riders.release();
      return;
    }
    this.markShipped(o);
    metrics.backlogDown();
    const site = network.sites[o.site];
    const radius = site.type === "fdc" || site.type === "store" ? site.deliveryRadiusKm : 3;
    const mean = site.type === "fdc" || site.type === "store" ? site.deliveryMinutes : 30;
    const oneWay = mean * (0.5 + network.kmFrom(o.lat, o.lon, o.site) / radius);
    const cost = o.path === PATH.fdcInstant ? scenario.costs.instantPerOrder : scenario.costs.storeDeliveryPerOrder;
    metrics.cost("fulfilment", cost);
    metrics.costByPath[o.path] += cost;
    w.observer?.parcel("rider", o.site, o.zone, o.sku, o.quantity, sim.now, sim.now + oneWay);
    sim.scheduleIn(oneWay, this.onDelivered, o);
    sim.scheduleIn(2 * oneWay, () => riders.release());
  }

  private readonly customerAtCounter = (o: Order): void => {
    const counter = this.counters[o.site];
    const site = this.w.network.sites[o.site];
    const service = site.type === "store" ? Math.max(COUNTER_SERVICE_FLOOR_MINUTES, 60 / site.pickupCounterPerHour) : 1;
    const handOver = () => {
      const { scenario, metrics, sim } = this.w;
      this.markShipped(o);
      metrics.cost("fulfilment", scenario.costs.pickupHandlingPerOrder);
      metrics.costByPath[o.path] += scenario.costs.pickupHandlingPerOrder;
      sim.scheduleIn(service, () => {
        counter?.release();
        this.onDelivered(o);
      });
    };
    if (counter) counter.request(handOver);
    else handOver();
  };

  private readonly onDelivered = (o: Order): void => {
    const { sim, metrics, network, scenario } = this.w;
    o.state = ORDER_STATE.delivered;
    o.deliveredAt = sim.now;
    metrics.ordersDelivered++;
    metrics.deliveredByPath[o.path]++;
    metrics.unitsFulfilled += o.quantity;
    metrics.leadTimesHours.push((sim.now - o.paidAt) / 60);
    // Pickup orders are on time when they were ready by the promise; the rest when delivered by it.
    const doneAt = isPickup(o) ? o.readyAt : o.deliveredAt;
    const onTime = doneAt <= o.promiseAt + 1e-9;
    const sku = network.skus[o.sku];
    metrics.revenue += o.unitPrice * o.quantity;
    metrics.costOfGoodsSold += sku.unitCost * o.quantity;
    if (onTime) {
      metrics.ordersDeliveredOnTime++;
      metrics.experience(1);
    } else {
      o.late = true;
      const c = scenario.costs.lateCompensation;
      const comp = Math.min(c.max, Math.max(c.min, c.share * o.unitPrice * o.quantity));
      metrics.cost("compensation", comp);
      metrics.costByPath[o.path] += comp;
      const daysLate = (doneAt - o.promiseAt) / 1440;
      metrics.experience(Math.max(0, 0.6 - 0.1 * daysLate));
    }
    this.hooks.delivered(o);
  };

  private readonly onPatience = (o: Order): void => {
    o.patienceEvent = -1;
    if (o.state <= ORDER_STATE.picked) this.cancel(o);
  };

  /** The customer gives up: undo the order's claims on stock and refund what was paid. */
  cancel(o: Order): void {
    const { stock, metrics, sim } = this.w;
    const wasPaid = !Number.isNaN(o.paidAt);
    switch (o.state) {
      case ORDER_STATE.backordered: {
        const i = stock.at(o.site, o.sku);
        stock.backorders[i].forget();
        stock.backorderUnits[i] -= o.quantity;
        break;
      }
      case ORDER_STATE.allocated:
        if (!o.awaitingTransfer) {
          stock.unreserve(o.site, o.sku, o.quantity);
          this.pickQueues[o.site].forget();
          this.serveBackorders(o.site, o.sku);
        }
        break;
      case ORDER_STATE.picked:
        stock.unreserve(o.site, o.sku, o.quantity);
        this.serveBackorders(o.site, o.sku);
        break;
    }
    o.state = ORDER_STATE.cancelled;
    o.cancelledAt = sim.now;
    metrics.ordersCancelled++;
    metrics.unitsLostSales += o.quantity;
    const sku = this.w.network.skus[o.sku];
    metrics.lostMargin += (o.unitPrice - sku.unitCost) * o.quantity;
    if (wasPaid) {
      metrics.refunds++;
      metrics.backlogDown();
    }
    metrics.experience(0);
  }
}

/** Pickup paths end at the store counter. */
function isPickup(o: Order): boolean {
  return o.path === PATH.storePickup || o.path === PATH.transferThenPickup;
}
