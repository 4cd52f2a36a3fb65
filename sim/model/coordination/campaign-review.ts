// The L3 campaign review in the running model: when a campaign plan is submitted, gather what the
// pure rules in sim/policy/capacity-linkage.ts need — each site's busiest campaign day against its pick/pack
// capacity, each made-to-order SKU's demand by its service deadline against stock and output — book the
// surge and ramp they call for, set the campaign's pressure scale and record the verdict.
import { round } from "../../engine/round.ts";
import type { ActiveCampaign } from "../../demand/rates.ts";
import { reviewOutcome, reviewPickPack, reviewProduction } from "../../policy/capacity-linkage.ts";
import { productionLeadHours } from "../../scenario/schema.ts";
import type { CampaignBookings, CoordinationParts } from "./parts.ts";
import { durationQuantileMinutes } from "../orders/customer.ts";
import type { PlatformView } from "./platform-view.ts";
import { decide, type World } from "../world.ts";

/** Booked surge stays on this long after the campaign ends, to clear its backlog. */
const SURGE_DRAIN_MINUTES = 1440;

/** What one campaign adds to the plan, per flow, local day and SKU (planned orders with it minus without it). */
interface Increment {
  readonly campaign: ActiveCampaign;
  readonly firstDay: number;
  readonly dayCount: number;
  readonly byFlow: Map<number, Float64Array>;
}

function incrementOf(w: World, view: PlatformView, c: ActiveCampaign): Increment {
  const { network, sim, clock } = w;
  const nk = network.skuCount;
  const nch = network.channels.length;
  const from = Math.max(sim.now, c.start);
  const firstDay = clock.dayIndex(from);
  const dayCount = Math.max(0, clock.dayIndex(c.end - 1e-6) - firstDay + 1);
  const byFlow = new Map<number, Float64Array>();
  const without = new Float64Array(nk);
  for (const f of view.activeFlows()) {
    if (!c.channelMask[f % nch] || (view.isOnline(f) && !c.zoneMask[Math.floor(f / nch)])) continue;
    const inc = new Float64Array(dayCount * nk);
    for (let d = 0; d < dayCount; d++) {
      const a = Math.max(from, clock.midnightOf(firstDay + d));
      const b = Math.min(c.end, clock.midnightOf(firstDay + d + 1));
      without.fill(0);
      view.plannedOrdersWithout(f, a, b, c.index, without);
      for (let k = 0; k < nk; k++) inc[d * nk + k] = c.skuMask[k] ? Math.max(0, view.plannedOrders(f, k, a, b) - without[k]) : 0;
    }
    byFlow.set(f, inc);
  }
  return { campaign: c, firstDay, dayCount, byFlow };
}

/** Orders an increment brings to a site's pick/pack on local day `day`. */
function pickOrdersOn(view: PlatformView, inc: Increment, site: number, day: number, nk: number): number {
  const d = day - inc.firstDay;
  if (d < 0 || d >= inc.dayCount) return 0;
  let n = 0;
  for (const [f, arr] of inc.byFlow) {
    if (!view.isOnline(f)) continue;
    for (let k = 0; k < nk; k++) n += view.share(f, k, site) * arr[d * nk + k];
  }
  return n;
}

/** Orders of one SKU an increment brings on the days that start before `until`, every flow. */
function skuOrdersBefore(w: World, inc: Increment, sku: number, until: number, nk: number): number {
  let n = 0;
  for (const [, arr] of inc.byFlow)
    for (let d = 0; d < inc.dayCount; d++) if (w.clock.midnightOf(inc.firstDay + d) < until) n += arr[d * nk + sku];
  return n;
}

/**
 * Review one campaign now; notice periods run from `noticeFrom` (its submission, or when L3 came on).
 * Campaigns submitted after it are left out of the demand it is judged against (first submitted, first
 * served), and pre-sale bookings are left out of pick/pack load (they are picked when paid, not booked).
 */
