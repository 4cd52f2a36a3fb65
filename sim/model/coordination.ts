// Levers L1 (data platform) and L3 (promotion–capacity linkage) in the running model: an hourly round that
// reads the platform view, asks the pure rules in sim/policy/ what to do, and acts — promotion pressure per
// campaign × zone × channel × SKU (the DemandRates hook), pre-positioning, rebalancing, campaign reviews
// with surge and ramp bookings, the saturation and safety lines. Every decision is recorded. Nothing runs,
// and no event is scheduled, while both levers are off.
import { MAX_PRESSURE_SCALE, type ActiveCampaign, type DemandRates } from "../demand/rates.ts";
import { allocatePressure, chooseRebalance, prepositionQuantity, servableUnits, serviceCover, type ZoneCover } from "../policy/data-platform.ts";
import {
  emergencyQuantity,
  overSaturationLine,
  safetyLineCheck,
  safetyLineUnits,
  saturationThrottle,
} from "../policy/capacity-linkage.ts";
import { presaleNeverPay, reviewCampaign, round2, serviceDeadline } from "./campaign-review.ts";
import type { Fulfilment } from "./fulfilment.ts";
import type { Order } from "./order.ts";
import { PlatformView } from "./platform-view.ts";
import type { Replenishment } from "./replenishment.ts";
import { decide, type World } from "./world.ts";

const TICK_MINUTES = 60;
/** L1 matches promotion pressure to what the serving sites can take over this much of the coming plan. */
const MATCH_HORIZON_MINUTES = 1440;
/** A pressure change is recorded when a zone's scale moves at least this much since it was last recorded. */
const RECORD_STEP = 0.25;
/** A campaign reaches a site when at least this share of one of its flows lands there. */
const REACH_SHARE = 0.05;
/** Rebalancing runs at this local time (stock is lowest before the evening trunk). */
const REBALANCE_CLOCK_MINUTES = 12 * 60;

/** A booking of extra capacity at a site (pick/pack surge) or factory (ramp-up) over [from, to). */
export interface Booking {
  readonly site: number;
  readonly extraShare: number;
  readonly from: number;
  readonly to: number;
}

/** What the coordination process acts on. */
export interface CoordinationParts {
  readonly rates: DemandRates;
  readonly orders: readonly Order[];
  readonly fulfilment: Fulfilment;
  readonly replenishment: Replenishment;
}

/** The L1 and L3 process of one run. */
export class Coordination {
  readonly view: PlatformView;
  /** Pressure scale in force per (campaign, zone, channel, SKU); all 1 while both levers are off. */
  private readonly scale: Float64Array;
  /** L1's demand–resource matching scale, same layout. */
  private readonly matchScale: Float64Array;
  /** L3's campaign-review scale, same layout. */
  readonly reviewScale: Float64Array;
  private readonly recordedMatch: Float64Array;
  private running = false;
  private readonly prepositioned: Uint8Array;
  readonly reviewed: Uint8Array;
  private nextRebalance = Number.NaN;
  /** L3 is taken as on since this time (−∞ when on from the start): notice periods count from here at the earliest. */
  private capacityLinkageSince = Number.NaN;
  private readonly siteOver: Uint8Array;
  private readonly siteThrottle: Float64Array;
  private readonly siteThrottleRecorded: Float64Array;
  private readonly skuOver: Uint8Array;
  private readonly skuThrottle: Float64Array;
  private readonly skuThrottleRecorded: Float64Array;
  private readonly safetyBelow: Uint8Array;
  /** Surge and ramp bookings in force per site (overlapping bookings count once each). */
  readonly surgeBookings: Int32Array;
  readonly rampBookings: Int32Array;

