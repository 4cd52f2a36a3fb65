// Order routing: which site serves an online order, along which path, and why. Pure functions of an
// observation, testable without a simulation. The siloed router is the paper's §2; tiered routing (L2)
// prices every feasible path and takes the cheapest.
import { PATH, type Path } from "../model/order.ts";

/** What a router may look at for one order. */
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
 * Siloed routing (all levers off): every delivery order ships by express from the regional warehouse;
 * a pickup order goes to the nearest store, and when that store lacks stock an ad-hoc transfer is sent
 * from the regional warehouse (or, if it has none either, the order waits at the store).
 */
export function routeSiloed(o: RouteObservation): RouteDecision {
  if (o.fulfilment === "delivery" || o.store < 0) return { path: PATH.rdcExpress, site: o.rdc, transferFrom: -1, reason: 0 };
  if (o.storeAvailable >= o.quantity) return { path: PATH.storePickup, site: o.store, transferFrom: -1, reason: 1 };
  if (o.rdcAvailable >= o.quantity) return { path: PATH.transferThenPickup, site: o.store, transferFrom: o.rdc, reason: 2 };
  return { path: PATH.storePickup, site: o.store, transferFrom: -1, reason: 3 };
}
