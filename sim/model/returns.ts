// After-sales: delivered units a customer sends back. Each channel has its own process in the siloed
// organisation (online: 24 h review with free pickup; store: a paper form and ~3 days); the unified-service
// lever gives every channel one standard. Returned units are restocked or scrapped.
import type { Order } from "./order.ts";
import type { World } from "./world.ts";

/** Satisfaction score of a return that took `hours` from request to refund: 1 at once, 0 after five days. */
export function returnExperienceScore(hours: number): number {
  return Math.max(0, 1 - hours / 120);
}

/** The after-sales process of one run. */
export class Returns {
  constructor(
    private readonly w: World,
    private readonly restocked: (site: number, sku: number) => void,
  ) {}

  /** A delivered order (or walk-in sale): maybe a return request, drawn from the customer's own uniform. */
  consider(channel: number, sku: number, quantity: number, unitPrice: number, site: number, returnDraw: number, resaleDraw: number): void {
    const { network, scenario, sim } = this.w;
    const rate = Math.min(1, network.skus[sku].returnRate * network.channels[channel].returnRateMultiplier);
    if (!(returnDraw < rate)) return;
    // Given a return, returnDraw / rate is uniform on [0, 1): use it for the day of the request.
    const requestAt = sim.now + (returnDraw / rate) * scenario.service.returnWindowDays * 1440;
    if (requestAt >= this.w.horizon) return;
    sim.scheduleAt(requestAt, () => this.request(channel, sku, quantity, unitPrice, site, resaleDraw));
  }

  /** Review hours and free pickup of a channel's after-sales under the policy in force now. */
  process(channel: number): { reviewHours: number; freePickup: boolean } {
    const { scenario, network, policy } = this.w;
    if (policy.unifiedService) return scenario.levers.unifiedService;
    const a = network.channels[channel].afterSales;
    return { reviewHours: a.reviewHours, freePickup: a.freePickup };
  }

  private request(channel: number, sku: number, quantity: number, unitPrice: number, site: number, resaleDraw: number): void {
    const { sim, scenario, metrics } = this.w;
    const requestedAt = sim.now;
    const { reviewHours, freePickup } = this.process(channel);
    metrics.cost("returns", scenario.costs.returns.inspection + (freePickup ? scenario.costs.returns.reversePickup : 0));
    sim.scheduleIn(reviewHours * 60, () => {
      const { stock, network } = this.w;
      const hours = (sim.now - requestedAt) / 60;
      metrics.returnCount[channel]++;
      metrics.returnCycleHoursSum[channel] += hours;
      metrics.experience(returnExperienceScore(hours));
      metrics.refunds++;
      metrics.revenue -= unitPrice * quantity;
      const line = metrics.ledger[sku];
      line.returnedToStock += quantity;
      if (resaleDraw < network.skus[sku].resaleableShare) {
        // A resaleable unit goes back on the shelf, so its cost is no longer a cost of goods sold.
        metrics.costOfGoodsSold -= network.skus[sku].unitCost * quantity;
        stock.available[stock.at(site, sku)] += quantity;
        this.restocked(site, sku);
      } else {
        line.scrapped += quantity;
      }
    });
  }
}
