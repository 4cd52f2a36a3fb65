// Replenishment: periodic-review base-stock / (s,S) at every site from its parent tier, targets set from
// the site's own demand history (siloed) or from the data platform's forecast (lever L1); scheduled trunk
// departures with truck capacity (units that do not fit wait for the next departure); ad-hoc vans (siloed
// pickup transfers, L1 rebalancing, L3 emergency replenishment); and factory production released daily,
// made to order up to a finished-goods cap. Perishable units travel with their lots (lots.ts); transit
// times are drawn by transport.ts.
import { normalQuantile } from "../../engine/stats.ts";
import { productionLeadHours, type Site } from "../../scenario/schema.ts";
import type { Transport } from "../transport.ts";
import { decide, type World } from "../world.ts";
import { openingLots, takeLots, type Lots } from "./lots.ts";

/** Forward sites and RDCs review at this local time, before the evening trunk departures. */
const REVIEW_CLOCK_MINUTES = 18 * 60;
/** Ad-hoc vans leave on the next full hour after the first request. */
const AD_HOC_BATCH_MINUTES = 60;
const AD_HOC_KM_PER_HOUR = 40;

interface Batch {
  sku: number;
  units: number;
  /** The units' lots, for a SKU with a shelf life (else null). */
  lots: Lots | null;
}

/** Opening stock of a perishable SKU is spread over at most this many lots of different ages. */
const OPENING_LOTS_MAX = 10;
interface FactoryOrder {
  rdc: number;
  sku: number;
  remaining: number;
}
interface AdHocRequest {
  sku: number;
  units: number;
  onArrive: () => void;
  reason: string;
}

/** Lots for the units the last `stock.take` removed, or null (a SKU without shelf life). */
function carried(w: World): Lots | null {
  const lots = w.stock.lastTaken;
  w.stock.lastTaken = null;
  return lots;
}

/** Why a van goes, as recorded on its decision; siloed pickup transfers unless the caller says otherwise. */
const SILOED_VAN_REASON = "store pickup orders without store stock (siloed)";

/** Forecast accuracy is scored at this local time each day: yesterday's forecast of the day just ended against its demand. */
const SCORE_CLOCK_MINUTES = 0;

/** Units a site will be asked for over the next `days` days, as the data platform forecasts them now. */
export type PlatformForecast = (site: number, sku: number, days: number) => number;

/** The replenishment process of one run. */
export class Replenishment {
  /** Daily demand each site saw, per site × SKU, one number per day. */
  private readonly history: Float64Array[];
  private readonly initial: Float64Array;
  private readonly fixedTarget: Float64Array;
  private readonly reorderPoint: Float64Array;
  readonly stocked: Uint8Array;
  private readonly dock = new Map<number, Batch[]>();
  private readonly factoryOrders: FactoryOrder[][];
  private readonly adHoc = new Map<number, AdHocRequest[]>();
  /** Share of normal output per factory (disruptions), and extra ramp share booked (lever L3). */
  readonly factoryShare: Float64Array;
  readonly factoryRamp: Float64Array;
  /** The scenario's own inventory safety line per site × SKU (lever L3), or -1. */
  readonly safetyLine: Float64Array;
  /**
   * The data platform's forecast (lever L1): units a site will be asked for over the next `days` days.
   * Used for order-up-to targets instead of the site's own history while dataPlatform is on.
   */
  readonly platformForecast: PlatformForecast | null;
  private readonly days: number;
  /** Per site × SKU: the daily forecast made at the last scoring time (NaN: none), and the smoothed squared error of the platform's. */
  private readonly dailyForecast: Float64Array;
  private readonly platformSquaredError: Float64Array;
  /** z of each site's service level (normal quantile). */
  private readonly z: Float64Array;
  /**
   * Per site × SKU with a shelf life: the remaining life, minutes, its planner expects on a regular delivery —
   * the date codes on what it received, smoothed, starting from the shelf life less the leg's lead time.
   */
  private readonly arrivalLife: Float64Array;
  /** Per site × SKU: the most lead time + review period among the sites it supplies that stock the SKU (0: none). */
  private readonly downstreamDays: Float64Array;
  /** Per site × SKU: the lead time its planner plans on, days (fixed for the run: see planningLeadDays). */
  private readonly lead: Float64Array;

