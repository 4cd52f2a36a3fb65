// Fulfilment of online orders: payment, routing (sim/model/routing.ts), stock reservation, the pick/pack
// wave at each site (a queue with measured waits, never a silent cap), riders, express hand-over, store
// pickup counters, delivery, and cancellation when the customer's patience runs out. Also the time
// estimates the tiered router reads (pick done, rider free, express arrival), from the same rules.
import { ServerQueue } from "../engine/index.ts";
import type { CostLine } from "../metrics/collector.ts";
import { deliveryExperienceScore } from "../policy/satisfaction.ts";
import { clockMinutes } from "./network.ts";
import { Order, ORDER_STATE, PATH, type Path } from "./order.ts";
import { Routing } from "./routing.ts";
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
const needsRider = (path: Path): boolean => path === PATH.fdcInstant || path === PATH.storeDelivery;

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
  readonly routing: Routing;
  /** Paid orders neither delivered nor cancelled yet, in no particular order (each knows its slot). */
  readonly paidOpen: Order[] = [];
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
  release(o: Order): void {
    const w = this.w;
    const { stock, metrics, sim } = w;
    o.paidAt = sim.now;
    o.openSlot = this.paidOpen.length;
    this.paidOpen.push(o);
    metrics.ordersPaid++;
    metrics.backlogUp();
    const decision = this.routing.route(o);
    o.path = decision.path;
    o.site = decision.site;
    o.reason = decision.reason;
    metrics.ordersByPath[o.path]++;
    o.promiseAt = this.promiseFor(o.path, o.site, o.paidAt, o.campaign);
    const patience = o.patienceMinutes;
    if (Number.isFinite(patience)) o.patienceEvent = sim.scheduleAt(Math.max(sim.now, o.promiseAt + patience), this.onPatience, o);
    this.hooks.demandSeen(o.site, o.sku, o.quantity);
    if (decision.transferFrom >= 0) {
      stock.take(decision.transferFrom, o.sku, o.quantity);
      o.awaitingTransfer = true;
      o.state = ORDER_STATE.allocated;
      if (o.trace) o.trace.allocatedAt = sim.now;
      this.hooks.adHocTransfer(decision.transferFrom, o.site, o.sku, o.quantity, () => this.transferArrived(o));
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
  private charge(o: Order, line: CostLine, amount: number): void {
    const { metrics } = this.w;
    metrics.cost(line, amount);
    metrics.costByPath[o.path] += amount;
    if (o.near) metrics.nearCost += amount;
  }

  private allocateOrBackorder(o: Order): void {
    const { stock, sim } = this.w;
    if (stock.tryReserve(o.site, o.sku, o.quantity)) {
      o.state = ORDER_STATE.allocated;
      if (o.trace) o.trace.allocatedAt = sim.now;
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
      if (o.trace) o.trace.allocatedAt = sim.now;
      this.enqueuePick(o);
    }
  }

  private enqueuePick(o: Order): void {
    if (o.trace) o.trace.pickQueuedAt = this.w.sim.now;
    this.pickQueues[o.site].push(o);
    if (needsRider(o.path)) this.riderOrdersQueued[o.site]++;
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
    const unitCost = this.pickPackCost(site);
    while (credit >= 1) {
      const o = queue.shift(isLive);
      if (!o) break;
      credit -= 1;
      if (needsRider(o.path)) this.riderOrdersQueued[site]--;
      metrics.picked[site]++;
      this.charge(o, "pickPack", unitCost);
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
    if (o.trace) o.trace.shippedAt = sim.now;
    this.stopPatience(o);
  }

  private shipExpress(o: Order): void {
    const w = this.w;
    const { network, sim, metrics } = w;
    this.markShipped(o);
    metrics.backlogDown();
    // A rider path whose site has no riders ships by express: it is charged as express.
    this.charge(o, "fulfilment", this.routing.lastMile(o, PATH.rdcExpress));
    const km = network.kmFrom(o.lat, o.lon, o.site);
    const arriveAt = this.expressDeliveryAt(sim.now, km);
    w.observer?.parcel("express", o.site, o.zone, o.sku, o.quantity, sim.now, arriveAt);
    sim.scheduleAt(arriveAt, this.onDelivered, o);
  }

  private riderGranted(o: Order, riders: ServerQueue): void {
    const w = this.w;
    const { network, sim, metrics } = w;
    if (o.state === ORDER_STATE.cancelled) {
      riders.release();
      return;
    }
    this.markShipped(o);
    metrics.backlogDown();
    const oneWay = this.riderOneWayMinutes(o.site, network.kmFrom(o.lat, o.lon, o.site));
    this.charge(o, "fulfilment", this.routing.lastMile(o));
    w.observer?.parcel("rider", o.site, o.zone, o.sku, o.quantity, sim.now, sim.now + oneWay);
    sim.scheduleIn(oneWay, this.onDelivered, o);
    sim.scheduleIn(2 * oneWay, () => riders.release());
  }

  private readonly customerAtCounter = (o: Order): void => {
    const counter = this.counters[o.site];
    const site = this.w.network.sites[o.site];
    const service = site.type === "store" ? Math.max(COUNTER_SERVICE_FLOOR_MINUTES, 60 / site.pickupCounterPerHour) : 1;
    const handOver = () => {
      const { sim } = this.w;
      this.markShipped(o);
      this.charge(o, "fulfilment", this.routing.lastMile(o));
      sim.scheduleIn(service, () => {
        counter?.release();
        this.onDelivered(o);
      });
    };
    if (counter) counter.request(handOver);
    else handOver();
  };

  private readonly onDelivered = (o: Order): void => {
    const { sim, metrics, network, scenario, satisfaction } = this.w;
    o.state = ORDER_STATE.delivered;
    if (o.trace) o.trace.deliveredAt = sim.now;
    metrics.ordersDelivered++;
    metrics.deliveredByPath[o.path]++;
    if (o.near) metrics.nearDelivered++;
    metrics.unitsFulfilled += o.quantity;
    metrics.leadTimesHours.push((sim.now - o.paidAt) / 60);
    this.closePaid(o);
    // Pickup orders are on time when they were ready by the promise; the rest when delivered by it.
    const doneAt = isPickup(o) ? o.readyAt : sim.now;
    const onTime = doneAt <= o.promiseAt + 1e-9;
    const sku = network.skus[o.sku];
    metrics.revenue += o.unitPrice * o.quantity;
    metrics.costOfGoodsSold += sku.unitCost * o.quantity;
    if (onTime) {
      metrics.ordersDeliveredOnTime++;
      metrics.experience(1);
      satisfaction.record(o.zone, 1);
    } else {
      o.late = true;
      const c = scenario.costs.lateCompensation;
      const comp = Math.min(c.max, Math.max(c.min, c.share * o.unitPrice * o.quantity));
      this.charge(o, "compensation", comp);
      const score = deliveryExperienceScore((doneAt - o.promiseAt) / 1440);
      metrics.experience(score);
      satisfaction.record(o.zone, score);
    }
    this.hooks.delivered(o);
  };

  private readonly onPatience = (o: Order): void => {
    o.patienceEvent = -1;
    if (o.state <= ORDER_STATE.picked) this.cancel(o);
  };

  /** A paid order ends (delivered, collected or cancelled): record its wait and take it off the open list. */
  private closePaid(o: Order): void {
    this.w.metrics.waitDays[o.sku].push((this.w.sim.now - o.paidAt) / 1440);
    const last = this.paidOpen.pop()!;
    if (last !== o) {
      this.paidOpen[o.openSlot] = last;
      last.openSlot = o.openSlot;
    }
    o.openSlot = -1;
  }

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
          if (needsRider(o.path)) this.riderOrdersQueued[o.site]--;
          this.serveBackorders(o.site, o.sku);
        }
        break;
      case ORDER_STATE.picked:
        stock.unreserve(o.site, o.sku, o.quantity);
        this.serveBackorders(o.site, o.sku);
        break;
    }
    o.state = ORDER_STATE.cancelled;
    if (o.trace) o.trace.cancelledAt = sim.now;
    metrics.ordersCancelled++;
    metrics.unitsLostSales += o.quantity;
    const sku = this.w.network.skus[o.sku];
    metrics.lostMargin += (o.unitPrice - sku.unitCost) * o.quantity;
    if (wasPaid) {
      metrics.refunds++;
      metrics.backlogDown();
      this.closePaid(o);
    }
    metrics.experience(0);
    this.w.satisfaction.record(o.zone, 0);
  }
}

/** Pickup paths end at the store counter. */
function isPickup(o: Order): boolean {
  return o.path === PATH.storePickup || o.path === PATH.transferThenPickup;
}
