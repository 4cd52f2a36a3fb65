// Orders: the customer entity and its life cycle. An order is one SKU line of one or more units; a customer's
// multi-line order (a basket, issue #17) is several orders sharing a `basket` number, paid and routed together.
//   placed → (awaiting payment, pre-sale) → allocated | backordered → picked → shipped → delivered
//   any open state → cancelled (patience ran out; refunded if paid)
// Walk-in purchases are not orders: they sell from the shelf at once or are lost sales.
import { grown } from "../../engine/typed-arrays.ts";
import { PATH, type Path } from "../../network/paths.ts";

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

/** Stages whose times a run that keeps its orders (`keepOrders`) records, as offsets into a stage row. */
export const STAGE = { placed: 0, allocated: 1, pickQueued: 2, shipped: 3, delivered: 4, cancelled: 5 } as const;
export type Stage = (typeof STAGE)[keyof typeof STAGE];
const STAGE_COUNT = 6;

/** `Orders.seenByView`: placed before the platform view opened, placed while it was open, or a pre-sale order placed while open and not yet paid. */
export const NOT_SEEN = 0;
export const SEEN = 1;
export const SEEN_BOOKED = 2;

/** An order's handle: its row in the run's `Orders`. */
export type OrderId = number;

const INITIAL_CAPACITY = 1024;

/**
 * Every order of a run, as columns (struct of arrays): an order is a row number, its fields are typed-array
 * cells. A 618 run places ~575,000 orders; as objects each carried a dozen boxed doubles that the garbage
 * collector copied and promoted while the order was open (196 MB copied and 130 MB promoted per siloed run,
 * against 24 and 50 MB with columns). Rows of delivered orders are reused (`retire`) unless the run keeps its
 * orders, so the columns hold about as many rows as orders are open or cancelled.
 */
export class Orders {
  /** Rows in use or retired (the high-water mark). */
  private rows = 0;
  /** Retired rows, reused by `add` last in first out (grows on its own, not with the columns). */
  private free: Int32Array = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  /** Orders placed so far. */
  placed = 0;

  state = new Uint8Array(INITIAL_CAPACITY);
  path = new Uint8Array(INITIAL_CAPACITY);
  /** Why the router chose the path (an index into ROUTE_REASONS). */
  reason = new Uint8Array(INITIAL_CAPACITY);
  /** Units still owed by a transfer before a store pickup order can be picked (1/0). */
  awaitingTransfer = new Uint8Array(INITIAL_CAPACITY);
  late = new Uint8Array(INITIAL_CAPACITY);
  /** The customer is within the tiered-fulfilment "near" distance of a store or FDC that stocks the SKU (1/0). */
  near = new Uint8Array(INITIAL_CAPACITY);
  /** Whether the platform view (levers L1/L3) heard of the order: NOT_SEEN, SEEN or SEEN_BOOKED. */
  seenByView = new Uint8Array(INITIAL_CAPACITY);
  /**
   * The line pays for its parcel (1): its last mile in full, a pick slot and pick/pack. 0 for a later line of
   * a basket routed into a parcel an earlier line opened: only its weight on the last mile.
   */
  parcelLead = new Uint8Array(INITIAL_CAPACITY);
  /**
   * The next line travelling in the same parcel (picked with this one, delivered or handed over with it), or
   * -1: a chain from the parcel's lead, so the lines of one parcel share its events.
   */
  parcelNext = new Int32Array(INITIAL_CAPACITY);
  /** The customer would decline a store-pickup offer for a home-delivery order (switching, 1/0). */
  declinesPickup = new Uint8Array(INITIAL_CAPACITY);
  /** The order's number in placing order (0, 1, 2, ...), whatever row it occupies. */
  id = new Float64Array(INITIAL_CAPACITY);
  /** The customer order the line belongs to: the id of its first line. */
  basket = new Float64Array(INITIAL_CAPACITY);
  /** Lines in the line's customer order (1 for a single-line order; at most 255 counted). */
  basketLines = new Uint8Array(INITIAL_CAPACITY);
  zone = new Int32Array(INITIAL_CAPACITY);
  channel = new Int32Array(INITIAL_CAPACITY);
  sku = new Int32Array(INITIAL_CAPACITY);
  /** Serving site, or -1 until routed. */
  site = new Int32Array(INITIAL_CAPACITY);
  /** Campaign index that drove the order, or -1. */
  campaign = new Int32Array(INITIAL_CAPACITY);
  /** Index in Fulfilment.paidOpen while paid and neither delivered nor cancelled, else -1. */
  openSlot = new Int32Array(INITIAL_CAPACITY);
  quantity = new Float64Array(INITIAL_CAPACITY);
  /** Sim time payment cleared (pre-sale: the balance payment); NaN until paid. */
  paidAt = new Float64Array(INITIAL_CAPACITY);
  /** Promised delivery (or pickup-ready) time. */
  promiseAt = new Float64Array(INITIAL_CAPACITY);
  /** When the order was dispatched: handed to the carrier or a rider, or (pickup) ready at the store counter. */
  readyAt = new Float64Array(INITIAL_CAPACITY);
  /** Pending patience event, or -1. */
  patienceEvent = new Float64Array(INITIAL_CAPACITY);
  /** Customer position. */
  lat = new Float64Array(INITIAL_CAPACITY);
  lon = new Float64Array(INITIAL_CAPACITY);
  /** Price per unit after campaign discount. */
  unitPrice = new Float64Array(INITIAL_CAPACITY);
  /** Customer-intrinsic draws, made at arrival whatever the policy (common random numbers). */
  patienceMinutes = new Float64Array(INITIAL_CAPACITY);
  returnDraw = new Float64Array(INITIAL_CAPACITY);
  resaleDraw = new Float64Array(INITIAL_CAPACITY);
  /** The customer's last-mile transit uniform (sim/model/transport.ts), drawn at arrival. */
  lastMileDraw = new Float64Array(INITIAL_CAPACITY);
  pickupDelayMinutes = new Float64Array(INITIAL_CAPACITY);
  /** Stage times, `[row * STAGE_COUNT + stage]`; only when the run keeps its orders. */
  private stages: Float64Array | null;

