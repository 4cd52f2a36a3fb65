// The model side of order routing: builds what a router may look at for one paid order (distances, stock,
// queue-based time estimates, the prices in force), asks the router of the policy in force now (siloed, or
// tiered for lever L2), and records the choice in the routing log (routing-log.ts). The routers themselves
// are pure functions in sim/policy/router.ts; the time estimates come from the sites' fulfilment capacity
// (capacity.ts).
import { addedLineCost, lastMileCost, type CompensationRule, type LastMileOrder, type LastMilePrices } from "../../policy/path-cost.ts";
import { decisionSlot, ROUTE_REASON, routeSiloed, routeTiered, shipAsOneParcel, type DecisionSlot, type PathOption, type RouteDecision, type TieredObservation, type TieredRules } from "../../policy/router.ts";
import { isPickupPath, isRiderPath, PATH, type Path } from "../../network/paths.ts";
import type { OrderId } from "../orders/order.ts";
import type { FulfilmentCapacity } from "./capacity.ts";
import { cosLatitude } from "../../network/network.ts";
import type { World } from "../world.ts";
import { lateCompensationRule } from "../../scenario/schema.ts";
import { RoutingLog } from "./routing-log.ts";

/** Lines on one site share a parcel when they leave the same way: 0 express, 1 rider, 2 pickup at the counter. */
const parcelKind = (path: Path): number => (isPickupPath(path) ? 2 : isRiderPath(path) ? 1 : 0);

/** Most path options one order can have: express, pickup and delivery at every local site, one transfer. */
const optionCapacity = (localSites: number) => 2 + 2 * localSites;
/** Ad-hoc vans leave on the next full hour (as replenishment batches them). */
const VAN_SLOT_MINUTES = 60;
const VAN_KM_PER_HOUR = 40;

/** Routing for one run: observation, decision, log. */
export class Routing {
  private readonly options: PathOption[];
  private readonly order = {
    quantity: 1,
    weightKg: 0,
    largeAppliance: false,
    deliveryCustomer: true,
    valueCny: 0,
    perishableOrUrgent: false,
    marginCny: 0,
  };
  /** What the siloed router sees of the current order, and where both routers write their decision: reused. */
  private readonly siloed = { fulfilment: "delivery" as "delivery" | "pickup", quantity: 0, rdc: -1, rdcAvailable: 0, store: -1, storeAvailable: 0 };
  private readonly decision = decisionSlot();
  /** What the tiered router sees of the current order: reused, like the siloed one. */
  private readonly tiered: { -readonly [K in keyof TieredObservation]: TieredObservation[K] };
  private readonly rules: TieredRules;
  private readonly compensation: CompensationRule;
  /** Per zone: the FDCs and stores some customer of the zone might reach (pruned by distance once). */
  private readonly zoneReach: ReadonlyArray<readonly number[]>;
  /** Per site × SKU: the site holds the SKU (its scenario inventory lists it). */
  private readonly holds: Uint8Array;
  /** Customer → site km of the current order, per entry of its zone's reach list. */
  private readonly kmBuffer: Float64Array;
  /** Per store: the hour slot of the last transfer the router sent (a van already leaving costs nothing more). */
  private readonly vanSlot: Float64Array;
  /** Counts per site, path and reason, written as decisions window by window. */
  private readonly log: RoutingLog;
  /** CNY per extra parcel of a split customer order. */
  private readonly splitHandlingPerParcel: number;
  /** The decisions for the lines of the customer order being routed (reused). */
  private readonly plan: DecisionSlot[];

