// Lever L3, promotion–capacity linkage (paper §3.3): pure decision rules for the campaign review at
// submission (book pick/pack surge and production ramp-up, or throttle a campaign the network cannot make
// and ship), the capacity saturation line that throttles promotion pressure while live orders approach
// capacity, and the inventory safety line that triggers emergency replenishment. coordination.ts gathers
// the observations and acts on the decisions.

/** Least share of a campaign's push the saturation line leaves while a resource is at or over capacity. */
export const THROTTLE_FLOOR_SHARE = 0.2;
/** An alert clears once utilisation is this far back below the line (no flapping on every check). */
export const SATURATION_HYSTERESIS = 0.05;

/** The campaign review's view of one pick/pack site. */
export interface PickPackReviewInput {
  /** Planned orders at the site on the campaign's busiest day, every campaign included. */
  readonly peakDayOrders: number;
  /** The same day's planned orders without this campaign. */
  readonly baselineDayOrders: number;
  readonly capacityPerDay: number;
  /** Surge option of the site (extra capacity share, the notice it needs, and what booking it costs in CNY, 0 if not said). */
  readonly surge: { readonly extraShare: number; readonly noticeDays: number; readonly cost?: number } | null;
  /** Days from the review to the busiest day: a surge needing more notice cannot be in force by then. */
  readonly daysUntilPeak: number;
  readonly line: number;
  /** Planned orders on each day of the campaign (the busiest among them); omitted = the busiest day alone. */
  readonly dayOrders?: readonly number[];
  /** Margin an order the site cannot pick puts at risk (CNY); omitted = the surge is booked whenever it is needed. */
  readonly marginPerOrder?: number;
}

/** What the review decides for one pick/pack site. */
export interface PickPackReview {
  readonly bookSurge: boolean;
  /** Orders over the line on the campaign's days that the surge would bring under it, × margin per order (CNY). */
  readonly marginProtected: number;
  /** What the surge costs (CNY). */
  readonly surgeCost: number;
  /** Busiest-day load over capacity, before and after any surge booked. */
  readonly utilisation: number;
  readonly utilisationAfter: number;
  /** Scale on this campaign's push towards the site (1 = as planned). */
  readonly pressureScale: number;
}

/**
 * Review one site's pick/pack against a campaign: over the saturation line, book the surge if its notice
 * allows and the margin it protects (orders over the line it brings under, every campaign day) exceeds its
 * cost; if the busiest day is still over the line, scale the campaign's push so it lands on the line.
 */
export function reviewPickPack(i: PickPackReviewInput): PickPackReview {
  const utilisation = i.capacityPerDay > 0 ? i.peakDayOrders / i.capacityPerDay : Infinity;
  if (utilisation <= i.line) return { bookSurge: false, marginProtected: 0, surgeCost: 0, utilisation, utilisationAfter: utilisation, pressureScale: 1 };
  const feasible = i.surge !== null && i.surge.extraShare > 0 && i.surge.noticeDays <= i.daysUntilPeak;
  let protectedOrders = 0;
  if (i.surge)
    for (const d of i.dayOrders ?? [i.peakDayOrders])
      protectedOrders += Math.min(Math.max(0, d - i.line * i.capacityPerDay), i.line * i.capacityPerDay * i.surge.extraShare);
  const marginProtected = protectedOrders > 0 ? protectedOrders * (i.marginPerOrder ?? Infinity) : 0;
  const surgeCost = i.surge?.cost ?? 0;
  const bookSurge = feasible && marginProtected > surgeCost;
  const capacity = i.capacityPerDay * (1 + (bookSurge ? i.surge!.extraShare : 0));
  const utilisationAfter = capacity > 0 ? i.peakDayOrders / capacity : Infinity;
  return { bookSurge, marginProtected, surgeCost, utilisation, utilisationAfter, pressureScale: scaleToLine(i.peakDayOrders, i.baselineDayOrders, i.line * capacity) };
}

/** The campaign review's view of one SKU's production. */
export interface ProductionReviewInput {
  /** Planned units of the SKU due by the review deadline (every campaign, this one included). */
  readonly demandUnits: number;
  /** Of which this campaign brings. */
  readonly campaignUnits: number;
  /** Units that can be shipped by the deadline: stock, transit and output, ramps already booked included. */
  readonly supplyUnits: number;
  /** A ramp-up of the supplier: the units it would add by the deadline, whether its notice allows it, and its overtime cost (CNY, 0 if not said). */
  readonly ramp: { readonly units: number; readonly bookable: boolean; readonly cost?: number } | null;
  readonly line: number;
  /** Normal output per day, to say how many more days the campaign would need. */
  readonly unitsPerDay: number;
  /** Margin a unit that cannot be made puts at risk (CNY, at the campaign's price); omitted = the ramp is booked whenever it is needed. */
  readonly marginPerUnit?: number;
}