  /** `keep`: never reuse a row and record stage times, so `views` can show every order placed. */
  constructor(readonly keep: boolean) {
    this.stages = keep ? new Float64Array(INITIAL_CAPACITY * STAGE_COUNT).fill(Number.NaN) : null;
  }

  /**
   * Place an order: a row with its whole-number fields set and every other field reset. The caller then
   * writes the order's real-valued fields (position, price, customer draws) straight into their columns;
   * doubles passed as arguments to a call V8 does not inline are boxed, one small allocation
   * each, and this runs once per order.
   */
  add(zone: number, channel: number, sku: number, quantity: number, campaign: number): OrderId {
    let o: number;
    if (this.freeCount > 0) {
      o = this.free[--this.freeCount];
    } else {
      if (this.rows === this.state.length) this.grow();
      o = this.rows++;
    }
    this.state[o] = ORDER_STATE.awaitingPayment;
    this.path[o] = PATH.rdcExpress;
    this.reason[o] = 0;
    this.awaitingTransfer[o] = 0;
    this.late[o] = 0;
    this.near[o] = 0;
    this.seenByView[o] = NOT_SEEN;
    this.parcelLead[o] = 1;
    this.parcelNext[o] = -1;
    this.declinesPickup[o] = 0;
    this.basket[o] = this.id[o] = this.placed++;
    this.basketLines[o] = 1;
    this.zone[o] = zone;
    this.channel[o] = channel;
    this.sku[o] = sku;
    this.site[o] = -1;
    this.campaign[o] = campaign;
    this.openSlot[o] = -1;
    this.quantity[o] = quantity;
    this.paidAt[o] = Number.NaN;
    this.promiseAt[o] = Number.NaN;
    this.readyAt[o] = Number.NaN;
    this.patienceEvent[o] = -1;
    return o;
  }

  /** Record when an order reached a stage (kept runs only). */
  stamp(o: OrderId, stage: Stage, t: number): void {
    if (this.stages) this.stages[o * STAGE_COUNT + stage] = t;
  }

  /**
   * A delivered order is done with: nothing refers to its row any more (it left every queue when picked,
   * and its last event has run), so the row may hold a new order. Kept runs never reuse rows.
   */
  retire(o: OrderId): void {
    if (this.keep) return;
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = o;
  }

  /** Rows the columns hold (orders open, cancelled, or kept). */
  get rowCount(): number {
    return this.rows;
  }

  /** Every order placed, in placing order, as live views; only for a run that keeps its orders. */
  views(): Order[] {
    if (!this.keep) throw new Error("Twin.orders needs a twin made with { keepOrders: true }; a run reuses the rows of delivered orders");
    return Array.from({ length: this.rows }, (_, o) => new Order(this, o));
  }

  /** The time an order reached a stage; NaN if it has not, or if the run keeps no stage times. */
  stageAt(o: OrderId, stage: Stage): number {
    return this.stages ? this.stages[o * STAGE_COUNT + stage] : Number.NaN;
  }

