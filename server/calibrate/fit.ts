// Fitting a scenario's demand to an order history, by Poisson maximum likelihood: the base rate, weekday
// and hour-of-day profiles (iterative proportional fitting of rate × weekday × hour over the hours no
// campaign touches, the scenario's demand periods taken as known), zone weights and channel shares (with
// each zone × channel rate and a test of whether zone and channel are independent, as the scenario
// assumes), SKU mixes, and each campaign's uplift (observed / expected orders in its window). Every
// parameter has a 95% interval (normal approximation to the Poisson or binomial). Pure: no I/O.
import { campaignPriceFactor, type Scenario } from "../../sim/index.ts";
import { activeCampaigns, addDays, periodMultiplier, weekday, type Order } from "./history.ts";

const Z = 1.959964;
/** Rounds of iterative proportional fitting (converged to well below the intervals' width by then). */
const ITERATIONS = 200;

/** A fitted parameter: estimate and 95% interval. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

/** Observed vs fitted counts over some bins, and Pearson's χ². */
export interface FitCheck {
  bins: Array<{ bin: string; observed: number; fitted: number }>;
  chiSquare: number;
  degreesOfFreedom: number;
}

/** What calibration finds. */
export interface Calibration {
  days: { first: string; last: string; count: number };
  orders: number;
  onlineOrdersPerDay: Estimate;
  dayOfWeek: Estimate[];
  hourlyProfile: Estimate[];
  zoneShare: Record<string, Estimate>;
  channelShare: Record<string, Estimate>;
  /** Orders per day of each zone × channel (outside campaigns), and the χ² test of independence. */
  zoneChannelPerDay: Record<string, Record<string, Estimate>>;
  independence: { chiSquare: number; degreesOfFreedom: number };
  skuMix: Record<string, Estimate>;
  channelSkuMix: Record<string, Record<string, Estimate>>;
  campaignUplift: Record<string, Estimate & { observed: number; expectedWithout: number }>;
  perDay: FitCheck;
  perHour: FitCheck;
}

function share(count: number, total: number): Estimate {
  const p = total > 0 ? count / total : 0;
  const half = total > 0 ? Z * Math.sqrt((p * (1 - p)) / total) : 0;
  return { value: p, lo: Math.max(0, p - half), hi: Math.min(1, p + half) };
}