  constructor(
    private readonly w: World,
    private readonly parts: CoordinationParts,
  ) {
    const { network } = w;
    this.view = new PlatformView(w, { rates: parts.rates, orders: parts.orders });
    const n = parts.rates.campaigns.length * network.zones.length * network.channels.length * network.skuCount;
    this.scale = new Float64Array(n).fill(1);
    this.matchScale = new Float64Array(n).fill(1);
    this.reviewScale = new Float64Array(n).fill(1);
    this.recordedMatch = new Float64Array(parts.rates.campaigns.length * network.zones.length).fill(1);
    this.prepositioned = new Uint8Array(parts.rates.campaigns.length);
    this.reviewed = new Uint8Array(parts.rates.campaigns.length);
    this.siteOver = new Uint8Array(network.siteCount);
    this.siteThrottle = new Float64Array(network.siteCount).fill(1);
    this.siteThrottleRecorded = new Float64Array(network.siteCount).fill(1);
    this.skuOver = new Uint8Array(network.skuCount);
    this.skuThrottle = new Float64Array(network.skuCount).fill(1);
    this.skuThrottleRecorded = new Float64Array(network.skuCount).fill(1);
    this.safetyBelow = new Uint8Array(network.siteCount * network.skuCount);
    this.surgeBookings = new Int32Array(network.siteCount);
    this.rampBookings = new Int32Array(network.siteCount);
    parts.replenishment.platformForecast = (site, sku, days) => this.view.plannedUnitsAt(site, sku, w.sim.now, w.sim.now + days * 1440);
    if (w.policy.capacityLinkage) this.capacityLinkageSince = -Infinity;
    this.wake();
  }

  /** The DemandRates pressure hook. */
  readonly pressure = (c: ActiveCampaign, zone: number, channel: number, sku: number): number => this.scale[this.indexOf(c.index, zone, channel, sku)];

  /** Index of (campaign, zone, channel, SKU) in the pressure tables. */
  indexOf(campaign: number, zone: number, channel: number, sku: number): number {
    const { network } = this.w;
    return ((campaign * network.zones.length + zone) * network.channels.length + channel) * network.skuCount + sku;
  }

  /** Start the hourly round if a lever is on and it is not running yet (called at every sample). */
  wake(): void {
    const { policy, sim } = this.w;
    if (this.running || !(policy.dataPlatform || policy.capacityLinkage)) return;
    this.running = true;
    sim.scheduleAt(sim.now, this.tick);
  }

  private readonly tick = (): void => {
    const w = this.w;
    const { sim, policy } = w;
    if (sim.now + TICK_MINUTES < w.horizon) sim.scheduleIn(TICK_MINUTES, this.tick);
    this.view.observe();
    if (policy.dataPlatform) {
      this.matchPressure();
      this.prePosition();
      this.rebalance();
    }
    if (policy.capacityLinkage) {
      if (Number.isNaN(this.capacityLinkageSince)) this.capacityLinkageSince = sim.now;
      this.review();
      this.saturation();
      this.safetyLine();
    }
    this.compose();
  };

  // ---- L1: demand–resource matching -------------------------------------------------------------

