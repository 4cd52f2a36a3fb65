// The coordinated organisation's one view of demand, stock and capacity (levers L1 and L3): where each
// zone's orders of each channel go (learnt from the orders themselves), how many orders each site took in
// the last day, and the planned demand every campaign plan implies. It only reads the run; the levers'
// decisions live in coordination.ts and their rules in sim/policy/.
import type { DemandRates } from "../../demand/rates.ts";
import { pickCapacityPerDay } from "../../network/network.ts";
import { meanLinesPerOrder } from "../orders/customer-choice.ts";
import { NOT_SEEN, SEEN, SEEN_BOOKED, type OrderId } from "../orders/order.ts";
import type { World } from "../world.ts";
import { DemandForecast } from "./forecast.ts";

/** Planned demand is integrated over each hour at these many midpoints (opening bursts halve in 20 min). */
const SUBSTEPS_PER_HOUR = 4;
// Fields of a campaign plan the planned-demand table depends on: start, end, uplift, pressure.
const PLAN_FIELDS = 4;
/** Routing shares forget old orders with this time constant. */
const ROUTING_MEMORY_MINUTES = 3 * 1440;
/** Weight of the geometric prior (nearest RDC for delivery, nearest store for pickup) in orders. */
const PRIOR_ORDERS = 20;
/**
 * The plan is tabled this far past the horizon, so forecasts near the end of a run see demand going on
 * (a run's end is not the business's end; without it targets would fall to nothing in the last days).
 */
const PLAN_BEYOND_HORIZON_MINUTES = 21 * 1440;
/** Hourly buckets of the rolling "orders taken in the last day" count. */
const ROLLING_HOURS = 24;

/** What the view reads from the run. */
export interface PlatformSources {
  readonly rates: DemandRates;
}

/** The one view of one run: routing shares, rolling site load, planned demand. */
export class PlatformView {
  readonly zoneCount: number;
  readonly channelCount: number;
  readonly skuCount: number;
  readonly siteCount: number;
  /** Flows: an online (zone, channel) pair `z * channels + c`, or a walk-in (store, channel) `zones * channels + s * channels + c`. */
  readonly flowCount: number;
  /**
   * Decayed count of orders of each online flow and SKU routed to each site: `[(flow * skus + sku) * sites + site]`
   * (per SKU, because a tiered router sends a flow's fresh food and its fridges to different sites).
   */
  private readonly routed: Float64Array;
  private readonly routedTotal: Float64Array;
  private routedAt = 0;
  /** Shares as of the last observation (same layout), and per site × SKU the online flows it takes a share of. */
  private readonly shares: Float64Array;
  private siteFlows: number[][] = [];
  /** Orders routed to each site in each of the last ROLLING_HOURS hours (ring). */
  private readonly ring: Float64Array;
  private ringHour = 0;
  private open = false;
  /**
   * What the view has heard since its last observation, taken in at the next one (the view sees the run
   * hourly, not order by order): the orders routed, as (flow, SKU, site) triples, and the change in pre-sale
   * units booked and not yet paid, per SKU. The run keeps no list of orders for the view to read back.
   */
  private routedSince: number[] = [];
  private readonly pendingChange: Float64Array;
  /** Pre-sale units booked and not yet paid, per SKU, as of the last observation. */
  private readonly pendingBySku: Float64Array;
  /** Cumulative planned orders at the start of each hour: `[(hour * flows + flow) * skus + sku]`. */
  private planned: Float64Array | null = null;
  /** The campaign plans the table was built from: (start, end, uplift, pressure) per campaign, −1s if not yet submitted. */
  private plannedKey: Float64Array | null = null;
  private plannedCheckedAt = Number.NaN;
  private readonly hours: number;
  private readonly flowActive: Uint8Array;
  readonly children: number[][];
  /** Mean lines per customer order (pick/pack capacity counts parcels, the plans count lines). */
  readonly linesPerParcel: number;
  /** The platform's demand forecast (observed sales and campaign plans, or the oracle). */
  readonly forecast: DemandForecast;
  /** The forecast's version the table was built from. */
  private plannedVersion = -1;

