// What running the coordination levers costs (scenario `costs.coordination`, docs/levers.md "What
// coordination costs"): each lever that is on is charged by the hour to the `coordination` cost line, and
// the campaign review (L3) also per campaign it reviews. What a lever saves or earns is elsewhere; this
// file only makes sure coordination is never free.
import { coordinationDailyCost, campaignReviewCost } from "../../policy/coordination-cost.ts";
import type { ActiveCampaign } from "../../demand/rates.ts";
import type { World } from "../world.ts";

const TICK_MINUTES = 60;

/** The running-cost meter of one run: an hourly tick under every policy (a lever may be switched on later). */
export class CoordinationRunningCost {
  private readonly charged: Uint8Array;
  private readonly sellingSites: number;

  constructor(
    private readonly w: World,
    private readonly campaigns: readonly ActiveCampaign[],
  ) {
    this.charged = new Uint8Array(campaigns.length);
    this.sellingSites = w.network.sites.filter((s) => s.type !== "factory").length;
    w.sim.scheduleAt(0, this.tick);
  }

  /** Charge the hour ahead for every lever on now, and L3's review of each campaign submitted by now. */
  private readonly tick = (): void => {
    const { sim, policy, scenario, metrics } = this.w;
    const now = sim.now;
    const hours = (Math.min(now + TICK_MINUTES, this.w.horizon) - now) / 60;
    const costs = scenario.costs.coordination;
    const perDay = coordinationDailyCost(policy, costs, this.sellingSites);
    if (perDay > 0) metrics.cost("coordination", (perDay * hours) / 24);
    if (policy.capacityLinkage)
      for (const c of this.campaigns) {
        // Reviewed when submitted, as L3 does (coordination.ts); a campaign already over is not reviewed.
        if (this.charged[c.index] || now < c.submittedAt || c.end <= now) continue;
        this.charged[c.index] = 1;
        metrics.cost("coordination", campaignReviewCost(costs.campaignReview, (c.end - c.start) / 1440));
      }
    if (now + TICK_MINUTES < this.w.horizon) sim.scheduleAt(now + TICK_MINUTES, this.tick);
  };
}