  private matchPressure(): void {
    const w = this.w;
    const { network, stock, sim } = w;
    const { view } = this;
    const now = sim.now;
    const until = now + MATCH_HORIZON_MINUTES;
    const floor = w.scenario.levers.dataPlatform.pressureFloorShare;
    const nz = network.zones.length;
    const nk = network.skuCount;
    // Cover of every site × SKU over the coming day of the plan.
    const cover = new Float64Array(network.siteCount * nk).fill(Infinity);
    for (let s = 0; s < network.siteCount; s++) {
      if (network.siteType[s] === 0) continue;
      const orders = view.plannedPickOrders(s, now, until);
      const capacity = view.pickCapacityPerDay(s, this.parts.fulfilment.pickSurge[s]);
      for (let k = 0; k < nk; k++) {
        const i = stock.at(s, k);
        cover[s * nk + k] = serviceCover(stock.available[i] + stock.inTransit[i], view.plannedUnitsAt(s, k, now, until), capacity, orders);
      }
    }
    for (const c of this.parts.rates.campaigns) {
      if (c.end <= now || c.start >= until || now < c.submittedAt) continue;
      const zoneScaleSum = new Float64Array(nz);
      const zoneScaleCount = new Float64Array(nz);
      for (let ch = 0; ch < network.channels.length; ch++) {
        if (!c.channelMask[ch] || network.channels[ch].kind !== "online") continue;
        for (let k = 0; k < nk; k++) {
          if (!c.skuMask[k]) continue;
          const zones: number[] = [];
          const covers: ZoneCover[] = [];
          for (let z = 0; z < nz; z++) {
            if (!c.zoneMask[z]) continue;
            const f = z * network.channels.length + ch;
            let zc = 0;
            let shareSum = 0;
            for (let s = 0; s < network.siteCount; s++) {
              const sh = view.share(f, k, s);
              if (sh <= 0) continue;
              zc += sh * Math.min(cover[s * nk + k], MAX_PRESSURE_SCALE);
              shareSum += sh;
            }
            zones.push(z);
            covers.push({ demand: view.plannedOrders(f, k, Math.max(now, c.start), Math.min(until, c.end)), cover: shareSum > 0 ? zc / shareSum : 1 });
          }
          const scales = allocatePressure(covers, floor, MAX_PRESSURE_SCALE);
          zones.forEach((z, j) => {
            this.matchScale[this.indexOf(c.index, z, ch, k)] = scales[j];
            zoneScaleSum[z] += scales[j];
            zoneScaleCount[z]++;
          });
        }
      }
      for (let z = 0; z < nz; z++) {
        if (zoneScaleCount[z] === 0) continue;
        const mean = zoneScaleSum[z] / zoneScaleCount[z];
        const r = c.index * nz + z;
        if (Math.abs(mean - this.recordedMatch[r]) < RECORD_STEP) continue;
        this.recordedMatch[r] = mean;
        decide(w, "pressure-match", -1, mean < 1 ? "promotion pressure cut where stock or capacity cannot serve it" : "promotion pressure moved to a zone with stock and capacity to spare", {
          campaign: c.id,
          zone: network.zones[z].id,
          scale: round2(mean),
        });
      }
    }
  }

  // ---- L1: pre-positioning ahead of a campaign --------------------------------------------------

  private prePosition(): void {
    const w = this.w;
    const { network, stock, sim } = w;
    const now = sim.now;
    const ahead = w.scenario.levers.dataPlatform.prepositionDaysAhead * 1440;
    for (const c of this.parts.rates.campaigns) {
      if (this.prepositioned[c.index] || now < c.submittedAt || now < c.start - ahead) continue;
      this.prepositioned[c.index] = 1;
      if (now >= c.start) continue;
      for (let s = 0; s < network.siteCount; s++) {
        const type = network.siteType[s];
        if ((type !== 2 && type !== 3) || !this.reaches(c, s)) continue;
        const parent = network.parentOf[s];
        for (let k = 0; k < network.skuCount; k++) {
          if (!c.skuMask[k] || !this.parts.replenishment.stocked[stock.at(s, k)]) continue;
          const cycle = this.parts.replenishment.cycleDays(s, k) * 1440;
          const qty = prepositionQuantity({
            demandBeforeStart: this.servable(s, k, now, c.start),
            campaignDemand: this.servable(s, k, c.start, c.start + cycle),
            position: stock.position(s, k),
            parentAvailable: stock.available[stock.at(parent, k)],
          });
          if (qty <= 0) continue;
          const sent = this.parts.replenishment.prePosition(s, k, qty);
          if (sent > 0)
            decide(w, "pre-position", s, "campaign plan received: stock moved forward before the start", {
              campaign: c.id,
              sku: network.skus[k].id,
              units: sent,
              from: network.sites[parent].id,
              startsInHours: Math.round((c.start - now) / 60),
            });
        }
      }
    }
  }

