// A Twin is one run: scenario + policy + seed + interventions → events → metrics. It wires the engine,
// the network, demand, fulfilment, replenishment and returns together, applies interventions at their
// times and samples the state for the time series. Nothing else influences a run.
import { Simulation } from "../engine/index.ts";
import { fingerprint, FINGERPRINT_START } from "../engine/fingerprint.ts";
import type { Intervention, Scenario } from "../scenario/schema.ts";
import { SILOED, type Policy } from "../policy/policy.ts";
import { Metrics } from "../metrics/collector.ts";
import { DemandRates, type ActiveCampaign } from "../demand/rates.ts";
import { ArrivalSource, type CustomerDraw } from "../demand/arrivals.ts";
import { LocalClock } from "../network/clock.ts";
import { Network } from "../network/network.ts";
import { idMask } from "../network/id-mask.ts";
import { ORDER_STATE, Orders, STAGE, type Order, type OrderId } from "./orders/order.ts";
import { Stock } from "./stock/stock.ts";
import { Allocation } from "./fulfilment/allocation.ts";
import { FulfilmentCapacity } from "./fulfilment/capacity.ts";
import { Fulfilment } from "./fulfilment/fulfilment.ts";
import { Routing } from "./fulfilment/routing.ts";
import { Replenishment } from "./stock/replenishment.ts";
import { Returns } from "./service/returns.ts";
import { Satisfaction } from "./service/satisfaction.ts";
import { durationQuantileMinutes } from "./orders/customer.ts";
import { applyIntervention } from "./interventions.ts";
import { Coordination } from "./coordination/coordination.ts";
import { PlatformView } from "./coordination/platform-view.ts";
import { PromotionPressure } from "./coordination/pressure.ts";
import type { Decision, ModelObserver, World } from "./world.ts";

/** Mean minutes between an order being ready at a store and the customer coming for it. */
const PICKUP_DELAY_MEAN_MINUTES = 180;

/** What a run is besides the scenario. */
export interface RunOptions {
  readonly policy?: Policy;
  /** Master seed; defaults to the scenario's seed. */
  readonly seed?: number;
  /** Interventions on top of the scenario's own. */
  readonly interventions?: readonly Intervention[];
  /**
   * Keep every order, with its stage times, for `Twin.orders` (tests, diagnostics). Off by default: a run
   * then reuses a delivered order's row for a new one, so its order columns hold about as many rows as
   * orders are open at once instead of the ~575k a 618 run places.
   */
  readonly keepOrders?: boolean;
}

/** The shared context of one run (see World): satisfaction is built last, from the rest of it. */
class RunWorld implements World {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly metrics: Metrics;
  readonly horizon: number;
  policy: Policy;
  expressPriceMultiplier = 1;
  readonly decisions: Decision[] = [];
  readonly satisfaction: Satisfaction;
  observer?: ModelObserver;

  constructor(
    readonly sim: Simulation,
    readonly scenario: Scenario,
    readonly network: Network,
    readonly clock: LocalClock,
    readonly toMinutes: (local: string) => number,
    policy: Policy,
    keepOrders: boolean,
  ) {
    this.stock = new Stock(network.siteCount, network.skuCount);
    this.orders = new Orders(keepOrders);
    this.metrics = new Metrics(network.siteCount, network.skuCount, network.channels.length);
    this.horizon = scenario.horizonDays * 1440;
    this.policy = policy;
    this.satisfaction = new Satisfaction(this);
  }
}

/** One simulation run of a scenario under a policy. */
export class Twin {
  readonly world: World;
  readonly network: Network;
  readonly rates: DemandRates;
  readonly fulfilment: Fulfilment;
  readonly replenishment: Replenishment;
  readonly returns: Returns;
  /** Levers L1 (data platform) and L3 (capacity linkage); idle while both are off. */
  readonly coordination: Coordination;
  readonly sources: ArrivalSource[] = [];
  readonly seed: number;
  readonly initialPolicy: Policy;
  /** The interventions added on top of the scenario's own (RunOptions.interventions). */
  readonly addedInterventions: readonly Intervention[];
  /** Running fingerprint behind `arrivalHash`, signed (see sim/engine/fingerprint.ts). */
  private arrivals = FINGERPRINT_START;