  constructor(
    private readonly w: World,
    private readonly stockArrived: (site: number, sku: number) => void,
    private readonly transport: Transport,
    platformForecast: PlatformForecast | null = null,
  ) {
    this.platformForecast = platformForecast;
    const { network, stock, sim, metrics } = w;
    const n = network.siteCount * network.skuCount;
    this.days = Math.ceil(w.horizon / 1440) + 2;
    this.history = Array.from({ length: n }, () => new Float64Array(this.days));
    this.initial = new Float64Array(n);
    this.fixedTarget = new Float64Array(n).fill(-1);
    this.reorderPoint = new Float64Array(n).fill(-1);
    this.stocked = new Uint8Array(n);
    this.factoryOrders = network.sites.map(() => []);
    this.factoryShare = new Float64Array(network.siteCount).fill(1);
    this.factoryRamp = new Float64Array(network.siteCount);
    this.safetyLine = new Float64Array(n).fill(-1);
    this.dailyForecast = new Float64Array(n).fill(Number.NaN);
    this.platformSquaredError = new Float64Array(n).fill(Number.NaN);
    this.arrivalLife = new Float64Array(n).fill(Number.NaN);
    this.downstreamDays = new Float64Array(n);
    this.lead = new Float64Array(n);
    for (let site = 0; site < network.siteCount; site++) for (let k = 0; k < network.skuCount; k++) this.lead[stock.at(site, k)] = this.planningLeadDays(site, k);
    this.z = Float64Array.from(network.sites, (site) => (site.type === "factory" ? 0 : normalQuantile(site.replenishment.serviceLevel)));
    network.sites.forEach((site, s) => {
      for (const line of site.inventory) {
        const k = network.skuIdx(line.sku);
        const i = stock.at(s, k);
        const life = stock.lifeMinutes[k];
        stock.receive(s, k, line.initial, 0, life > 0 ? openingLots(line.initial, life, Math.min(OPENING_LOTS_MAX, Math.max(1, Math.ceil(life / 1440)))) : null);
        metrics.ledger[k].initial += line.initial;
        this.initial[i] = line.initial;
        this.stocked[i] = site.type === "factory" ? 0 : 1;
        if (line.orderUpTo !== undefined) this.fixedTarget[i] = line.orderUpTo;
        if (line.reorderPoint !== undefined) this.reorderPoint[i] = line.reorderPoint;
        if (line.safetyLine !== undefined) this.safetyLine[i] = line.safetyLine;
      }
      if (site.type === "factory") sim.scheduleAt(w.clock.nextClock(1e-9, 0), this.produce, s);
      else sim.scheduleAt(w.clock.nextClock(0, REVIEW_CLOCK_MINUTES), this.review, s);
    });
    network.sites.forEach((site, c) => {
      const parent = network.parentOf[c];
      if (parent < 0 || site.type === "factory") return;
      for (let k = 0; k < network.skuCount; k++) {
        if (!this.stocked[stock.at(c, k)]) continue;
        const i = stock.at(parent, k);
        this.downstreamDays[i] = Math.max(this.downstreamDays[i], this.leadDays(c, k) + site.replenishment.reviewHours / 24);
      }
    });
    sim.scheduleAt(w.clock.nextClock(1e-9, SCORE_CLOCK_MINUTES), this.scoreForecasts);
    for (const lane of network.lanes.values())
      for (const departure of lane.departureMinutesOfDay) sim.scheduleAt(w.clock.nextClock(0, departure), this.depart, [lane.from, lane.to, departure]);
  }

  /** Today's local day as an index into a site's demand history (clamped to its length). */
  private historyDay(): number {
    return Math.min(this.days - 1, Math.max(0, this.w.clock.dayIndex(this.w.sim.now)));
  }

  /** Units of a SKU a site was asked for in the current and the previous local day. */
  recentDemand(site: number, sku: number): number {
    const day = this.historyDay();
    const h = this.history[this.w.stock.at(site, sku)];
    return h[day] + (day > 0 ? h[day - 1] : 0);
  }

  /** A site saw demand for units of a SKU today. */
  demandSeen(site: number, sku: number, units: number): void {
    const day = this.historyDay();
    this.history[this.w.stock.at(site, sku)][day] += units;
  }

