// Order history as calibration reads it: one row per online order (local time, zone, channel, SKU), read
// from CSV with every bad row named, and a synthetic history drawn from a scenario's own demand model
// (for the example table and the parameter-recovery test) — seeded, so the same scenario and seed give
// the same orders.
import { campaignPriceFactor, RandomStream, type Scenario } from "../../sim/index.ts";

/** One historical online order. `time` is local "YYYY-MM-DDTHH:MM". */
export interface Order {
  time: string;
  zone: string;
  channel: string;
  sku: string;
}

/** A problem with one CSV row (1-based line number). */
export interface HistoryProblem {
  line: number;
  message: string;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2})?$/;
export const HISTORY_COLUMNS = ["time", "zone", "channel", "sku"] as const;

/** Parse an orders CSV (header time,zone,channel,sku; extra columns ignored), checking ids against the scenario. */
export function parseOrdersCsv(text: string, scenario: Scenario): { orders: Order[]; problems: HistoryProblem[] } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((h) => h.trim().toLowerCase());
  const at = HISTORY_COLUMNS.map((c) => header.indexOf(c));
  const problems: HistoryProblem[] = [];
  if (at.some((i) => i < 0)) return { orders: [], problems: [{ line: 1, message: `the header must name the columns ${HISTORY_COLUMNS.join(", ")}; it has ${header.join(", ")}` }] };
  const ids = {
    zone: new Set(scenario.zones.map((z) => z.id)),
    channel: new Set(scenario.channels.filter((c) => c.kind === "online").map((c) => c.id)),
    sku: new Set(scenario.skus.map((s) => s.id)),
  };
  const orders: Order[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === "" || line.startsWith("#")) return;
    const cells = line.split(",").map((c) => c.trim());
    const [time, zone, channel, sku] = at.map((j) => cells[j] ?? "");
    const bad: string[] = [];
    const match = TIME.exec(time);
    if (match === null) bad.push(`time ${JSON.stringify(time)} is not a local date-time like 2026-06-18T20:00`);
    for (const [kind, value] of [["zone", zone], ["channel", channel], ["sku", sku]] as const)
      if (!ids[kind].has(value)) bad.push(`${kind} ${JSON.stringify(value)} is not ${kind === "channel" ? "an online channel" : `a ${kind}`} of the scenario`);
    if (bad.length > 0) problems.push({ line: i + 1, message: bad.join("; ") });
    else orders.push({ time: `${match![1]}-${match![2]}-${match![3]}T${match![4]}:${match![5]}`, zone, channel, sku });
  });
  return { orders, problems };
}

/** Orders as CSV text, with a first comment line saying where they came from. */
export function ordersCsv(orders: readonly Order[], comment: string): string {
  return `${HISTORY_COLUMNS.join(",")}\n${orders.map((o) => `${o.time},${o.zone},${o.channel},${o.sku}`).join("\n")}\n# ${comment}\n`;
}

/** The local date `days` after "YYYY-MM-DD". */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Day of week of a local date, 0 = Sunday (the scenario's dayOfWeek order). */
export function weekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The campaigns of a scenario active at local time `time` for this zone and channel. */
export function activeCampaigns(scenario: Scenario, time: string, zone: string, channel: string): Scenario["campaigns"] {
  return scenario.campaigns.filter((c) => c.start <= time && time < c.end && c.channels.includes(channel) && (c.zones === undefined || c.zones.includes(zone)));
}

/** The demand.periods multiplier at local time `time` for a channel. */
export function periodMultiplier(scenario: Scenario, time: string, channel: string): number {
  let m = 1;
  for (const p of scenario.demand.periods) if (p.start <= time && time < p.end && (p.channels === undefined || p.channels.includes(channel))) m *= p.multiplier;
  return m;
}

function poisson(stream: RandomStream, mean: number): number {
  // Knuth's product method for small means, a rounded normal beyond (hourly cell means here are small).
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(stream)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = stream.next(); p > limit; p *= stream.next()) k++;
  return k;
}

function normal(stream: RandomStream): number {
  return Math.sqrt(-2 * Math.log(1 - stream.next())) * Math.cos(2 * Math.PI * stream.next());
}

function pick(stream: RandomStream, weights: ReadonlyArray<readonly [string, number]>): string {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let u = stream.next() * total;
  for (const [id, w] of weights) if ((u -= w) < 0) return id;
  return weights[weights.length - 1][0];
}

/**
 * A synthetic order history from a scenario's demand model over `days` days from its start: per local hour,
 * zone and online channel a Poisson count with mean onlineOrdersPerDay × dayOfWeek × hour share × zone
 * share × channel share × demand periods × campaign uplift × the campaign's price response averaged over
 * its SKUs by the mix (campaign bursts and SKU restrictions left out), each order's SKU from its channel's mix. Seeded: the same inputs give the same orders.
 */
export function synthesizeOrders(scenario: Scenario, seed: number, days: number): Order[] {
  const stream = new RandomStream(seed, "synthetic-history");
  const { demand } = scenario;
  const hourTotal = demand.hourlyProfile.reduce((s, x) => s + x, 0);
  const zoneTotal = scenario.zones.reduce((s, z) => s + z.weight, 0);
  const online = scenario.channels.filter((c) => c.kind === "online");
  const orders: Order[] = [];
  const first = scenario.start.slice(0, 10);
  for (let day = 0; day < days; day++) {
    const date = addDays(first, day);
    const dow = demand.dayOfWeek[weekday(date)];
    for (let hour = 0; hour < 24; hour++) {
      const time = `${date}T${String(hour).padStart(2, "0")}:00`;
      for (const zone of scenario.zones)
        for (const channel of online) {
          const uplift = activeCampaigns(scenario, time, zone.id, channel.id).reduce((u, c) => u * c.uplift * campaignPriceFactor(scenario, c), 1);
          const mean = demand.onlineOrdersPerDay * dow * (demand.hourlyProfile[hour] / hourTotal) * (zone.weight / zoneTotal) * channel.share * periodMultiplier(scenario, time, channel.id) * uplift;
          const mix = Object.entries(channel.skuMix ?? demand.skuMix);
          for (let k = poisson(stream, mean); k > 0; k--) {
            const minute = Math.floor(stream.next() * 60);
            orders.push({ time: `${date}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`, zone: zone.id, channel: channel.id, sku: pick(stream, mix) });
          }
        }
    }
  }
  return orders.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
