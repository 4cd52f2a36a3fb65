// The fulfilment paths an online order can take through the network, as small integers, and the questions
// every part asks of a path. Shared vocabulary of the router (sim/policy/), the metrics and the model;
// nothing here knows of a running simulation.

/** Fulfilment paths (DESIGN §1, L2), as small integers. */
export const PATH = { rdcExpress: 0, fdcInstant: 1, storePickup: 2, storeDelivery: 3, transferThenPickup: 4 } as const;
export type Path = (typeof PATH)[keyof typeof PATH];
export const PATH_NAMES = ["rdcExpress", "fdcInstant", "storePickup", "storeDelivery", "transferThenPickup"] as const;

/** Paths that end at a store counter, where the customer collects the order. */
export function isPickupPath(path: number): boolean {
  return path === PATH.storePickup || path === PATH.transferThenPickup;
}

/** Paths a site's riders deliver. */
export function isRiderPath(path: number): boolean {
  return path === PATH.fdcInstant || path === PATH.storeDelivery;
}