function poissonScaled(value: number, count: number): Estimate {
  const half = count > 0 ? (Z * value) / Math.sqrt(count) : 0;
  return { value, lo: Math.max(0, value - half), hi: value + half };
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

/** Calibrate `scenario`'s demand to `orders` (which must be non-empty). */
export function calibrate(scenario: Scenario, orders: readonly Order[]): Calibration {
  if (orders.length === 0) throw new RangeError("no orders to calibrate to");
  const first = orders.reduce((m, o) => (o.time < m ? o.time : m), orders[0].time).slice(0, 10);
  const last = orders.reduce((m, o) => (o.time > m ? o.time : m), orders[0].time).slice(0, 10);
  const dates: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  const online = scenario.channels.filter((c) => c.kind === "online").map((c) => c.id);
  const zones = scenario.zones.map((z) => z.id);
  const hourOf = (time: string) => Number(time.slice(11, 13));
  const slot = (time: string) => time.slice(0, 13);
  const touched = (time: string) => zones.some((z) => online.some((c) => activeCampaigns(scenario, time, z, c).length > 0));

  // Base orders (no campaign active anywhere in that hour), as a day × hour grid, with each hour's demand-period factor.
  const baseOrders = orders.filter((o) => !touched(`${slot(o.time)}:00`));
  const grid = dates.map(() => new Array<number>(24).fill(0));
  const dayIndex = new Map(dates.map((d, i) => [d, i]));
  for (const o of baseOrders) grid[dayIndex.get(o.time.slice(0, 10))!][hourOf(o.time)]++;
  const open = dates.map((d) => Array.from({ length: 24 }, (_, h) => !touched(`${d}T${String(h).padStart(2, "0")}:00`)));
  const periodShare = (d: string, h: number) => online.reduce((s, c) => s + (scenario.channels.find((x) => x.id === c)!.share * periodMultiplier(scenario, `${d}T${String(h).padStart(2, "0")}:00`, c)), 0);

  let rate = baseOrders.length / Math.max(1, dates.length);
  const dow = new Array<number>(7).fill(1);
  const hours = new Array<number>(24).fill(1 / 24);
  const expected = (i: number, h: number) => (open[i][h] ? rate * dow[weekday(dates[i])] * hours[h] * periodShare(dates[i], h) : 0);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    for (let h = 0; h < 24; h++) {
      let o = 0;
      let e = 0;
      dates.forEach((_, i) => ((o += grid[i][h]), (e += expected(i, h) / hours[h])));
      hours[h] = e > 0 ? o / e : 0;
    }
    const hourSum = hours.reduce((s, x) => s + x, 0);
    hours.forEach((x, h) => (hours[h] = x / hourSum));
    for (let w = 0; w < 7; w++) {
      let o = 0;
      let e = 0;
      dates.forEach((d, i) => {
        if (weekday(d) !== w) return;
        for (let h = 0; h < 24; h++) ((o += grid[i][h]), (e += expected(i, h) / dow[w]));
      });
      dow[w] = e > 0 ? o / e : 1;
    }
    const dowMean = dow.reduce((s, x) => s + x, 0) / 7;
    dow.forEach((x, w) => (dow[w] = x / dowMean));
    let e = 0;
    dates.forEach((_, i) => {
      for (let h = 0; h < 24; h++) e += expected(i, h) / rate;
    });
    rate = baseOrders.length / e;
  }
  const byWeekday = countBy(baseOrders, (o) => String(weekday(o.time.slice(0, 10))));
  const byHour = countBy(baseOrders, (o) => String(hourOf(o.time)));

  // Mixes: zone and channel shares and the zone × channel rates over base hours; SKU mixes over all orders.
  const baseDays = open.reduce((s, day) => s + day.filter(Boolean).length, 0) / 24;
  const zoneCounts = countBy(baseOrders, (o) => o.zone);
  const channelCounts = countBy(baseOrders, (o) => o.channel);
  const cellCounts = countBy(baseOrders, (o) => `${o.zone}\u0000${o.channel}`);
  let chi = 0;
  const zoneChannelPerDay: Calibration["zoneChannelPerDay"] = {};
  for (const z of zones) {
    zoneChannelPerDay[z] = {};
    for (const c of online) {
      const n = cellCounts.get(`${z}\u0000${c}`) ?? 0;
      zoneChannelPerDay[z][c] = poissonScaled(n / baseDays, n);
      const e = ((zoneCounts.get(z) ?? 0) * (channelCounts.get(c) ?? 0)) / baseOrders.length;
      if (e > 0) chi += (n - e) ** 2 / e;
    }
  }
  const skuCounts = countBy(orders, (o) => o.sku);
  const channelSkuMix: Calibration["channelSkuMix"] = {};
  for (const c of online) {
    const mine = orders.filter((o) => o.channel === c);
    const counts = countBy(mine, (o) => o.sku);
    channelSkuMix[c] = Object.fromEntries(scenario.skus.map((s) => [s.id, share(counts.get(s.id) ?? 0, mine.length)]));
  }

  // Campaign uplift: orders in the campaign's window, channels and zones, against the fitted base without it.
  const zoneShare = (z: string) => (zoneCounts.get(z) ?? 0) / baseOrders.length;
  const channelShareOf = (c: string) => (channelCounts.get(c) ?? 0) / baseOrders.length;
  const baseRate = (d: string, h: number, z: string, c: string) =>
    rate * dow[weekday(d)] * hours[h] * zoneShare(z) * channelShareOf(c) * periodMultiplier(scenario, `${d}T${String(h).padStart(2, "0")}:00`, c);
  // Every hour × zone × channel a campaign covers: its base rate and every campaign active there, so
  // overlapping campaigns are fitted jointly (each uplift against the base times the others' uplifts).
  const cells: Array<{ base: number; active: string[]; weekday: number; hour: number }> = [];
  for (const d of dates)
    for (let h = 0; h < 24; h++) {
      const time = `${d}T${String(h).padStart(2, "0")}:00`;
      for (const z of zones)
        for (const c of online) {
          const active = activeCampaigns(scenario, time, z, c).map((x) => x.id);
          if (active.length > 0) cells.push({ base: baseRate(d, h, z, c), active, weekday: weekday(d), hour: h });
        }
    }
  const observedIn = new Map(scenario.campaigns.map((c) => [c.id, 0]));
  for (const o of orders) for (const c of activeCampaigns(scenario, `${slot(o.time)}:00`, o.zone, o.channel)) observedIn.set(c.id, observedIn.get(c.id)! + 1);
  const uplift = new Map(scenario.campaigns.map((c) => [c.id, 1]));
  for (let iteration = 0; iteration < ITERATIONS; iteration++)
    for (const campaign of scenario.campaigns) {
      let e = 0;
      for (const cell of cells) if (cell.active.includes(campaign.id)) e += cell.base * cell.active.reduce((u, id) => (id === campaign.id ? u : u * uplift.get(id)!), 1);
      if (e > 0) uplift.set(campaign.id, observedIn.get(campaign.id)! / e);
    }
  const campaignUplift: Calibration["campaignUplift"] = {};
  for (const campaign of scenario.campaigns) {
    const observed = observedIn.get(campaign.id)!;
    const u = uplift.get(campaign.id)!;
    let expectedWithout = 0;
    for (const cell of cells) if (cell.active.includes(campaign.id)) expectedWithout += cell.base;
    // log-scale interval: the window's own Poisson count, plus the base it is divided by — the weekday and
    // hour estimates behind it, each weighted by its part of the window's base (Σ f²/n ≤ Σ f/n: on the safe side).
    const part = (key: (cell: (typeof cells)[number]) => number) => {
      const m = new Map<number, number>();
      for (const cell of cells) if (cell.active.includes(campaign.id)) m.set(key(cell), (m.get(key(cell)) ?? 0) + cell.base / expectedWithout);
      return m;
    };
    let baseVariance = 1 / baseOrders.length;
    for (const [w, f] of part((cell) => cell.weekday)) baseVariance += f / Math.max(1, byWeekday.get(String(w)) ?? 0);
    for (const [h, f] of part((cell) => cell.hour)) baseVariance += f / Math.max(1, byHour.get(String(h)) ?? 0);
    const sd = Math.sqrt(1 / observed + baseVariance);
    // The scenario's uplift is the non-price part: the discount's price response (SKU elasticities, averaged
    // by the mix) is taken out of the lift the window shows.
    const price = campaignPriceFactor(scenario, campaign);
    if (observed > 0 && expectedWithout > 0)
      campaignUplift[campaign.id] = { value: u / price, lo: (u / price) * Math.exp(-Z * sd), hi: (u / price) * Math.exp(Z * sd), observed, expectedWithout };
  }

  // Fitted (with campaigns at their fitted uplift) vs observed, per day and per hour of day.
  const fitted = (d: string, h: number) => {
    let sum = 0;
    const time = `${d}T${String(h).padStart(2, "0")}:00`;
    for (const z of zones)
      for (const c of online) sum += baseRate(d, h, z, c) * activeCampaigns(scenario, time, z, c).reduce((u, x) => u * (campaignUplift[x.id] ? campaignUplift[x.id].value * campaignPriceFactor(scenario, x) : 1), 1);
    return sum;
  };
  const fittedGrid = dates.map((d) => Array.from({ length: 24 }, (_, h) => fitted(d, h)));
  const observedGrid = dates.map(() => new Array<number>(24).fill(0));
  for (const o of orders) observedGrid[dayIndex.get(o.time.slice(0, 10))!][hourOf(o.time)]++;
  const check = (bins: Array<{ bin: string; observed: number; fitted: number }>, parameters: number): FitCheck => ({
    bins,
    chiSquare: bins.reduce((s, b) => s + (b.fitted > 0 ? (b.observed - b.fitted) ** 2 / b.fitted : 0), 0),
    degreesOfFreedom: Math.max(1, bins.length - parameters),
  });
  const perDay = check(
    dates.map((d, i) => ({ bin: d, observed: observedGrid[i].reduce((s, x) => s + x, 0), fitted: fittedGrid[i].reduce((s, x) => s + x, 0) })),
    7 + scenario.campaigns.length,
  );
  const perHour = check(
    Array.from({ length: 24 }, (_, h) => ({ bin: String(h).padStart(2, "0"), observed: observedGrid.reduce((s, r) => s + r[h], 0), fitted: fittedGrid.reduce((s, r) => s + r[h], 0) })),
    0, // the hour shares were fitted on campaign-free hours only; these bins hold every order
  );
  return {
    days: { first, last, count: dates.length },
    orders: orders.length,
    onlineOrdersPerDay: poissonScaled(rate, baseOrders.length),
    dayOfWeek: dow.map((x, w) => poissonScaled(x, byWeekday.get(String(w)) ?? 0)),
    hourlyProfile: hours.map((x, h) => poissonScaled(x, byHour.get(String(h)) ?? 0)),
    zoneShare: Object.fromEntries(zones.map((z) => [z, share(zoneCounts.get(z) ?? 0, baseOrders.length)])),
    channelShare: Object.fromEntries(online.map((c) => [c, share(channelCounts.get(c) ?? 0, baseOrders.length)])),
    zoneChannelPerDay,
    independence: { chiSquare: chi, degreesOfFreedom: (zones.length - 1) * (online.length - 1) },
    skuMix: Object.fromEntries(scenario.skus.map((s) => [s.id, share(skuCounts.get(s.id) ?? 0, orders.length)])),
    channelSkuMix,
    campaignUplift,
    perDay,
    perHour,
  };
}

