// Lever L1, the data platform (paper §3.1): one view of demand, stock and capacity. Pure decision rules —
// promotion pressure matched to the stock and capacity that can serve it, the pre-position quantity from a
// forecast that includes the campaign, and the choice of rebalancing transfers. The model (coordination.ts)
// gathers the observations and acts on the decisions.

/** How well one zone's serving sites can take the demand a campaign pushes there. */
export interface ZoneCover {
  /** Planned demand the campaign brings to the zone (any unit; only ratios between zones matter). */
  readonly demand: number;
  /** Times over that the serving sites' stock and capacity cover the planned demand (1 = just enough). */
  readonly cover: number;
}

/**
 * Cover of a serving site: the lesser of stock cover (units on hand or on the way / planned units) and
 * capacity cover (pick/pack orders it can take / planned orders). Infinite when nothing is planned.
 */
export function serviceCover(stockUnits: number, plannedUnits: number, capacityOrders: number, plannedOrders: number): number {
  const stock = plannedUnits > 0 ? Math.max(0, stockUnits) / plannedUnits : Infinity;
  const capacity = plannedOrders > 0 ? Math.max(0, capacityOrders) / plannedOrders : Infinity;
  return Math.min(stock, capacity);
}

/**
 * Demand–resource matching: the pressure scale of each zone of one campaign push. A zone whose sites cover
 * less than its planned demand keeps `floorShare + (1 − floorShare) × cover` of the push; the push taken
 * from short zones moves to zones with cover to spare, each raised at most to min(cover, maxScale), in
 * proportion to demand × spare. Total push never grows: if no zone has spare, the push simply falls.
 */
export function allocatePressure(zones: readonly ZoneCover[], floorShare: number, maxScale: number): number[] {
  const scale = zones.map((z) => (z.cover >= 1 ? 1 : floorShare + (1 - floorShare) * Math.max(0, z.cover)));
  let released = 0;
  let room = 0;
  zones.forEach((z, i) => {
    released += z.demand * (1 - scale[i]);
    if (z.cover > 1) room += z.demand * (Math.min(z.cover, maxScale) - 1);
  });
  if (released <= 0 || room <= 0) return scale;
  const fill = Math.min(1, released / room);
  return zones.map((z, i) => (z.cover > 1 ? 1 + fill * (Math.min(z.cover, maxScale) - 1) : scale[i]));
}

/**
 * Units a site can actually sell over a window: all of its walk-in demand, and of its online orders only the
 * share its pick/pack can take (a store that picks 500 orders a day sells no more online, however hard the
 * campaign pushes). What pre-positioning should cover.
 */
export function servableUnits(walkInUnits: number, onlineUnits: number, pickCapacityOrders: number, plannedPickOrders: number): number {
  const share = plannedPickOrders > 0 ? Math.min(1, Math.max(0, pickCapacityOrders) / plannedPickOrders) : 1;
  return walkInUnits + onlineUnits * share;
}

/** What pre-positioning knows of one site × SKU before a campaign. */
export interface PrepositionObservation {
  /** Forecast units the site will sell from now until the campaign starts (see servableUnits). */
  readonly demandBeforeStart: number;
  /** Forecast units over the campaign's first days (the site's replenishment cycle: lead time + review + cover). */
  readonly campaignDemand: number;
  /** Inventory position: on hand + in transit + on order − backorders. */
  readonly position: number;
  /** Units the parent can spare. */
  readonly parentAvailable: number;
}

/** Units to move parent → site ahead of a campaign so its first cycle is covered; 0 if it already is. */
export function prepositionQuantity(o: PrepositionObservation): number {
  const need = Math.ceil(o.demandBeforeStart + o.campaignDemand - o.position);
  return Math.max(0, Math.min(need, Math.floor(o.parentAvailable)));
}

/** One site's stock of one SKU, as rebalancing sees it. */
export interface RebalanceSite {
  readonly site: number;
  readonly available: number;
  /** Units already on the way to the site. */
  readonly inbound: number;
  /** Its order-up-to target from the platform forecast. */
  readonly target: number;
  /** Forecast units it will sell before its next regular delivery can arrive. */
  readonly need: number;
}

/** A lateral transfer. */
export interface Transfer {
  readonly from: number;
  readonly to: number;
  readonly units: number;
}

/**
 * Rebalancing: sites short of their next-delivery need draw on sites holding more than their target.
 * Largest shortfall first; each takes from the nearest donor with surplus, then the next; a transfer is made
 * only when `worthwhile(from, to, units)` (e.g. the margin it saves pays for the van). Ties go to the lower
 * site index, so the choice is deterministic.
 */
export function chooseRebalance(
  sites: readonly RebalanceSite[],
  km: (from: number, to: number) => number,
  worthwhile: (from: number, to: number, units: number) => boolean,
): Transfer[] {
  const surplus = new Map<number, number>();
  for (const s of sites) if (s.available > s.target) surplus.set(s.site, Math.floor(s.available - s.target));
  const short = sites
    .map((s) => ({ site: s.site, shortfall: Math.ceil(s.need - s.available - s.inbound) }))
    .filter((s) => s.shortfall > 0 && !surplus.has(s.site))
    .sort((a, b) => b.shortfall - a.shortfall || a.site - b.site);
  const out: Transfer[] = [];
  for (const s of short) {
    let left = s.shortfall;
    const donors = [...surplus.keys()].filter((d) => surplus.get(d)! > 0).sort((a, b) => km(a, s.site) - km(b, s.site) || a - b);
    for (const d of donors) {
      if (left <= 0) break;
      const units = Math.min(left, surplus.get(d)!);
      if (!worthwhile(d, s.site, units)) continue;
      out.push({ from: d, to: s.site, units });
      surplus.set(d, surplus.get(d)! - units);
      left -= units;
    }
  }
  return out;
}