  /**
   * Order-up-to level of a site × SKU now: fixed, or forecast demand over lead time + review + cover plus
   * safety stock z·σ·√(lead time + review) for the site's service level — from the data platform while L1
   * is on (σ: the platform's own daily forecast error at the site), else from the site's own history (σ:
   * the spread of its daily demand over the forecast window).
   */
  target(site: number, sku: number): number {
    const { network, stock, clock, sim } = this.w;
    const i = stock.at(site, sku);
    if (this.fixedTarget[i] >= 0) return this.fixedTarget[i];
    const s = network.sites[site];
    if (s.type === "factory") return 0;
    const cycleDays = this.cycleDays(site, sku);
    // Safety stock covers the demand uncertainty over lead time + review (capped with the cycle at the shelf life).
    const exposureDays = Math.min(this.leadDays(site, sku) + s.replenishment.reviewHours / 24, cycleDays);
    const z = this.z[site];
    let demand: number;
    let sigma: number;
    if (this.platformForecast && this.w.policy.dataPlatform) {
      const mse = this.platformSquaredError[i];
      sigma = Number.isNaN(mse) ? this.ownDailySpread(site, sku) : Math.sqrt(mse);
      demand = this.platformForecast(site, sku, cycleDays);
    } else {
      if (clock.dayIndex(sim.now) < 1) return this.initial[i];
      sigma = this.ownDailySpread(site, sku);
      demand = this.ownDailyDemand(site, sku) * cycleDays;
    }
    let safety = z * (Number.isNaN(sigma) ? 0 : sigma) * Math.sqrt(exposureDays);
    // A perishable's safety stock is only what can still sell before it expires: the usable life beyond the review period.
    const spare = this.usableLifeDays(site, sku) - s.replenishment.reviewHours / 24;
    if (spare < Infinity) safety = Math.min(safety, cycleDays > 0 ? (demand / cycleDays) * Math.max(0, spare) : 0);
    return Math.ceil(demand + safety);
  }

  /** Standard deviation of the daily demand a site saw over its forecast window; NaN before day 2. */
  ownDailySpread(site: number, sku: number): number {
    const { network, stock, clock, sim } = this.w;
    const s = network.sites[site];
    const today = clock.dayIndex(sim.now);
    if (today < 2 || s.type === "factory") return Number.NaN;
    const h = this.history[stock.at(site, sku)];
    const window = Math.max(2, Math.min(Math.ceil(s.replenishment.forecastWindowDays), today));
    let sum = 0;
    let squares = 0;
    for (let d = today - window; d < today; d++) {
      sum += h[d];
      squares += h[d] * h[d];
    }
    const mean = sum / window;
    return Math.sqrt(Math.max(0, (squares - window * mean * mean) / (window - 1)));
  }

  /**
   * Each local midnight: score the daily forecast each stocked forward site (FDC, store) acted on for the day
   * just ended against the demand it saw — the platform's while L1 is on, else the site's own moving
   * average — and make today's. Reads only; the platform's error feeds its safety stock.
   */
  private readonly scoreForecasts = (): void => {
    const w = this.w;
    const { network, stock, sim, clock, metrics } = w;
    if (sim.now + 1440 < w.horizon) sim.scheduleIn(1440, this.scoreForecasts);
    const yesterday = clock.dayIndex(sim.now) - 1;
    const platform = this.platformForecast !== null && w.policy.dataPlatform;
    const clipSigmas = w.scenario.levers.dataPlatform.errorClipSigmas;
    for (let s = 0; s < network.siteCount; s++) {
      const type = network.siteType[s];
      const site = network.sites[s];
      if ((type !== 2 && type !== 3) || site.type === "factory") continue;
      const beta = 2 / (site.replenishment.forecastWindowDays + 1);
      for (let k = 0; k < network.skuCount; k++) {
        const i = stock.at(s, k);
        if (!this.stocked[i] || this.fixedTarget[i] >= 0) continue;
        const f = this.dailyForecast[i];
        if (!Number.isNaN(f) && yesterday >= 0 && yesterday < this.days) {
          const actual = this.history[i][yesterday];
          metrics.forecastScored(f, actual);
          if (platform) {
            // Winsorised at `errorClipSigmas` of the error so far, as robust forecasting practice does: one
            // campaign's miss (a target marketing overstated) widens safety stock, but does not set it for weeks.
            const prev = this.platformSquaredError[i];
            const clip = Number.isNaN(prev) ? Infinity : clipSigmas * Math.sqrt(prev);
            const e = Math.min(Math.abs(f - actual), clip);
            this.platformSquaredError[i] = Number.isNaN(prev) ? e * e : beta * e * e + (1 - beta) * prev;
          }
        }
        this.dailyForecast[i] = platform ? this.platformForecast!(s, k, 1) : this.ownDailyDemand(s, k);
      }
    }
  };

