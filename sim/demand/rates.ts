// Demand intensity: orders per minute for each (zone or store, channel, SKU) at a sim time —
// baseline × intraday profile × day of week × calendar periods × campaign uplift (with an opening burst
// that decays) × surges × the policy's promotion pressure. Also an upper bound per local hour for thinning.
import type { Network } from "../network/network.ts";
import type { LocalClock } from "../network/clock.ts";

/** A campaign as the run sees it: times in sim minutes, mutable by campaign-change interventions. */
export interface ActiveCampaign {
  readonly id: string;
  readonly index: number;
  readonly submittedAt: number;
  start: number;
  end: number;
  uplift: number;
  pressure: number;
  /**
   * Marketing's push on its own plan while the campaign runs behind its target (sim/model/marketing.ts), in
   * [1, MAX_PRESSURE_SCALE]; part of the pressure marketing planned, so the levers' shift is counted against it.
   */
  push: number;
  readonly burstMultiplier: number;
  readonly burstHalfLifeMinutes: number;
  readonly discount: number;
  readonly targetUnits: number;
  /** Per SKU, the demand multiplier of the campaign's discount (price response; uplift is the non-price part). */
  readonly priceFactor: Float64Array;
  readonly channelMask: Uint8Array;
  /** zoneMask[z] = 1 when the campaign reaches zone z. */
  readonly zoneMask: Uint8Array;
  readonly skuMask: Uint8Array;
  readonly presale: null | {
    readonly balanceStart: number;
    readonly balanceEnd: number;
    readonly payFirstTwoHoursShare: number;
    readonly neverPayShare: number;
  };
}

/** A demand surge in force over [start, end). */
export interface Surge {
  readonly start: number;
  readonly end: number;
  readonly multiplier: number;
  readonly zoneMask: Uint8Array | null;
  readonly channelMask: Uint8Array | null;
  readonly skuMask: Uint8Array | null;
}

/**
 * Promotion pressure the policy applies to a campaign's push of one SKU in a zone and channel
 * (1 = as marketing planned). Must stay within [0, MAX_PRESSURE_SCALE].
 */
export type PressureScale = (campaign: ActiveCampaign, zone: number, channel: number, sku: number) => number;

// The bounds the thinning allows for live with the scenario schema, so validation's workload estimate
// (sim/scenario/check-workload.ts) and the model read one value.
import { MAX_PRESSURE_SCALE, MAX_REPEAT_FACTOR } from "../scenario/schema.ts";
export { MAX_PRESSURE_SCALE, MAX_REPEAT_FACTOR };

/** What the run feeds back into demand: the levers' promotion pressure and the satisfaction repeat factor. */
export interface DemandHooks {
  readonly pressureScale?: PressureScale;
  /** Repeat-purchase factor of a zone's online demand (zone >= 0), or of a store's walk-ins (zone −1, store >= 0). */
  readonly repeatFactor?: (zone: number, store: number) => number;
}

interface Period {
  start: number;
  end: number;
  multiplier: number;
  channelMask: Uint8Array | null;
}

/** Demand rates for one scenario run. */
export class DemandRates {
  readonly campaigns: ActiveCampaign[];
  readonly surges: Surge[] = [];
  private readonly periods: Period[];
  private readonly hourShape: Float64Array;
  private readonly dayOfWeek: readonly number[];
  /** Baseline per-minute rate per (zone, channel) before SKU mix; walk-in rows use store indices. */
  private readonly zoneChannelBase: Float64Array;
  private readonly storeWalkInBase: Float64Array;
  /** Share of order lines by SKU, per channel: skuMix[channel * skuCount + sku]. */
  private readonly skuMix: Float64Array;
  private readonly skuCount: number;
  /** The policy's promotion pressure (1 without one); replaceable, so a test can throttle one SKU. */
  pressureScale: PressureScale;
  /** The customer-satisfaction multiplier on a zone's online demand (1 without one). */
  private readonly repeatFactor: (zone: number, store: number) => number;

