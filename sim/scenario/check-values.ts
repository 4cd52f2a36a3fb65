// Numeric consistency checks a field-by-field shape check cannot make: shares that must add up to 1,
// relative profiles that must not be all zero, distribution parameters that must be ordered, and
// shifts that must end after they start.
import { clockMinutes } from "../engine/local-time.ts";
import { round } from "../engine/round.ts";
import type { ScenarioParts } from "./parts.ts";
import type { PathProblem, PathSegments } from "./problems.ts";

const SHARE_TOLERANCE = 1e-6;

/** Check share sums, distribution parameters and shift times. */
export function checkValues(parts: ScenarioParts): PathProblem[] {
  const out: PathProblem[] = [];

  // Only when every channel passed its shape check: a missing share would make the sum wrong.
  if (parts.channels.length > 0 && parts.channels.every((c) => c !== undefined)) {
    const online = parts.channels.filter((c) => c?.kind === "online").map((c) => [c?.id ?? "", c?.share ?? 0] as const);
    if (online.length > 0) {
      const total = online.reduce((sum, [, share]) => sum + share, 0);
      if (Math.abs(total - 1) > SHARE_TOLERANCE) {
        out.push({ path: ["channels"], message: `the online channels' shares add up to ${round6(total)} (${terms(online)}); make them add up to 1` });
      }
    }
  }

  // The profiles are relative weights (normalised by their sum): all zeros would silently remove demand.
  const profile = parts.demand.hourlyProfile;
  if (profile !== undefined && profile.every((w) => w === 0)) {
    out.push({ path: ["demand", "hourlyProfile"], message: "every hour's weight is 0, which would remove all demand; give the hours customers order in a weight above 0 (to model no demand, set onlineOrdersPerDay and walkInPerDay to 0)" });
  }
  const week = parts.demand.dayOfWeek;
  if (week !== undefined && week.every((w) => w === 0)) {
    out.push({ path: ["demand", "dayOfWeek"], message: "every day's multiplier is 0, which would remove all demand; use 1 for a normal day (to model no demand, set onlineOrdersPerDay and walkInPerDay to 0)" });
  }

  if (parts.demand.skuMix !== undefined) checkSkuMix(["demand", "skuMix"], parts.demand.skuMix, out);
  parts.channels.forEach((channel, i) => {
    if (channel?.skuMix !== undefined) checkSkuMix(["channels", i, "skuMix"], channel.skuMix, out);
  });

  checkCustomers(parts, out);

  parts.skus.forEach((sku, i) => {
    const patience = sku?.patience;
    if (patience?.kind === "lognormal" && patience.p90Hours <= patience.medianHours) {
      out.push({
        path: ["skus", i, "patience", "p90Hours"],
        message: `${patience.p90Hours} is not above medianHours (${patience.medianHours}); the 90th-percentile wait must be longer than the median wait`,
      });
    }
    if (patience?.kind === "uniform" && patience.maxHours < patience.minHours) {
      out.push({ path: ["skus", i, "patience", "maxHours"], message: `${patience.maxHours} is below minHours (${patience.minHours}); maxHours must be at least minHours` });
    }
  });

  parts.sites.forEach((site, i) => {
    if (site === undefined || site.type === "factory") return;
    site.pickPack.shifts.forEach((shift, j) => {
      if (clockMinutes(shift.end) > clockMinutes(shift.start)) return;
      const overnight = clockMinutes(shift.end) < clockMinutes(shift.start) ? `; split an overnight shift in two: "${shift.start}"–"24:00" and "00:00"–"${shift.end}"` : "";
      out.push({ path: ["sites", i, "pickPack", "shifts", j, "end"], message: `"${shift.end}" is not after the shift's start ("${shift.start}"); a shift must end later the same day${overnight}` });
    });
  });
  return out;
}

// Walk-in switching shares are parts of one customer's choice (at most 1 together); basket sizes are a
// distribution (shares add up to 1, each size once).
function checkCustomers(parts: ScenarioParts, out: PathProblem[]): void {
  const walkIn = parts.customers?.switching?.walkIn;
  if (walkIn) {
    const check = (path: PathSegments, shares: { otherStoreShare: number; onlineShare: number }) => {
      const total = shares.otherStoreShare + shares.onlineShare;
      if (total > 1 + SHARE_TOLERANCE)
        out.push({ path, message: `otherStoreShare ${shares.otherStoreShare} + onlineShare ${shares.onlineShare} = ${round6(total)}, above 1; they are shares of the same customers, so make them add up to at most 1 (the rest leave)` });
    };
    check(["customers", "switching", "walkIn"], walkIn);
    for (const [category, shares] of Object.entries(walkIn.byCategory)) if (shares) check(["customers", "switching", "walkIn", "byCategory", category], shares);
  }
  const sizes = parts.customers?.baskets?.linesPerOrder;
  if (sizes) {
    const total = sizes.reduce((sum, s) => sum + s.share, 0);
    if (Math.abs(total - 1) > SHARE_TOLERANCE)
      out.push({ path: ["customers", "baskets", "linesPerOrder"], message: `the shares add up to ${round6(total)} (${terms(sizes.map((s) => [`${s.lines} lines`, s.share]))}); make them add up to 1` });
    const seen = new Set<number>();
    sizes.forEach((s, i) => {
      if (seen.has(s.lines)) out.push({ path: ["customers", "baskets", "linesPerOrder", i, "lines"], message: `${s.lines} lines is listed twice; give each basket size once` });
      seen.add(s.lines);
    });
  }
}

// A SKU mix (the demand's, or a channel's own) lists at least one SKU and its shares add up to 1.
function checkSkuMix(path: PathSegments, mix: Readonly<Record<string, number>>, out: PathProblem[]): void {
  const entries = Object.entries(mix);
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  if (entries.length === 0) {
    out.push({ path, message: "lists no SKUs; give each SKU's share of order lines, adding up to 1" });
  } else if (Math.abs(total - 1) > SHARE_TOLERANCE) {
    out.push({ path, message: `the SKU shares add up to ${round6(total)} (${terms(entries)}); make them add up to 1` });
  }
}

const round6 = (x: number) => round(x, 6);

function terms(entries: ReadonlyArray<readonly [string, number]>): string {
  const shown = entries.slice(0, 8).map(([id, share]) => `${id} ${share}`);
  return entries.length > 8 ? `${shown.join(" + ")} + …` : shown.join(" + ");
}
