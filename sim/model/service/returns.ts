// After-sales: delivered units a customer sends back. Each channel has its own process in the siloed
// organisation (online: 24 h review with free pickup; store: a paper form and ~3 days); the unified-service
// lever (L4) gives every channel one standard — one entry, one review time, free pickup, whichever channel
// sold the unit. Returned units are restocked or scrapped; each return's cycle time is a customer experience.
import { returnExperienceScore } from "../../policy/satisfaction.ts";
import type { OrderId } from "../orders/order.ts";
import type { World } from "../world.ts";

export { returnExperienceScore };

/** The after-sales process a return goes through. */
export interface AfterSalesProcess {
  readonly reviewHours: number;
  readonly freePickup: boolean;
}

/**
 * The after-sales process of a channel under a policy: the channel's own (siloed) or, with unified
 * service on, the one standard for every channel. Pure.
 */
export function afterSalesProcess(unifiedService: boolean, own: AfterSalesProcess, unified: AfterSalesProcess): AfterSalesProcess {
  return unifiedService ? unified : own;
}

/** The after-sales process of one run. */
export class Returns {
  constructor(
    private readonly w: World,
    private readonly restocked: (site: number, sku: number) => void,
  ) {}

  /**
   * A delivered order (or walk-in sale): maybe a return request, drawn from the customer's own uniform.
   * `zone` is the customer's demand zone (−1 for a walk-in: the zone of the store).
   */
  consider(channel: number, sku: number, quantity: number, unitPrice: number, site: number, returnDraw: number, resaleDraw: number, zone = -1): void {
    const { scenario, sim } = this.w;
    const rate = this.returnRate(channel, sku);
    if (!(returnDraw < rate)) return;
    // Given a return, returnDraw / rate is uniform on [0, 1): use it for the day of the request.
    const requestAt = sim.now + (returnDraw / rate) * scenario.service.returnWindowDays * 1440;
    if (requestAt >= this.w.horizon) return;
    sim.scheduleAt(requestAt, () => this.request(channel, sku, quantity, unitPrice, site, resaleDraw, zone));
  }

  /** A delivered order, read from its row: `consider` it only if its customer returns it (most do not). */
  considerOrder(o: OrderId): void {
    const O = this.w.orders;
    if (!(O.returnDraw[o] < this.returnRate(O.channel[o], O.sku[o]))) return;
    this.consider(O.channel[o], O.sku[o], O.quantity[o], O.unitPrice[o], O.site[o], O.returnDraw[o], O.resaleDraw[o], O.zone[o]);
  }

  /** Share of a SKU's units sold through a channel that come back. */
  returnRate(channel: number, sku: number): number {
    const { network } = this.w;
    return Math.min(1, network.skus[sku].returnRate * network.channels[channel].returnRateMultiplier);
  }

  /** Review hours and free pickup of a channel's after-sales under the policy in force now. */
  process(channel: number): AfterSalesProcess {
    const { scenario, network, policy } = this.w;
    return afterSalesProcess(policy.unifiedService, network.channels[channel].afterSales, scenario.levers.unifiedService);
  }

  private request(channel: number, sku: number, quantity: number, unitPrice: number, site: number, resaleDraw: number, zone: number): void {
    const { sim, scenario, metrics } = this.w;
    const requestedAt = sim.now;
    const { reviewHours, freePickup } = this.process(channel);
    metrics.cost("returns", scenario.costs.returns.inspection + (freePickup ? scenario.costs.returns.reversePickup : 0));
    sim.scheduleIn(reviewHours * 60, () => {
      const { stock, network, satisfaction } = this.w;
      const hours = (sim.now - requestedAt) / 60;
      metrics.returnCount[channel]++;
      metrics.returnCycleHoursSum[channel] += hours;
      const score = returnExperienceScore(hours);
      metrics.experience(score);
      satisfaction.record(zone, score, site);
      metrics.refunds++;
      metrics.revenue -= unitPrice * quantity;
      const line = metrics.ledger[sku];
      line.returnedToStock += quantity;
      // A returned unit of a SKU with a shelf life is never resold (food safety; domain-numbers C11: fresh
      // goods are returned only on quality claims): it is scrapped, whatever the resale draw.
      if (resaleDraw < network.skus[sku].resaleableShare && !stock.perishable(sku)) {
        // A resaleable unit goes back on the shelf, so its cost is no longer a cost of goods sold.
        metrics.costOfGoodsSold -= network.skus[sku].unitCost * quantity;
        stock.receive(site, sku, quantity, sim.now);
        this.restocked(site, sku);
      } else {
        line.scrapped += quantity;
      }
    });
  }
}