  constructor(
    private readonly w: World,
    private readonly fulfilment: FulfilmentCapacity,
  ) {
    const { network, scenario } = w;
    const lever = scenario.levers.tieredFulfilment;
    this.rules = { heavyKg: lever.heavyKg, valuableCny: lever.valuableCny, farKm: lever.farKm, nearKm: lever.nearKm, lateSpreadMinutes: lever.lateSpreadMinutes };
    // A broken delivery promise is priced at the rule's amount whatever the trigger: under lateDispatch it
    // stands for the goodwill a late order loses, which the router cannot price otherwise.
    this.compensation = lateCompensationRule(scenario.costs.lateCompensation);
    const local = [...network.fdcs, ...network.stores];
    this.options = Array.from({ length: optionCapacity(local.length) }, () => ({
      path: PATH.rdcExpress as Path,
      site: -1,
      transferFrom: -1,
      km: 0,
      available: 0,
      etaMinutes: 0,
      promiseAt: 0,
      pickPackCost: 0,
      transferCost: 0,
    }));
    const reachKm = (s: number) => {
      const site = network.sites[s];
      const radius = site.type === "fdc" || site.type === "store" ? site.deliveryRadiusKm : 0;
      return Math.max(radius, lever.nearKm, lever.farKm);
    };
    this.zoneReach = network.zones.map((z) =>
      local.filter((s) => network.kmFrom(z.lat, z.lon, s) - z.radiusKm * scenario.roadFactor <= reachKm(s)),
    );
    this.kmBuffer = new Float64Array(local.length);
    const switching = scenario.customers?.switching;
    const pickupDeclineShare = switching ? 1 - switching.pickupAcceptanceShare : 0;
    this.tiered = { order: this.order, rules: this.rules, prices: this.prices(), compensation: this.compensation, pickupDeclineShare, nearestLocalKm: Infinity, options: this.options, optionCount: 0 };
    const baskets = scenario.customers?.baskets;
    this.splitHandlingPerParcel = baskets?.splitHandlingPerParcel ?? 0;
    const maxLines = baskets ? Math.max(...baskets.linesPerOrder.map((b) => b.lines)) : 1;
    this.plan = Array.from({ length: maxLines }, () => decisionSlot());
    this.holds = new Uint8Array(network.siteCount * network.skuCount);
    network.sites.forEach((site, s) => {
      for (const line of site.inventory) this.holds[s * network.skuCount + network.skuIdx(line.sku)] = 1;
    });
    this.vanSlot = new Float64Array(network.siteCount).fill(-1);
    this.log = new RoutingLog(w);
  }

  private cachedPrices: LastMilePrices | null = null;

  /** Last-mile prices in force now (the express multiplier moves with price shocks). */
  prices(): LastMilePrices {
    const { scenario, expressPriceMultiplier } = this.w;
    if (this.cachedPrices && this.cachedPrices.expressMultiplier === expressPriceMultiplier) return this.cachedPrices;
    const c = scenario.costs;
    const lever = scenario.levers.tieredFulfilment;
    return (this.cachedPrices = {
      expressPerParcel: c.express.perParcel,
      expressPerKgAboveOne: c.express.perKgAboveOne,
      expressLargeAppliancePerUnit: c.express.largeAppliancePerUnit,
      expressMultiplier: expressPriceMultiplier,
      instantPerOrder: c.instantPerOrder,
      storeDeliveryPerOrder: c.storeDeliveryPerOrder,
      riderPerKm: lever.riderPerKm,
      pickupHandlingPerOrder: c.pickupHandlingPerOrder,
      pickupCouponPerOrder: lever.pickupCouponPerOrder,
      pickupCouponPerKm: lever.pickupCouponPerKm,
    });
  }

  /**
   * The realised last-mile cost of an order on a path (its own by default), at the prices the router uses; a
   * line in a parcel another line of its customer order pays for adds only its own share (addedLineCost).
   */
  lastMile(o: OrderId, path: Path = this.w.orders.path[o] as Path): number {
    const O = this.w.orders;
    const order = this.lastMileOrder(o);
    const prices = this.prices();
    if (!O.parcelLead[o]) return addedLineCost(path, order, prices);
    const pickup = isPickupPath(path);
    const rider = isRiderPath(path);
    const km = (pickup && order.deliveryCustomer) || (rider && prices.riderPerKm > 0) ? this.w.network.kmFrom(O.lat[o], O.lon[o], O.site[o]) : 0;
    return lastMileCost(path, order, km, prices);
  }

  private lastMileOrder(o: OrderId): LastMileOrder & { valueCny: number; perishableOrUrgent: boolean; marginCny: number } {
    const O = this.w.orders;
    const { network } = this.w;
    const sku = network.skus[O.sku[o]];
    const order = this.order;
    order.quantity = O.quantity[o];
    order.weightKg = sku.weightKg;
    order.largeAppliance = sku.category === "large-appliance";
    order.deliveryCustomer = network.channels[O.channel[o]].fulfilment === "delivery";
    return order;
  }

