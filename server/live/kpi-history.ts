// The chart history of one live sim: a few KPIs sampled every `stepMinutes` of sim time (an hour; coarser
// for runs so long that a history would pass MAX_HISTORY_POINTS), and the run's decisive moments (first
// stockout and first saturation crossing per site, every intervention). The session samples it at step
// boundaries as the sim advances, so a late joiner or a seek gets the whole run so far, bounded in size,
// and a re-simulated run rebuilds exactly the same history. Reads the run only; never changes it.
import { round, SITE_FIELDS, SITE_WIDTH, type Observation, type Twin } from "../../sim/index.ts";
import type { HistoryPoints, HistorySeriesKey, Moment } from "../protocol.ts";

/** Points a history holds at most: the step grows in whole hours until the horizon fits. */
export const MAX_HISTORY_POINTS = 1500;
/** Moments a run keeps at most (the first of each kind per site, and interventions). */
export const MAX_MOMENTS = 200;
/** The window of the rolling cost per order, sim minutes: a day, so start-up does not dominate the line. */
export const COST_WINDOW_MINUTES = 1440;
const SATURATED = SITE_FIELDS.indexOf("saturated");

/** Sim minutes between history points for a run of `horizon` minutes. */
export function historyStep(horizon: number): number {
  return 60 * Math.max(1, Math.ceil(horizon / 60 / MAX_HISTORY_POINTS));
}

/** Empty parallel arrays for each chart series. */
export function emptyPoints(): HistoryPoints {
  return { t: [], values: { fillRate: [], backlogOrders: [], costPerOrderDay: [], unitsLostSales: [] } };
}

/**
 * Cost per delivered order over the trailing window: fulfilment cost spent in it / orders delivered in
 * it; null before a whole window has passed (the first hours, when cost is spent on orders not yet
 * delivered, would read as ¥1,000 an order) and when none were delivered. `cost` and `delivered` are
 * cumulative at the sample times `t`.
 */
export function rollingCostPerOrder(t: readonly number[], cost: readonly number[], delivered: readonly number[], i: number, windowMinutes = COST_WINDOW_MINUTES): number | null {
  if (t[i] < windowMinutes) return null;
  let j = i;
  while (j > 0 && t[j] > t[i] - windowMinutes) j--;
  const orders = delivered[i] - delivered[j];
  return orders > 0 ? round((cost[i] - cost[j]) / orders, 2) : null;
}

/** One sim's history and moments. */
export class KpiHistory {
  readonly stepMinutes: number;
  readonly points = emptyPoints();
  readonly moments: Moment[] = [];
  /** Cumulative fulfilment cost and deliveries at each point (for the rolling cost). */
  private readonly cost: number[] = [];
  private readonly delivered: number[] = [];
  /** Per site: a stockout and a saturation crossing were already noted. */
  private readonly stockoutSeen: Uint8Array;
  private readonly saturationSeen: Uint8Array;
  private readonly siteScratch: Float64Array;
  private decisionsRead = 0;
  /** Points and moments before these indices went out in a frame. */
  private pointsSent = 0;
  private momentsSent = 0;

  constructor(
    private readonly twin: Twin,
    private readonly observation: Observation,
    horizon: number,
  ) {
    this.stepMinutes = historyStep(horizon);
    this.stockoutSeen = new Uint8Array(observation.siteCount);
    this.saturationSeen = new Uint8Array(observation.siteCount);
    this.siteScratch = new Float64Array(observation.siteCount * SITE_WIDTH);
  }

  /** The last sampled minute, or -1. */
  get lastT(): number {
    return this.points.t.at(-1) ?? -1;
  }

  /** Take a point at the sim's current minute (the session calls this at step boundaries and the horizon). */
  sample(): void {
    const o = this.observation;
    const t = o.now;
    if (t <= this.lastT) return;
    const k = o.kpis();
    const m = this.twin.metrics;
    let cost = 0;
    // The registry's fulfilment cost (sim/observe/kpis.ts): last mile, pick/pack and compensation over every path.
    for (const c of m.costByPath) cost += c;
    const p = this.points;
    p.t.push(t);
    this.cost.push(cost);
    this.delivered.push(m.ordersDelivered);
    p.values.fillRate.push(k.fillRate);
    p.values.backlogOrders.push(k.backlogOrders);
    p.values.unitsLostSales.push(k.unitsLostSales);
    p.values.costPerOrderDay.push(rollingCostPerOrder(p.t, this.cost, this.delivered, p.t.length - 1));
    this.noteMoments(t);
  }

  /** Everything so far (a snapshot). */
  all(): { stepMinutes: number; points: HistoryPoints; moments: Moment[] } {
    return { stepMinutes: this.stepMinutes, points: slicePoints(this.points, 0), moments: [...this.moments] };
  }

  /** Points and moments since the last frame; null when there are none. */
  fresh(): { points: HistoryPoints; moments: Moment[] } | null {
    if (this.pointsSent === this.points.t.length && this.momentsSent === this.moments.length) return null;
    const out = { points: slicePoints(this.points, this.pointsSent), moments: this.moments.slice(this.momentsSent) };
    this.markSent();
    return out;
  }

  /** Everything so far counts as sent (after a snapshot went to every client). */
  markSent(): void {
    this.pointsSent = this.points.t.length;
    this.momentsSent = this.moments.length;
  }

  private noteMoments(t: number): void {
    const o = this.observation;
    const network = o.network;
    const add = (m: Moment) => {
      if (this.moments.length < MAX_MOMENTS) this.moments.push(m);
    };
    const skus = o.skuCount;
    for (let cell = 0; cell < o.cellCount; cell++) {
      const site = Math.floor(cell / skus);
      if (this.stockoutSeen[site] || !o.stocked(cell) || !o.outOfStock(cell)) continue;
      this.stockoutSeen[site] = 1;
      add({ t, kind: "stockout", site, text: `first stockout at ${network.sites[site].name}: ${network.skus[cell % skus].name}` });
    }
    const sites = o.sites(this.siteScratch);
    for (let s = 0; s < o.siteCount; s++) {
      if (this.saturationSeen[s] || sites[s * SITE_WIDTH + SATURATED] !== 1) continue;
      this.saturationSeen[s] = 1;
      add({ t, kind: "saturation", site: s, text: `${network.sites[s].name} crossed the saturation line` });
    }
    const decisions = o.decisions;
    for (; this.decisionsRead < decisions.length; this.decisionsRead++) {
      const d = decisions[this.decisionsRead];
      if (d.kind.startsWith("intervention:")) add({ t: d.t, kind: "intervention", site: o.siteIndex(d.site), text: d.reason });
    }
  }
}

function slicePoints(p: HistoryPoints, from: number): HistoryPoints {
  const values = {} as Record<HistorySeriesKey, (number | null)[]>;
  for (const key of Object.keys(p.values) as HistorySeriesKey[]) values[key] = p.values[key].slice(from);
  return { t: p.t.slice(from), values };
}