  constructor(
    private readonly w: World,
    private readonly sources: PlatformSources,
  ) {
    const { network } = w;
    this.linesPerParcel = meanLinesPerOrder(w.scenario);
    this.zoneCount = network.zones.length;
    this.channelCount = network.channels.length;
    this.skuCount = network.skuCount;
    this.siteCount = network.siteCount;
    this.flowCount = (this.zoneCount + this.siteCount) * this.channelCount;
    this.routed = new Float64Array(this.flowCount * this.skuCount * this.siteCount);
    this.routedTotal = new Float64Array(this.flowCount * this.skuCount);
    this.shares = new Float64Array(this.flowCount * this.skuCount * this.siteCount);
    this.pendingBySku = new Float64Array(this.skuCount);
    this.pendingChange = new Float64Array(this.skuCount);
    this.ring = new Float64Array(ROLLING_HOURS * this.siteCount);
    this.hours = Math.ceil((w.horizon + PLAN_BEYOND_HORIZON_MINUTES) / 60) + 1;
    this.flowActive = new Uint8Array(this.flowCount);
    this.children = network.sites.map(() => []);
    for (let s = 0; s < this.siteCount; s++) if (network.parentOf[s] >= 0) this.children[network.parentOf[s]].push(s);
    network.channels.forEach((ch, c) => {
      if (ch.kind === "online")
        network.zones.forEach((zone, z) => {
          const f = z * this.channelCount + c;
          this.flowActive[f] = 1;
          const site = ch.fulfilment === "pickup" ? nearestOf(network.stores, (s) => network.kmFrom(zone.lat, zone.lon, s)) : network.zoneRdc[z];
          if (site >= 0) for (let k = 0; k < this.skuCount; k++) this.addRouted(f, k, site, PRIOR_ORDERS);
        });
      else for (const s of network.stores) this.flowActive[this.walkInFlow(s, c)] = 1;
    });
    this.updateShares();
    this.forecast = new DemandForecast(w, sources.rates, {
      flowCount: this.flowCount,
      zoneCount: this.zoneCount,
      channelCount: this.channelCount,
      isActive: (f) => this.flowActive[f] === 1 && (this.isOnline(f) || network.siteType[Math.floor(f / this.channelCount) - this.zoneCount] === 3),
    });
  }

  /** An accepted customer of an online zone (store −1) or a store's walk-in (zone −1): the platform's sales record. */
  customerSeen(zone: number, store: number, channel: number, sku: number, t: number): void {
    this.forecast.seen(store >= 0 ? this.walkInFlow(store, channel) : zone * this.channelCount + channel, sku, t);
  }

  private updateShares(): void {
    const n = this.siteCount;
    const nk = this.skuCount;
    this.siteFlows = Array.from({ length: n * nk }, () => []);
    for (let f = 0; f < this.zoneCount * this.channelCount; f++)
      for (let k = 0; k < nk; k++) {
        const r = f * nk + k;
        const total = this.routedTotal[r];
        for (let s = 0; s < n; s++) {
          const sh = total > 0 ? this.routed[r * n + s] / total : 0;
          this.shares[r * n + s] = sh;
          if (sh > 0) this.siteFlows[s * nk + k].push(f);
        }
      }
  }

  walkInFlow(store: number, channel: number): number {
    return (this.zoneCount + store) * this.channelCount + channel;
  }

  private addRouted(flow: number, sku: number, site: number, n: number): void {
    const r = flow * this.skuCount + sku;
    this.routed[r * this.siteCount + site] += n;
    this.routedTotal[r] += n;
  }

  /** Start taking in orders: from now on every placed order is seen at the next observation. */
  start(): void {
    this.open = true;
  }

  /** An order is placed; the view hears of it only if open (a pre-sale order counts as booked until paid). */
  placed(o: OrderId, presale: boolean): void {
    if (!this.open) return;
    const O = this.w.orders;
    O.seenByView[o] = presale ? SEEN_BOOKED : SEEN;
    if (presale) this.pendingChange[O.sku[o]] += O.quantity[o];
  }