  constructor(
    readonly scenario: Scenario,
    options: RunOptions = {},
  ) {
    this.seed = options.seed ?? scenario.seed;
    this.initialPolicy = options.policy ?? SILOED;
    this.addedInterventions = options.interventions ?? [];
    const sim = new Simulation({ seed: this.seed });
    const network = new Network(scenario);
    const clock = new LocalClock(scenario.start);
    const toMinutes = (local: string) => clock.toMinutes(local, scenario.start);
    this.network = network;
    // Each part is built after every part it calls, and given them. Two pairs call each other; a small
    // object built before both carries the call between them: the pressure table (coordination writes it,
    // the demand rates read it) and the allocation of stock to orders (fulfilment allocates; replenishment
    // and returns serve backorders when stock arrives).
    const world = new RunWorld(sim, scenario, network, clock, toMinutes, this.initialPolicy, options.keepOrders === true);
    this.world = world;
    const campaigns = scenario.campaigns.map((c, i) => this.activeCampaign(c, i));
    const pressure = new PromotionPressure(network, campaigns.length);
    this.rates = new DemandRates(network, clock, campaigns, toMinutes, {
      pressureScale: pressure.scaleOf,
      repeatFactor: (zone) => world.satisfaction.repeatFactor(zone),
    });
    const view = new PlatformView(world, { rates: this.rates });
    const capacity = new FulfilmentCapacity(world);
    const allocation = new Allocation(world, capacity);
    const forecast = (site: number, sku: number, days: number) => view.plannedUnitsAt(site, sku, sim.now, sim.now + days * 1440);
    this.replenishment = new Replenishment(world, (site, sku) => allocation.serveBackorders(site, sku), forecast);
    this.returns = new Returns(world, (site, sku) => allocation.serveBackorders(site, sku));
    const replenishment = this.replenishment;
    const returns = this.returns;
    this.fulfilment = new Fulfilment(world, capacity, allocation, new Routing(world, capacity), {
      adHocTransfer: (from, to, sku, units, onArrive) => replenishment.adHocTransfer(from, to, sku, units, onArrive),
      delivered: (o) => returns.considerOrder(o),
      demandSeen: (site, sku, units) => replenishment.demandSeen(site, sku, units),
    });
    this.coordination = new Coordination(world, view, pressure, { rates: this.rates, fulfilment: this.fulfilment, replenishment });
    this.startArrivals();
    for (const i of [...scenario.interventions, ...this.addedInterventions]) this.schedule(i);
    sim.scheduleAt(0, this.sample);
  }

  /** Every order placed so far, in placing order, read live from the run; only for a twin made with `keepOrders: true`. */
  get orders(): readonly Order[] {
    return this.world.orders.views();
  }

  get sim(): Simulation {
    return this.world.sim;
  }
  get metrics(): Metrics {
    return this.world.metrics;
  }
  get horizon(): number {
    return this.world.horizon;
  }
  get policy(): Policy {
    return this.world.policy;
  }

  /** Run to the end of the horizon. */
  run(): this {
    return this.runUntil(this.world.horizon);
  }
  /** Run to sim time t (minutes), no further than the horizon; at the horizon the routing log is flushed. */
  runUntil(t: number): this {
    this.world.sim.runUntil(Math.min(t, this.world.horizon));
    if (this.world.sim.now >= this.world.horizon) this.fulfilment.routing.flush();
    return this;
  }

  /** Schedule an intervention at its time (now, if its time has passed). */
  schedule(intervention: Intervention): void {
    const at = Math.max(this.world.sim.now, this.world.toMinutes(intervention.at));
    this.world.sim.scheduleAt(at, () => applyIntervention(this, intervention));
  }

  /** Restart every arrival stream from now, so a changed demand rate takes effect at once. */
  restartArrivals(): void {
    for (const s of this.sources) s.restart(this.world.sim.now);
  }

  private activeCampaign(c: Scenario["campaigns"][number], index: number): ActiveCampaign {
    const { network } = this;
    const toMinutes = this.world.toMinutes;
    return {
      id: c.id,
      index,
      submittedAt: toMinutes(c.submittedAt),
      start: toMinutes(c.start),
      end: toMinutes(c.end),
      uplift: c.uplift,
      pressure: c.pressure,
      burstMultiplier: c.burst?.multiplier ?? 1,
      burstHalfLifeMinutes: c.burst?.halfLifeMinutes ?? 1,
      discount: c.discount,
      targetUnits: c.targetUnits,
      channelMask: idMask(network.channels.length, c.channels, network.channelIndex, "all"),
      zoneMask: idMask(network.zones.length, c.zones, network.zoneIndex, "all"),
      skuMask: idMask(network.skuCount, c.skus, network.skuIndex, "all"),
      presale: c.presale
        ? {
            balanceStart: toMinutes(c.presale.balanceStart),
            balanceEnd: toMinutes(c.presale.balanceEnd),
            payFirstTwoHoursShare: c.presale.payFirstTwoHoursShare,
            neverPayShare: c.presale.neverPayShare,
          }
        : null,
    };
  }

