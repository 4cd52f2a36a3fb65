// Spoilage: once an hour, every site's expired units of SKUs with a shelf life (lots.ts) that no order has
// reserved are scrapped — counted in the ledger's `scrapped` and in the `expired` tallies, and charged to
// the `scrap` cost line at unit cost plus the scenario's disposal cost. Nothing here runs for SKUs without
// a shelf life, and the sweep draws no random number.
import type { World } from "../world.ts";

/** Minutes between expiry sweeps: a unit is scrapped at most this long after it expires. */
export const EXPIRY_SWEEP_MINUTES = 60;

/** The spoilage process of one run. */
export class Spoilage {
  private readonly perishableSkus: number[] = [];

  constructor(private readonly w: World) {
    const { network, stock, sim } = w;
    for (let k = 0; k < network.skuCount; k++) if (stock.perishable(k)) this.perishableSkus.push(k);
    if (this.perishableSkus.length > 0) sim.scheduleAt(EXPIRY_SWEEP_MINUTES, this.sweep);
  }

  /** Scrap what has expired by now at every site. */
  readonly sweep = (): void => {
    const w = this.w;
    const { network, stock, metrics, sim, scenario } = w;
    const next = sim.now + EXPIRY_SWEEP_MINUTES;
    if (next <= w.horizon) sim.scheduleAt(next, this.sweep);
    for (const k of this.perishableSkus) {
      const sku = network.skus[k];
      for (let s = 0; s < network.siteCount; s++) {
        const units = stock.expire(s, k, sim.now);
        if (units <= 0) continue;
        metrics.ledger[k].scrapped += units;
        metrics.unitsExpired += units;
        metrics.expiredByTier[network.siteType[s]] += units;
        metrics.cost("scrap", units * (sku.unitCost + scenario.costs.scrapDisposalPerUnit));
      }
    }
  };
}