  /** A placed order is paid and routed (at once, or when a pre-sale balance is paid). */
  paid(o: OrderId): void {
    const O = this.w.orders;
    const seen = O.seenByView[o];
    if (seen === NOT_SEEN) return;
    if (seen === SEEN_BOOKED) this.pendingChange[O.sku[o]] -= O.quantity[o];
    this.routedSince.push(O.zone[o] * this.channelCount + O.channel[o], O.sku[o], O.site[o]);
  }

  /** A pre-sale order is cancelled before its balance was paid. */
  cancelledUnpaid(o: OrderId): void {
    const O = this.w.orders;
    if (O.seenByView[o] === SEEN_BOOKED) this.pendingChange[O.sku[o]] -= O.quantity[o];
  }

  /** Take in what happened since the last call (call at least hourly). */
  observe(): void {
    const { sim } = this.w;
    const now = sim.now;
    const decay = Math.exp(-(now - this.routedAt) / ROUTING_MEMORY_MINUTES);
    if (decay < 1) {
      for (let i = 0; i < this.routed.length; i++) this.routed[i] *= decay;
      for (let r = 0; r < this.routedTotal.length; r++) this.routedTotal[r] *= decay;
    }
    this.routedAt = now;
    const hour = Math.floor(now / 60);
    while (this.ringHour < hour) {
      this.ringHour++;
      this.ring.fill(0, (this.ringHour % ROLLING_HOURS) * this.siteCount, (this.ringHour % ROLLING_HOURS + 1) * this.siteCount);
    }
    const ringRow = (this.ringHour % ROLLING_HOURS) * this.siteCount;
    const heard = this.routedSince;
    for (let j = 0; j < heard.length; j += 3) {
      this.addRouted(heard[j], heard[j + 1], heard[j + 2], 1);
      this.ring[ringRow + heard[j + 2]] += 1;
    }
    heard.length = 0;
    // Units are whole numbers, so the booked total is exact whatever order bookings and payments come in.
    for (let k = 0; k < this.skuCount; k++) {
      this.pendingBySku[k] += this.pendingChange[k];
      this.pendingChange[k] = 0;
    }
    this.updateShares();
  }

  /** Share of an online flow's orders of a SKU that go to a site (as of the last observation). */
  share(flow: number, sku: number, site: number): number {
    return this.shares[(flow * this.skuCount + sku) * this.siteCount + site];
  }

  /** Orders routed to a site over the last day (rolling). */
  ordersLastDay(site: number): number {
    let n = 0;
    for (let h = 0; h < ROLLING_HOURS; h++) n += this.ring[h * this.siteCount + site];
    return n;
  }

  /** Pre-sale units booked and not yet paid, per SKU. */
  pendingUnits(sku: number): number {
    return this.pendingBySku[sku];
  }

  /**
   * Order lines a site's pick/pack can take in a day, with `surgeShare` extra capacity. Capacity counts
   * parcels (a customer order's lines picked together) while the platform plans and observes lines, so it is
   * the parcels × the mean lines per customer order the organisation knows from its order history (the
   * scenario's basket distribution; 1 without baskets). A split basket's extra parcel is not counted: an
   * assumption, docs/levers.md.
   */
  pickCapacityPerDay(site: number, surgeShare = 0): number {
    return pickCapacityPerDay(this.w.network.sites[site], surgeShare) * this.linesPerParcel;
  }

  /** Planned orders of one flow and SKU over [a, b) (sim minutes), at the pressure marketing planned. */
  plannedOrders(flow: number, sku: number, a: number, b: number): number {
    if (!this.flowActive[flow] || b <= a) return 0;
    const table = this.table();
    return this.cumulative(table, flow, sku, b) - this.cumulative(table, flow, sku, a);
  }

