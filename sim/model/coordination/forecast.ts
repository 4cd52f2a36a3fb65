// The data platform's demand forecast (levers L1 and L3): what it expects each flow (an online zone ×
// channel, or a store's walk-in channel) to order of each SKU, per minute at a time. "observed" (the
// default) learns it from what the platform can see — pooled sales of every channel so far, smoothed, and
// the campaign plans it has been sent (dates, channels, zones, SKUs and marketing's targetUnits), corrected
// each local midnight by what a running campaign has sold against its plan (demand sensing); "oracle"
// reads the demand generator's own planned rates (an upper bound for studies, labelled in every output).
// Both plan order lines: with baskets, customer orders become lines through the basket distribution.
// No random draws: the forecast's error comes from the method alone.
import type { ActiveCampaign, DemandRates } from "../../demand/rates.ts";
import { basketLineMatrix } from "../orders/customer-choice.ts";
import type { World } from "../world.ts";

/** Which forecast the platform plans on. */
export type ForecastMode = "observed" | "oracle";

/** A day's baseline is learnt only when at least this share of it (by the intraday profile) was outside campaigns. */
const MIN_DAY_WEIGHT = 0.25;

/** Whether campaign c, its plan known by `knownAt`, runs at t for a SKU in a flow's channel and zone (−1: a store's walk-ins). */
function covers(c: ActiveCampaign, t: number, knownAt: number, channel: number, zone: number, sku: number): boolean {
  return c.submittedAt <= knownAt && t >= c.start && t < c.end && c.channelMask[channel] !== 0 && c.skuMask[sku] !== 0 && (zone < 0 || c.zoneMask[zone] !== 0);
}

/** The flows of the platform view, as the forecast needs them. */
export interface ForecastFlows {
  readonly flowCount: number;
  readonly zoneCount: number;
  readonly channelCount: number;
  isActive(flow: number): boolean;
}

/** One run's platform forecast. */
export class DemandForecast {
  readonly mode: ForecastMode;
  /** Bumped whenever the learnt baseline changes (a table built from the forecast is stale then). */
  version = 0;
  private readonly nk: number;
  /** Smoothed baseline orders per day (day-of-week 1, no campaign) per flow × SKU. */
  private readonly level: Float64Array;
  /** Orders seen today outside known campaigns, and the share of a baseline day those hours make up. */
  private readonly count: Float64Array;
  private readonly weight: Float64Array;
  /** 1 where a known campaign covers the flow × SKU in the current hour. */
  private readonly inCampaign: Uint8Array;
  private hour = 0;
  private readonly hourShape: Float64Array;
  private readonly alpha: number;
  /** Per campaign, the lift its plan implies over the learnt baseline (marketing's target ÷ baseline units); NaN = not worked out yet. */
  private readonly lift: Float64Array;
  private liftVersion = -1;
  private liftsStale = true;
  /** Orders seen this hour in each flow × SKU a known campaign covers. */
  private readonly campaignCount: Float64Array;
  /** Per campaign × SKU: orders seen in its hours so far, and orders its plan (uncorrected) expected there (split among overlapping campaigns). */
  private readonly campaignSeen: Float64Array;
  private readonly campaignPlanned: Float64Array;
  /** Per campaign × SKU, the correction of its planned lift learnt from its sales (1 until it has run). */
  private readonly correction: Float64Array;
  private readonly learningOrders: number;
  /** Scratch: the campaigns running in one cell this hour. */
  private readonly running: Int32Array;
  /**
   * With baskets, expected lines of each SKU per customer order by channel and first SKU
   * (customer-choice.ts basketLineMatrix): the platform plans order lines, as it observes them, while the
   * scenario's volumes and the generator's rates count customer orders by their first line. Null without.
   */
  private readonly lines: Float64Array | null;
  private readonly scratch: Float64Array;
  /** hourWeight / 60 at each hour's midpoint (NaN: not worked out yet). */
  private baseByHour = new Float64Array(0);