  /** Hash of every accepted customer (time, zone, channel, SKU, quantity), in arrival order; unsigned 32-bit. */
  get arrivalHash(): number {
    return this.arrivals >>> 0;
  }

  private startArrivals(): void {
    const { network, scenario, sim, clock } = this.world;
    const mean = scenario.demand.unitsPerOrder.mean;
    const onCustomer = (d: CustomerDraw) => this.customer(d);
    network.channels.forEach((channel, c) => {
      if (channel.kind === "online")
        network.zones.forEach((zone, z) => {
          const stream = sim.streams.get(`demand/${zone.id}/${channel.id}`);
          this.sources.push(new ArrivalSource(sim, clock, this.rates, stream, z, -1, c, network.skuCount, zone, mean, this.horizon, onCustomer));
        });
      else
        for (const s of network.stores) {
          const site = network.sites[s];
          const stream = sim.streams.get(`walk-in/${site.id}/${channel.id}`);
          const centre = { lat: site.lat, lon: site.lon, radiusKm: 0.001 };
          this.sources.push(new ArrivalSource(sim, clock, this.rates, stream, -1, s, c, network.skuCount, centre, mean, this.horizon, onCustomer));
        }
    });
    for (const source of this.sources) source.start(0);
  }

  /** The campaign a purchase falls under now: a pre-sale first, else the deepest discount; null if none. */
  private campaignFor(t: number, zone: number, channel: number, sku: number): ActiveCampaign | null {
    let best: ActiveCampaign | null = null;
    for (const c of this.rates.campaigns) {
      if (t < c.start || t >= c.end || !c.channelMask[channel] || !c.skuMask[sku] || (zone >= 0 && !c.zoneMask[zone])) continue;
      if (c.presale) return c;
      if (!best || c.discount > best.discount) best = c;
    }
    return best;
  }

  private customer(d: CustomerDraw): void {
    const w = this.world;
    const { metrics, network, clock } = w;
    this.arrivals = fingerprint(fingerprint(fingerprint(fingerprint(fingerprint(this.arrivals, Math.round(d.t * 1000)), d.zone), d.channel), d.sku), d.quantity);
    const sku = network.skus[d.sku];
    const campaign = this.campaignFor(d.t, d.zone, d.channel, d.sku);
    const unitPrice = sku.price * (1 - (campaign?.discount ?? 0));
    metrics.unitsDemanded += d.quantity;
    metrics.demand(clock.dayIndex(d.t), d.quantity);
    if (d.store >= 0) {
      this.walkIn(d, unitPrice);
      return;
    }
    const orders = w.orders;
    const o = orders.add(d.zone, d.channel, d.sku, d.quantity, campaign?.index ?? -1);
    orders.lat[o] = d.lat;
    orders.lon[o] = d.lon;
    orders.unitPrice[o] = unitPrice;
    orders.patienceMinutes[o] = durationQuantileMinutes(sku.patience, d.uPatience);
    orders.returnDraw[o] = d.uReturn;
    orders.resaleDraw[o] = d.uResale;
    orders.pickupDelayMinutes[o] = -Math.log(1 - d.uPickup) * PICKUP_DELAY_MEAN_MINUTES;
    orders.stamp(o, STAGE.placed, d.t);
    metrics.ordersPlaced++;
    const presale = campaign?.presale;
    this.coordination.view.placed(o, !!presale);
    if (!presale) {
      this.pay(o);
      return;
    }
    // Pre-sale: a deposit now, the balance in the payment window; the order ships only once paid.
    const { sim } = w;
    if (d.uPay < presale.neverPayShare) {
      sim.scheduleAt(Math.max(sim.now, presale.balanceEnd), () => {
        if (orders.state[o] !== ORDER_STATE.awaitingPayment) return;
        this.fulfilment.cancel(o);
        this.coordination.view.cancelledUnpaid(o);
      });
      return;
    }
    const u = (d.uPay - presale.neverPayShare) / (1 - presale.neverPayShare);
    const share = presale.payFirstTwoHoursShare;
    const window = Math.max(0, presale.balanceEnd - presale.balanceStart - 120);
    const payAt = u < share ? presale.balanceStart + (u / share) * 120 : presale.balanceStart + 120 + ((u - share) / (1 - share)) * window;
    sim.scheduleAt(Math.max(sim.now, payAt), () => this.pay(o));
  }

