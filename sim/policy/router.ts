// Order routing: which site serves an online order, along which path, and why. Pure functions of an
// observation, testable without a simulation. The siloed router is the paper's §2; tiered routing (L2,
// paper §3.2) applies the category rules, prices every feasible path with the path cost model and takes
// the cheapest that meets its promise. The model builds the observations (sim/model/fulfilment/routing.ts).
import { PATH, type Path } from "../network/paths.ts";
import { lateProbability, pathCost, type CompensationRule, type LastMileOrder, type LastMilePrices } from "./path-cost.ts";

/** Reason indices (into ROUTE_REASONS below). */
export const ROUTE_REASON = {
  siloedExpress: 0,
  siloedPickup: 1,
  siloedTransfer: 2,
  siloedBackorder: 3,
  cheapest: 4,
  heavyValuableFar: 5,
  noneOnTime: 6,
  perishableNear: 7,
  basketOneParcel: 8,
} as const;

/** Reasons a router gives for a path (shown on the map as "why"). */
export const ROUTE_REASONS = [
  "siloed: every online order ships by express from the regional warehouse",
  "siloed: pickup at the nearest store, which has stock",
  "siloed: pickup at the nearest store without stock; ad-hoc transfer from the regional warehouse",
  "siloed: pickup at the nearest store; nothing to transfer, backordered at the store",
  "cheapest path that meets its promise",
  "category rule: heavy, valuable or far orders ship from the regional warehouse",
  "no path meets its promise: least expected cost, late compensation included",
  "category rule: perishable or urgent, within reach of a stocked store or FDC",
  "basket: one parcel from the regional warehouse costs less than splitting the order",
] as const;

/** What the siloed router may look at for one order. */
export interface RouteObservation {
  /** The customer asked for home delivery or store pickup. */
  readonly fulfilment: "delivery" | "pickup";
  readonly quantity: number;
  /** Nearest regional warehouse and its available units of the SKU. */
  readonly rdc: number;
  readonly rdcAvailable: number;
  /** Nearest store to the customer, its km, and its available units. */
  readonly store: number;
  readonly storeAvailable: number;
}

/** A routing decision. `transferFrom` >= 0 asks for an ad-hoc transfer from that site to `site`. */
export interface RouteDecision {
  readonly path: Path;
  readonly site: number;
  readonly transferFrom: number;
  /** Index into ROUTE_REASONS. */
  readonly reason: number;
}

/**
 * Where a router may write its decision instead of returning a new object. The model routes every order
 * and passes one such object over and over: a decision object per order was a third of the routing
 * allocation of a 618 run. The routers stay pure apart from writing it.
 */
export type DecisionSlot = { -readonly [K in keyof TieredDecision]: TieredDecision[K] };

/** A fresh decision slot. */
export function decisionSlot(): DecisionSlot {
  return { path: PATH.rdcExpress, site: -1, transferFrom: -1, reason: 0, costCny: Number.NaN, expressCostCny: Number.NaN };
}

function decided(into: DecisionSlot, path: Path, site: number, transferFrom: number, reason: number, costCny: number, expressCostCny: number): DecisionSlot {
  into.path = path;
  into.site = site;
  into.transferFrom = transferFrom;
  into.reason = reason;
  into.costCny = costCny;
  into.expressCostCny = expressCostCny;
  return into;
}

/**
 * Siloed routing (all levers off): every delivery order ships by express from the regional warehouse;
 * a pickup order goes to the nearest store, and when that store lacks stock an ad-hoc transfer is sent
 * from the regional warehouse (or, if it has none either, the order waits at the store).
 */