  /** Planned units a forward site can sell over [a, b), its pick/pack capacity considered. */
  private servable(site: number, sku: number, a: number, b: number): number {
    const { view } = this;
    const capacity = (view.pickCapacityPerDay(site, this.parts.fulfilment.pickSurge[site]) * (b - a)) / 1440;
    return servableUnits(view.plannedWalkInUnitsAt(site, sku, a, b), view.plannedOnlineUnitsAt(site, sku, a, b), capacity, view.plannedPickOrders(site, a, b));
  }

  /** Whether a campaign pushes demand that lands at a site (a flow it covers sends the site a real share). */
  private reaches(c: ActiveCampaign, site: number): boolean {
    const nch = this.w.network.channels.length;
    for (const f of this.view.activeFlows()) {
      if (!c.channelMask[f % nch] || (this.view.isOnline(f) && !c.zoneMask[Math.floor(f / nch)])) continue;
      for (let k = 0; k < this.w.network.skuCount; k++) if (c.skuMask[k] && this.view.flowShare(f, k, site) >= REACH_SHARE) return true;
    }
    return false;
  }

  // ---- L1: rebalancing ----------------------------------------------------------------------------

  private rebalance(): void {
    const w = this.w;
    const { network, stock, sim, scenario, clock } = w;
    const now = sim.now;
    if (Number.isNaN(this.nextRebalance)) this.nextRebalance = clock.nextClock(now, REBALANCE_CLOCK_MINUTES);
    if (now < this.nextRebalance) return;
    this.nextRebalance += scenario.levers.dataPlatform.rebalanceIntervalHours * 60;
    const { replenishment } = this.parts;
    const { transfer, expediteMultiplier } = scenario.costs;
    for (let k = 0; k < network.skuCount; k++) {
      const sku = network.skus[k];
      const sites = [];
      for (let s = 0; s < network.siteCount; s++) {
        const type = network.siteType[s];
        const i = stock.at(s, k);
        if ((type !== 2 && type !== 3) || !replenishment.stocked[i]) continue;
        sites.push({
          site: s,
          available: stock.available[i],
          inbound: stock.inTransit[i],
          target: replenishment.target(s, k),
          need: this.view.plannedUnitsAt(s, k, now, now + 1440) + stock.backorderUnits[i],
        });
      }
      const vanCost = (from: number, to: number) => (transfer.perTrip + transfer.perKm * network.kmBetween(from, to)) * expediteMultiplier;
      const moves = chooseRebalance(
        sites,
        (a, b) => network.kmBetween(a, b),
        (from, to, units) => units * (sku.price - sku.unitCost) >= vanCost(from, to),
      );
      for (const m of moves) {
        const sent = replenishment.vanTransfer(m.from, m.to, k, m.units, "rebalancing: a site over its target sends to one that will run short");
        if (sent > 0)
          decide(w, "rebalance", m.to, "short here while another site holds more than its target", {
            sku: sku.id,
            units: sent,
            from: network.sites[m.from].id,
            cost: Math.round(vanCost(m.from, m.to)),
          });
      }
    }
  }

  // ---- L3: campaign review at submission ---------------------------------------------------------

  private review(): void {
    const now = this.w.sim.now;
    for (const c of this.parts.rates.campaigns) {
      if (this.reviewed[c.index] || now < c.submittedAt) continue;
      this.reviewed[c.index] = 1;
      if (c.end <= now) continue;
      reviewCampaign(this.w, this.view, this.parts, this, c, Math.max(c.submittedAt, this.capacityLinkageSince));
    }
  }

  /** Surge and ramp bookings made so far: site (or factory), share, window. */
  readonly surgeBooked: Booking[] = [];
  readonly rampBooked: Booking[] = [];