  /**
   * Days of demand a site's order-up-to level is for: lead time + review + cover days, at most the SKU's
   * maxCoverDays and, for a SKU with a shelf life, at most the usable life of what the site receives —
   * though never less than the review period, which the stock must last whatever it costs in spoilage. No
   * planner orders stock that must expire before its demand comes (docs/scenario-format.md; the same rule
   * under every policy).
   */
  cycleDays(site: number, sku: number): number {
    const s = this.w.network.sites[site];
    if (s.type === "factory") return 0;
    const review = s.replenishment.reviewHours / 24;
    const shelf = Math.min(review + s.replenishment.coverDays, this.w.network.skus[sku].maxCoverDays ?? Infinity, Math.max(review, this.usableLifeDays(site, sku)));
    return this.leadDays(site, sku) + shelf;
  }

  /**
   * Days a regular delivery to a site stays sellable here, as its planner knows it: the remaining life on
   * the date codes of what it has received (smoothed, the site's `arrivalLifeWeight` per delivery, from a start at
   * the shelf life less this leg's lead time), less what the sites it supplies need of it — their lead
   * time and review period — when it sends stock on. Infinite for a SKU without a shelf life.
   */
  usableLifeDays(site: number, sku: number): number {
    const life = this.w.network.skus[sku].shelfLifeDays;
    if (life === undefined) return Infinity;
    const i = this.w.stock.at(site, sku);
    const seen = this.arrivalLife[i];
    return Math.max(0, (Number.isNaN(seen) ? this.firstArrivalLifeDays(site, sku) : seen / 1440) - this.downstreamDays[i]);
  }

  /** Before a site's first regular delivery of a perishable SKU, the life its planner expects on it: the shelf life less this leg's lead time. */
  private firstArrivalLifeDays(site: number, sku: number): number {
    return this.w.network.skus[sku].shelfLifeDays! - this.leadDays(site, sku);
  }

  /** When stock sent to a site now stops being sellable there: its lead time plus its usable life (Infinity without a shelf life). */
  sellableUntil(site: number, sku: number, now: number): number {
    return now + (this.leadDays(site, sku) + this.usableLifeDays(site, sku)) * 1440;
  }

  /** Mean daily demand a site saw over its forecast window (the siloed forecast); NaN before day 1. */
  ownDailyDemand(site: number, sku: number): number {
    const { network, stock, clock, sim } = this.w;
    const s = network.sites[site];
    const today = clock.dayIndex(sim.now);
    if (today < 1 || s.type === "factory") return Number.NaN;
    const i = stock.at(site, sku);
    const window = Math.min(s.replenishment.forecastWindowDays, today);
    let sum = 0;
    for (let d = today - window; d < today; d++) sum += this.history[i][d];
    return sum / window;
  }

  private leadDays(site: number, sku: number): number {
    return this.lead[this.w.stock.at(site, sku)];
  }

  /** The lead time a site's planner plans on, days: worked out once per run, from the timetable. */
  private planningLeadDays(site: number, sku: number): number {
    const { network } = this.w;
    const s = network.sites[site];
    if (s.type === "factory") return 0;
    // A daily review (at REVIEW_CLOCK_MINUTES) knows when its order can leave: the factory's next daily
    // release (local midnight) or the lane's next departure in the timetable. Any other review period waits
    // a day for a factory and half a day for a trunk, on average.
    const daily = s.replenishment.reviewHours % 24 === 0;
    const after = (clock: number) => ((((clock - REVIEW_CLOCK_MINUTES) % 1440) + 1440) % 1440) / 1440;
    if (s.type === "rdc") {
      const f = network.sites[network.supplierOf[sku]];
      return (f.type === "factory" ? this.factoryLeadHours(f, sku) / 24 : 2) + (daily ? after(0) : 1);
    }
    const lane = network.lane(network.parentOf[site], site);
    if (!lane) return 1;
    if (!daily || lane.departureMinutesOfDay.length === 0) return (lane.transitMinutes + 720) / 1440;
    return Math.min(...lane.departureMinutesOfDay.map(after)) + lane.transitMinutes / 1440;
  }