  /** Planned customer units a site will be asked for over [a, b): its share of every flow, plus its children's. */
  plannedUnitsAt(site: number, sku: number, a: number, b: number): number {
    let units = this.plannedOnlineUnitsAt(site, sku, a, b) + this.plannedWalkInUnitsAt(site, sku, a, b);
    for (const child of this.children[site]) units += this.plannedUnitsAt(child, sku, a, b);
    return units;
  }

  /** Planned walk-in units at a store over [a, b) (0 elsewhere). */
  plannedWalkInUnitsAt(site: number, sku: number, a: number, b: number): number {
    if (this.w.network.siteType[site] !== 3) return 0;
    let orders = 0;
    for (let c = 0; c < this.channelCount; c++) orders += this.plannedOrders(this.walkInFlow(site, c), sku, a, b);
    return orders * this.w.scenario.demand.unitsPerOrder.mean;
  }

  /** Planned units of online orders routed to the site itself over [a, b). */
  plannedOnlineUnitsAt(site: number, sku: number, a: number, b: number): number {
    let orders = 0;
    for (const f of this.siteFlows[site * this.skuCount + sku]) orders += this.share(f, sku, site) * this.plannedOrders(f, sku, a, b);
    return orders * this.w.scenario.demand.unitsPerOrder.mean;
  }

  /** Planned online orders routed to a site over [a, b), every SKU (what its pick/pack must handle). */
  plannedPickOrders(site: number, a: number, b: number): number {
    let orders = 0;
    for (let k = 0; k < this.skuCount; k++) for (const f of this.siteFlows[site * this.skuCount + k]) orders += this.share(f, k, site) * this.plannedOrders(f, k, a, b);
    return orders;
  }

  /**
   * Planned orders of one flow, every SKU, over [a, b) with one campaign left out, integrated directly
   * (for the campaign review: what the plan brings without a campaign); added into `out`.
   */
  plannedOrdersWithout(flow: number, a: number, b: number, exclude: number, out: Float64Array): void {
    if (!this.flowActive[flow] || b <= a) return;
    const online = flow < this.zoneCount * this.channelCount;
    const channel = flow % this.channelCount;
    const zone = online ? Math.floor(flow / this.channelCount) : -1;
    const store = online ? -1 : Math.floor(flow / this.channelCount) - this.zoneCount;
    const step = 60 / SUBSTEPS_PER_HOUR;
    const rates = new Float64Array(this.skuCount);
    for (let t = a; t < b; t += step) {
      const dt = Math.min(step, b - t);
      this.forecast.ratesAt(t + dt / 2, flow, rates, this.w.sim.now, exclude);
      for (let k = 0; k < this.skuCount; k++) out[k] += rates[k] * dt;
    }
  }

  /** Every active flow: online (zone, channel) pairs, then walk-in (store, channel) pairs. */
  activeFlows(): number[] {
    const flows: number[] = [];
    for (let f = 0; f < this.flowCount; f++) if (this.flowActive[f]) flows.push(f);
    return flows;
  }

  /** Whether a flow is online (routed to a site) rather than walk-in at a store. */
  isOnline(flow: number): boolean {
    return flow < this.zoneCount * this.channelCount;
  }

  /** Share of a flow's orders that land at a site: learnt for online flows, the store itself for walk-ins. */
  flowShare(flow: number, sku: number, site: number): number {
    if (this.isOnline(flow)) return this.share(flow, sku, site);
    return Math.floor(flow / this.channelCount) - this.zoneCount === site ? 1 : 0;
  }

  private cumulative(table: Float64Array, flow: number, sku: number, t: number): number {
    const x = Math.min(Math.max(t, 0), (this.hours - 1) * 60) / 60;
    const h = Math.min(Math.floor(x), this.hours - 2);
    const lo = table[(flow * this.hours + h) * this.skuCount + sku];
    const hi = table[(flow * this.hours + h + 1) * this.skuCount + sku];
    return lo + (hi - lo) * (x - h);
  }