  /**
   * Route a paid order under the policy in force now; sets `O.near[o]` and logs the choice. The decision
   * returned is overwritten by the next call.
   */
  route(o: OrderId): RouteDecision {
    const decision = this.decide(o);
    this.log.record(decision, this.w.orders.quantity[o], decision.costCny, decision.expressCostCny);
    return decision;
  }

  /**
   * Route the lines of one customer order (a basket) together: each line as `route` would, then lines on one
   * site and kind of path share a parcel (the first pays for it, `O.parcelLead`). Tiered fulfilment weighs
   * that split plan against one express parcel from the regional warehouse and takes the cheaper. Returns the
   * parcels; `decisionFor(i)` is line i's decision until the next call.
   */
  routeBasket(rows: Int32Array, n: number): number {
    const O = this.w.orders;
    const { network, stock, policy } = this.w;
    const plan = this.plan;
    for (let i = 0; i < n; i++) {
      const d = this.decide(rows[i]);
      const p = plan[i];
      p.path = d.path;
      p.site = d.site;
      p.transferFrom = d.transferFrom;
      p.reason = d.reason;
      p.costCny = d.costCny;
      p.expressCostCny = d.expressCostCny;
    }
    // "Near" belongs to the customer, not to a line: a basket is near when any of its lines is, so the
    // near-customer KPIs count whole baskets in every arm, whichever line pays a shared parcel.
    let near = 0;
    for (let i = 0; i < n; i++) near |= O.near[rows[i]];
    for (let i = 0; i < n; i++) O.near[rows[i]] = near;
    let parcels = this.assignParcels(rows, n);
    if (policy.tieredFulfilment && parcels > 1) {
      const prices = this.prices();
      const rdc = network.zoneRdc[O.zone[rows[0]]];
      let split = this.splitHandlingPerParcel * (parcels - 1);
      let one = 0;
      for (let i = 0; i < n; i++) {
        const o = rows[i];
        const p = plan[i];
        const order = this.lastMileOrder(o);
        // A line sharing a parcel saves its own parcel's last mile and pick/pack in the split plan; in one parcel, every line but the first does.
        split += O.parcelLead[o] ? p.costCny : p.costCny - this.lastMileAt(o, p.path as Path, p.site) - this.fulfilment.pickPackCost(p.site) + addedLineCost(p.path as Path, order, prices);
        one += i === 0 ? p.expressCostCny : p.expressCostCny - lastMileCost(PATH.rdcExpress, order, 0, prices) - this.fulfilment.pickPackCost(rdc) + addedLineCost(PATH.rdcExpress, order, prices);
        // The regional warehouse must hold every line (lines of one SKU together, when SKUs may repeat).
        let units = O.quantity[o];
        for (let j = 0; j < i; j++) if (O.sku[rows[j]] === O.sku[o]) units += O.quantity[rows[j]];
        if (stock.available[stock.at(rdc, O.sku[o])] < units) one = Infinity;
      }
      if (shipAsOneParcel({ parcels, splitCostCny: split, oneParcelCostCny: one })) {
        for (let i = 0; i < n; i++) {
          const p = plan[i];
          p.path = PATH.rdcExpress;
          p.site = rdc;
          p.transferFrom = -1;
          p.reason = ROUTE_REASON.basketOneParcel;
          p.costCny = p.expressCostCny;
        }
        parcels = this.assignParcels(rows, n);
      }
    }
    for (let i = 0; i < n; i++) this.log.record(plan[i], O.quantity[rows[i]], plan[i].costCny, plan[i].expressCostCny);
    return parcels;
  }

  /** Line i's decision from the last `routeBasket`. */
  decisionFor(i: number): RouteDecision {
    return this.plan[i];
  }

  /** Mark the first line on each site and kind of path as its parcel's lead; returns the parcels. */
  private assignParcels(rows: Int32Array, n: number): number {
    const O = this.w.orders;
    let parcels = 0;
    for (let i = 0; i < n; i++) {
      const p = this.plan[i];
      let lead = 1;
      for (let j = 0; j < i; j++) {
        const q = this.plan[j];
        if (q.site === p.site && parcelKind(q.path as Path) === parcelKind(p.path as Path)) {
          lead = 0;
          break;
        }
      }
      O.parcelLead[rows[i]] = lead;
      parcels += lead;
    }
    return parcels;
  }

