// What a running twin looks like from outside, read without changing it: the network as the model uses
// it, every stock cell against its target and safety line, pick queues and load against the capacity in
// force, the live KPIs, the policy in force and the decision log. Live sessions diff these into frames;
// nothing outside sim/ reads the model's parts. Reading an observation never changes the run.
import { LEVERS, type Policy } from "../policy/policy.ts";
import { overSaturationLine } from "../policy/capacity-linkage.ts";
import { pickCapacityPerDay } from "../network/network.ts";
import type { Twin } from "../model/twin.ts";
import type { Decision, ModelObserver } from "../model/world.ts";
import { liveKpis, type LiveKpis } from "./kpis.ts";
import { describeNetwork, type NetworkDescription } from "./network.ts";

/**
 * Numbers per stock cell: on hand, in transit towards the site, backordered units, the site's order-up-to
 * target now, and the model's inventory safety line (the line L3 acts on, whatever the policy; 0 while the
 * cell has none yet). Target and line are 0 for a cell the site does not stock.
 */
export const CELL_FIELDS = ["onHand", "inTransit", "backorder", "target", "safetyLine"] as const;
export const CELL_WIDTH = CELL_FIELDS.length;

/** Numbers per site in `sites()`: pick queue, pick capacity per day in force, orders routed over the last day, load share, saturated (1/0). */
export const SITE_FIELDS = ["pickQueue", "pickCapacityPerDay", "ordersLastDay", "pickLoad", "saturated"] as const;
export const SITE_WIDTH = SITE_FIELDS.length;

/** A read-only view of one twin. */
export class Observation {
  readonly network: NetworkDescription;
  readonly cellCount: number;
  readonly skuCount: number;
  readonly siteCount: number;
  /** Saturated as of the last `sites()` call, per site (the line's hysteresis needs the previous state). */
  private readonly saturated: Uint8Array;

  constructor(
    private readonly twin: Twin,
    listener?: ModelObserver,
  ) {
    const { network } = twin;
    this.network = describeNetwork(network);
    this.skuCount = network.skuCount;
    this.siteCount = network.siteCount;
    this.cellCount = network.siteCount * network.skuCount;
    this.saturated = new Uint8Array(network.siteCount);
    if (listener) twin.world.observer = listener;
  }

  /** Sim time now (minutes). */
  get now(): number {
    return this.twin.sim.now;
  }

  /** Every cell's CELL_FIELDS, flat, rounded to whole units; cell i is site `i / skuCount | 0`, SKU `i % skuCount`. */
  cells(out: Float64Array = new Float64Array(this.cellCount * CELL_WIDTH)): Float64Array {
    const { stock } = this.twin.world;
    const { replenishment, coordination } = this.twin;
    for (let i = 0; i < this.cellCount; i++) {
      const o = i * CELL_WIDTH;
      out[o] = Math.round(stock.available[i] + stock.reserved[i]);
      out[o + 1] = Math.round(stock.inTransit[i]);
      out[o + 2] = Math.round(stock.backorderUnits[i]);
      out[o + 3] = 0;
      out[o + 4] = 0;
      if (!replenishment.stocked[i]) continue;
      const site = Math.floor(i / this.skuCount);
      const sku = i % this.skuCount;
      out[o + 3] = Math.round(replenishment.target(site, sku));
      const line = coordination.safetyLineAt(site, sku);
      out[o + 4] = Number.isNaN(line) ? 0 : Math.round(line);
    }
    return out;
  }

  /** Whether a site stocks a SKU (cell index). */
  stocked(cell: number): boolean {
    return this.twin.replenishment.stocked[cell] === 1;
  }

  /** Whether a cell has no unit available to sell now. */
  outOfStock(cell: number): boolean {
    return this.twin.world.stock.available[cell] < 1;
  }

  /**
   * Every site's SITE_FIELDS, flat: the pick queue, the pick capacity per day in force (shifts and any surge
   * booked), orders routed to it over the last day, their share of that capacity (the measure of L3's
   * saturation line) and whether the site is over the line (with the line's own hysteresis).
   */
  sites(out: Float64Array = new Float64Array(this.siteCount * SITE_WIDTH)): Float64Array {
    const { network, metrics, sim } = this.twin.world;
    const { fulfilment } = this.twin;
    const line = this.network.saturationLine;
    for (let s = 0; s < this.siteCount; s++) {
      const o = s * SITE_WIDTH;
      const capacity = pickCapacityPerDay(network.sites[s], fulfilment.pickSurge[s]);
      const orders = metrics.ordersRoutedLastDay(s, sim.now);
      const load = capacity > 0 ? orders / capacity : 0;
      const over = capacity > 0 && overSaturationLine(load, line, this.saturated[s] === 1);
      this.saturated[s] = over ? 1 : 0;
      out[o] = fulfilment.pickQueueLength(s);
      out[o + 1] = Math.round(capacity);
      out[o + 2] = orders;
      out[o + 3] = Math.round(load * 1000) / 1000;
      out[o + 4] = over ? 1 : 0;
    }
    return out;
  }

  /** The live KPIs now (sim/observe/kpis.ts): the run summary's formulas, so both agree at the same minute. */
  kpis(): LiveKpis {
    return liveKpis(this.twin.metrics);
  }

  /** The policy in force now (lever switches change it mid-run). */
  policy(): Policy {
    const p = this.twin.world.policy;
    return Object.fromEntries(LEVERS.map((l) => [l, p[l]])) as Policy;
  }

  /** The decision and alert log so far, oldest first (read-only; do not keep it across a rebuild). */
  get decisions(): readonly Decision[] {
    return this.twin.world.decisions;
  }

  /** Index of a site id, or −1. */
  siteIndex(id: string): number {
    return this.twin.network.siteIndex.get(id) ?? -1;
  }

  /**
   * The run's state as numbers, for a fingerprint: time, event counts, the arrivals hash, the policy, the
   * metric counters and every stock column. Same run, same minute → same numbers.
   */
  stateWords(): Float64Array[] {
    const { sim, stock, metrics: m, decisions, policy } = this.twin.world;
    const head = [sim.now, sim.eventsProcessed, sim.pending, this.twin.arrivalHash, decisions.length, ...LEVERS.map((l) => (policy[l] ? 1 : 0))];
    const counters = [
      m.ordersPlaced,
      m.ordersPaid,
      m.ordersDelivered,
      m.ordersCancelled,
      m.ordersDeliveredOnTime,
      m.refunds,
      m.unitsDemanded,
      m.unitsFulfilled,
      m.unitsLostSales,
      m.walkInCustomers,
      m.walkInSold,
      m.backlog,
      m.backlogPeak,
      m.revenue,
      m.costOfGoodsSold,
      m.lostMargin,
      ...Object.values(m.costs),
    ];
    return [Float64Array.from([...head, ...counters]), stock.available, stock.reserved, stock.inTransit, stock.onOrder, stock.backorderUnits];
  }
}