  constructor(
    private readonly network: Network,
    private readonly clock: LocalClock,
    campaigns: ActiveCampaign[],
    toMinutes: (local: string) => number,
    hooks: DemandHooks = {},
  ) {
    this.pressureScale = hooks.pressureScale ?? (() => 1);
    this.repeatFactor = hooks.repeatFactor ?? (() => 1);
    const { scenario } = network;
    const demand = scenario.demand;
    this.campaigns = campaigns;
    const profileSum = demand.hourlyProfile.reduce((a, b) => a + b, 0);
    this.hourShape = new Float64Array(24);
    for (let h = 0; h < 24; h++) this.hourShape[h] = profileSum > 0 ? (demand.hourlyProfile[h] * 24) / profileSum : 0;
    this.dayOfWeek = demand.dayOfWeek;
    this.periods = demand.periods.map((p) => ({
      start: toMinutes(p.start),
      end: toMinutes(p.end),
      multiplier: p.multiplier,
      channelMask: p.channels ? this.mask(network.channels.length, p.channels.map((c) => network.channelIndex.get(c)!)) : null,
    }));
    const nz = network.zones.length;
    const nc = network.channels.length;
    const weightSum = network.zones.reduce((a, z) => a + z.weight, 0);
    this.zoneChannelBase = new Float64Array(nz * nc);
    for (let z = 0; z < nz; z++)
      for (let c = 0; c < nc; c++) {
        const ch = network.channels[c];
        if (ch.kind !== "online") continue;
        this.zoneChannelBase[z * nc + c] = (demand.onlineOrdersPerDay * ch.share * (network.zones[z].weight / weightSum)) / 1440;
      }
    const stores = network.stores;
    const walkInWeights = stores.map((s) => {
      const site = network.sites[s];
      return site.type === "store" ? site.walkInWeight : 0;
    });
    const walkInSum = walkInWeights.reduce((a, b) => a + b, 0);
    this.storeWalkInBase = new Float64Array(network.siteCount);
    stores.forEach((s, i) => {
      this.storeWalkInBase[s] = walkInSum > 0 ? (demand.walkInPerDay * walkInWeights[i]) / walkInSum / 1440 : 0;
    });
    this.skuCount = network.skuCount;
    this.skuMix = new Float64Array(nc * network.skuCount);
    network.channels.forEach((ch, c) => {
      const mix = ch.skuMix ?? demand.skuMix;
      network.skus.forEach((s, k) => (this.skuMix[c * network.skuCount + k] = mix[s.id] ?? 0));
    });
  }

  private mask(n: number, indices: number[]): Uint8Array {
    const m = new Uint8Array(n);
    for (const i of indices) m[i] = 1;
    return m;
  }

  /** Baseline orders per minute of a (zone, channel) before SKU mix and multipliers, or of a walk-in store when `store >= 0`. */
  private baseRate(zone: number, store: number, channel: number): number {
    return store >= 0 ? this.storeWalkInBase[store] : this.zoneChannelBase[zone * this.network.channels.length + channel];
  }

  /**
   * Baseline orders per day of one SKU for a (zone, channel), or a walk-in store when `store >= 0`: the
   * scenario's stated volume before any calendar, campaign or feedback — the history a forecaster starts from.
   */
  baselinePerDay(zone: number, store: number, channel: number, sku: number): number {
    return this.baseRate(zone, store, channel) * 1440 * this.skuMix[channel * this.skuCount + sku];
  }

  /** Base multiplier common to every SKU at t: intraday shape × day of week × calendar periods. */
  private timeFactor(t: number, channel: number): number {
    let f = this.hourShape[this.clock.hourOfDay(t)] * this.dayOfWeek[this.clock.dayOfWeek(t)];
    for (const p of this.periods) if (t >= p.start && t < p.end && (!p.channelMask || p.channelMask[channel])) f *= p.multiplier;
    return f;
  }

  private surgeFactor(t: number, zone: number, channel: number, sku: number): number {
    let f = 1;
    for (const s of this.surges) {
      if (t < s.start || t >= s.end) continue;
      if (s.zoneMask && (zone < 0 || !s.zoneMask[zone])) continue;
      if (s.channelMask && !s.channelMask[channel]) continue;
      if (s.skuMask && !s.skuMask[sku]) continue;
      f *= s.multiplier;
    }
    return f;
  }

  /** The planned-pressure rate of the last `rateWithPlanned` call. */
  plannedRate = 0;

  /**
   * Per-minute order rate of one SKU for a (zone, channel) — or a walk-in store when `store >= 0`, zone −1 —
   * at t, under the policy's promotion pressure; and in `plannedRate` the rate at the pressure marketing
   * planned (without L1's matching or L3's throttle and review), from the same pass over the campaigns, so the
   * demand the levers shifted can be counted at almost no cost.
   */
  rateWithPlanned(t: number, zone: number, store: number, channel: number, sku: number): number {
    this.plannedRate = 0;
    const mix = this.skuMix[channel * this.skuCount + sku];
    if (mix === 0) return 0;
    const base = this.baseRate(zone, store, channel);
    if (base === 0) return 0;
    const common = base * this.timeFactor(t, channel) * this.repeatFactor(zone, store) * mix;
    let scaled = 1;
    let planned = 1;
    for (const c of this.campaigns) {
      if (t < c.start || t >= c.end || !c.channelMask[channel] || !c.skuMask[sku]) continue;
      if (zone >= 0 && !c.zoneMask[zone]) continue;
      const push = c.uplift - 1 + (c.burstMultiplier - 1) * (c.burstMultiplier > 1 ? Math.pow(2, -(t - c.start) / c.burstHalfLifeMinutes) : 0);
      // The discount is the price every customer sees: the levers' pressure scales marketing's push, not the price.
      const price = c.priceFactor[sku];
      // Marketing's own push applies to walk-ins too; the levers' scale to online demand, both within the thinning bound.
      const m = c.push;
      scaled *= price * Math.max(0, 1 + push * (c.pressure * (zone >= 0 ? Math.min(MAX_PRESSURE_SCALE, m * this.pressureScale(c, zone, channel, sku)) : m)));
      planned *= price * Math.max(0, 1 + push * (c.pressure * m));
    }
    const surge = this.surgeFactor(t, zone, channel, sku);
    this.plannedRate = common * planned * surge;
    return common * scaled * surge;
  }