  /** Last-mile cost of order `o` alone on `path` from `site`. */
  private lastMileAt(o: OrderId, path: Path, site: number): number {
    const O = this.w.orders;
    const order = this.lastMileOrder(o);
    const prices = this.prices();
    const km = isPickupPath(path) || (isRiderPath(path) && prices.riderPerKm > 0) ? this.w.network.kmFrom(O.lat[o], O.lon[o], site) : 0;
    return lastMileCost(path, order, km, prices);
  }

  /** Route one order under the policy in force now, without logging it. */
  private decide(o: OrderId): DecisionSlot {
    const O = this.w.orders;
    const { network, stock, policy, scenario } = this.w;
    const nearKm = scenario.levers.tieredFulfilment.nearKm;
    // The "near" flag (every policy): a site within nearKm that holds the SKU. Tiered routing needs the
    // distance to every site in reach, so it works them all out once here; the others stop at the first near site.
    const reach = this.zoneReach[O.zone[o]];
    const km = this.kmBuffer;
    const cosLat = cosLatitude(O.lat[o]);
    const tiered = policy.tieredFulfilment;
    const sku = O.sku[o];
    let near = false;
    for (let i = 0; i < reach.length; i++) {
      const s = reach[i];
      const holds = this.holds[s * network.skuCount + sku];
      if (!tiered && (near || !holds)) continue;
      km[i] = network.kmFromCos(O.lat[o], O.lon[o], cosLat, s);
      if (km[i] <= nearKm && holds) near = true;
    }
    O.near[o] = near ? 1 : 0;
    if (tiered) {
      this.routeTieredNow(o, cosLat);
    } else {
      const rdc = network.zoneRdc[O.zone[o]];
      const fulfilment = network.channels[O.channel[o]].fulfilment;
      // The siloed router looks at a store only for a pickup order; a delivery order ships from the RDC.
      const store = fulfilment === "pickup" ? this.nearestStore(o, cosLat) : -1;
      const seen = this.siloed;
      seen.fulfilment = fulfilment;
      seen.quantity = O.quantity[o];
      seen.rdc = rdc;
      seen.rdcAvailable = stock.available[stock.at(rdc, O.sku[o])];
      seen.store = store;
      seen.storeAvailable = store >= 0 ? stock.available[stock.at(store, O.sku[o])] : 0;
      routeSiloed(seen, this.decision);
    }
    return this.decision;
  }

  /** The store nearest the customer of `o`, whose latitude's cosine is `cosLat`. */
  private nearestStore(o: OrderId, cosLat: number): number {
    const O = this.w.orders;
    const { network } = this.w;
    let best = -1;
    let bestKm = Infinity;
    for (const s of network.stores) {
      const km = network.kmFromCos(O.lat[o], O.lon[o], cosLat, s);
      if (km < bestKm) {
        bestKm = km;
        best = s;
      }
    }
    return best;
  }