export function routeSiloed(o: RouteObservation, into: DecisionSlot = decisionSlot()): RouteDecision {
  if (o.fulfilment === "delivery" || o.store < 0) return decided(into, PATH.rdcExpress, o.rdc, -1, ROUTE_REASON.siloedExpress, Number.NaN, Number.NaN);
  if (o.storeAvailable >= o.quantity) return decided(into, PATH.storePickup, o.store, -1, ROUTE_REASON.siloedPickup, Number.NaN, Number.NaN);
  if (o.rdcAvailable >= o.quantity) return decided(into, PATH.transferThenPickup, o.store, o.rdc, ROUTE_REASON.siloedTransfer, Number.NaN, Number.NaN);
  return decided(into, PATH.storePickup, o.store, -1, ROUTE_REASON.siloedBackorder, Number.NaN, Number.NaN);
}

/** One path the model offers the tiered router for an order. */
export interface PathOption {
  path: Path;
  /** The site that hands the order over (ships, delivers, or holds it for pickup). */
  site: number;
  /** Transfers: the site the units come from; else -1. */
  transferFrom: number;
  /** Site → customer, km (pickup: the customer's trip to the store). */
  km: number;
  /** Units available where the order would be allocated (transfers: at `transferFrom`). */
  available: number;
  /** Estimated delivery time (pickup: ready at the counter), sim minutes; Infinity if the stock is not there. */
  etaMinutes: number;
  /** The promise this path would make, sim minutes. */
  promiseAt: number;
  /** Pick/pack cost at the site, CNY. */
  pickPackCost: number;
  /** This order's share of a transfer, CNY (0 if none). */
  transferCost: number;
}

/** The paper's category rules and the router's trust in its own time estimates. */
export interface TieredRules {
  /** Orders this heavy (kg) or heavier ship from the regional warehouse. */
  readonly heavyKg: number;
  /** Orders worth this much (CNY) or more ship from the regional warehouse. */
  readonly valuableCny: number;
  /** Customers farther than this (km) from every FDC and store are served from the regional warehouse. */
  readonly farKm: number;
  /** "Near": perishable or urgent orders within this distance (km) of a stocked store or FDC go local. */
  readonly nearKm: number;
  /** Spread of the late-probability ramp around the promise (minutes), see lateProbability. */
  readonly lateSpreadMinutes: number;
}

/** Everything the tiered router looks at for one order. */
export interface TieredObservation {
  readonly order: LastMileOrder & {
    readonly valueCny: number;
    /** Perishable (has a shelf life) or flagged urgent. */
    readonly perishableOrUrgent: boolean;
    /** Margin the order brings (price after discount − unit cost, × units), CNY: what a cancellation forgoes. */
    readonly marginCny?: number;
  };
  /**
   * Share of home-delivery customers who decline a store-pickup offer and cancel (customer switching;
   * 0 without): a pickup path for such a customer is priced with that share of the order's margin.
   */
  readonly pickupDeclineShare?: number;
  readonly rules: TieredRules;
  readonly prices: LastMilePrices;
  readonly compensation: CompensationRule;
  /** Distance from the customer to the nearest FDC or store, km. */
  readonly nearestLocalKm: number;
  /** Candidate paths; options[0] must be regional express (always offered, backordered if out of stock). */
  readonly options: readonly PathOption[];
  /** How many entries of `options` are in use (the model reuses one buffer). */
  readonly optionCount: number;
}

/** A tiered routing decision with the figures behind it. */
export interface TieredDecision extends RouteDecision {
  /** Expected cost of the chosen path, CNY. */
  readonly costCny: number;
  /** Expected cost of regional express for the same order, CNY (what the choice is compared with). */
  readonly expressCostCny: number;
}

function decide(into: DecisionSlot, o: PathOption, reason: number, costCny: number, expressCostCny: number): TieredDecision {
  return decided(into, o.path, o.site, o.transferFrom, reason, costCny, expressCostCny);
}

