// Lever L1's actions in the running model (the data platform): demand–resource matching of promotion
// pressure, pre-positioning ahead of a campaign, and rebalancing between forward sites. The rules are the
// pure functions of sim/policy/data-platform.ts; coordination.ts calls these each hour while L1 is on.
import { MAX_PRESSURE_SCALE, type ActiveCampaign } from "../../demand/rates.ts";
import { allocatePressure, chooseRebalance, prepositionQuantity, servableUnits, serviceCover, type ZoneCover } from "../../policy/data-platform.ts";
import { round2 } from "./campaign-review.ts";
import type { CoordinationParts } from "./parts.ts";
import type { PlatformView } from "./platform-view.ts";
import { decide, type World } from "../world.ts";

/** L1 matches promotion pressure to what the serving sites can take over this much of the coming plan. */
const MATCH_HORIZON_MINUTES = 1440;
/** A zone's pressure change is recorded when it moves at least this much since it was last recorded. */
const RECORD_STEP = 0.25;
/** A campaign reaches a site when at least this share of one of its flows lands there. */
const REACH_SHARE = 0.05;
/** Rebalancing runs at this local time (stock is lowest before the evening trunk). */
const REBALANCE_CLOCK_MINUTES = 12 * 60;

/** The L1 actions of one run. */
export class PlatformActions {
  /** L1's demand–resource matching scale per (campaign, zone, channel, SKU); 1 where nothing is matched. */
  readonly matchScale: Float64Array;
  private readonly recordedMatch: Float64Array;
  private readonly prepositioned: Uint8Array;
  private nextRebalance = Number.NaN;

  constructor(
    private readonly w: World,
    private readonly view: PlatformView,
    private readonly parts: CoordinationParts,
    private readonly indexOf: (campaign: number, zone: number, channel: number, sku: number) => number,
  ) {
    const campaigns = parts.rates.campaigns.length;
    this.matchScale = new Float64Array(campaigns * w.network.zones.length * w.network.channels.length * w.network.skuCount).fill(1);
    this.recordedMatch = new Float64Array(campaigns * w.network.zones.length).fill(1);
    this.prepositioned = new Uint8Array(campaigns);
  }

  /** Demand–resource matching: the L1 pressure scale of every campaign × zone × channel × SKU now. */
  matchPressure(): void {
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

  /** Pre-position stock for campaigns whose start is `prepositionDaysAhead` away. */
  prePosition(): void {
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
          // Stock moved now must sell before it expires: a perishable SKU's window ends with its usable life here.
          const end = Math.min(c.start + cycle, this.parts.replenishment.sellableUntil(s, k, now));
          const qty = prepositionQuantity({
            demandBeforeStart: this.servable(s, k, now, Math.min(c.start, end)),
            campaignDemand: end > c.start ? this.servable(s, k, c.start, end) : 0,
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

  /** Rebalance between forward sites when the interval has come round. */
  rebalance(): void {
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
}
