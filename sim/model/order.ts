// Orders: the customer entity and its life cycle. An order is one SKU line of one or more units.
//   placed → (awaiting payment, pre-sale) → allocated | backordered → picked → shipped → delivered
//   any open state → cancelled (patience ran out; refunded if paid)
// Walk-in purchases are not orders: they sell from the shelf at once or are lost sales.

/** Order states, as stable small integers (index into ORDER_STATE_NAMES). */
export const ORDER_STATE = {
  awaitingPayment: 0,
  backordered: 1,
  allocated: 2,
  picked: 3,
  shipped: 4,
  delivered: 5,
  cancelled: 6,
} as const;
export type OrderState = (typeof ORDER_STATE)[keyof typeof ORDER_STATE];
export const ORDER_STATE_NAMES = ["awaitingPayment", "backordered", "allocated", "picked", "shipped", "delivered", "cancelled"] as const;

/** Fulfilment paths (DESIGN §1, L2), as small integers. */
export const PATH = { rdcExpress: 0, fdcInstant: 1, storePickup: 2, storeDelivery: 3, transferThenPickup: 4 } as const;
export type Path = (typeof PATH)[keyof typeof PATH];
export const PATH_NAMES = ["rdcExpress", "fdcInstant", "storePickup", "storeDelivery", "transferThenPickup"] as const;

/**
 * When an order went through each stage, for tests and diagnostics: only a run that keeps its orders
 * (`keepOrders`) records it, so the orders of an ordinary run carry six fewer numbers each.
 */
export class OrderTrace {
  allocatedAt = Number.NaN;
  pickQueuedAt = Number.NaN;
  shippedAt = Number.NaN;
  deliveredAt = Number.NaN;
  cancelledAt = Number.NaN;
  constructor(readonly placedAt: number) {}
}

/** One customer order. Fields are plain numbers so a run can hold many of them cheaply. */
export class Order {
  state: OrderState = ORDER_STATE.awaitingPayment;
  /** Sim time payment cleared (pre-sale: the balance payment); NaN until paid. */
  paidAt = Number.NaN;
  /** Promised delivery (or pickup-ready) time. */
  promiseAt = Number.NaN;
  site = -1;
  path: Path = PATH.rdcExpress;
  /** Why the router chose this path (an index into ROUTE_REASONS). */
  reason = 0;
  /** Pickup orders: when the order was ready at the store counter. */
  readyAt = Number.NaN;
  /** Pending patience event, or -1. */
  patienceEvent = -1;
  /** Index in Fulfilment.paidOpen while paid and neither delivered nor cancelled, else -1. */
  openSlot = -1;
  /** Units still owed by a transfer before a store pickup order can be picked. */
  awaitingTransfer = false;
  late = false;
  /** The customer is within the tiered-fulfilment "near" distance of a store or FDC that stocks the SKU. */
  near = false;

  constructor(
    readonly id: number,
    readonly zone: number,
    readonly channel: number,
    readonly sku: number,
    readonly quantity: number,
    /** Customer position. */
    readonly lat: number,
    readonly lon: number,
    /** Price per unit after campaign discount. */
    readonly unitPrice: number,
    /** Campaign index that drove the order, or -1. */
    readonly campaign: number,
    /** Customer-intrinsic draws, made at arrival whatever the policy (common random numbers). */
    readonly patienceMinutes: number,
    readonly returnDraw: number,
    readonly resaleDraw: number,
    readonly pickupDelayMinutes: number,
  ) {}

  /** Stage times; null unless the run keeps its orders. */
  trace: OrderTrace | null = null;

  get placedAt(): number {
    return this.trace ? this.trace.placedAt : Number.NaN;
  }
  get allocatedAt(): number {
    return this.trace ? this.trace.allocatedAt : Number.NaN;
  }
  get pickQueuedAt(): number {
    return this.trace ? this.trace.pickQueuedAt : Number.NaN;
  }
  get shippedAt(): number {
    return this.trace ? this.trace.shippedAt : Number.NaN;
  }
  get deliveredAt(): number {
    return this.trace ? this.trace.deliveredAt : Number.NaN;
  }
  get cancelledAt(): number {
    return this.trace ? this.trace.cancelledAt : Number.NaN;
  }

  /** Open = still owed to the customer and not yet on its way. */
  get open(): boolean {
    return this.state <= ORDER_STATE.picked;
  }
}

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
] as const;