  /** Book surge pick/pack capacity at a site over [from, to). */
  bookSurge(site: number, extraShare: number, from: number, to: number): void {
    const { sim } = this.w;
    this.surgeBooked.push({ site, extraShare, from, to });
    const surge = this.parts.fulfilment.pickSurge;
    sim.scheduleAt(Math.max(sim.now, from), () => {
      this.surgeBookings[site]++;
      surge[site] = extraShare;
    });
    sim.scheduleAt(Math.max(sim.now, to), () => {
      if (--this.surgeBookings[site] === 0) surge[site] = 0;
    });
  }

  /** Book a factory's ramp-up over [from, to). */
  bookRamp(factory: number, extraShare: number, from: number, to: number): void {
    const { sim } = this.w;
    this.rampBooked.push({ site: factory, extraShare, from, to });
    const ramp = this.parts.replenishment.factoryRamp;
    sim.scheduleAt(Math.max(sim.now, from), () => {
      this.rampBookings[factory]++;
      ramp[factory] = extraShare;
    });
    sim.scheduleAt(Math.max(sim.now, to), () => {
      if (--this.rampBookings[factory] === 0) ramp[factory] = 0;
    });
  }

  // ---- L3: the capacity saturation line -----------------------------------------------------------

  private saturation(): void {
    const w = this.w;
    const { network, stock } = w;
    const line = w.scenario.levers.capacityLinkage.saturationLine;
    for (let s = 0; s < network.siteCount; s++) {
      if (network.siteType[s] === 0) continue;
      const capacity = this.view.pickCapacityPerDay(s, this.parts.fulfilment.pickSurge[s]);
      const orders = this.view.ordersLastDay(s);
      this.lineCheck("pick/pack", s, -1, capacity > 0 ? orders / capacity : 0, line, { ordersLastDay: Math.round(orders), capacityPerDay: Math.round(capacity) });
    }
    for (let k = 0; k < network.skuCount; k++) {
      const factory = network.supplierOf[k];
      const f = network.sites[factory];
      if (f.type !== "factory") continue;
      const line = f.production.find((p) => p.sku === network.skus[k].id);
      if (!line) continue;
      const deadline = serviceDeadline(w, this.parts.rates.campaigns, k);
      let committed = this.view.pendingUnits(k) * (1 - presaleNeverPay(this.parts.rates.campaigns, k));
      let supply = stock.available[stock.at(factory, k)];
      for (let s = 0; s < network.siteCount; s++) {
        if (network.siteType[s] === 0) continue;
        const i = stock.at(s, k);
        committed += stock.backorderUnits[i];
        supply += stock.available[i] + stock.inTransit[i];
      }
      const days = Math.max(0, (deadline - w.sim.now - f.leadTimeHours * 60) / 1440);
      supply += line.unitsPerDay * (this.parts.replenishment.factoryShare[factory] + this.parts.replenishment.factoryRamp[factory]) * days;
      this.lineCheck("production", factory, k, supply > 0 ? committed / supply : committed > 0 ? Infinity : 0, w.scenario.levers.capacityLinkage.saturationLine, {
        committedUnits: Math.round(committed),
        supplyUnits: Math.round(supply),
        byDay: Math.round((deadline - w.sim.now) / 1440),
      });
    }
  }

  /** One resource against the saturation line: alert on crossing and clearing, record throttle changes. */
  private lineCheck(resource: string, site: number, sku: number, utilisation: number, line: number, figures: Record<string, number>): void {
    const w = this.w;
    const isSku = sku >= 0;
    const over = isSku ? this.skuOver : this.siteOver;
    const throttle = isSku ? this.skuThrottle : this.siteThrottle;
    const recorded = isSku ? this.skuThrottleRecorded : this.siteThrottleRecorded;
    const j = isSku ? sku : site;
    const was = over[j] === 1;
    const now = overSaturationLine(utilisation, line, was);
    over[j] = now ? 1 : 0;
    throttle[j] = saturationThrottle(utilisation, line);
    const label: Record<string, string> = isSku ? { resource, sku: w.network.skus[sku].id } : { resource };
    if (now !== was) {
      recorded[j] = throttle[j];
      decide(w, "saturation-line", site, now ? `${resource} load crossed the saturation line: promotion throttled` : `${resource} load back under the saturation line`, {
        ...label,
        ...figures,
        utilisation: round2(utilisation),
        line,
        throttle: round2(throttle[j]),
      });
    } else if (Math.abs(throttle[j] - recorded[j]) >= RECORD_STEP) {
      recorded[j] = throttle[j];
      decide(w, "throttle", site, `promotion pressure follows ${resource} load`, { ...label, utilisation: round2(utilisation), throttle: round2(throttle[j]) });
    }
  }

