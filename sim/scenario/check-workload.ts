// The workload check: how much work a valid-looking scenario asks for, estimated before anything
// runs, and refused past a limit the caller may raise. Each number has its own range in schema.ts;
// this check bounds what they add up to — demand × campaign uplift, bursts and price response × surges × calendar
// over the horizon, plus the model's own periodic events (pick waves, reviews, departures, samples).
// The estimate follows the arrival thinning bounds (sim/demand/rates.ts `bound`), because every
// thinning candidate is an event whether or not it becomes an order; it ignores zone filters and so
// errs high. Not here: field ranges (schema.ts) and cross-references (check-references.ts).
import { localFields, localWallMs, minutesBetween } from "../engine/local-time.ts";
import { priceElasticityOf, priceResponse } from "./price.ts";
import type { PathProblem } from "./problems.ts";
import { MAX_PRESSURE_SCALE, MAX_REPEAT_FACTOR, type Scenario } from "./schema.ts";

/** Most expected customers (online orders and walk-ins, counted as thinning candidates) a run may have unless the caller raises it. */
export const DEFAULT_MAX_ORDERS = 2_000_000;
/** Events a run may have per allowed order: arrivals, picks, deliveries, returns and the periodic events. */
export const EVENTS_PER_ALLOWED_ORDER = 5;
/** Most time-series rows a run may keep (one per timeseriesIntervalMinutes). */
export const MAX_TIMESERIES_ROWS = 500_000;

/** What a scenario is expected to cost to run. */
export interface WorkloadEstimate {
  /** Expected customers over the horizon (online orders and walk-ins, as thinning candidates). */
  orders: number;
  /** Expected events: about three per customer plus the periodic events. */
  events: number;
  /** Time-series rows the run keeps. */
  timeseriesRows: number;
}

// Must match the model (sim/model): pick waves every 10 minutes at every non-factory site, the
// coordination round every hour and about three events per customer (arrival, pick, hand-over). The
// satisfaction feedback's largest lift and the policy's largest pressure scale are the schema's bounds,
// which the model's thinning reads too.
const PICK_WAVE_MINUTES = 10;
const COORDINATION_TICK_MINUTES = 60;
const EVENTS_PER_ORDER = 3;
// Past this many (segment × channel × SKU × modifier) steps the estimate stops looking at SKU and
// channel filters and applies every campaign and surge to all demand: still an upper bound, and the
// check itself stays fast on a huge file.
const MAX_DETAILED_STEPS = 20_000_000;
const MINUTES_PER_DAY = 1440;

interface Window {
  start: number;
  end: number;
}

