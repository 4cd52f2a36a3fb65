// After-sales: delivered units a customer sends back. Return review is work: each channel's reviewers work
// daily shifts through a first-come first-served queue, so a return's cycle time (request → refund) is its
// wait plus its review, and grows when a campaign's returns outrun the staff. In the siloed organisation each
// channel has its own team and process (the store's paper form adds work per unit, its own SLA); unified
// service (L4) changes the process: one entry point, every channel's reviewers in one shared pool, no paper
// form, free pickup and one SLA. Returned units are restocked or scrapped; each return is an experience.
import { reviewersFor, shiftFinish, soonestFree, type ReviewShift } from "../../policy/return-review.ts";
import { returnExperienceScore } from "../../policy/satisfaction.ts";
import { clockMinutes } from "../../engine/local-time.ts";
import { meanLinesPerOrder } from "../orders/customer-choice.ts";
import type { OrderId } from "../orders/order.ts";
import type { World } from "../world.ts";

export { returnExperienceScore };

/** The after-sales process a return goes through. */
export interface AfterSalesProcess {
  /** The review time the process promises (its SLA); the cycle time comes from the reviewers' queue. */
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
  /** Per channel, when each of its own reviewers is next free (sim minutes). */
  private readonly teams: Float64Array[];
  /** Under unified service: every channel's reviewers in one pool, when each is next free. */
  private readonly pool: Float64Array;
  private readonly shift: ReviewShift;
  private readonly minuteOfDay: (t: number) => number;
  /** Reviewers of each channel (the scenario's, or staffed for its baseline returns). */
  readonly reviewers: readonly number[];
  /** Return rate per channel × SKU (row = channel): read for every sale, worked out once. */
  private readonly rates: Float64Array;
  private readonly skuCount: number;

  constructor(
    private readonly w: World,
    private readonly restocked: (site: number, sku: number) => void,
  ) {
    const { scenario, network } = w;
    const review = scenario.service.returnReview;
    this.skuCount = network.skuCount;
    this.rates = new Float64Array(network.channels.length * this.skuCount);
    network.channels.forEach((ch, c) => {
      network.skus.forEach((sku, k) => (this.rates[c * network.skuCount + k] = Math.min(1, sku.returnRate * ch.returnRateMultiplier)));
    });
    this.shift = { startMinute: clockMinutes(review.shiftStart), minutes: review.shiftHours * 60 };
    this.reviewers = network.channels.map((ch, c) => {
      if (ch.afterSales.reviewers !== undefined) return ch.afterSales.reviewers;
      const minutes = review.minutesPerUnit + (ch.afterSales.paperForm ? review.paperFormMinutes : 0);
      return reviewersFor(this.baselineReturnedUnitsPerDay(c), minutes, this.shift.minutes, review.staffedUtilisation);
    });
    this.teams = this.reviewers.map((n) => new Float64Array(n));
    this.pool = new Float64Array(this.reviewers.reduce((a, b) => a + b, 0));
    this.minuteOfDay = (t) => w.clock.minuteOfDay(t);
  }

  /** Units a channel's customers return a day on baseline demand (no campaign, surge or calendar period). */
  private baselineReturnedUnitsPerDay(channel: number): number {
    const { scenario, network } = this.w;
    const ch = network.channels[channel];
    const orders = ch.kind === "online" ? scenario.demand.onlineOrdersPerDay * ch.share : scenario.demand.walkInPerDay;
    const mix = ch.skuMix ?? scenario.demand.skuMix;
    let rate = 0;
    network.skus.forEach((sku, k) => (rate += (mix[sku.id] ?? 0) * this.returnRate(channel, k)));
    // With baskets an online order's extra lines are one unit each, drawn from the same mix (co-purchase aside).
    const extraLines = ch.kind === "online" ? meanLinesPerOrder(scenario) - 1 : 0;
    return orders * rate * (scenario.demand.unitsPerOrder.mean + extraLines);
  }

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
    return this.rates[channel * this.skuCount + sku];
  }

  /** The SLA and free pickup of a channel's after-sales under the policy in force now. */
  process(channel: number): AfterSalesProcess {
    const { scenario, network, policy } = this.w;
    return afterSalesProcess(policy.unifiedService, network.channels[channel].afterSales, scenario.levers.unifiedService);
  }

  private request(channel: number, sku: number, quantity: number, unitPrice: number, site: number, resaleDraw: number, zone: number): void {
    const { sim, scenario, metrics } = this.w;
    const requestedAt = sim.now;
    const unified = this.w.policy.unifiedService;
    const { reviewHours, freePickup } = this.process(channel);
    metrics.cost("returns", scenario.costs.returns.inspection + (freePickup ? scenario.costs.returns.reversePickup : 0));
    // The refund is owed from the request (accrued now, paid when the review ends): a return still queueing
    // at the horizon must not flatter the revenue of the organisation that reviews it more slowly.
    // A returned unit of a SKU with a shelf life is never resold (food safety; domain-numbers C11: fresh
    // goods are returned only on quality claims): it is scrapped, whatever the resale draw.
    const resaleable = resaleDraw < this.w.network.skus[sku].resaleableShare && !this.w.stock.perishable(sku);
    metrics.revenue -= unitPrice * quantity;
    // A resaleable unit is coming back to the shelf, so its cost is no longer a cost of goods sold.
    if (resaleable) metrics.costOfGoodsSold -= this.w.network.skus[sku].unitCost * quantity;
    // The next free reviewer of the channel's team (the shared pool under unified service) takes it in turn.
    const review = scenario.service.returnReview;
    const paperForm = !unified && this.w.network.channels[channel].afterSales.paperForm;
    const work = quantity * (review.minutesPerUnit + (paperForm ? review.paperFormMinutes : 0));
    const team = unified ? this.pool : this.teams[channel];
    const r = soonestFree(team);
    const doneAt = shiftFinish(Math.max(sim.now, team[r]), work, this.shift, this.minuteOfDay);
    team[r] = doneAt;
    sim.scheduleAt(doneAt, () => {
      const { stock, satisfaction } = this.w;
      const hours = (sim.now - requestedAt) / 60;
      metrics.returnCount[channel]++;
      metrics.returnCycleHoursSum[channel] += hours;
      if (hours <= reviewHours + 1e-9) metrics.returnsWithinSla++;
      const score = returnExperienceScore(hours);
      metrics.experience(score);
      satisfaction.record(zone, score, site);
      metrics.refunds++;
      const line = metrics.ledger[sku];
      line.returnedToStock += quantity;
      if (resaleable) {
        stock.receive(site, sku, quantity, sim.now);
        this.restocked(site, sku);
      } else {
        line.scrapped += quantity;
      }
    });
  }
}