export function reviewCampaign(w: World, view: PlatformView, parts: CoordinationParts, co: CampaignBookings, c: ActiveCampaign, noticeFrom: number): void {
  const { network, stock, sim, scenario, clock } = w;
  const now = sim.now;
  const line = scenario.levers.capacityLinkage.saturationLine;
  const nk = network.skuCount;
  const nch = network.channels.length;
  const own = incrementOf(w, view, c);
  const later = parts.rates.campaigns.filter((x) => x !== c && x.submittedAt <= now && x.submittedAt > c.submittedAt && x.end > now).map((x) => incrementOf(w, view, x));
  const presales = parts.rates.campaigns.filter((x) => x !== c && x.presale && x.submittedAt <= now && x.end > now && x.submittedAt <= c.submittedAt).map((x) => incrementOf(w, view, x));
  const firstDay = own.firstDay;
  const dayCount = own.dayCount;

  // Pick/pack: each site's busiest day of the campaign.
  const siteScale = new Float64Array(network.siteCount).fill(1);
  const surges: string[] = [];
  const declined: string[] = [];
  const scales: number[] = [];
  for (let s = 0; s < network.siteCount; s++) {
    const site = network.sites[s];
    if (site.type === "factory" || c.presale) continue;
    let peak = 0;
    let peakDay = -1;
    const dayOrders: number[] = [];
    for (let d = 0; d < dayCount; d++) {
      const day = firstDay + d;
      let load = view.plannedPickOrders(s, clock.midnightOf(day), clock.midnightOf(day + 1));
      for (const x of later) load -= pickOrdersOn(view, x, s, day, nk);
      for (const x of presales) load -= pickOrdersOn(view, x, s, day, nk);
      dayOrders.push(load);
      if (load > peak) {
        peak = load;
        peakDay = day;
      }
    }
    if (peakDay < 0) continue;
    const inc = pickOrdersOn(view, own, s, peakDay, nk);
    if (inc <= 0) continue;
    const peakAt = clock.midnightOf(peakDay);
    const booked = co.surgeBooked.find((b) => b.site === s && b.from <= peakAt && b.to > peakAt);
    const option = booked ? null : (site.pickPack.surge ?? null);
    const start = option ? Math.max(c.start, noticeFrom + option.noticeDays * 1440) : c.start;
    // Booking it costs the premium on every parcel the site picks while it is in force.
    const surgeCost = option ? (view.plannedPickOrders(s, start, c.end + SURGE_DRAIN_MINUTES) / view.linesPerParcel) * scenario.costs.pickPackPerOrder[site.type] * option.costPremiumShare : 0;
    const r = reviewPickPack({
      peakDayOrders: peak,
      baselineDayOrders: peak - inc,
      capacityPerDay: view.pickCapacityPerDay(s, booked ? booked.extraShare : 0),
      surge: option ? { extraShare: option.extraShare, noticeDays: option.noticeDays, cost: surgeCost } : null,
      daysUntilPeak: (peakAt - noticeFrom) / 1440,
      line,
      dayOrders,
      marginPerOrder: marginPerOrderAt(w, view, own, s, peakDay, c),
    });
    if (option && r.bookSurge) {
      co.bookSurge(s, option.extraShare, start, c.end + SURGE_DRAIN_MINUTES);
      surges.push(site.id);
      decide(w, "surge-booked", s, "campaign review: the busiest day would cross the saturation line, and the margin the surge protects exceeds its cost", {
        campaign: c.id,
        extraShare: option.extraShare,
        utilisation: round2(r.utilisation),
        utilisationAfter: round2(r.utilisationAfter),
        marginProtected: Math.round(r.marginProtected),
        surgeCost: Math.round(r.surgeCost),
        fromHour: Math.round(start / 60),
        toHour: Math.round((c.end + SURGE_DRAIN_MINUTES) / 60),
      });
    } else if (option && option.extraShare > 0 && option.noticeDays <= (peakAt - noticeFrom) / 1440 && r.utilisation > line) {
      declined.push(site.id);
      decide(w, "surge-declined", s, "campaign review: the surge would cost more than the margin it protects; the campaign's push is scaled instead", {
        campaign: c.id,
        utilisation: round2(r.utilisation),
        marginProtected: Math.round(r.marginProtected),
        surgeCost: Math.round(r.surgeCost),
      });
    }
    siteScale[s] = r.pressureScale;
    if (r.pressureScale < 1) scales.push(r.pressureScale);
  }

  // Production: each made SKU's demand by its service deadline against stock and output.
  const skuScale = new Float64Array(nk).fill(1);
  const ramps: string[] = [];
  let stretchDays = 0;
  let tightest: { sku: string; demand: number; supply: number; utilisation: number } | null = null;
  const unitsPerOrder = scenario.demand.unitsPerOrder.mean;
  for (let k = 0; k < nk; k++) {
    if (!c.skuMask[k]) continue;
    const factory = network.supplierOf[k];
    const f = network.sites[factory];
    if (f.type !== "factory") continue;
    const output = f.production.find((p) => p.sku === network.skus[k].id);
    if (!output) continue;
    const presale = scenario.campaigns[c.index].presale;
    const neverPay = c.presale ? c.presale.neverPayShare : 0;
    const deadline = (c.presale ? c.presale.balanceEnd + (presale?.shipWithinDays ?? 0) * 1440 : c.end) + medianPatienceMinutes(w, k);
    const lead = productionLeadHours(f, output) * 60;
    let demand = 0;
    let campaignUnits = 0;
    for (const fl of view.activeFlows()) demand += view.plannedOrders(fl, k, now, deadline) * unitsPerOrder;
    for (const x of later) demand -= skuOrdersBefore(w, x, k, deadline, nk) * unitsPerOrder;
    for (const x of presales) demand -= skuOrdersBefore(w, x, k, deadline, nk) * unitsPerOrder * (x.campaign.presale?.neverPayShare ?? 0);
    campaignUnits = skuOrdersBefore(w, own, k, deadline, nk) * unitsPerOrder;
    demand -= campaignUnits * neverPay;
    campaignUnits *= 1 - neverPay;
    let supply = stock.available[stock.at(factory, k)];
    for (let s = 0; s < network.siteCount; s++) {
      if (network.siteType[s] === 0) continue;
      const i = stock.at(s, k);
      supply += stock.available[i] + stock.inTransit[i];
      demand += stock.backorderUnits[i];
    }
    const makeUntil = deadline - lead;
    supply += (output.unitsPerDay * Math.max(0, makeUntil - now)) / 1440;
    for (const b of co.rampBooked)
      if (b.site === factory) supply += (output.unitsPerDay * b.extraShare * Math.max(0, Math.min(b.to, makeUntil) - Math.max(b.from, now))) / 1440;
    const rampFrom = f.ramp ? Math.max(now, noticeFrom + f.ramp.noticeDays * 1440) : Infinity;
    const alreadyRamped = co.rampBooked.some((b) => b.site === factory && b.to >= makeUntil);
    const sku = network.skus[k];
    const rampUnits = f.ramp ? (output.unitsPerDay * f.ramp.extraShare * Math.max(0, makeUntil - rampFrom)) / 1440 : 0;
    const r = reviewProduction({
      demandUnits: demand,
      campaignUnits,
      supplyUnits: supply,
      // The overtime on this SKU's ramped output (what the factory charges per ramped unit).
      ramp: f.ramp && !alreadyRamped ? { units: rampUnits, bookable: rampFrom < makeUntil, cost: rampUnits * sku.unitCost * f.ramp.overtimeCostShare } : null,
      line,
      unitsPerDay: output.unitsPerDay,
      marginPerUnit: sku.price * (1 - c.discount) - sku.unitCost,
    });
    if (r.bookRamp && f.ramp) {
      co.bookRamp(factory, f.ramp.extraShare, rampFrom, makeUntil);
      ramps.push(f.id);
      decide(w, "ramp-booked", factory, "campaign review: demand by the service deadline exceeds what can be made, and the margin the ramp protects exceeds its overtime", {
        campaign: c.id,
        sku: sku.id,
        extraShare: f.ramp.extraShare,
        marginProtected: Math.round(r.marginProtected),
        rampCost: Math.round(r.rampCost),
        fromHour: Math.round(rampFrom / 60),
        toHour: Math.round(makeUntil / 60),
      });
    } else if (f.ramp && !alreadyRamped && rampFrom < makeUntil && r.utilisation > line) {
      declined.push(f.id);
      decide(w, "ramp-declined", factory, "campaign review: the ramp's overtime would cost more than the margin it protects; the campaign is throttled or must be stretched", {
        campaign: c.id,
        sku: sku.id,
        marginProtected: Math.round(r.marginProtected),
        rampCost: Math.round(r.rampCost),
      });
    }
    skuScale[k] = r.pressureScale;
    if (r.pressureScale < 1) scales.push(r.pressureScale);
    stretchDays = Math.max(stretchDays, r.stretchDays);
    if (!tightest || r.utilisation > tightest.utilisation) tightest = { sku: network.skus[k].id, demand, supply, utilisation: r.utilisation };
  }

  // The campaign's push, per zone × channel × SKU: the share-weighted pick/pack scale × the production scale.
  for (let z = 0; z < network.zones.length; z++)
    for (let ch = 0; ch < nch; ch++) {
      const f = z * nch + ch;
      for (let k = 0; k < nk; k++) {
        let v = 0;
        let sum = 0;
        for (let s = 0; s < network.siteCount; s++) {
          const sh = view.share(f, k, s);
          v += sh * siteScale[s];
          sum += sh;
        }
        co.reviewScale[co.indexOf(c.index, z, ch, k)] = (sum > 0 ? v / sum : 1) * skuScale[k];
      }
    }

  const leadDays = (c.start - c.submittedAt) / 1440;
  const outcome = reviewOutcome(surges.length + ramps.length > 0, scales);
  decide(w, "campaign-review", -1, outcome === "throttle" ? "campaign review: the plan exceeds what can be made, picked and shipped; push scaled down" : outcome === "book-capacity" ? "campaign review: capacity booked for the plan" : "campaign review: the plan fits", {
    campaign: c.id,
    outcome,
    submittedDaysAhead: round2(leadDays),
    lateSubmission: leadDays < scenario.levers.capacityLinkage.reviewLeadDays ? "yes" : "no",
    surge: surges.join(",") || "none",
    ramp: ramps.join(",") || "none",
    declinedAsTooDear: declined.join(",") || "none",
    leastPressureScale: round2(Math.min(1, ...scales)),
    stretchDaysNeeded: round2(stretchDays),
    ...(tightest
      ? { productionSku: tightest.sku, productionDemandUnits: Math.round(tightest.demand), productionSupplyUnits: Math.round(tightest.supply) }
      : {}),
  });
}