  private readonly review = (site: number): void => {
    const w = this.w;
    const { network, stock, sim, metrics, clock } = w;
    const s = network.sites[site];
    if (s.type === "factory") return;
    const next = sim.now + s.replenishment.reviewHours * 60;
    if (next < w.horizon) sim.scheduleAt(next, this.review, site);
    for (let k = 0; k < network.skuCount; k++) {
      const i = stock.at(site, k);
      if (!this.stocked[i]) continue;
      const S = this.target(site, k);
      const position = stock.position(site, k);
      const s0 = this.reorderPoint[i] >= 0 ? this.reorderPoint[i] : S - 1;
      if (position > s0) continue;
      const qty = Math.ceil(S - position);
      if (qty <= 0) continue;
      metrics.replenish(clock.dayIndex(sim.now), qty);
      if (s.type === "rdc") this.orderFromFactory(site, k, qty);
      else this.orderFromParent(site, k, qty);
    }
  };

  private orderFromParent(site: number, sku: number, qty: number): void {
    const { network, stock } = this.w;
    const parent = network.parentOf[site];
    this.demandSeen(parent, sku, qty);
    const units = this.toDock(parent, site, sku, qty);
    if (units <= 0) return;
    const reason = this.platformForecast && this.w.policy.dataPlatform
      ? "periodic review below the order-up-to level (data platform forecast)"
      : "periodic review below the order-up-to level (own demand history)";
    decide(this.w, "replenishment", site, reason, {
      sku: network.skus[sku].id,
      requested: qty,
      shipped: units,
      from: network.sites[parent].id,
    });
  }

  /** Load up to `qty` units from the parent's shelf onto the next trunk to `site`; returns the units loaded. */
  private toDock(parent: number, site: number, sku: number, qty: number): number {
    const { network, stock } = this.w;
    const units = Math.min(qty, stock.available[stock.at(parent, sku)]);
    if (units <= 0) return 0;
    stock.take(parent, sku, units);
    const lots = carried(this.w);
    stock.inTransit[stock.at(site, sku)] += units;
    const key = parent * network.siteCount + site;
    let queue = this.dock.get(key);
    if (!queue) this.dock.set(key, (queue = []));
    queue.push({ sku, units, lots });
    return units;
  }

  /** Pre-positioning (L1): send units parent → site on the next scheduled trunk; returns the units sent. */
  prePosition(site: number, sku: number, qty: number): number {
    const parent = this.w.network.parentOf[site];
    return parent < 0 ? 0 : this.toDock(parent, site, sku, qty);
  }

  /**
   * Send units `from` → `to` on a dedicated van at the next full hour, on the lane's expedited time at the
   * van price (L1 rebalancing, L3 emergency replenishment); returns the units sent.
   */
  vanTransfer(from: number, to: number, sku: number, qty: number, reason: string): number {
    const { stock } = this.w;
    const units = Math.min(qty, Math.floor(stock.available[stock.at(from, sku)]));
    if (units <= 0) return 0;
    stock.take(from, sku, units);
    const lots = carried(this.w);
    this.adHocTransfer(
      from,
      to,
      sku,
      units,
      () => {
        stock.receive(to, sku, units, this.w.sim.now, lots);
        this.stockArrived(to, sku);
      },
      reason,
    );
    return units;
  }

