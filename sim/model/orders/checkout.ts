// Checkout: a customer the arrival streams accepted becomes an online order — priced under the campaign it
// falls under, paid at once or, for a pre-sale, booked with its balance paid in the payment window (or
// never) — or a walk-in sale from the store's shelf, or a lost sale. With customer choices (issue #17) an
// online order may hold several lines (customer-choice.ts draws them), and a walk-in facing an empty shelf
// may walk to another store or order online. Also the fingerprint of every accepted customer, the run's
// arrival hash.
import { fingerprint, FINGERPRINT_START } from "../../engine/fingerprint.ts";
import type { CustomerDraw } from "../../demand/arrivals.ts";
import type { ActiveCampaign, DemandRates } from "../../demand/rates.ts";
import type { PlatformView } from "../coordination/platform-view.ts";
import type { Fulfilment } from "../fulfilment/fulfilment.ts";
import type { Marketing } from "../marketing.ts";
import type { Returns } from "../service/returns.ts";
import type { Replenishment } from "../stock/replenishment.ts";
import type { World } from "../world.ts";
import { durationQuantileMinutes } from "./customer.ts";
import { CustomerChoice, WALK_IN_CHOICE } from "./customer-choice.ts";
import { ORDER_STATE, STAGE, type OrderId } from "./order.ts";

/** Mean minutes between an order being ready at a store and the customer coming for it. */
const PICKUP_DELAY_MEAN_MINUTES = 180;

/** The checkout of one run. */
export class Checkout {
  /** Running fingerprint behind `arrivalHash`, signed (see sim/engine/fingerprint.ts). */
  private arrivals = FINGERPRINT_START;
  /** The scenario's customer choices: baskets and switching. */
  readonly choice: CustomerChoice;
  /** The rows of the customer order being placed, and the SKUs of its extra lines (reused). */
  private readonly basketRows: Int32Array;
  private readonly extraSkus: Int32Array;

  constructor(
    private readonly w: World,
    private readonly rates: DemandRates,
    private readonly view: PlatformView,
    private readonly fulfilment: Fulfilment,
    private readonly replenishment: Replenishment,
    private readonly returns: Returns,
    private readonly marketing: Marketing,
  ) {
    this.choice = new CustomerChoice(w.network, w.scenario);
    this.basketRows = new Int32Array(this.choice.maxLines);
    this.extraSkus = new Int32Array(this.choice.maxLines);
  }

  /** Hash of every accepted customer (time, zone, channel, SKU, quantity), in arrival order; unsigned 32-bit. */
  get arrivalHash(): number {
    return this.arrivals >>> 0;
  }

  /** The campaign a purchase falls under now: a pre-sale first (unless `presale` is false), else the deepest discount; null if none. */
  private campaignFor(t: number, zone: number, channel: number, sku: number, presale = true): ActiveCampaign | null {
    let best: ActiveCampaign | null = null;
    for (const c of this.rates.campaigns) {
      if (t < c.start || t >= c.end || !c.channelMask[channel] || !c.skuMask[sku] || (zone >= 0 && !c.zoneMask[zone])) continue;
      if (c.presale && !presale) continue;
      if (c.presale) return c;
      if (!best || c.discount > best.discount) best = c;
    }
    return best;
  }

  /** What a unit of SKU `sku` sells for under `campaign` (its discount off the list price; none without one). */
  private priceUnder(sku: number, campaign: ActiveCampaign | null): number {
    return this.w.network.skus[sku].price * (1 - (campaign?.discount ?? 0));
  }

