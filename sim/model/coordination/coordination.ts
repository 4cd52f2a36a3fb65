// Levers L1 (data platform) and L3 (promotion–capacity linkage) in the running model: an hourly round that
// observes the platform view and has each lever act — L1 in platform-actions.ts (matching, pre-positioning,
// rebalancing), L3 here (campaign review at submission, surge and ramp bookings) and in capacity-lines.ts
// (saturation and safety lines) — then composes the promotion pressure per campaign × zone × channel × SKU
// that the DemandRates hook reads. Nothing runs, and no event is scheduled, while both levers are off.
import { MAX_PRESSURE_SCALE, type ActiveCampaign } from "../../demand/rates.ts";
import { reviewCampaign } from "./campaign-review.ts";
import { CapacityLines } from "./capacity-lines.ts";
import { PlatformActions } from "./platform-actions.ts";
import type { Booking, CampaignBookings, CoordinationParts } from "./parts.ts";
import type { PlatformView } from "./platform-view.ts";
import type { PromotionPressure } from "./pressure.ts";
import type { World } from "../world.ts";

const TICK_MINUTES = 60;

/** The L1 and L3 process of one run. */
export class Coordination implements CampaignBookings {
  /** The pressure table's scale (see pressure.ts), written by `compose`. */
  private readonly scale: Float64Array;
  /** L3's campaign-review scale, same layout. */
  readonly reviewScale: Float64Array;
  /** L3's whole factor as last composed (review × production throttle × the flow's saturation throttle), same layout; 1 while L3 is off. */
  private readonly l3Scale: Float64Array;
  private readonly platform: PlatformActions;
  private readonly lines: CapacityLines;
  private running = false;
  readonly reviewed: Uint8Array;
  /** L3 is taken as on since this time (−∞ when on from the start): notice periods count from here at the earliest. */
  private capacityLinkageSince = Number.NaN;
  /** Surge and ramp bookings in force per site (overlapping bookings count once each). */
  readonly surgeBookings: Int32Array;
  readonly rampBookings: Int32Array;

  constructor(
    private readonly w: World,
    readonly view: PlatformView,
    private readonly pressure: PromotionPressure,
    private readonly parts: CoordinationParts,
  ) {
    const { network } = w;
    this.scale = pressure.scale;
    this.reviewScale = new Float64Array(pressure.scale.length).fill(1);
    this.l3Scale = new Float64Array(pressure.scale.length).fill(1);
    this.platform = new PlatformActions(w, this.view, parts, (c, z, ch, k) => this.indexOf(c, z, ch, k));
    this.lines = new CapacityLines(w, this.view, parts);
    this.reviewed = new Uint8Array(parts.rates.campaigns.length);
    this.surgeBookings = new Int32Array(network.siteCount);
    this.rampBookings = new Int32Array(network.siteCount);
    if (w.policy.capacityLinkage) this.capacityLinkageSince = -Infinity;
    this.wake();
  }

  /** Index of (campaign, zone, channel, SKU) in the pressure tables. */
  indexOf(campaign: number, zone: number, channel: number, sku: number): number {
    return this.pressure.indexOf(campaign, zone, channel, sku);
  }

  /** Start the hourly round if a lever is on and it is not running yet (called at every sample). */
  wake(): void {
    const { policy, sim } = this.w;
    if (this.running || !(policy.dataPlatform || policy.capacityLinkage)) return;
    this.running = true;
    this.view.start();
    sim.scheduleAt(sim.now, this.tick);
  }

  private readonly tick = (): void => {
    const w = this.w;
    const { sim, policy } = w;
    if (sim.now + TICK_MINUTES < w.horizon) sim.scheduleIn(TICK_MINUTES, this.tick);
    this.view.observe();
    if (policy.dataPlatform) {
      this.platform.matchPressure();
      this.platform.prePosition();
      this.platform.rebalance();
    }
    if (policy.capacityLinkage) {
      if (Number.isNaN(this.capacityLinkageSince)) this.capacityLinkageSince = sim.now;
      this.review();
      this.lines.saturation();
      this.lines.safetyLine();
    }
    this.compose();
  };

  // ---- L3: campaign review at submission ---------------------------------------------------------