  private routeTieredNow(o: OrderId, cosLat: number) {
    const O = this.w.orders;
    const { network, stock, sim, scenario } = this.w;
    const f = this.fulfilment;
    const now = sim.now;
    const sku = network.skus[O.sku[o]];
    const order = this.lastMileOrder(o);
    order.valueCny = O.unitPrice[o] * O.quantity[o];
    order.marginCny = (O.unitPrice[o] - sku.unitCost) * O.quantity[o];
    order.perishableOrUrgent = sku.shelfLifeDays !== undefined || sku.urgent;
    const options = this.options;
    let n = 0;
    // Regional express first: always offered (it backorders when the RDC is out).
    const rdc = network.zoneRdc[O.zone[o]];
    const rdcAvailable = stock.available[stock.at(rdc, O.sku[o])];
    const rdcKm = network.kmFromCos(O.lat[o], O.lon[o], cosLat, rdc);
    const expressEta = rdcAvailable >= O.quantity[o] ? f.expressDeliveryAt(f.carrier.estimate(rdc, f.pickDoneEstimate(rdc, now)), rdcKm) : Infinity;
    this.offer(options[n++], o, PATH.rdcExpress, rdc, -1, rdcKm, rdcAvailable, expressEta, 0);
    const pickupCustomer = !order.deliveryCustomer;
    let nearestLocalKm = Infinity;
    let nearestStore = -1;
    let nearestStoreKm = Infinity;
    const reach = this.zoneReach[O.zone[o]];
    for (let i = 0; i < reach.length; i++) {
      const s = reach[i];
      const site = network.sites[s];
      if (site.type !== "fdc" && site.type !== "store") continue;
      const km = this.kmBuffer[i];
      if (km < nearestLocalKm) nearestLocalKm = km;
      if (site.type === "store" && km < nearestStoreKm) {
        nearestStoreKm = km;
        nearestStore = s;
      }
      const available = stock.available[stock.at(s, O.sku[o])];
      if (available < O.quantity[o]) continue;
      const canDeliver = km <= site.deliveryRadiusKm && site.riders > 0;
      const canCollect = site.type === "store" && km <= this.rules.nearKm;
      if (!canDeliver && !canCollect) continue;
      const pickDone = f.pickDoneEstimate(s, now);
      if (canDeliver) {
        const path = site.type === "fdc" ? PATH.fdcInstant : PATH.storeDelivery;
        const eta = Math.max(pickDone, f.riderFreeEstimate(s, now)) + f.riderOneWayMinutes(s, km);
        this.offer(options[n++], o, path, s, -1, km, available, eta, 0);
      }
      if (canCollect) {
        this.offer(options[n++], o, PATH.storePickup, s, -1, km, available, pickDone, 0);
      }
    }
    // A customer who asked for pickup may always collect at the nearest store, with stock sent over from the
    // regional warehouse when the store has none (paper §3.2: 区域仓-门店调拨-用户自提).
    if (pickupCustomer && nearestStore < 0) {
      // No store within the zone's reach: the nearest of all, and its distance.
      nearestStore = this.nearestStore(o, cosLat);
      if (nearestStore >= 0) nearestStoreKm = network.kmFromCos(O.lat[o], O.lon[o], cosLat, nearestStore);
    }
    if (pickupCustomer && nearestStore >= 0) {
      const s = nearestStore;
      const km = nearestStoreKm;
      const available = stock.available[stock.at(s, O.sku[o])];
      if (km > this.rules.nearKm && available >= O.quantity[o]) {
        this.offer(options[n++], o, PATH.storePickup, s, -1, km, available, f.pickDoneEstimate(s, now), 0);
      } else if (available < O.quantity[o] && rdcAvailable >= O.quantity[o]) {
        const slot = Math.floor(now / VAN_SLOT_MINUTES);
        const lane = network.lane(rdc, s);
        const laneKm = network.kmBetween(rdc, s);
        const arrive = (slot + 1) * VAN_SLOT_MINUTES + (lane ? lane.expediteTransitMinutes : (laneKm / VAN_KM_PER_HOUR) * 60);
        const c = scenario.costs;
        const transferCost = this.vanSlot[s] === slot ? 0 : (c.transfer.perTrip + c.transfer.perKm * laneKm) * c.expediteMultiplier;
        this.offer(options[n++], o, PATH.transferThenPickup, s, rdc, km, rdcAvailable, f.pickDoneEstimate(s, arrive), transferCost);
      }
    }
    const seen = this.tiered;
    seen.prices = this.prices();
    seen.nearestLocalKm = nearestLocalKm;
    seen.optionCount = n;
    const decision = routeTiered(seen, this.decision);
    if (decision.transferFrom >= 0) this.vanSlot[decision.site] = Math.floor(now / VAN_SLOT_MINUTES);
    return decision;
  }

  /** Fill a candidate path: where it ships from, its stock, when it would arrive, its promise and its costs. */
  private offer(opt: PathOption, o: OrderId, path: Path, site: number, transferFrom: number, km: number, available: number, etaMinutes: number, transferCost: number): void {
    const O = this.w.orders;
    const f = this.fulfilment;
    opt.path = path;
    opt.site = site;
    opt.transferFrom = transferFrom;
    opt.km = km;
    opt.available = available;
    opt.etaMinutes = etaMinutes;
    opt.promiseAt = f.promiseFor(path, site, this.w.sim.now, O.campaign[o]);
    opt.pickPackCost = f.pickPackCost(site);
    opt.transferCost = transferCost;
  }

  /** Write the current window's routing counts as decisions and clear them (see RoutingLog). */
  flush(): void {
    this.log.flush();
  }
}