  /**
   * Per-minute order rates of each SKU as planned: baseline × calendar × the campaigns submitted by
   * `knownAt`, at the pressure marketing set (with its push now) — without the policy's pressure scale, surges (unplanned) or
   * repeat-demand feedback. What a forecast built from the campaign plans expects (data platform, capacity
   * review). `exclude` leaves one more campaign out (what the plan brings without it). Written into `out`;
   * returns the sum.
   */
  plannedRates(t: number, zone: number, store: number, channel: number, out: Float64Array, knownAt = Infinity, exclude = -1): number {
    const base = this.baseRate(zone, store, channel);
    const common = base * this.timeFactor(t, channel);
    let sum = 0;
    const row = channel * this.skuCount;
    for (let k = 0; k < out.length; k++) {
      const mix = this.skuMix[row + k];
      let f = 1;
      if (mix !== 0 && common !== 0)
        for (const c of this.campaigns) {
          if (c.index === exclude || c.submittedAt > knownAt) continue;
          if (t < c.start || t >= c.end || !c.channelMask[channel] || !c.skuMask[k]) continue;
          if (zone >= 0 && !c.zoneMask[zone]) continue;
          const decay = c.burstMultiplier > 1 ? Math.pow(2, -(t - c.start) / c.burstHalfLifeMinutes) : 0;
          f *= c.priceFactor[k] * Math.max(0, 1 + (c.uplift - 1 + (c.burstMultiplier - 1) * decay) * (c.pressure * c.push));
        }
      const r = mix === 0 || common === 0 ? 0 : common * mix * f;
      out[k] = r;
      sum += r;
    }
    return sum;
  }

  /**
   * Upper bounds of each SKU's rate over [a, b) that hold for every policy, written into `out`; returns their
   * sum. Thinning draws a candidate's SKU from these bounds, so the SKU does not depend on the policy either.
   */
  bound(a: number, b: number, zone: number, store: number, channel: number, out: Float64Array): number {
    out.fill(0);
    const base = this.baseRate(zone, store, channel);
    if (base === 0) return 0;
    let periodMax = 1;
    for (const p of this.periods)
      if (p.start < b && p.end > a && (!p.channelMask || p.channelMask[channel])) periodMax *= Math.max(1, p.multiplier);
    const common = base * this.hourShape[this.clock.hourOfDay(a)] * this.dayOfWeek[this.clock.dayOfWeek(a)] * periodMax * MAX_REPEAT_FACTOR;
    let sum = 0;
    const row = channel * this.skuCount;
    for (let k = 0; k < this.skuCount; k++) {
      if (this.skuMix[row + k] === 0) continue;
      let f = 1;
      for (const c of this.campaigns) {
        if (c.start >= b || c.end <= a || !c.channelMask[channel] || !c.skuMask[k]) continue;
        if (zone >= 0 && !c.zoneMask[zone]) continue;
        const from = Math.max(a, c.start);
        const decay = c.burstMultiplier > 1 ? Math.pow(2, -(from - c.start) / c.burstHalfLifeMinutes) : 0;
        f *= Math.max(1, c.priceFactor[k]) * Math.max(1, 1 + (c.uplift - 1 + (c.burstMultiplier - 1) * decay) * c.pressure * MAX_PRESSURE_SCALE);
      }
      for (const s of this.surges) {
        if (s.start >= b || s.end <= a) continue;
        if (s.zoneMask && (zone < 0 || !s.zoneMask[zone])) continue;
        if (s.channelMask && !s.channelMask[channel]) continue;
        if (s.skuMask && !s.skuMask[k]) continue;
        f *= Math.max(1, s.multiplier);
      }
      sum += out[k] = common * this.skuMix[row + k] * f;
    }
    return sum;
  }
}