/**
 * Margin (CNY, at the campaign's price) of an order of the campaign's own mix at a site on a day: what an
 * order the site cannot pick puts at risk.
 */
function marginPerOrderAt(w: World, view: PlatformView, own: Increment, site: number, day: number, c: ActiveCampaign): number {
  const { network, scenario } = w;
  const nk = network.skuCount;
  const d = day - own.firstDay;
  let orders = 0;
  let margin = 0;
  for (let k = 0; k < nk; k++) {
    const sku = network.skus[k];
    let n = 0;
    if (d >= 0 && d < own.dayCount) for (const [f, arr] of own.byFlow) if (view.isOnline(f)) n += view.share(f, k, site) * arr[d * nk + k];
    orders += n;
    margin += n * (sku.price * (1 - (c.skuMask[k] ? c.discount : 0)) - sku.unitCost);
  }
  return orders > 0 ? (margin / orders) * scenario.demand.unitsPerOrder.mean : 0;
}

/** Round to 2 decimals for decision figures (the one rounding rule, sim/engine/round.ts). */
export function round2(x: number): number {
  return round(x, 2);
}

/** Share of a SKU's pre-sale bookings that never pay (the largest over its pre-sale campaigns), 0 if none. */
export function presaleNeverPay(campaigns: readonly ActiveCampaign[], sku: number): number {
  let share = 0;
  for (const c of campaigns) if (c.presale && c.skuMask[sku]) share = Math.max(share, c.presale.neverPayShare);
  return share;
}

/**
 * By when a SKU's open and booked orders must be shipped before customers give up: now (or the balance
 * payment of a pre-sale still to be paid) + the pre-sale promise + the customers' median patience.
 */
export function serviceDeadline(w: World, campaigns: readonly ActiveCampaign[], sku: number): number {
  const now = w.sim.now;
  let from = now;
  let promise = 0;
  for (const c of campaigns) {
    if (!c.presale || !c.skuMask[sku] || c.presale.balanceEnd <= now || c.start > now) continue;
    from = Math.max(from, c.presale.balanceStart);
    const p = w.scenario.campaigns[c.index].presale;
    promise = Math.max(promise, (p?.shipWithinDays ?? 0) * 1440);
  }
  return from + promise + medianPatienceMinutes(w, sku);
}

/** The median of a SKU's patience distribution (minutes; a week if customers never give up). */
export function medianPatienceMinutes(w: World, sku: number): number {
  const m = durationQuantileMinutes(w.network.skus[sku].patience, 0.5);
  return Number.isFinite(m) ? m : 7 * 1440;
}