  /** An order is paid: fulfilment routes it, and the platform view hears where it went. */
  private pay(o: OrderId): void {
    this.fulfilment.release(o);
    this.coordination.view.paid(o);
  }

  private walkIn(d: CustomerDraw, unitPrice: number): void {
    const { stock, metrics, network } = this.world;
    metrics.walkInCustomers++;
    this.replenishment.demandSeen(d.store, d.sku, d.quantity);
    const sku = network.skus[d.sku];
    if (stock.take(d.store, d.sku, d.quantity)) {
      metrics.walkInSold++;
      metrics.unitsFulfilled += d.quantity;
      metrics.revenue += unitPrice * d.quantity;
      metrics.costOfGoodsSold += sku.unitCost * d.quantity;
      metrics.ledger[d.sku].shippedToCustomers += d.quantity;
      // Checked here first: most sales are not returned, and the call would box its real-valued arguments.
      if (d.uReturn < this.returns.returnRate(d.channel, d.sku)) this.returns.consider(d.channel, d.sku, d.quantity, unitPrice, d.store, d.uReturn, d.uResale);
    } else {
      metrics.unitsLostSales += d.quantity;
      metrics.lostMargin += (unitPrice - sku.unitCost) * d.quantity;
    }
  }

  /** Periodic sample: holding cost, the stockout-while-overstocked index, and a time-series row. */
  private readonly sample = (): void => {
    const w = this.world;
    const { sim, network, stock, metrics, scenario } = w;
    const interval = scenario.timeseriesIntervalMinutes;
    this.coordination.wake();
    const next = sim.now + interval;
    if (next <= w.horizon) sim.scheduleAt(next, this.sample);
    const holdingPerUnitMinute = scenario.costs.holdingSharePerYear / (365 * 1440);
    let holding = 0;
    let onHand = 0;
    const tierOnHand = [0, 0, 0, 0];
    let inTransit = 0;
    const nSku = network.skuCount;
    const over = new Uint8Array(network.siteCount * nSku);
    const overCount = new Float64Array(nSku);
    for (let s = 0; s < network.siteCount; s++) {
      const type = network.siteType[s];
      for (let k = 0; k < nSku; k++) {
        const i = stock.at(s, k);
        const units = stock.available[i] + stock.reserved[i];
        inTransit += stock.inTransit[i];
        tierOnHand[type] += units;
        if (type === 0) continue;
        onHand += units;
        holding += units * network.skus[k].unitCost * holdingPerUnitMinute * interval;
        if (this.replenishment.stocked[i] && stock.available[i] > this.replenishment.target(s, k)) {
          over[i] = 1;
          overCount[k]++;
        }
      }
    }
    if (sim.now > 0) {
      metrics.cost("holding", holding);
      metrics.onHandSampleSum += onHand;
      metrics.samples++;
      for (let s = 0; s < network.siteCount; s++)
        for (let k = 0; k < nSku; k++) {
          const i = stock.at(s, k);
          if (!this.replenishment.stocked[i]) continue;
          metrics.stockedSamples++;
          if (stock.available[i] < 1 && overCount[k] - over[i] > 0) metrics.stockoutWhileOverSamples++;
        }
    }
    const rdc = network.rdcs[0] ?? -1;
    metrics.timeseries.push({
      t: sim.now,
      ordersPlaced: metrics.ordersPlaced,
      ordersDelivered: metrics.ordersDelivered,
      ordersCancelled: metrics.ordersCancelled,
      backlogOrders: metrics.backlog,
      onHandRdc: tierOnHand[1],
      onHandFdc: tierOnHand[2],
      onHandStore: tierOnHand[3],
      inTransit,
      rdcPickQueue: rdc >= 0 ? this.fulfilment.pickQueueLength(rdc) : 0,
      unitsLostSales: metrics.unitsLostSales,
      costTotal: metrics.costTotal,
      revenue: metrics.revenue,
    });
  };
}
