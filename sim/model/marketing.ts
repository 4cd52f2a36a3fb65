// Marketing runs its live campaigns to their targets, in every organisation: the levers change what the
// platform and operations do, not what marketing wants. Each local midnight it compares the units customers
// asked for under each running campaign with its `targetUnits` pro rata — the share of the campaign's
// planned sales that falls before now, by the intraday profile, the day of week and the campaign's own
// opening burst — and, while sales run behind, raises the campaign's push by target-so-far ÷ sold-so-far,
// at most `marketing.maxPushScale`. Ahead of target it pushes as planned. The push is part of what marketing
// planned (`ActiveCampaign.push`): the levers' pressure scales on top of it, and the demand they shift is
// counted against it. It reads only sales marketing sees on its own dashboard. Under L3 marketing has agreed
// the campaign's plan with operations: once the review scaled a campaign, or while a saturation line it lands
// on is crossed, it pushes as agreed, not towards the original target.
import type { ActiveCampaign } from "../demand/rates.ts";
import { decide, type World } from "./world.ts";

/** A push change is recorded when it moves at least this much since it was last recorded. */
const RECORD_STEP = 0.05;

/** Marketing of one run. */
export class Marketing {
  /** Units customers ordered (online) or asked for at the shelf (walk-ins) under each campaign since it opened (what a purchase falls under: checkout's rule). */
  readonly unitsOrdered: Float64Array;
  /** The highest push each campaign reached. */
  readonly maxPush: Float64Array;
  private readonly recorded: Float64Array;
  private readonly cap: number;
  private readonly hourShape: Float64Array;

  constructor(
    private readonly w: World,
    private readonly campaigns: readonly ActiveCampaign[],
    /** Whether marketing runs a campaign on the plan agreed with operations (L3), not chasing its target. */
    private readonly followsReview: (c: ActiveCampaign) => boolean = () => false,
  ) {
    const n = campaigns.length;
    this.unitsOrdered = new Float64Array(n);
    this.maxPush = new Float64Array(n).fill(1);
    this.recorded = new Float64Array(n).fill(1);
    this.cap = w.scenario.marketing.maxPushScale;
    const profile = w.scenario.demand.hourlyProfile;
    const sum = profile.reduce((a, b) => a + b, 0);
    this.hourShape = Float64Array.from(profile, (x) => (sum > 0 ? x / sum : 0));
    if (n > 0 && this.cap > 1) w.sim.scheduleAt(w.clock.nextClock(1e-9, 0), this.review);
  }

  /** A customer ordered `units` under campaign `c`. */
  ordered(c: ActiveCampaign, units: number): void {
    this.unitsOrdered[c.index] += units;
  }

  private readonly review = (): void => {
    const w = this.w;
    const now = w.sim.now;
    if (now + 1440 < w.horizon) w.sim.scheduleIn(1440, this.review);
    for (const c of this.campaigns) {
      if (now <= c.start || now >= c.end || c.targetUnits <= 0) continue;
      const expected = c.targetUnits * this.plannedShare(c, now);
      const sold = this.unitsOrdered[c.index];
      const agreed = this.followsReview(c);
      const push = agreed ? 1 : sold > 0 ? Math.min(this.cap, Math.max(1, expected / sold)) : this.cap;
      c.push = push;
      if (push > this.maxPush[c.index]) this.maxPush[c.index] = push;
      if (Math.abs(push - this.recorded[c.index]) < RECORD_STEP) continue;
      this.recorded[c.index] = push;
      decide(w, "marketing-push", -1, push > 1 ? "campaign sales behind target: marketing pushes harder" : agreed ? "campaign on the plan agreed in the capacity review: marketing pushes as agreed" : "campaign sales back on target: marketing pushes as planned", {
        campaign: c.id,
        unitsOrdered: Math.round(sold),
        targetSoFar: Math.round(expected),
        targetUnits: c.targetUnits,
        push: Math.round(push * 100) / 100,
      });
    }
  };

  /** Share of a campaign's planned sales before t: its hours weighted by the intraday profile, the day of week and its opening burst. */
  plannedShare(c: ActiveCampaign, t: number): number {
    const { clock, scenario } = this.w;
    const week = scenario.demand.dayOfWeek;
    // The burst's decay is averaged over each hour (a short half-life spends most of it in the first minutes).
    const h = c.burstHalfLifeMinutes / Math.LN2;
    let before = 0;
    let all = 0;
    for (let a = c.start; a < c.end; a += 60) {
      const minutes = Math.min(60, c.end - a);
      const decay = c.burstMultiplier > 1 ? (h * (Math.pow(2, -(a - c.start) / c.burstHalfLifeMinutes) - Math.pow(2, -(a + minutes - c.start) / c.burstHalfLifeMinutes))) / minutes : 0;
      const lift = Math.max(0, 1 + (c.uplift - 1 + (c.burstMultiplier - 1) * decay) * c.pressure);
      const x = this.hourShape[clock.hourOfDay(a)] * week[clock.dayOfWeek(a)] * lift * minutes;
      all += x;
      if (a < t) before += a + minutes <= t ? x : (x * (t - a)) / minutes;
    }
    return all > 0 ? before / all : 0;
  }
}