  private readonly depart = ([from, to, departure]: [number, number, number]): void => {
    const w = this.w;
    const { network, sim, metrics, scenario } = w;
    const nextDay = w.clock.nextClock(sim.now + 1, departure);
    if (nextDay < w.horizon) sim.scheduleAt(nextDay, this.depart, [from, to, departure]);
    const lane = network.lane(from, to)!;
    // Drawn before the dock is looked at: a lane's k-th departure has the same transit time under every policy.
    const transit = this.transport.trunk(lane);
    const queue = this.dock.get(from * network.siteCount + to);
    if (!queue || queue.length === 0) return;
    let room = lane.truckCapacityUnits * lane.trucksPerDeparture;
    const load: Batch[] = [];
    let loaded = 0;
    while (queue.length > 0 && room > 0) {
      const b = queue[0];
      const units = Math.min(b.units, room);
      load.push({ sku: b.sku, units, lots: b.lots && (units === b.units ? b.lots : takeLots(b.lots, units)) });
      room -= units;
      loaded += units;
      b.units -= units;
      if (b.units === 0) queue.shift();
    }
    const trucks = Math.ceil(loaded / lane.truckCapacityUnits);
    metrics.cost("transfer", trucks * (scenario.costs.transfer.perTrip + scenario.costs.transfer.perKm * lane.km));
    if (w.observer) for (const b of load) w.observer.shipment("trunk", from, to, b.sku, b.units, sim.now, sim.now + transit);
    sim.scheduleIn(transit, () => this.arrive(to, load));
  };

  private arrive(site: number, load: Batch[]): void {
    const { stock } = this.w;
    for (const b of load) {
      const i = stock.at(site, b.sku);
      stock.inTransit[i] -= b.units;
      if (b.lots) this.noteArrivalLife(site, b.sku, b.lots);
      stock.receive(site, b.sku, b.units, this.w.sim.now, b.lots);
      this.stockArrived(site, b.sku);
    }
  }

  /** Smooth the remaining life of a regular delivery into what the site's planner expects of the next one. */
  private noteArrivalLife(site: number, sku: number, lots: Lots): void {
    const now = this.w.sim.now;
    let units = 0;
    let sum = 0;
    for (let j = 0; j < lots.length; j += 2) {
      units += lots[j + 1];
      sum += Math.max(0, lots[j] - now) * lots[j + 1];
    }
    if (units <= 0) return;
    const i = this.w.stock.at(site, sku);
    const prior = this.arrivalLife[i];
    const before = Number.isNaN(prior) ? this.firstArrivalLifeDays(site, sku) * 1440 : prior;
    const at = this.w.network.sites[site];
    const weight = at.type === "factory" ? 1 : at.replenishment.arrivalLifeWeight;
    this.arrivalLife[i] = weight * (sum / units) + (1 - weight) * before;
  }

  /** Send units from one site to another on a dedicated van at the next full hour (dearer than the trunk). */
  adHocTransfer(from: number, to: number, sku: number, units: number, onArrive: () => void, reason = SILOED_VAN_REASON): void {
    const { network, stock, sim } = this.w;
    stock.inTransit[stock.at(to, sku)] += units;
    const key = from * network.siteCount + to;
    let pending = this.adHoc.get(key);
    if (!pending) {
      this.adHoc.set(key, (pending = []));
      const leave = (Math.floor(sim.now / AD_HOC_BATCH_MINUTES) + 1) * AD_HOC_BATCH_MINUTES;
      sim.scheduleAt(leave, () => this.sendVan(from, to));
    }
    pending.push({ sku, units, onArrive, reason });
  }

  private sendVan(from: number, to: number): void {
    const w = this.w;
    const { network, scenario, metrics, sim, stock } = w;
    const key = from * network.siteCount + to;
    const pending = this.adHoc.get(key) ?? [];
    this.adHoc.delete(key);
    const lane = network.lane(from, to);
    const km = network.kmBetween(from, to);
    const capacity = lane?.truckCapacityUnits ?? 2000;
    const units = pending.reduce((a, r) => a + r.units, 0);
    const vans = Math.max(1, Math.ceil(units / capacity));
    const base = vans * (scenario.costs.transfer.perTrip + scenario.costs.transfer.perKm * km);
    metrics.cost("transfer", base);
    metrics.cost("expedite", base * (scenario.costs.expediteMultiplier - 1));
    const transit = this.transport.van(from, to, lane ? lane.expediteTransitMinutes : (km / AD_HOC_KM_PER_HOUR) * 60, lane);
    if (w.observer) for (const r of pending) w.observer.shipment("van", from, to, r.sku, r.units, sim.now, sim.now + transit);
    decide(w, "ad-hoc-transfer", to, pending[0]?.reason ?? SILOED_VAN_REASON, {
      from: network.sites[from].id,
      orders: pending.length,
      units,
      vans,
      cost: Math.round(base * scenario.costs.expediteMultiplier),
    });
    sim.scheduleIn(transit, () => {
      for (const r of pending) {
        stock.inTransit[stock.at(to, r.sku)] -= r.units;
        r.onArrive();
      }
    });
  }