  /**
   * An online customer the levers' promotion pressure shifted (sim/demand/arrivals.ts): counted with the
   * order lines, units and margin at the price they would have paid, so throttled demand is never silently lost.
   */
  shifted(d: CustomerDraw, added: boolean): void {
    const { skus } = this.w.network;
    const sku = skus[d.sku];
    const campaign = this.campaignFor(d.t, d.zone, d.channel, d.sku);
    const unitPrice = this.priceUnder(d.sku, campaign);
    let lines = 1;
    let units = d.quantity;
    let margin = (unitPrice - sku.unitCost) * d.quantity;
    // With baskets the customer's extra lines come or go with them: the same lines placeOnline would make
    // (the basket draws are the candidate's own), one unit each; a pre-sale booking stays one line.
    if (!campaign?.presale) {
      const extras = this.choice.basketExtras(d.channel, d.sku, d.uBasket, this.extraSkus);
      for (let i = 0; i < extras; i++) {
        const k = this.extraSkus[i];
        const c = this.campaignFor(d.t, d.zone, d.channel, k, false);
        lines++;
        units++;
        margin += this.priceUnder(k, c) - skus[k].unitCost;
      }
    }
    this.w.metrics.pressureShift(added, lines, units, margin);
  }

  /** One customer the arrival streams accepted: an online order (paid now, or a pre-sale booking) or a walk-in sale. */
  customer(d: CustomerDraw): void {
    const w = this.w;
    const { metrics, clock } = w;
    this.arrivals = fingerprint(fingerprint(fingerprint(fingerprint(fingerprint(this.arrivals, Math.round(d.t * 1000)), d.zone), d.channel), d.sku), d.quantity);
    const campaign = this.campaignFor(d.t, d.zone, d.channel, d.sku);
    const unitPrice = this.priceUnder(d.sku, campaign);
    metrics.unitsDemanded += d.quantity;
    metrics.demand(clock.dayIndex(d.t), d.quantity);
    this.view.customerSeen(d.zone, d.store, d.channel, d.sku, d.t);
    if (campaign !== null) this.marketing.ordered(campaign, d.quantity);
    if (d.store >= 0) {
      this.walkIn(d, unitPrice);
      return;
    }
    this.placeOnline(d, d.zone, d.channel, d.lat, d.lon, campaign, unitPrice, d.uSwitch, true);
  }