  private grow(): void {
    const capacity = this.state.length * 2;
    this.state = grown(this.state, capacity);
    this.path = grown(this.path, capacity);
    this.reason = grown(this.reason, capacity);
    this.awaitingTransfer = grown(this.awaitingTransfer, capacity);
    this.late = grown(this.late, capacity);
    this.near = grown(this.near, capacity);
    this.seenByView = grown(this.seenByView, capacity);
    this.parcelLead = grown(this.parcelLead, capacity);
    this.parcelNext = grown(this.parcelNext, capacity);
    this.declinesPickup = grown(this.declinesPickup, capacity);
    this.basketLines = grown(this.basketLines, capacity);
    this.id = grown(this.id, capacity);
    this.basket = grown(this.basket, capacity);
    this.zone = grown(this.zone, capacity);
    this.channel = grown(this.channel, capacity);
    this.sku = grown(this.sku, capacity);
    this.site = grown(this.site, capacity);
    this.campaign = grown(this.campaign, capacity);
    this.openSlot = grown(this.openSlot, capacity);
    this.quantity = grown(this.quantity, capacity);
    this.paidAt = grown(this.paidAt, capacity);
    this.promiseAt = grown(this.promiseAt, capacity);
    this.readyAt = grown(this.readyAt, capacity);
    this.patienceEvent = grown(this.patienceEvent, capacity);
    this.lat = grown(this.lat, capacity);
    this.lon = grown(this.lon, capacity);
    this.unitPrice = grown(this.unitPrice, capacity);
    this.patienceMinutes = grown(this.patienceMinutes, capacity);
    this.returnDraw = grown(this.returnDraw, capacity);
    this.resaleDraw = grown(this.resaleDraw, capacity);
    this.lastMileDraw = grown(this.lastMileDraw, capacity);
    this.pickupDelayMinutes = grown(this.pickupDelayMinutes, capacity);
    if (this.stages) {
      const stages = new Float64Array(capacity * STAGE_COUNT).fill(Number.NaN);
      stages.set(this.stages);
      this.stages = stages;
    }
  }
}

/** One order of a kept run, read live from its row (tests and diagnostics). */
export class Order {
  constructor(
    private readonly book: Orders,
    readonly row: OrderId,
  ) {}
  get id(): number {
    return this.book.id[this.row];
  }
  get state(): OrderState {
    return this.book.state[this.row] as OrderState;
  }
  get path(): Path {
    return this.book.path[this.row] as Path;
  }
  get reason(): number {
    return this.book.reason[this.row];
  }
  get awaitingTransfer(): boolean {
    return this.book.awaitingTransfer[this.row] === 1;
  }
  get late(): boolean {
    return this.book.late[this.row] === 1;
  }
  get near(): boolean {
    return this.book.near[this.row] === 1;
  }
  get basket(): number {
    return this.book.basket[this.row];
  }
  get parcelLead(): boolean {
    return this.book.parcelLead[this.row] === 1;
  }
  get zone(): number {
    return this.book.zone[this.row];
  }
  get channel(): number {
    return this.book.channel[this.row];
  }
  get sku(): number {
    return this.book.sku[this.row];
  }
  get site(): number {
    return this.book.site[this.row];
  }
  get campaign(): number {
    return this.book.campaign[this.row];
  }
  get openSlot(): number {
    return this.book.openSlot[this.row];
  }
  get quantity(): number {
    return this.book.quantity[this.row];
  }
  get paidAt(): number {
    return this.book.paidAt[this.row];
  }
  get promiseAt(): number {
    return this.book.promiseAt[this.row];
  }
  get readyAt(): number {
    return this.book.readyAt[this.row];
  }
  get lat(): number {
    return this.book.lat[this.row];
  }
  get lon(): number {
    return this.book.lon[this.row];
  }
  get unitPrice(): number {
    return this.book.unitPrice[this.row];
  }
  get patienceMinutes(): number {
    return this.book.patienceMinutes[this.row];
  }
  get placedAt(): number {
    return this.book.stageAt(this.row, STAGE.placed);
  }
  get allocatedAt(): number {
    return this.book.stageAt(this.row, STAGE.allocated);
  }
  get pickQueuedAt(): number {
    return this.book.stageAt(this.row, STAGE.pickQueued);
  }
  get shippedAt(): number {
    return this.book.stageAt(this.row, STAGE.shipped);
  }
  get deliveredAt(): number {
    return this.book.stageAt(this.row, STAGE.delivered);
  }
  get cancelledAt(): number {
    return this.book.stageAt(this.row, STAGE.cancelled);
  }
  /** Open = still owed to the customer and not yet on its way. */
  get open(): boolean {
    return this.state <= ORDER_STATE.picked;
  }
}