  constructor(
    private readonly w: World,
    private readonly rates: DemandRates,
    private readonly flows: ForecastFlows,
  ) {
    const { network, scenario } = w;
    this.mode = scenario.levers.dataPlatform.forecast;
    this.alpha = scenario.levers.dataPlatform.smoothingPerDay;
    this.nk = network.skuCount;
    const n = flows.flowCount * this.nk;
    this.level = new Float64Array(n);
    this.count = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.inCampaign = new Uint8Array(n);
    const profile = scenario.demand.hourlyProfile;
    const sum = profile.reduce((a, b) => a + b, 0);
    this.hourShape = Float64Array.from(profile, (x) => (sum > 0 ? (x * 24) / sum : 0));
    this.lift = new Float64Array(rates.campaigns.length).fill(Number.NaN);
    this.campaignCount = new Float64Array(n);
    this.campaignSeen = new Float64Array(rates.campaigns.length * this.nk);
    this.campaignPlanned = new Float64Array(rates.campaigns.length * this.nk);
    this.correction = new Float64Array(rates.campaigns.length * this.nk).fill(1);
    this.learningOrders = scenario.levers.dataPlatform.campaignLearningOrders;
    this.running = new Int32Array(rates.campaigns.length);
    this.lines = basketLineMatrix(network, scenario);
    this.scratch = new Float64Array(this.nk);
    for (let f = 0; f < flows.flowCount; f++) {
      if (!flows.isActive(f)) continue;
      const { zone, store, channel } = this.flowParts(f);
      const level = this.level.subarray(f * this.nk, (f + 1) * this.nk);
      for (let k = 0; k < this.nk; k++) level[k] = rates.baselinePerDay(zone, store, channel, k);
      if (store < 0) this.toLines(channel, level);
    }
    this.openHour();
  }

  /**
   * Customer orders of an online flow on `channel`, per SKU of their first line, turned in place into the
   * order lines of each SKU they bring (unchanged without baskets); returns the lines.
   */
  private toLines(channel: number, perSku: Float64Array): number {
    const nk = this.nk;
    let sum = 0;
    if (this.lines === null) {
      for (let k = 0; k < nk; k++) sum += perSku[k];
      return sum;
    }
    const lines = this.scratch.fill(0);
    for (let j = 0; j < nk; j++) {
      const orders = perSku[j];
      if (orders === 0) continue;
      const row = (channel * nk + j) * nk;
      for (let k = 0; k < nk; k++) lines[k] += orders * this.lines[row + k];
    }
    for (let k = 0; k < nk; k++) sum += perSku[k] = lines[k];
    return sum;
  }

  private flowParts(f: number): { zone: number; store: number; channel: number } {
    const { zoneCount, channelCount } = this.flows;
    const online = f < zoneCount * channelCount;
    return {
      channel: f % channelCount,
      zone: online ? Math.floor(f / channelCount) : -1,
      store: online ? -1 : Math.floor(f / channelCount) - zoneCount,
    };
  }

  /** Share of a baseline day's orders that fall in the local hour starting at sim minute t. */
  private hourWeight(t: number): number {
    const { clock, scenario } = this.w;
    return (this.hourShape[clock.hourOfDay(t)] * scenario.demand.dayOfWeek[clock.dayOfWeek(t)]) / 24;
  }

  /** A customer of a flow asked for a SKU at t (every accepted customer, whatever the policy: sales records exist anyway). */
  seen(flow: number, sku: number, t: number): void {
    if (this.mode === "oracle") return;
    this.advance(t);
    const i = flow * this.nk + sku;
    if (!this.inCampaign[i]) this.count[i]++;
    else this.campaignCount[i]++;
  }

  /** Take in the hours that have passed up to t. */
  advance(t: number): void {
    if (this.mode === "oracle") return;
    const h = Math.floor(t / 60);
    while (this.hour < h) {
      this.closeHour();
      this.hour++;
      this.openHour();
    }
  }

  private closeHour(): void {
    const { clock } = this.w;
    const start = this.hour * 60;
    const wt = this.hourWeight(start);
    for (let i = 0; i < this.weight.length; i++) if (!this.inCampaign[i]) this.weight[i] += wt;
    this.closeCampaignHour(start, wt);
    if (clock.dayIndex(start + 60) === clock.dayIndex(start)) return;
    // A local day is over: smooth its baseline sales into the level, and correct running campaigns' lifts.
    const a = this.alpha;
    let changed = this.learnCampaigns();
    for (let i = 0; i < this.level.length; i++) {
      if (this.weight[i] >= MIN_DAY_WEIGHT) {
        this.level[i] = a * (this.count[i] / this.weight[i]) + (1 - a) * this.level[i];
        changed = true;
      }
      this.count[i] = 0;
      this.weight[i] = 0;
    }
    if (changed) this.version++;
  }