  private review(): void {
    const now = this.w.sim.now;
    for (const c of this.parts.rates.campaigns) {
      if (this.reviewed[c.index] || now < c.submittedAt) continue;
      this.reviewed[c.index] = 1;
      if (c.end <= now) continue;
      reviewCampaign(this.w, this.view, this.parts, this, c, Math.max(c.submittedAt, this.capacityLinkageSince));
    }
  }

  /**
   * Whether marketing runs campaign `c` on the plan it agreed with operations rather than chasing its target:
   * under L3, once the campaign review has scaled its push, or while a saturation line it lands on is crossed
   * (the line "warns marketing so it reduces the push", paper §3.3): any of its cells where L3's factor, as
   * the last round composed it, is below 1. False without L3.
   */
  followsReview(c: ActiveCampaign): boolean {
    const { policy, network } = this.w;
    if (!policy.capacityLinkage) return false;
    for (let z = 0; z < network.zones.length; z++) {
      if (!c.zoneMask[z]) continue;
      for (let ch = 0; ch < network.channels.length; ch++) {
        if (!c.channelMask[ch]) continue;
        for (let k = 0; k < network.skuCount; k++) if (c.skuMask[k] && this.l3Scale[this.indexOf(c.index, z, ch, k)] < 1) return true;
      }
    }
    return false;
  }

  /** A site × SKU's inventory safety line now (units; NaN where none), whatever the policy: only L3 acts on it. */
  safetyLineAt(site: number, sku: number): number {
    return this.lines.safetyLineUnitsAt(site, sku);
  }

  /** Surge and ramp bookings made so far: site (or factory), share, window. */
  readonly surgeBooked: Booking[] = [];
  readonly rampBooked: Booking[] = [];

  /** Book surge pick/pack capacity at a site over [from, to). */
  bookSurge(site: number, extraShare: number, from: number, to: number): void {
    const { sim } = this.w;
    this.surgeBooked.push({ site, extraShare, from, to });
    const surge = this.parts.fulfilment.pickSurge;
    sim.scheduleAt(Math.max(sim.now, from), () => {
      this.surgeBookings[site]++;
      surge[site] = extraShare;
    });
    sim.scheduleAt(Math.max(sim.now, to), () => {
      if (--this.surgeBookings[site] === 0) surge[site] = 0;
    });
  }

  /** Book a factory's ramp-up over [from, to). */
  bookRamp(factory: number, extraShare: number, from: number, to: number): void {
    const { sim } = this.w;
    this.rampBooked.push({ site: factory, extraShare, from, to });
    const ramp = this.parts.replenishment.factoryRamp;
    sim.scheduleAt(Math.max(sim.now, from), () => {
      this.rampBookings[factory]++;
      ramp[factory] = extraShare;
    });
    sim.scheduleAt(Math.max(sim.now, to), () => {
      if (--this.rampBookings[factory] === 0) ramp[factory] = 0;
    });
  }
  // ---- the pressure table ---------------------------------------------------------------------------

  private compose(): void {
    const { network, policy } = this.w;
    const nz = network.zones.length;
    const nch = network.channels.length;
    const nk = network.skuCount;
    const l1 = policy.dataPlatform;
    const l3 = policy.capacityLinkage;
    // The saturation throttle of each flow × SKU: the throttles of the sites it goes to, by share.
    const flowThrottle = new Float64Array(nz * nch * nk).fill(1);
    if (l3)
      for (let f = 0; f < nz * nch; f++)
        for (let k = 0; k < nk; k++) {
          let t = 0;
          let sum = 0;
          for (let s = 0; s < network.siteCount; s++) {
            const sh = this.view.share(f, k, s);
            t += sh * this.lines.siteThrottle[s];
            sum += sh;
          }
          if (sum > 0) flowThrottle[f * nk + k] = t / sum;
        }
    for (let c = 0; c < this.parts.rates.campaigns.length; c++)
      for (let z = 0; z < nz; z++)
        for (let ch = 0; ch < nch; ch++)
          for (let k = 0; k < nk; k++) {
            const i = this.indexOf(c, z, ch, k);
            let v = 1;
            if (l1) v *= this.platform.matchScale[i];
            const l3Factor = l3 ? this.reviewScale[i] * this.lines.skuThrottle[k] * flowThrottle[(z * nch + ch) * nk + k] : 1;
            this.l3Scale[i] = l3Factor;
            if (l3) v *= l3Factor;
            this.scale[i] = Math.min(MAX_PRESSURE_SCALE, Math.max(0, v));
          }
  }
}
