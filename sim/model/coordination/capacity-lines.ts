// Lever L3's live lines in the running model: the capacity saturation line (rolling pick/pack load of each
// site, committed production of each made SKU) with its throttle and alerts, and the inventory safety line
// with its emergency replenishment. The rules are the pure functions of sim/policy/capacity-linkage.ts;
// coordination.ts calls these each hour while L3 is on.
import { emergencyQuantity, overSaturationLine, safetyLineCheck, safetyLineUnits, saturationThrottle } from "../../policy/capacity-linkage.ts";
import { presaleNeverPay, round2, serviceDeadline } from "./campaign-review.ts";
import { productionLeadHours } from "../../scenario/schema.ts";
import type { CoordinationParts } from "./parts.ts";
import type { PlatformView } from "./platform-view.ts";
import { decide, type World } from "../world.ts";

/** A throttle change is recorded when it moves at least this much since it was last recorded. */
const RECORD_STEP = 0.25;

/** The L3 lines of one run. */
export class CapacityLines {
  /** The saturation throttle in force per site (pick/pack) and per SKU (production); 1 under the line. */
  readonly siteThrottle: Float64Array;
  readonly skuThrottle: Float64Array;
  private readonly siteOver: Uint8Array;
  private readonly siteThrottleRecorded: Float64Array;
  private readonly skuOver: Uint8Array;
  private readonly skuThrottleRecorded: Float64Array;
  private readonly safetyBelow: Uint8Array;

  constructor(
    private readonly w: World,
    private readonly view: PlatformView,
    private readonly parts: CoordinationParts,
  ) {
    const { network } = w;
    this.siteOver = new Uint8Array(network.siteCount);
    this.siteThrottle = new Float64Array(network.siteCount).fill(1);
    this.siteThrottleRecorded = new Float64Array(network.siteCount).fill(1);
    this.skuOver = new Uint8Array(network.skuCount);
    this.skuThrottle = new Float64Array(network.skuCount).fill(1);
    this.skuThrottleRecorded = new Float64Array(network.skuCount).fill(1);
    this.safetyBelow = new Uint8Array(network.siteCount * network.skuCount);
  }

  /** The capacity saturation line: every site's pick/pack and every made SKU's production against it. */
  saturation(): void {
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
      // The line weighs commitments against capacity, so it always counts at least the factory's next day of
      // output: over a shorter window (a deadline inside the lead time, as for fresh goods made to order) it
      // would measure a momentary stock gap no capacity could close, and throttle a campaign for it — the
      // inventory safety line's business, not the saturation line's.
      const days = Math.max(1, (deadline - w.sim.now - productionLeadHours(f, line) * 60) / 1440);
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

  /**
   * A site × SKU's inventory safety line now (units): the scenario's own figure, else `safetyLineDays` of
   * daily demand (the platform's plan under L1, the site's own forecast otherwise). NaN where there is none:
   * an unstocked cell, or no explicit line and no demand figure yet. Read-only; valid in every policy.
   */
  safetyLineUnitsAt(site: number, sku: number): number {
    const { network, stock, sim, policy, scenario } = this.w;
    const { replenishment } = this.parts;
    if (network.siteType[site] === 0) return Number.NaN;
    const i = stock.at(site, sku);
    if (!replenishment.stocked[i]) return Number.NaN;
    const explicit = replenishment.safetyLine[i] >= 0 ? replenishment.safetyLine[i] : undefined;
    const daily = policy.dataPlatform ? this.view.plannedUnitsAt(site, sku, sim.now, sim.now + 1440) : replenishment.ownDailyDemand(site, sku);
    if (explicit === undefined && Number.isNaN(daily)) return Number.NaN;
    return safetyLineUnits(explicit, scenario.levers.capacityLinkage.safetyLineDays, daily);
  }

  /** The inventory safety line of every stocked site × SKU. */
  safetyLine(): void {
    const w = this.w;
    const { network, stock } = w;
    const { replenishment } = this.parts;
    for (let s = 0; s < network.siteCount; s++) {
      const type = network.siteType[s];
      if (type === 0) continue;
      for (let k = 0; k < network.skuCount; k++) {
        const i = stock.at(s, k);
        const line = this.safetyLineUnitsAt(s, k);
        if (Number.isNaN(line)) continue;
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
}