  /**
   * The hour starting at `start` is over: each campaign cell's orders against what the plan expected there
   * (learnt level × the hour's weight × the planned lifts), shared among the campaigns running in the cell.
   */
  private closeCampaignHour(start: number, weight: number): void {
    const t = start + 30;
    this.updateLifts();
    const { zoneCount, channelCount, flowCount } = this.flows;
    const nk = this.nk;
    const campaigns = this.rates.campaigns;
    const running = this.running;
    for (let f = 0; f < flowCount; f++) {
      const channel = f % channelCount;
      const zone = f < zoneCount * channelCount ? Math.floor(f / channelCount) : -1;
      for (let k = 0; k < nk; k++) {
        const i = f * nk + k;
        if (!this.inCampaign[i]) continue;
        let planned = this.level[i] * weight;
        let m = 0;
        for (const c of campaigns)
          if (covers(c, t, t, channel, zone, k)) {
            planned *= this.liftOf(c.index);
            running[m++] = c.index;
          }
        for (let j = 0; j < m; j++) {
          this.campaignSeen[running[j] * nk + k] += this.campaignCount[i] / m;
          this.campaignPlanned[running[j] * nk + k] += planned / m;
        }
        this.campaignCount[i] = 0;
      }
    }
  }

  /** A local midnight: each campaign that has run corrects its lift, SKU by SKU, by what it sold against its plan. Returns whether any moved. */
  private learnCampaigns(): boolean {
    let changed = false;
    const n0 = this.learningOrders;
    for (let c = 0; c < this.correction.length; c++) {
      if (this.campaignPlanned[c] <= 0 && this.campaignSeen[c] <= 0) continue;
      const x = (n0 + this.campaignSeen[c]) / (n0 + this.campaignPlanned[c]);
      if (x !== this.correction[c]) {
        this.correction[c] = x;
        changed = true;
      }
    }
    return changed;
  }

  /** Mark the flow × SKUs a known campaign covers this hour (their sales do not teach the baseline). */
  private openHour(): void {
    const t = this.hour * 60 + 30;
    const { zoneCount, channelCount } = this.flows;
    this.inCampaign.fill(0);
    for (const c of this.rates.campaigns) {
      if (c.submittedAt > t || t < c.start || t >= c.end) continue;
      for (let f = 0; f < this.flows.flowCount; f++) {
        if (!this.flows.isActive(f) || !c.channelMask[f % channelCount]) continue;
        if (f < zoneCount * channelCount && !c.zoneMask[Math.floor(f / channelCount)]) continue;
        for (let k = 0; k < this.nk; k++) if (c.skuMask[k]) this.inCampaign[f * this.nk + k] = 1;
      }
    }
  }

  /**
   * Forecast orders per minute of each SKU of one flow at t, from the campaign plans known at `knownAt`,
   * `exclude` left out (−1: none); written into `out`, returns the sum.
   */
  ratesAt(t: number, flow: number, out: Float64Array, knownAt: number, exclude = -1): number {
    const { zone, store, channel } = this.flowParts(flow);
    if (this.mode === "oracle") {
      const orders = this.rates.plannedRates(t, zone, store, channel, out, knownAt, exclude);
      return store < 0 ? this.toLines(channel, out) : orders;
    }
    this.advance(this.w.sim.now);
    this.updateLifts();
    const base = this.hourWeight(t) / 60;
    let sum = 0;
    for (let k = 0; k < this.nk; k++) {
      let f = this.level[flow * this.nk + k] * base;
      if (f !== 0) {
        let corrected = 1;
        let m = 0;
        for (const c of this.rates.campaigns) {
          if (c.index === exclude || !covers(c, t, knownAt, channel, zone, k)) continue;
          f *= this.lift[c.index];
          corrected *= this.correction[c.index * this.nk + k];
          m++;
        }
        if (m > 0 && corrected !== 1) f *= m === 1 ? corrected : Math.pow(corrected, 1 / m);
      }
      out[k] = f;
      sum += f;
    }
    return sum;
  }