/** What the review decides for one SKU's production. */
export interface ProductionReview {
  readonly bookRamp: boolean;
  /** Units over the line the ramp would make in time × margin per unit (CNY). */
  readonly marginProtected: number;
  /** What the ramp costs (CNY). */
  readonly rampCost: number;
  readonly utilisation: number;
  readonly utilisationAfter: number;
  readonly pressureScale: number;
  /** Units the plan asks for beyond what can be made and shipped by the deadline (after any ramp). */
  readonly shortfallUnits: number;
  /** Days of output the shortfall is: how far the campaign would have to be stretched to be met. */
  readonly stretchDays: number;
}

/**
 * Review one SKU's production against a campaign: over the line, book the ramp-up if its notice allows and
 * the margin it protects (the units over the line it makes in time) exceeds its overtime cost; if demand
 * still exceeds the line, scale this campaign's push of the SKU down to what can be made.
 */
export function reviewProduction(i: ProductionReviewInput): ProductionReview {
  const utilisation = i.supplyUnits > 0 ? i.demandUnits / i.supplyUnits : Infinity;
  if (utilisation <= i.line)
    return { bookRamp: false, marginProtected: 0, rampCost: 0, utilisation, utilisationAfter: utilisation, pressureScale: 1, shortfallUnits: 0, stretchDays: 0 };
  const protectedUnits = i.ramp ? Math.min(i.ramp.units, Math.max(0, i.demandUnits - i.line * i.supplyUnits)) : 0;
  const marginProtected = protectedUnits > 0 ? protectedUnits * (i.marginPerUnit ?? Infinity) : 0;
  const rampCost = i.ramp?.cost ?? 0;
  const bookRamp = i.ramp !== null && i.ramp.bookable && i.ramp.units > 0 && marginProtected > rampCost;
  const supply = i.supplyUnits + (bookRamp ? i.ramp!.units : 0);
  const utilisationAfter = supply > 0 ? i.demandUnits / supply : Infinity;
  const shortfallUnits = Math.max(0, i.demandUnits - supply);
  return {
    bookRamp,
    marginProtected,
    rampCost,
    utilisation,
    utilisationAfter,
    pressureScale: scaleToLine(i.demandUnits, i.demandUnits - i.campaignUnits, i.line * supply),
    shortfallUnits,
    stretchDays: i.unitsPerDay > 0 ? shortfallUnits / i.unitsPerDay : shortfallUnits > 0 ? Infinity : 0,
  };
}

/** The scale on a campaign's increment (load − baseline) that brings load down to `allowed`, in [0, 1]. */
function scaleToLine(load: number, baseline: number, allowed: number): number {
  if (load <= allowed) return 1;
  const increment = load - baseline;
  if (increment <= 0) return 1;
  return Math.min(1, Math.max(0, (allowed - baseline) / increment));
}

/** The review's verdict on a whole campaign. */
export type ReviewOutcome = "accept" | "book-capacity" | "throttle";

/** Accept as planned, accept with capacity booked, or throttle (some push scaled down). */
export function reviewOutcome(booked: boolean, pressureScales: readonly number[]): ReviewOutcome {
  if (pressureScales.some((s) => s < 1)) return "throttle";
  return booked ? "book-capacity" : "accept";
}

/**
 * The capacity saturation line: the scale on promotion pressure while live load runs at `utilisation` of
 * capacity. 1 up to the line, falling linearly to `floor` at full capacity and staying there beyond it.
 */
export function saturationThrottle(utilisation: number, line: number, floor = THROTTLE_FLOOR_SHARE): number {
  if (!(utilisation > line)) return 1;
  if (line >= 1) return floor;
  return Math.max(floor, Math.min(1, (1 - utilisation) / (1 - line)));
}

/** Whether a resource is over its saturation line, with hysteresis: it clears only well below the line. */
export function overSaturationLine(utilisation: number, line: number, wasOver: boolean): boolean {
  return wasOver ? utilisation > line - SATURATION_HYSTERESIS : utilisation > line;
}

/** A site × SKU's inventory safety line: the scenario's own figure, else `safetyLineDays` of daily demand. */
export function safetyLineUnits(explicit: number | undefined, safetyLineDays: number, dailyDemand: number): number {
  return explicit ?? Math.ceil(safetyLineDays * Math.max(0, dailyDemand));
}

/** The safety-line check: `crossed` when the position has just fallen below the line. */
export function safetyLineCheck(position: number, line: number, wasBelow: boolean): { crossed: boolean; below: boolean } {
  const below = line > 0 && position < line;
  return { crossed: below && !wasBelow, below };
}

/** Emergency replenishment: bring the position back up to the larger of the target and twice the line. */
export function emergencyQuantity(position: number, line: number, target: number, parentAvailable: number): number {
  const need = Math.ceil(Math.max(target, 2 * line) - position);
  return Math.max(0, Math.min(need, Math.floor(parentAvailable)));
}
