// The fulfilment capacity of every site — pick queues and the pick waves' carried credit, surge, shifts,
// riders and pickup counters — and the time estimates read from it: the promise an order gets, when a pick
// would be done, when a rider would be free, when an express parcel arrives. The order life cycle that
// uses this capacity is fulfilment.ts; the router reads the estimates through routing.ts.
import { ServerQueue } from "../../engine/index.ts";
import { clockMinutes, pickCapacityOver } from "../../network/network.ts";
import { PATH, type Path } from "../../network/paths.ts";
import { OrderQueue } from "../stock/stock.ts";
import type { World } from "../world.ts";
import { CarrierPickups } from "./carrier.ts";

/** Minutes between pick waves at a site. */
export const PICK_WAVE_MINUTES = 10;
/** Express last-mile delivery rounds (local clock) and hand-over time. */
const EXPRESS_ROUNDS = [9 * 60, 14 * 60, 19 * 60];
const EXPRESS_HANDOVER_MINUTES = 120;
const EXPRESS_KM_PER_HOUR = 50;

/** The fulfilment capacity of one run's sites, and the time estimates it implies. */
export class FulfilmentCapacity {
  readonly pickQueues: OrderQueue[];
  /** Pick capacity a site's waves carry over while its queue is not empty (written by the pick wave). */
  readonly pickCredit: Float64Array;
  private readonly shiftWindows: Array<Array<[number, number]>>;
  /** Extra pick capacity share in force per site (surge, lever L3). */
  readonly pickSurge: Float64Array;
  readonly riders: Array<ServerQueue | null>;
  readonly counters: Array<ServerQueue | null>;
  /** Orders in each site's pick queue that will need a rider. */
  readonly riderOrdersQueued: Float64Array;
  private readonly expressCutoffs: ReadonlyArray<{ orderBy: number; deliverBy: number; daysLater: number }>;
  /** Each site's express carrier pickups (daily capacity). */
  readonly carrier: CarrierPickups;

  constructor(private readonly w: World) {
    this.carrier = new CarrierPickups(w);
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
  }

  /** Orders waiting to be picked at a site. */
  pickQueueLength(site: number): number {
    return this.pickQueues[site].live;
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
    const perWave = pickCapacityOver(s, this.pickSurge[site], PICK_WAVE_MINUTES);
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

  /**
   * When an express parcel collected at `collectedAt` reaches a customer `km` from the warehouse: hand-over
   * and line haul (times `factor`, the parcel's transit draw; 1 for an estimate), then the next delivery round.
   */
  expressDeliveryAt(collectedAt: number, km: number, factor = 1): number {
    const { clock } = this.w;
    const atStation = collectedAt + (EXPRESS_HANDOVER_MINUTES + (km / EXPRESS_KM_PER_HOUR) * 60) * factor;
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

  /** t if the site is working at t, else the start of its next shift. */
  nextOpen(site: number, t: number): number {
    if (this.inShift(site, t)) return t;
    let best = Infinity;
    for (const [a] of this.shiftWindows[site]) best = Math.min(best, this.w.clock.nextClock(t, a));
    return Number.isFinite(best) ? best : t;
  }

  /** Whether a site is working (in one of its shifts) at t. */
  inShift(site: number, t: number): boolean {
    const minute = this.w.clock.minuteOfDay(t);
    for (const [a, b] of this.shiftWindows[site]) if (minute >= a && minute < b) return true;
    return false;
  }
}