/** Expected cost of an option (a pickup offer to a home-delivery customer: with the margin a decline forgoes). */
function costOf(obs: TieredObservation, option: PathOption): number {
  const pLate = lateProbability(option.etaMinutes, option.promiseAt, obs.rules.lateSpreadMinutes);
  const cost = pathCost(option.path, obs.order, option.km, option.pickPackCost, option.transferCost, pLate, obs.prices, obs.compensation);
  const decline = obs.pickupDeclineShare ?? 0;
  const offered = decline > 0 && obs.order.deliveryCustomer && (option.path === PATH.storePickup || option.path === PATH.transferThenPickup);
  return offered ? cost + decline * (obs.order.marginCny ?? 0) : cost;
}

/** A multi-line order as the tiered router priced it line by line, against one parcel (baskets, issue #17). */
export interface BasketPlans {
  /** Parcels the line-by-line plan ships in (lines on one site and kind of path share one). */
  readonly parcels: number;
  /** Expected cost of that plan: Σ line costs, less what lines sharing a parcel save, + split handling per extra parcel. */
  readonly splitCostCny: number;
  /** Expected cost of every line in one express parcel from the regional warehouse; Infinity if it lacks a line. */
  readonly oneParcelCostCny: number;
}

/** Tiered fulfilment weighs a split against one parcel from the regional warehouse: true = ship as one. */
export function shipAsOneParcel(plans: BasketPlans): boolean {
  return plans.parcels > 1 && plans.oneParcelCostCny < plans.splitCostCny;
}

/**
 * Tiered routing (lever L2). In order:
 * 1. heavy, valuable or far orders ship by regional express (paper §3.2);
 * 2. an option is feasible when its site has the units (regional express always is: it may backorder);
 * 3. perishable or urgent orders take the cheapest local option (FDC or store within `nearKm`) that meets
 *    its promise, if there is one;
 * 4. otherwise the cheapest feasible option that meets its promise;
 * 5. if none does, the option with the least expected cost, late compensation included.
 * Ties keep the earlier option, so the result depends on nothing but the observation.
 */
export function routeTiered(obs: TieredObservation, into: DecisionSlot = decisionSlot()): TieredDecision {
  const { order, rules, options, optionCount } = obs;
  const express = options[0];
  if (optionCount < 1 || express.path !== PATH.rdcExpress) throw new RangeError("routeTiered: options[0] must be the regional express option");
  const expressCost = costOf(obs, express);
  const heavy = order.weightKg * order.quantity >= rules.heavyKg;
  const valuable = order.valueCny >= rules.valuableCny;
  const far = obs.nearestLocalKm > rules.farKm;
  if (heavy || valuable || far) return decide(into, express, ROUTE_REASON.heavyValuableFar, expressCost, expressCost);

  let bestOnTime = -1;
  let bestOnTimeCost = Infinity;
  let bestLocal = -1;
  let bestLocalCost = Infinity;
  let bestAny = 0;
  let bestAnyCost = expressCost;
  if (express.etaMinutes <= express.promiseAt) {
    bestOnTime = 0;
    bestOnTimeCost = expressCost;
  }
  for (let i = 1; i < optionCount; i++) {
    const o = options[i];
    if (o.available < order.quantity) continue;
    const cost = costOf(obs, o);
    if (cost < bestAnyCost) {
      bestAny = i;
      bestAnyCost = cost;
    }
    if (o.etaMinutes > o.promiseAt) continue;
    if (cost < bestOnTimeCost) {
      bestOnTime = i;
      bestOnTimeCost = cost;
    }
    if (order.perishableOrUrgent && o.transferFrom < 0 && o.km <= rules.nearKm && cost < bestLocalCost) {
      bestLocal = i;
      bestLocalCost = cost;
    }
  }
  if (bestLocal >= 0) return decide(into, options[bestLocal], ROUTE_REASON.perishableNear, bestLocalCost, expressCost);
  if (bestOnTime >= 0) return decide(into, options[bestOnTime], ROUTE_REASON.cheapest, bestOnTimeCost, expressCost);
  return decide(into, options[bestAny], ROUTE_REASON.noneOnTime, bestAnyCost, expressCost);
}
