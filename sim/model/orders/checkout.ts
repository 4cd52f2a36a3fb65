// Checkout: a customer the arrival streams accepted becomes an online order — priced under the campaign it
// falls under, paid at once or, for a pre-sale, booked with its balance paid in the payment window (or
// never) — or a walk-in sale from the store's shelf, or a lost sale. Also the fingerprint of every
// accepted customer, the run's arrival hash.
import { fingerprint, FINGERPRINT_START } from "../../engine/fingerprint.ts";
import type { CustomerDraw } from "../../demand/arrivals.ts";
import type { ActiveCampaign, DemandRates } from "../../demand/rates.ts";
import type { PlatformView } from "../coordination/platform-view.ts";
import type { Fulfilment } from "../fulfilment/fulfilment.ts";
import type { Returns } from "../service/returns.ts";
import type { Replenishment } from "../stock/replenishment.ts";
import type { World } from "../world.ts";
import { durationQuantileMinutes } from "./customer.ts";
import { ORDER_STATE, STAGE, type OrderId } from "./order.ts";

/** Mean minutes between an order being ready at a store and the customer coming for it. */
const PICKUP_DELAY_MEAN_MINUTES = 180;

/** The checkout of one run. */
export class Checkout {
  /** Running fingerprint behind `arrivalHash`, signed (see sim/engine/fingerprint.ts). */
  private arrivals = FINGERPRINT_START;

  constructor(
    private readonly w: World,
    private readonly rates: DemandRates,
    private readonly view: PlatformView,
    private readonly fulfilment: Fulfilment,
    private readonly replenishment: Replenishment,
    private readonly returns: Returns,
  ) {}

  /** Hash of every accepted customer (time, zone, channel, SKU, quantity), in arrival order; unsigned 32-bit. */
  get arrivalHash(): number {
    return this.arrivals >>> 0;
  }

  /** The campaign a purchase falls under now: a pre-sale first, else the deepest discount; null if none. */
  private campaignFor(t: number, zone: number, channel: number, sku: number): ActiveCampaign | null {
    let best: ActiveCampaign | null = null;
    for (const c of this.rates.campaigns) {
      if (t < c.start || t >= c.end || !c.channelMask[channel] || !c.skuMask[sku] || (zone >= 0 && !c.zoneMask[zone])) continue;
      if (c.presale) return c;
      if (!best || c.discount > best.discount) best = c;
    }
    return best;
  }

  /** One customer the arrival streams accepted: an online order (paid now, or a pre-sale booking) or a walk-in sale. */
  /**
   * An online customer the levers' promotion pressure shifted (sim/demand/arrivals.ts): counted with the
   * units and the margin at the price they would have paid, so throttled demand is never silently lost.
   */
  shifted(d: CustomerDraw, added: boolean): void {
    const sku = this.w.network.skus[d.sku];
    const campaign = this.campaignFor(d.t, d.zone, d.channel, d.sku);
    const unitPrice = sku.price * (1 - (campaign?.discount ?? 0));
    this.w.metrics.pressureShift(added, d.quantity, (unitPrice - sku.unitCost) * d.quantity);
  }

  customer(d: CustomerDraw): void {
    const w = this.w;
    const { metrics, network, clock } = w;
    this.arrivals = fingerprint(fingerprint(fingerprint(fingerprint(fingerprint(this.arrivals, Math.round(d.t * 1000)), d.zone), d.channel), d.sku), d.quantity);
    const sku = network.skus[d.sku];
    const campaign = this.campaignFor(d.t, d.zone, d.channel, d.sku);
    const unitPrice = sku.price * (1 - (campaign?.discount ?? 0));
    metrics.unitsDemanded += d.quantity;
    metrics.demand(clock.dayIndex(d.t), d.quantity);
    this.view.customerSeen(d.zone, d.store, d.channel, d.sku, d.t);
    if (d.store >= 0) {
      this.walkIn(d, unitPrice);
      return;
    }
    const orders = w.orders;
    const o = orders.add(d.zone, d.channel, d.sku, d.quantity, campaign?.index ?? -1);
    orders.lat[o] = d.lat;
    orders.lon[o] = d.lon;
    orders.unitPrice[o] = unitPrice;
    orders.patienceMinutes[o] = durationQuantileMinutes(sku.patience, d.uPatience);
    orders.returnDraw[o] = d.uReturn;
    orders.resaleDraw[o] = d.uResale;
    orders.pickupDelayMinutes[o] = -Math.log(1 - d.uPickup) * PICKUP_DELAY_MEAN_MINUTES;
    orders.stamp(o, STAGE.placed, d.t);
    metrics.ordersPlaced++;
    const presale = campaign?.presale;
    this.view.placed(o, !!presale);
    if (!presale) {
      this.pay(o);
      return;
    }
    // Pre-sale: a deposit now, the balance in the payment window; the order ships only once paid.
    const { sim } = w;
    if (d.uPay < presale.neverPayShare) {
      sim.scheduleAt(Math.max(sim.now, presale.balanceEnd), () => {
        if (orders.state[o] !== ORDER_STATE.awaitingPayment) return;
        this.fulfilment.cancel(o);
        this.view.cancelledUnpaid(o);
      });
      return;
    }
    const u = (d.uPay - presale.neverPayShare) / (1 - presale.neverPayShare);
    const share = presale.payFirstTwoHoursShare;
    const window = Math.max(0, presale.balanceEnd - presale.balanceStart - 120);
    const payAt = u < share ? presale.balanceStart + (u / share) * 120 : presale.balanceStart + 120 + ((u - share) / (1 - share)) * window;
    sim.scheduleAt(Math.max(sim.now, payAt), () => this.pay(o));
  }

  /** An order is paid: fulfilment routes it, and the platform view hears where it went. */
  private pay(o: OrderId): void {
    this.fulfilment.release(o);
    const site = this.w.orders.site[o];
    if (site >= 0) this.w.metrics.routed(site, this.w.sim.now);
    this.view.paid(o);
  }

  private walkIn(d: CustomerDraw, unitPrice: number): void {
    const { stock, metrics, network } = this.w;
    metrics.walkInCustomers++;
    this.replenishment.demandSeen(d.store, d.sku, d.quantity);
    const sku = network.skus[d.sku];
    if (stock.take(d.store, d.sku, d.quantity)) {
      metrics.walkInSold++;
      metrics.unitsFulfilled += d.quantity;
      metrics.revenue += unitPrice * d.quantity;
      metrics.costOfGoodsSold += sku.unitCost * d.quantity;
      metrics.ledger[d.sku].shippedToCustomers += d.quantity;
      // Checked here first: most sales are not returned, and the call would box its real-valued arguments.
      if (d.uReturn < this.returns.returnRate(d.channel, d.sku)) this.returns.consider(d.channel, d.sku, d.quantity, unitPrice, d.store, d.uReturn, d.uResale);
      metrics.experience(1);
      this.w.satisfaction.record(-1, 1, d.store);
    } else {
      metrics.unitsLostSales += d.quantity;
      metrics.lostMargin += (unitPrice - sku.unitCost) * d.quantity;
      // An empty shelf is an experience too: as bad as a cancelled order.
      metrics.experience(0);
      this.w.satisfaction.record(-1, 0, d.store);
    }
  }
}