/** Estimate the work of a valid scenario (shape and calendar already checked). */
export function estimateWorkload(scenario: Scenario): WorkloadEstimate {
  const horizon = scenario.horizonDays * MINUTES_PER_DAY;
  const toMinutes = (local: string): number => minutesBetween(scenario.start, local);
  const start = localFields(scenario.start)!;
  const startMinuteOfDay = start.hour * 60 + start.minute;
  const startDayOfWeek = new Date(localWallMs(scenario.start.slice(0, 10))).getUTCDay();
  const { demand, channels, skus } = scenario;

  const profileSum = demand.hourlyProfile.reduce((a, b) => a + b, 0);
  const hourShape = demand.hourlyProfile.map((w) => (profileSum > 0 ? (w * 24) / profileSum : 0));
  const stores = scenario.sites.filter((s) => s.type === "store");
  const walkInReach = stores.some((s) => s.type === "store" && s.walkInWeight > 0) ? 1 : 0;
  // Per-minute base rate of each channel before the calendar, summed over zones or stores.
  const base = channels.map((c) =>
    // Customers remember at the stores too: walk-ins carry the satisfaction lift's bound like online orders.
    c.kind === "online" ? (demand.onlineOrdersPerDay * c.share * MAX_REPEAT_FACTOR) / MINUTES_PER_DAY : (demand.walkInPerDay * walkInReach * MAX_REPEAT_FACTOR) / MINUTES_PER_DAY,
  );
  const mix = channels.map((c) => skus.map((s) => (c.skuMix ?? demand.skuMix)[s.id] ?? 0));
  const channelIndex = new Map(channels.map((c, i) => [c.id, i]));
  const skuIndex = new Map(skus.map((s, i) => [s.id, i]));
  const maskOf = (ids: readonly string[] | undefined, index: Map<string, number>, n: number): Uint8Array | null => {
    if (ids === undefined) return null;
    const mask = new Uint8Array(n);
    for (const id of ids) mask[index.get(id) ?? 0] = 1;
    return mask;
  };

  const periods = demand.periods.map((p) => ({ start: toMinutes(p.start), end: toMinutes(p.end), multiplier: Math.max(1, p.multiplier), channels: maskOf(p.channels, channelIndex, channels.length) }));
  // Campaign-change interventions can raise a campaign's uplift or pressure or move its end: take the largest.
  const campaigns = scenario.campaigns.map((c) => {
    let uplift = c.uplift;
    let pressure = c.pressure;
    let end = toMinutes(c.end);
    for (const i of scenario.interventions) {
      if (i.type !== "campaign-change" || i.campaign !== c.id) continue;
      uplift = Math.max(uplift, i.uplift ?? 0);
      pressure = Math.max(pressure, i.pressure ?? 0);
      if (i.end !== undefined) end = Math.max(end, toMinutes(i.end));
    }
    return {
      start: toMinutes(c.start),
      end,
      uplift,
      pressure,
      burst: c.burst?.multiplier ?? 1,
      halfLife: c.burst?.halfLifeMinutes ?? 1,
      channels: maskOf(c.channels, channelIndex, channels.length),
      skus: maskOf(c.skus, skuIndex, skus.length),
      // The discount's price response per SKU (1 where the campaign does not apply), and its largest.
      price: skus.map((s) => (c.skus.includes(s.id) ? priceResponse(c.discount, priceElasticityOf(s)) : 1)),
    };
  });
  const surges = scenario.interventions.flatMap((i) =>
    i.type === "demand-surge"
      ? [{ start: toMinutes(i.at), end: toMinutes(i.at) + i.durationHours * 60, multiplier: Math.max(1, i.multiplier), channels: maskOf(i.channels, channelIndex, channels.length), skus: maskOf(i.skus, skuIndex, skus.length) }]
      : [],
  );
  const overlaps = (w: Window, a: number, b: number): boolean => w.start < b && w.end > a;
  const campaignFactor = (c: (typeof campaigns)[number], a: number): number => {
    const decay = c.burst > 1 ? Math.pow(2, -(Math.max(a, c.start) - c.start) / c.halfLife) : 0;
    return Math.max(1, 1 + (c.uplift - 1 + (c.burst - 1) * decay) * c.pressure * MAX_PRESSURE_SCALE);
  };
  const segments = Math.ceil(horizon / 60) + 1;
  const detailed = segments * channels.length * skus.length * Math.max(1, campaigns.length + surges.length) <= MAX_DETAILED_STEPS;

  let orders = 0;
  for (let a = 0; a < horizon; ) {
    const minute = (((a + startMinuteOfDay) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    const b = Math.min(horizon, a + 60 - (minute % 60));
    const day = Math.floor((a + startMinuteOfDay) / MINUTES_PER_DAY);
    const time = hourShape[Math.floor(minute / 60)] * demand.dayOfWeek[(((startDayOfWeek + day) % 7) + 7) % 7];
    const activeCampaigns = campaigns.filter((c) => overlaps(c, a, b));
    const activeSurges = surges.filter((s) => overlaps(s, a, b));
    let rate = 0;
    for (let c = 0; c < channels.length; c++) {
      if (base[c] === 0) continue;
      let common = base[c] * time;
      for (const p of periods) if (overlaps(p, a, b) && (p.channels === null || p.channels[c])) common *= p.multiplier;
      if (activeCampaigns.length + activeSurges.length === 0) {
        rate += common;
        continue;
      }
      if (!detailed) {
        let f = 1;
        for (const campaign of activeCampaigns) f *= campaignFactor(campaign, a) * Math.max(1, ...campaign.price);
        for (const s of activeSurges) f *= s.multiplier;
        rate += common * f;
        continue;
      }
      for (let k = 0; k < skus.length; k++) {
        if (mix[c][k] === 0) continue;
        let f = 1;
        for (const campaign of activeCampaigns) if (campaign.channels?.[c] && campaign.skus?.[k]) f *= campaignFactor(campaign, a) * Math.max(1, campaign.price[k]);
        for (const s of activeSurges) if ((s.channels === null || s.channels[c]) && (s.skus === null || s.skus[k])) f *= s.multiplier;
        rate += common * mix[c][k] * f;
      }
    }
    orders += rate * (b - a);
    a = b;
  }

  const timeseriesRows = Math.floor(horizon / scenario.timeseriesIntervalMinutes) + 1;
  let periodic = timeseriesRows + horizon / COORDINATION_TICK_MINUTES;
  for (const site of scenario.sites) {
    if (site.type === "factory") periodic += scenario.horizonDays + 1;
    else periodic += horizon / PICK_WAVE_MINUTES + horizon / (site.replenishment.reviewHours * 60);
  }
  for (const lane of scenario.lanes) periodic += lane.departures.length * (scenario.horizonDays + 1);
  return { orders, events: orders * EVENTS_PER_ORDER + periodic, timeseriesRows };
}

/** Refuse a scenario whose estimated work is past the limits; `maxOrders` raises the order limit (and the event limit with it). */
export function checkWorkload(scenario: Scenario, maxOrders = DEFAULT_MAX_ORDERS): PathProblem[] {
  const estimate = estimateWorkload(scenario);
  const out: PathProblem[] = [];
  const maxEvents = maxOrders * EVENTS_PER_ALLOWED_ORDER;
  const over = `over ${scenario.horizonDays} day${scenario.horizonDays === 1 ? "" : "s"}`;
  const raise = "or raise the limit if you mean it (omnitwin --max-orders N; maxOrders when creating a live session)";
  if (!(estimate.orders <= maxOrders)) {
    out.push({
      path: ["demand"],
      message: `the run would have about ${count(estimate.orders)} customers (orders and walk-ins, with campaign uplift, bursts and surges) ${over}; the limit is ${count(maxOrders)}. Lower onlineOrdersPerDay, walkInPerDay, the uplifts or multipliers, or shorten horizonDays, ${raise}`,
    });
  } else if (!(estimate.events <= maxEvents)) {
    out.push({
      path: [],
      message: `the run would have about ${count(estimate.events)} events ${over} (pick waves every ${PICK_WAVE_MINUTES} minutes at each of ${scenario.sites.length} sites, reviews, departures, time-series rows and about ${EVENTS_PER_ORDER} per customer); the limit is ${count(maxEvents)} (${EVENTS_PER_ALLOWED_ORDER} per allowed order). Use fewer sites or a shorter horizonDays, ${raise}`,
    });
  }
  if (estimate.timeseriesRows > MAX_TIMESERIES_ROWS) {
    out.push({
      path: ["timeseriesIntervalMinutes"],
      message: `${scenario.timeseriesIntervalMinutes} minutes between rows makes ${count(estimate.timeseriesRows)} time-series rows ${over}; the limit is ${count(MAX_TIMESERIES_ROWS)}, so use at least ${Math.ceil((scenario.horizonDays * MINUTES_PER_DAY) / MAX_TIMESERIES_ROWS)} minutes`,
    });
  }
  return out;
}

/** A count for a message: 12,345 or 1.2e+15. */
function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n < 1e12 ? Math.round(n).toLocaleString("en-US") : n.toExponential(1);
}