  /**
   * The planned-demand table of the campaigns submitted so far (the platform knows a plan once it is
   * submitted), rebuilt when another is submitted or one is changed (a campaign-change intervention).
   */
  private table(): Float64Array {
    const now = this.w.sim.now;
    if (this.planned && now === this.plannedCheckedAt) return this.planned;
    this.plannedCheckedAt = now;
    const plans = this.planChanged(now);
    if (plans) this.forecast.plansChanged();
    if (!plans && this.planned && this.forecast.version === this.plannedVersion) return this.planned;
    this.plannedVersion = this.forecast.version;
    const { network } = this.w;
    const nk = this.skuCount;
    // The past does not change: rebuild from the current hour on, continuing the old running totals.
    const table = this.planned ?? new Float64Array(this.hours * this.flowCount * nk);
    const fromHour = this.planned ? Math.min(this.hours - 1, Math.floor(now / 60)) : 0;
    const out = new Float64Array(nk);
    // The observed forecast is flat within an hour (a campaign boundary inside an hour counts from the hour's midpoint).
    const substeps = this.forecast.mode === "oracle" ? SUBSTEPS_PER_HOUR : 1;
    const step = 60 / substeps;
    for (let f = 0; f < this.flowCount; f++) {
      if (!this.flowActive[f]) continue;
      const online = f < this.zoneCount * this.channelCount;
      const store = online ? -1 : Math.floor(f / this.channelCount) - this.zoneCount;
      if (!online && network.siteType[store] !== 3) continue;
      if (substeps === 1 && this.forecast.mode === "observed") {
        this.forecast.fillHours(f, fromHour, this.hours - 1, table, this.hours, now);
        continue;
      }
      for (let h = fromHour; h + 1 < this.hours; h++) {
        const row = (f * this.hours + h) * nk;
        const next = row + nk;
        for (let k = 0; k < nk; k++) table[next + k] = table[row + k];
        for (let i = 0; i < substeps; i++) {
          this.forecast.ratesAt(h * 60 + (i + 0.5) * step, f, out, now);
          for (let k = 0; k < nk; k++) table[next + k] += out[k] * step;
        }
      }
    }
    this.planned = table;
    return table;
  }

  /**
   * Whether the campaign plans the platform knows at `now` differ from those the table was built from (one
   * was submitted since, a campaign-change intervention moved one, or — for the oracle — marketing changed a
   * campaign's push); records them for the next check.
   * Compared field by field: a string key, built whenever the time moved on, was 90 MB of a coordinated
   * 618 run's allocation.
   */
  private planChanged(now: number): boolean {
    const campaigns = this.sources.rates.campaigns;
    if (this.plannedKey === null) this.plannedKey = new Float64Array(campaigns.length * PLAN_FIELDS).fill(Number.NaN);
    const seen = this.plannedKey;
    const oracle = this.forecast.mode === "oracle";
    let changed = false;
    for (let i = 0; i < campaigns.length; i++) {
      const c = campaigns[i];
      const known = c.submittedAt <= now;
      const j = i * PLAN_FIELDS;
      // An unknown campaign is recorded as all −1 (no real plan has a negative uplift and pressure together).
      const start = known ? c.start : -1;
      const end = known ? c.end : -1;
      const uplift = known ? c.uplift : -1;
      // The oracle reads marketing's push as well (the generator's rates hold it); the observed forecast learns it from sales.
      const pressure = known ? c.pressure * (oracle ? c.push : 1) : -1;
      if (seen[j] !== start || seen[j + 1] !== end || seen[j + 2] !== uplift || seen[j + 3] !== pressure) {
        changed = true;
        seen[j] = start;
        seen[j + 1] = end;
        seen[j + 2] = uplift;
        seen[j + 3] = pressure;
      }
    }
    return changed;
  }
}

function nearestOf(candidates: readonly number[], km: (site: number) => number): number {
  let best = -1;
  let bestKm = Infinity;
  for (const c of candidates) {
    const d = km(c);
    if (d < bestKm) {
      bestKm = d;
      best = c;
    }
  }
  return best;
}
