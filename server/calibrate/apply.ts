// A calibration written into a scenario, and its fit report as text. The scenario keeps everything the
// history cannot say (sites, lanes, costs, campaign windows and discounts) and takes the fitted demand:
// base rate, weekday and hour profiles, zone weights, online channel shares, SKU mixes, campaign uplifts.
import { formatNumber } from "../output/table.ts";
import type { Calibration, Estimate } from "./fit.ts";

type Json = Record<string, unknown>;

/** Shares rounded to 6 decimals that still add up to 1 (the rounding remainder goes to the largest). */
function shares(values: Record<string, number>): Record<string, number> {
  const rounded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));
  const largest = Object.entries(rounded).sort((a, b) => b[1] - a[1])[0];
  if (largest !== undefined) rounded[largest[0]] = Math.round((largest[1] + 1 - Object.values(rounded).reduce((s, v) => s + v, 0)) * 1e6) / 1e6;
  return rounded;
}

function values(record: Record<string, Estimate>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, e]) => [k, e.value]));
}

/** `raw` (a scenario as written) with the calibrated demand. */
export function applyCalibration(raw: Json, c: Calibration): Json {
  const out = structuredClone(raw) as Json & { demand: Json; zones: Json[]; channels: Json[]; campaigns?: Json[] };
  out.demand.onlineOrdersPerDay = Math.round(c.onlineOrdersPerDay.value * 100) / 100;
  out.demand.dayOfWeek = c.dayOfWeek.map((e) => Math.round(e.value * 1e4) / 1e4);
  out.demand.hourlyProfile = c.hourlyProfile.map((e) => Math.round(e.value * 2400 * 100) / 100); // mean 100
  out.demand.skuMix = shares(values(c.skuMix));
  const zones = values(c.zoneShare);
  for (const z of out.zones) z.weight = Math.max(1e-6, Math.round((zones[z.id as string] ?? 0) * zonesCount(zones) * 1e4) / 1e4);
  const channels = shares(values(c.channelShare));
  for (const ch of out.channels)
    if (ch.kind === "online") {
      ch.share = channels[ch.id as string];
      ch.skuMix = shares(values(c.channelSkuMix[ch.id as string]));
    }
  for (const campaign of out.campaigns ?? []) {
    const u = c.campaignUplift[campaign.id as string];
    if (u !== undefined) campaign.uplift = Math.round(u.value * 1e4) / 1e4;
  }
  return out;
}

function zonesCount(z: Record<string, number>): number {
  return Object.keys(z).length;
}

function est(e: Estimate, decimals: number, scale = 1): string {
  return `${formatNumber(e.value * scale, decimals)}  (${formatNumber(e.lo * scale, decimals)} to ${formatNumber(e.hi * scale, decimals)})`;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The fit report: every parameter with its 95% interval, then fitted vs observed orders and χ². */
export function calibrationText(c: Calibration, source: string): string {
  const lines = [
    `calibrated to ${formatNumber(c.orders)} orders in ${source}, ${c.days.first} to ${c.days.last} (${c.days.count} days); 95% intervals`,
    "",
    `online orders per day (base, outside campaigns)  ${est(c.onlineOrdersPerDay, 1)}`,
    "",
    "day of week (multiplier, mean 1)",
    ...c.dayOfWeek.map((e, w) => `  ${WEEKDAYS[w].padEnd(10)} ${est(e, 3)}`),
    "",
    "hour of day (% of a day's orders)",
    ...c.hourlyProfile.map((e, h) => `  ${String(h).padStart(2, "0")}:00  ${est(e, 2, 100)}`),
    "",
    "zone share (% of orders)",
    ...Object.entries(c.zoneShare).map(([z, e]) => `  ${z.padEnd(22)} ${est(e, 2, 100)}`),
    "",
    "online channel share (% of orders)",
    ...Object.entries(c.channelShare).map(([ch, e]) => `  ${ch.padEnd(22)} ${est(e, 2, 100)}`),
    `zone × channel: χ² = ${formatNumber(c.independence.chiSquare, 1)} on ${c.independence.degreesOfFreedom} df against independence (the scenario's zone weight × channel share assumes it; χ² far above df says it does not hold)`,
    "",
    "SKU mix (% of order lines)",
    ...Object.entries(c.skuMix).map(([s, e]) => `  ${s.padEnd(22)} ${est(e, 2, 100)}`),
    ...Object.entries(c.channelSkuMix).flatMap(([ch, mix]) => [`  channel ${ch}:`, ...Object.entries(mix).map(([s, e]) => `    ${s.padEnd(20)} ${est(e, 2, 100)}`)]),
    "",
    "campaign uplift (orders in the window / the fitted base without it)",
    ...Object.entries(c.campaignUplift).map(([id, e]) => `  ${id.padEnd(22)} ${est(e, 3)}  observed ${formatNumber(e.observed)}, base ${formatNumber(e.expectedWithout)}`),
    "",
    `fit per day: Pearson χ² = ${formatNumber(c.perDay.chiSquare, 1)} on ${c.perDay.degreesOfFreedom} df; per hour of day: χ² = ${formatNumber(c.perHour.chiSquare, 1)} on ${c.perHour.degreesOfFreedom} df`,
    "(χ² against the fitted model, parameter uncertainty left out: hour shares come from campaign-free hours, so campaign",
    " hours test them out of sample, multiplied by the uplift; the JSON report lists fitted and observed orders per day and hour)",
  ];
  return `${lines.join("\n")}\n`;
}