  /**
   * Place an online order for the customer of `d` (an online arrival, or a walk-in who switched to ordering
   * online): its first line is `d`'s SKU and quantity; `basket` lets it take extra lines. `uSwitch` is the
   * customer's draw for a pickup offer.
   */
  private placeOnline(d: CustomerDraw, zone: number, channel: number, lat: number, lon: number, campaign: ActiveCampaign | null, unitPrice: number, uSwitch: number, basket: boolean): void {
    const w = this.w;
    const orders = w.orders;
    const o = this.line(d, zone, channel, lat, lon, d.sku, d.quantity, campaign, unitPrice, uSwitch);
    const presale = campaign?.presale;
    this.view.placed(o, !!presale);
    if (!presale) {
      // A pre-sale booking stays one line: its balance is paid later, alone.
      const extras = basket ? this.choice.basketExtras(channel, d.sku, d.uBasket, this.extraSkus) : 0;
      if (extras === 0) {
        this.pay(o);
        return;
      }
      const rows = this.basketRows;
      rows[0] = o;
      const { metrics, network, clock } = w;
      for (let i = 0; i < extras; i++) {
        const k = this.extraSkus[i];
        const c = this.campaignFor(d.t, zone, channel, k, false);
        const row = this.line(d, zone, channel, lat, lon, k, 1, c, this.priceUnder(k, c), uSwitch);
        if (c !== null) this.marketing.ordered(c, 1);
        // The platform sees every line customers order, not only each order's first.
        this.view.customerSeen(zone, -1, channel, k, d.t);
        orders.basket[row] = orders.basket[o];
        metrics.unitsDemanded += 1;
        metrics.demand(clock.dayIndex(d.t), 1);
        this.view.placed(row, false);
        rows[i + 1] = row;
      }
      for (let i = 0; i <= extras; i++) orders.basketLines[rows[i]] = Math.min(255, extras + 1);
      this.payBasket(rows, extras + 1);
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

  /** One order row (a line) for the customer of `d`, placed now; the customer's own draws go with it. */
  private line(d: CustomerDraw, zone: number, channel: number, lat: number, lon: number, sku: number, quantity: number, campaign: ActiveCampaign | null, unitPrice: number, uSwitch: number): OrderId {
    const orders = this.w.orders;
    const o = orders.add(zone, channel, sku, quantity, campaign?.index ?? -1);
    orders.lat[o] = lat;
    orders.lon[o] = lon;
    orders.unitPrice[o] = unitPrice;
    orders.patienceMinutes[o] = durationQuantileMinutes(this.w.network.skus[sku].patience, d.uPatience);
    orders.returnDraw[o] = d.uReturn;
    orders.resaleDraw[o] = d.uResale;
    orders.lastMileDraw[o] = d.uLastMile;
    orders.pickupDelayMinutes[o] = -Math.log(1 - d.uPickup) * PICKUP_DELAY_MEAN_MINUTES;
    if (this.choice.declinesPickup(uSwitch)) orders.declinesPickup[o] = 1;
    orders.stamp(o, STAGE.placed, d.t);
    this.w.metrics.ordersPlaced++;
    return o;
  }

  /** The lines of one customer order are paid together: fulfilment routes them as one. */
  private payBasket(rows: Int32Array, n: number): void {
    this.fulfilment.releaseBasket(rows, n);
    const O = this.w.orders;
    for (let i = 0; i < n; i++) {
      const o = rows[i];
      if (O.state[o] !== ORDER_STATE.cancelled && O.parcelLead[o]) this.w.metrics.routed(O.site[o], this.w.sim.now);
      this.view.paid(o);
    }
  }

  /** An order is paid: fulfilment routes it, and the platform view hears where it went. */
  private pay(o: OrderId): void {
    this.fulfilment.release(o);
    const site = this.w.orders.site[o];
    if (site >= 0 && this.w.orders.state[o] !== ORDER_STATE.cancelled) this.w.metrics.routed(site, this.w.sim.now);
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
      return;
    }
    metrics.walkInStockouts++;
    metrics.unitsWalkInStockout += d.quantity;
    // An empty shelf is an experience too: as bad as a cancelled order, whatever the customer does next.
    metrics.experience(0);
    this.w.satisfaction.record(-1, 0, d.store);
    const choice = this.choice.switching ? this.choice.walkInChoice(d.store, d.sku, d.uSwitch) : WALK_IN_CHOICE.leave;
    if (choice === WALK_IN_CHOICE.otherStore) {
      // The customer walks to the nearest other store within reach, without knowing its shelf.
      const other = this.choice.otherStoreOf(d.store);
      metrics.walkInsToOtherStore++;
      this.replenishment.demandSeen(other, d.sku, d.quantity);
      if (stock.take(other, d.sku, d.quantity)) {
        metrics.unitsRecoveredOtherStore += d.quantity;
        metrics.unitsFulfilled += d.quantity;
        metrics.revenue += unitPrice * d.quantity;
        metrics.costOfGoodsSold += sku.unitCost * d.quantity;
        metrics.ledger[d.sku].shippedToCustomers += d.quantity;
        if (d.uReturn < this.returns.returnRate(d.channel, d.sku)) this.returns.consider(d.channel, d.sku, d.quantity, unitPrice, other, d.uReturn, d.uResale);
        // A sale off the other store's shelf is a good experience there.
        metrics.experience(1);
        this.w.satisfaction.record(-1, 1, other);
        return;
      }
      metrics.unitsOtherStoreEmpty += d.quantity;
    } else if (choice === WALK_IN_CHOICE.online) {
      // The customer orders online for home delivery, from the store's zone, at the online price now. Their
      // switching draw is spent on this choice; rescaled, its position inside the online share answers a pickup offer.
      const zone = this.choice.zoneOf(d.store);
      const channel = this.choice.onlineChannel;
      const site = network.sites[d.store];
      const campaign = this.campaignFor(d.t, zone, channel, d.sku);
      metrics.walkInsToOnline++;
      metrics.unitsOrderedOnline += d.quantity;
      this.placeOnline(d, zone, channel, site.lat, site.lon, campaign, this.priceUnder(d.sku, campaign), this.choice.onlineDraw(d.sku, d.uSwitch), false);
      return;
    }
    metrics.unitsLostSales += d.quantity;
    metrics.lostMargin += (unitPrice - sku.unitCost) * d.quantity;
  }
}