  // ---- L3: the inventory safety line ---------------------------------------------------------------

  private safetyLine(): void {
    const w = this.w;
    const { network, stock, sim, policy, scenario } = w;
    const { replenishment } = this.parts;
    const days = scenario.levers.capacityLinkage.safetyLineDays;
    for (let s = 0; s < network.siteCount; s++) {
      const type = network.siteType[s];
      if (type === 0) continue;
      for (let k = 0; k < network.skuCount; k++) {
        const i = stock.at(s, k);
        if (!replenishment.stocked[i]) continue;
        const explicit = replenishment.safetyLine[i] >= 0 ? replenishment.safetyLine[i] : undefined;
        const daily = policy.dataPlatform ? this.view.plannedUnitsAt(s, k, sim.now, sim.now + 1440) : replenishment.ownDailyDemand(s, k);
        if (explicit === undefined && Number.isNaN(daily)) continue;
        const line = safetyLineUnits(explicit, days, daily);
        const position = stock.position(s, k);
        const check = safetyLineCheck(position, line, this.safetyBelow[i] === 1);
        this.safetyBelow[i] = check.below ? 1 : 0;
        if (!check.crossed) continue;
        const sku = network.skus[k].id;
        decide(w, "safety-line", s, "stock fell below the inventory safety line", { sku, position: Math.round(position), line });
        const parent = network.parentOf[s];
        if (parent < 0) continue;
        const qty = emergencyQuantity(position, line, replenishment.target(s, k), stock.available[stock.at(parent, k)]);
        const sent = qty > 0 ? replenishment.vanTransfer(parent, s, k, qty, "emergency replenishment: below the inventory safety line") : 0;
        if (sent > 0) decide(w, "emergency-replenishment", s, "safety line crossed: expedited van from the parent site", { sku, units: sent, from: network.sites[parent].id });
      }
    }
  }

  // ---- the pressure table ---------------------------------------------------------------------------

  private compose(): void {
    const { network, policy } = this.w;
    const nz = network.zones.length;
    const nch = network.channels.length;
    const nk = network.skuCount;
    const l1 = policy.dataPlatform;
    const l3 = policy.capacityLinkage;
    // The saturation throttle of each flow × SKU: the throttles of the sites it goes to, by share.
    const flowThrottle = new Float64Array(nz * nch * nk).fill(1);
    if (l3)
      for (let f = 0; f < nz * nch; f++)
        for (let k = 0; k < nk; k++) {
          let t = 0;
          let sum = 0;
          for (let s = 0; s < network.siteCount; s++) {
            const sh = this.view.share(f, k, s);
            t += sh * this.siteThrottle[s];
            sum += sh;
          }
          if (sum > 0) flowThrottle[f * nk + k] = t / sum;
        }
    for (let c = 0; c < this.parts.rates.campaigns.length; c++)
      for (let z = 0; z < nz; z++)
        for (let ch = 0; ch < nch; ch++)
          for (let k = 0; k < nk; k++) {
            const i = this.indexOf(c, z, ch, k);
            let v = 1;
            if (l1) v *= this.matchScale[i];
            if (l3) v *= this.reviewScale[i] * this.skuThrottle[k] * flowThrottle[(z * nch + ch) * nk + k];
            this.scale[i] = Math.min(MAX_PRESSURE_SCALE, Math.max(0, v));
          }
  }
}