  /**
   * Add one flow's forecast orders of each SKU, hour by hour from `fromHour` to `toHour`, into running totals
   * (observed mode): `table[(flow · hours + h + 1) · nk + k]` = the hour before's + the hour's orders,
   * the hour's rate taken at its midpoint as ratesAt gives it, plans known at `knownAt`. The same numbers
   * as calling ratesAt hour by hour, without its per-call overhead (the platform view's table rebuild).
   */
  fillHours(flow: number, fromHour: number, toHour: number, table: Float64Array, hours: number, knownAt: number): void {
    const nk = this.nk;
    const { channel, zone } = this.flowParts(flow);
    this.advance(this.w.sim.now);
    this.updateLifts();
    const known = this.rates.campaigns.filter((c) => c.submittedAt <= knownAt && c.channelMask[channel] && (zone < 0 || c.zoneMask[zone]));
    // Hour h is in a campaign when its midpoint h·60 + 30 is: from hour ⌈(start − 30)/60⌉ to before ⌈(end − 30)/60⌉.
    const first = known.map((c) => Math.ceil((c.start - 30) / 60));
    const last = known.map((c) => Math.ceil((c.end - 30) / 60));
    for (let h = fromHour; h < toHour; h++) this.baseAtHour(h);
    const base = this.baseByHour;
    const lifts: number[][] = Array.from({ length: nk }, () => []);
    const factor = new Float64Array(nk);
    for (let h = fromHour; h < toHour; ) {
      // The campaigns running are the same until the next start or end: one set of lifts per SKU for the stretch.
      let end = toHour;
      for (let j = 0; j < known.length; j++) {
        if (first[j] > h) end = Math.min(end, first[j]);
        else if (last[j] > h) end = Math.min(end, last[j]);
      }
      let running = false;
      for (let k = 0; k < nk; k++) {
        lifts[k].length = 0;
        let corrected = 1;
        for (let j = 0; j < known.length; j++) {
          const c = known[j];
          if (h < first[j] || h >= last[j] || !c.skuMask[k]) continue;
          lifts[k].push(this.lift[c.index]);
          corrected *= this.correction[c.index * nk + k];
        }
        const m = lifts[k].length;
        factor[k] = m > 0 && corrected !== 1 ? (m === 1 ? corrected : Math.pow(corrected, 1 / m)) : 1;
        if (m > 0) running = true;
      }
      for (; h < end; h++) {
        const row = (flow * hours + h) * nk;
        const next = row + nk;
        const b = base[h];
        for (let k = 0; k < nk; k++) {
          let f = this.level[flow * nk + k] * b;
          if (running && f !== 0) {
            const ls = lifts[k];
            for (let j = 0; j < ls.length; j++) f *= ls[j];
            if (factor[k] !== 1) f *= factor[k];
          }
          table[next + k] = table[row + k];
          table[next + k] += f * 60;
        }
      }
    }
  }

  /** hourWeight at the midpoint of hour h, per minute (cached: it depends on the calendar only). */
  private baseAtHour(h: number): number {
    if (h >= this.baseByHour.length) {
      const grown = new Float64Array(Math.max(h + 1, this.baseByHour.length * 2)).fill(Number.NaN);
      grown.set(this.baseByHour);
      this.baseByHour = grown;
    }
    let b = this.baseByHour[h];
    if (Number.isNaN(b)) b = this.baseByHour[h] = this.hourWeight(h * 60 + 30) / 60;
    return b;
  }

  /**
   * Each known campaign's lift: marketing's targetUnits over the units the learnt baseline gives its
   * channels, zones and SKUs over its hours (at least 1 — a campaign is not planned to sell less).
   */
  private updateLifts(): void {
    if (this.liftVersion === this.version && !this.liftsStale) return;
    this.liftVersion = this.version;
    this.liftsStale = false;
    const now = this.w.sim.now;
    const { zoneCount, channelCount, flowCount } = this.flows;
    const unitsPerOrder = this.w.scenario.demand.unitsPerOrder.mean;
    for (const c of this.rates.campaigns) {
      if (c.submittedAt > now) continue;
      let dayShare = 0;
      for (let t = Math.floor(c.start / 60) * 60; t < c.end; t += 60) {
        const a = Math.max(t, c.start);
        const b = Math.min(t + 60, c.end);
        dayShare += (this.hourWeight(t) * (b - a)) / 60;
      }
      let perDay = 0;
      for (let f = 0; f < flowCount; f++) {
        if (!this.flows.isActive(f) || !c.channelMask[f % channelCount]) continue;
        if (f < zoneCount * channelCount && !c.zoneMask[Math.floor(f / channelCount)]) continue;
        for (let k = 0; k < this.nk; k++) if (c.skuMask[k]) perDay += this.level[f * this.nk + k];
      }
      const baselineUnits = perDay * dayShare * unitsPerOrder;
      this.lift[c.index] = baselineUnits > 0 ? Math.max(1, c.targetUnits / baselineUnits) : 1;
    }
  }

  /** The campaign plans changed (one submitted, or moved by an intervention): work the lifts out again. */
  plansChanged(): void {
    this.liftsStale = true;
  }

  /** The lift the platform plans a campaign on (1 before it is known; the oracle plans on the generator's rates). */
  liftOf(campaign: number): number {
    const x = this.lift[campaign];
    return Number.isNaN(x) ? 1 : x;
  }
}