  private orderFromFactory(rdc: number, sku: number, qty: number): void {
    const { network, stock } = this.w;
    const factory = network.supplierOf[sku];
    stock.onOrder[stock.at(rdc, sku)] += qty;
    this.factoryOrders[factory].push({ rdc, sku, remaining: qty });
    const reason = this.platformForecast && this.w.policy.dataPlatform
      ? "periodic review below the order-up-to level (data platform forecast)"
      : "periodic review below the order-up-to level (own demand history)";
    decide(this.w, "factory-order", rdc, reason, {
      sku: network.skus[sku].id,
      units: qty,
      factory: network.sites[factory].id,
    });
    this.fillFactoryOrders(factory);
  }

  /** End of a production day: the day's output joins the factory's stock and ships to waiting orders. */
  private readonly produce = (factory: number): void => {
    const w = this.w;
    const { network, stock, metrics, sim } = w;
    if (sim.now + 1440 <= w.horizon) sim.scheduleIn(1440, this.produce, factory);
    const site = network.sites[factory];
    if (site.type !== "factory") return;
    for (const line of site.production) {
      const k = network.skuIdx(line.sku);
      const normal = line.unitsPerDay * this.factoryShare[factory];
      const ramped = line.unitsPerDay * this.factoryRamp[factory];
      // Make to order: at most the open RDC orders plus the finished-goods cap, less what is on hand.
      const wanted = this.openFactoryUnits(factory, k) + line.finishedGoodsCapDays * line.unitsPerDay - stock.available[stock.at(factory, k)];
      const units = Math.max(0, Math.min(Math.floor(normal + ramped), Math.floor(wanted)));
      stock.receive(factory, k, units, sim.now);
      metrics.ledger[k].produced += units;
      // Ramped volume is overtime; when the cap holds output below normal + ramped, only what exceeds normal is.
      const overtime = units >= Math.floor(normal + ramped) ? ramped : Math.max(0, units - normal);
      if (overtime > 0 && site.ramp) metrics.cost("production", overtime * network.skus[k].unitCost * site.ramp.overtimeCostShare);
    }
    this.fillFactoryOrders(factory);
  };

  /** Hours from a factory to an RDC for a SKU: its production line's own lead time, else the factory's. */
  private factoryLeadHours(f: Site & { type: "factory" }, sku: number): number {
    const id = this.w.network.skus[sku].id;
    const line = f.production.find((p) => p.sku === id);
    return line ? productionLeadHours(f, line) : f.leadTimeHours;
  }

  /** Units of a SKU the RDCs have ordered from a factory and not yet received from it. */
  private openFactoryUnits(factory: number, sku: number): number {
    let n = 0;
    for (const o of this.factoryOrders[factory]) if (o.sku === sku) n += o.remaining;
    return n;
  }

  private fillFactoryOrders(factory: number): void {
    const { network, stock, sim } = this.w;
    const site = network.sites[factory];
    // First come first served per SKU; an order waiting for one SKU does not hold up another SKU.
    const queue = this.factoryOrders[factory];
    for (const o of queue) {
      const units = Math.min(o.remaining, stock.available[stock.at(factory, o.sku)]);
      if (units <= 0) continue;
      stock.take(factory, o.sku, units);
      const lots = carried(this.w);
      const i = stock.at(o.rdc, o.sku);
      stock.onOrder[i] -= units;
      stock.inTransit[i] += units;
      o.remaining -= units;
      const transit = this.transport.factory(factory, site.type === "factory" ? this.factoryLeadHours(site, o.sku) * 60 : 0);
      this.w.observer?.shipment("factory", factory, o.rdc, o.sku, units, sim.now, sim.now + transit);
      sim.scheduleIn(transit, () => this.arrive(o.rdc, [{ sku: o.sku, units, lots }]));
    }
    this.factoryOrders[factory] = queue.filter((o) => o.remaining > 0);
  }
}
