// The path cost model of tiered fulfilment (lever L2): what one order costs on one fulfilment path —
// last mile (fixed + per km + per kg), pick/pack, a share of any transfer, and the expected late-delivery
// compensation. Pure functions of prices passed in as data; the model charges realised costs through the
// same `lastMileCost`, so the router's estimate and the run's books never disagree on a price.
import { PATH, type Path } from "../network/paths.ts";

/** Last-mile prices in force (CNY); `expressMultiplier` carries any express price shock. */
export interface LastMilePrices {
  readonly expressPerParcel: number;
  readonly expressPerKgAboveOne: number;
  readonly expressLargeAppliancePerUnit: number;
  readonly expressMultiplier: number;
  readonly instantPerOrder: number;
  readonly storeDeliveryPerOrder: number;
  /** Rider cost per km from the site to the customer (instant and store delivery). */
  readonly riderPerKm: number;
  readonly pickupHandlingPerOrder: number;
  /** Coupon to a customer who asked for home delivery and is asked to collect instead: fixed + per km. */
  readonly pickupCouponPerOrder: number;
  readonly pickupCouponPerKm: number;
}

/** Late-delivery compensation rule: `share` of the order value, at least `min`, at most `max`. */
export interface CompensationRule {
  readonly share: number;
  readonly min: number;
  readonly max: number;
}

/** What the last mile needs to know of an order. */
export interface LastMileOrder {
  readonly quantity: number;
  /** Weight of one unit, kg. */
  readonly weightKg: number;
  /** Large appliances ship at a per-unit deliver-and-install price. */
  readonly largeAppliance: boolean;
  /** The customer asked for home delivery (a pickup path then pays the pickup coupon). */
  readonly deliveryCustomer: boolean;
}

/** Last-mile cost of one order on a path; `km` is site → customer (for pickup: the customer's trip). */
export function lastMileCost(path: Path, order: LastMileOrder, km: number, p: LastMilePrices): number {
  switch (path) {
    case PATH.rdcExpress:
      // Express is priced per parcel within the province (domain numbers C2), not per km.
      return (
        (order.largeAppliance
          ? p.expressLargeAppliancePerUnit * order.quantity
          : p.expressPerParcel + p.expressPerKgAboveOne * Math.max(0, order.weightKg * order.quantity - 1)) * p.expressMultiplier
      );
    case PATH.fdcInstant:
      return p.riderPerKm > 0 ? p.instantPerOrder + p.riderPerKm * km : p.instantPerOrder;
    case PATH.storeDelivery:
      return p.riderPerKm > 0 ? p.storeDeliveryPerOrder + p.riderPerKm * km : p.storeDeliveryPerOrder;
    default:
      return order.deliveryCustomer ? p.pickupHandlingPerOrder + p.pickupCouponPerOrder + p.pickupCouponPerKm * km : p.pickupHandlingPerOrder;
  }
}

/**
 * Last-mile cost of one more line in a parcel another line of the same customer order already pays for
 * (baskets, issue #17): express adds only the line's weight (large appliances still pay per unit); a rider
 * trip or a pickup hand-over carries it at no extra cost.
 */
export function addedLineCost(path: Path, order: LastMileOrder, p: LastMilePrices): number {
  if (path !== PATH.rdcExpress) return 0;
  return (order.largeAppliance ? p.expressLargeAppliancePerUnit * order.quantity : p.expressPerKgAboveOne * order.weightKg * order.quantity) * p.expressMultiplier;
}

/** Compensation paid when an order worth `valueCny` is late. */
export function lateCompensation(valueCny: number, rule: CompensationRule): number {
  return Math.min(rule.max, Math.max(rule.min, rule.share * valueCny));
}

/**
 * Probability that a path is late, from the estimated completion time and the promise (minutes): 0.5 when
 * the estimate lands on the promise, falling linearly to 0 (rising to 1) `spreadMinutes` earlier (later).
 * The estimate comes from queue lengths, so it is a guess; the spread says how far to trust it.
 */
export function lateProbability(etaMinutes: number, promiseMinutes: number, spreadMinutes: number): number {
  if (!(etaMinutes < Infinity)) return 1;
  if (spreadMinutes <= 0) return etaMinutes > promiseMinutes ? 1 : 0;
  return Math.min(1, Math.max(0, 0.5 + (etaMinutes - promiseMinutes) / (2 * spreadMinutes)));
}

/** Price one path, CNY: last mile + pick/pack + transfer share + P(late) × compensation. */
export function pathCost(
  path: Path,
  order: LastMileOrder & { readonly valueCny: number },
  km: number,
  pickPack: number,
  transfer: number,
  pLate: number,
  prices: LastMilePrices,
  compensation: CompensationRule,
): number {
  const expected = pLate > 0 ? pLate * lateCompensation(order.valueCny, compensation) : 0;
  return lastMileCost(path, order, km, prices) + pickPack + transfer + expected;
}
