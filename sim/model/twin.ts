// A Twin is one run: scenario + policy + seed + interventions → events → metrics. It is the composition
// root: it builds the world and every process of the model, each after the parts it calls, wires the
// arrival streams to checkout, and applies interventions at their times. Nothing else influences a run.
import { Simulation } from "../engine/index.ts";
import type { Intervention, Scenario } from "../scenario/schema.ts";
import { SILOED, type Policy } from "../policy/policy.ts";
import { Metrics } from "../metrics/collector.ts";
import { activeCampaign } from "../demand/campaigns.ts";
import { DemandRates } from "../demand/rates.ts";
import { ArrivalSource, type ChoiceStreams, type CustomerDraw } from "../demand/arrivals.ts";
import { LocalClock } from "../network/clock.ts";
import { Network } from "../network/network.ts";
import { Checkout } from "./orders/checkout.ts";
import { Orders, type Order } from "./orders/order.ts";
import { Stock } from "./stock/stock.ts";
import { Allocation } from "./fulfilment/allocation.ts";
import { FulfilmentCapacity } from "./fulfilment/capacity.ts";
import { Fulfilment } from "./fulfilment/fulfilment.ts";
import { Routing } from "./fulfilment/routing.ts";
import { Replenishment } from "./stock/replenishment.ts";
import { Returns } from "./service/returns.ts";
import { Satisfaction } from "./service/satisfaction.ts";
import { CoordinationRunningCost } from "./coordination/running-cost.ts";
import { applyIntervention } from "./interventions.ts";
import { Coordination } from "./coordination/coordination.ts";
import { PlatformView } from "./coordination/platform-view.ts";
import { PromotionPressure } from "./coordination/pressure.ts";
import { Sampler } from "./sampling.ts";
import { Spoilage } from "./stock/spoilage.ts";
import { Marketing } from "./marketing.ts";
import { Transport } from "./transport.ts";
import type { Decision, ModelObserver, World } from "./world.ts";

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
    this.stock = new Stock(network.siteCount, network.skuCount, Float64Array.from(network.skus, (k) => (k.shelfLifeDays ?? 0) * 1440));
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
  /** Marketing's push of its running campaigns towards their targets (every policy). */
  readonly marketing: Marketing;
  /** Levers L1 (data platform) and L3 (capacity linkage); idle while both are off. */
  readonly coordination: Coordination;
  readonly sources: ArrivalSource[] = [];
  readonly seed: number;
  readonly initialPolicy: Policy;
  /** The interventions added on top of the scenario's own (RunOptions.interventions). */
  readonly addedInterventions: readonly Intervention[];
  private readonly checkout: Checkout;
  /** What the levers that are on cost to run (charged by the hour). */
  private readonly runningCost: CoordinationRunningCost;

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
    const campaigns = scenario.campaigns.map((c, i) => activeCampaign(c, i, network, toMinutes));
    const pressure = new PromotionPressure(network, campaigns.length);
    this.rates = new DemandRates(network, clock, campaigns, toMinutes, {
      pressureScale: pressure.scaleOf,
      repeatFactor: (zone, store) => (zone >= 0 ? world.satisfaction.repeatFactor(zone) : world.satisfaction.storeRepeatFactor(store)),
    });
    const view = new PlatformView(world, { rates: this.rates });
    const capacity = new FulfilmentCapacity(world);
    const allocation = new Allocation(world, capacity);
    const forecast = (site: number, sku: number, days: number) => view.plannedUnitsAt(site, sku, sim.now, sim.now + days * 1440);
    const transport = new Transport(world);
    this.replenishment = new Replenishment(world, (site, sku) => allocation.serveBackorders(site, sku), transport, forecast);
    new Spoilage(world);
    this.returns = new Returns(world, (site, sku) => allocation.serveBackorders(site, sku));
    const replenishment = this.replenishment;
    const returns = this.returns;
    this.fulfilment = new Fulfilment(world, capacity, allocation, new Routing(world, capacity), {
      adHocTransfer: (from, to, sku, units, onArrive) => replenishment.adHocTransfer(from, to, sku, units, onArrive),
      delivered: (o) => returns.considerOrder(o),
      demandSeen: (site, sku, units) => replenishment.demandSeen(site, sku, units),
    }, transport);
    this.coordination = new Coordination(world, view, pressure, { rates: this.rates, fulfilment: this.fulfilment, replenishment });
    this.marketing = new Marketing(world, campaigns, (c) => this.coordination.followsReview(c));
    this.checkout = new Checkout(world, this.rates, view, this.fulfilment, replenishment, returns, this.marketing);
    this.runningCost = new CoordinationRunningCost(world, campaigns);
    const sampler = new Sampler(world, this.coordination, replenishment, this.fulfilment);
    this.startArrivals();
    for (const i of [...scenario.interventions, ...this.addedInterventions]) this.schedule(i);
    sim.scheduleAt(0, sampler.sample);
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

  /** Hash of every accepted customer (time, zone, channel, SKU, quantity), in arrival order; unsigned 32-bit. */
  get arrivalHash(): number {
    return this.checkout.arrivalHash;
  }

  private startArrivals(): void {
    const { network, scenario, sim, clock } = this.world;
    const mean = scenario.demand.unitsPerOrder.mean;
    const onCustomer = (d: CustomerDraw) => this.customer(d);
    const onShifted = (d: CustomerDraw, added: boolean) => this.checkout.shifted(d, added);
    const { switching, baskets } = scenario.customers ?? {};
    // Customer choices (issue #17) come from streams of their own, named after the arrival stream, so
    // turning them on shifts no arrival and every policy sees each customer choose alike.
    const basketDraws = baskets ? Math.max(...baskets.linesPerOrder.map((b) => b.lines)) : 0;
    const lastMileVaries = scenario.transport.expressCv > 0 || scenario.transport.riderCv > 0;
    const choices = (name: string, online: boolean): ChoiceStreams => ({
      switching: switching ? sim.streams.get(`switching/${name}`) : null,
      basket: online && basketDraws > 0 ? sim.streams.get(`basket/${name}`) : null,
      basketDraws: online ? basketDraws : 0,
      // Drawn per candidate (walk-ins too: one may switch to ordering online), so a customer's parcel or rider
      // trip takes the same time under every policy that sends it the same way.
      lastMile: lastMileVaries ? sim.streams.get(`transit/last-mile/${name}`) : null,
    });
    network.channels.forEach((channel, c) => {
      if (channel.kind === "online")
        network.zones.forEach((zone, z) => {
          const name = `${zone.id}/${channel.id}`;
          const stream = sim.streams.get(`demand/${name}`);
          this.sources.push(new ArrivalSource(sim, clock, this.rates, stream, z, -1, c, network.skuCount, zone, mean, this.horizon, onCustomer, onShifted, choices(name, true)));
        });
      else
        for (const s of network.stores) {
          const site = network.sites[s];
          const name = `${site.id}/${channel.id}`;
          const stream = sim.streams.get(`walk-in/${name}`);
          const centre = { lat: site.lat, lon: site.lon, radiusKm: 0.001 };
          this.sources.push(new ArrivalSource(sim, clock, this.rates, stream, -1, s, c, network.skuCount, centre, mean, this.horizon, onCustomer, undefined, choices(`walk-in/${name}`, false)));
        }
    });
    for (const source of this.sources) source.start(0);
  }

  /** One accepted customer, to checkout (a method of its own, so a test can listen to every customer). */
  private customer(d: CustomerDraw): void {
    this.checkout.customer(d);
  }
}
