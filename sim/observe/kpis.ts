// The KPI registry: every KPI of a run summary and of a live frame, once — its key, a plain-language
// label, its unit, which direction is better, and its formula in words — plus the formulas of the KPIs a
// live frame carries, which the summary uses too. The summary, the live frames, the CLI tables, the
// experiment reports, the map's cards and docs/kpis.md all read this file; nothing else names a KPI.
import { round } from "../engine/round.ts";
import type { Metrics } from "../metrics/collector.ts";

/** Units a KPI is measured in. */
export const KPI_UNITS = {
  orders: "orders",
  refunds: "refunds",
  customers: "customers",
  units: "units",
  lines: "order lines",
  parcels: "parcels",
  share: "share",
  hours: "hours",
  days: "days",
  decisions: "decisions",
  cny: "CNY",
  cnyPerOrder: "CNY/order",
  turns: "turns per run",
  index: "of 100",
  ratio: "ratio",
  cells: "site × SKU × days",
} as const;
export type KpiUnit = (typeof KPI_UNITS)[keyof typeof KPI_UNITS];

/** Which way a KPI should move: up, down, or neither (a volume or a mix, good or bad only in context). */
export const KPI_DIRECTIONS = { higher: "higher", lower: "lower", neither: "neither" } as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[keyof typeof KPI_DIRECTIONS];

/**
 * One KPI, or one family of KPIs: a `*` segment in the key stands for an id (a SKU, site, channel, path or
 * decision kind) and `{id}` in the label is replaced by it.
 */
export interface KpiSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: KpiUnit;
  readonly better: KpiDirection;
  /** How it is computed, in words (docs/kpis.md's table is made from these). */
  readonly formula: string;
  /** Only in live frames (a state now, not a result of the run). */
  readonly liveOnly?: boolean;
}

const U = KPI_UNITS;
const D = KPI_DIRECTIONS;


/** a / b rounded, or null when there is nothing to divide by. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? round(a / b) : null;
}

const COST_TEXT: Readonly<Record<string, string>> = {
  fulfilment:
    "last mile: express (per parcel + per kg above 1 kg; large appliances per unit; × any price shock), instant delivery and store delivery (per order, + `riderPerKm` × km when set), pickup handling (+ the pickup coupon, `pickupCouponPerKm` × the customer's km to the store, when tiered fulfilment asked a delivery customer to collect); a line sharing its order's parcel adds only its weight on express; `customers.baskets.splitHandlingPerParcel` per extra parcel of a split order",
  pickPack: "per order (parcel: lines of one customer order sharing it pay once) picked, by site type (× the surge premium while surge capacity is booked)",
  transfer: "trunk trucks (per trip + per km, per truck used) and ad-hoc vans at their base price",
  holding: "Σ over sampling intervals of on-hand units at factories, RDCs, FDCs and stores × unit cost × `holdingSharePerYear` / 365 days × interval",
  expedite: "premium of ad-hoc vans and emergency replenishment over the normal lane price (`expediteMultiplier − 1`)",
  production: "overtime premium on ramped factory output (`overtimeCostShare` × unit cost per ramped unit)",
  compensation:
    "late compensation per order the scenario's trigger catches (`lateDispatch`: dispatched after the promised dispatch time; `lateDelivery`: delivered after the promise; with `afterBreachCancel`, also a paid order cancelled after that deadline): the rule's `share` × order value, at least `min`, at most `max`",
  returns: "per return: inspection, plus reverse pickup where the process offers free pickup",
  coordination:
    "running the levers that are on, by the hour: the data platform (build ÷ life + running cost a year), tiered fulfilment per day, the S&OP staff of the campaign review (plus staff per campaign week of each campaign reviewed), unified service per warehouse and store per day",
  scrap: "per expired unit of a SKU with a shelf life: unit cost + `scrapDisposalPerUnit`",
};
const COST_LABEL: Readonly<Record<string, string>> = {
  fulfilment: "Last-mile cost",
  pickPack: "Pick/pack cost",
  transfer: "Transfer cost",
  holding: "Holding cost",
  expedite: "Expedite cost",
  production: "Overtime production cost",
  compensation: "Late compensation",
  returns: "Returns handling cost",
  coordination: "Coordination running cost",
  scrap: "Expired stock (scrap)",
};

/** Every KPI, in the order of a run summary's `kpis` block (live-only KPIs last). */
export const KPIS: readonly KpiSpec[] = [
  { key: "ordersPlaced", label: "Online orders placed", unit: U.orders, better: D.neither, formula: "online orders placed (pre-sale deposits included)" },
  { key: "ordersDelivered", label: "Orders delivered", unit: U.orders, better: D.higher, formula: "online orders delivered or picked up" },
  {
    key: "ordersCancelled",
    label: "Orders cancelled",
    unit: U.orders,
    better: D.lower,
    formula: "online orders cancelled: the customer's patience ran out before the order shipped (or was ready for pickup), or a pre-sale balance was never paid",
  },
  { key: "ordersOpenAtEnd", label: "Orders open at the end", unit: U.orders, better: D.lower, formula: "`ordersPlaced − ordersDelivered − ordersCancelled`: still owed when the horizon ends" },
  { key: "refunds", label: "Refunds", unit: U.refunds, better: D.lower, formula: "refund payments: cancelled orders that had been paid, plus accepted returns" },
  { key: "walkInCustomers", label: "Walk-in customers", unit: U.customers, better: D.neither, formula: "walk-in customers at store shelves" },
  { key: "walkInSold", label: "Walk-ins who found stock", unit: U.customers, better: D.higher, formula: "walk-in customers who found the units they wanted on the shelf" },
  { key: "unitsDemanded", label: "Units demanded", unit: U.units, better: D.neither, formula: "units asked for by all customers (online and walk-in)" },
  { key: "unitsLostSales", label: "Lost sales", unit: U.units, better: D.lower, formula: "units of cancelled orders plus walk-in units with no stock on the shelf" },
  {
    key: "fillRate",
    label: "Fill rate",
    unit: U.share,
    better: D.higher,
    formula: "`unitsFulfilled / (unitsFulfilled + unitsLostSales)`, where unitsFulfilled = units delivered, picked up or sold to walk-ins; orders still open count in neither",
  },
  {
    key: "onTimeRate",
    label: "On-time rate",
    unit: U.share,
    better: D.higher,
    formula:
      'delivered orders on time / delivered orders. On time = delivered by the promise (express: the "211" cut-offs; instant and store delivery: minutes after the site is next open), or for pickup, ready at the counter by the promise',
  },
  {
    key: "ordersCompensated",
    label: "Orders compensated",
    unit: U.orders,
    better: D.lower,
    formula:
      "orders paid late compensation: served after the deadline of the scenario's trigger — the promised dispatch time (`lateDispatch`, the default) or the delivery promise (`lateDelivery`) — or, with `afterBreachCancel` (the default), cancelled by the customer after that deadline had passed",
  },
  {
    key: "fillRateOfPlannedDemand",
    label: "Fill rate of planned demand",
    unit: U.share,
    better: D.higher,
    formula:
      "`unitsFulfilled / (unitsFulfilled + unitsLostSales + demandShiftedByPressure.unitsSuppressed)`: the fill rate against the demand customers would have brought at the promotion pressure marketing planned, so units the levers throttled away count as unserved",
  },
  ...(["mean", "p50", "p95", "max"] as const).map(
    (stat): KpiSpec => ({
      key: `orderLeadTimeHours.${stat}`,
      label: `Lead time, ${stat === "mean" ? "mean" : stat === "max" ? "longest" : stat}`,
      unit: U.hours,
      better: D.lower,
      formula: `${stat} of payment → delivery (pickup: → collected), delivered orders only; pre-sale orders count from the balance payment`,
    }),
  ),
  ...(["p50", "p95", "max"] as const).map(
    (stat): KpiSpec => ({
      key: `waitDaysBySku.*.${stat}`,
      label: `Wait for {id}, ${stat === "max" ? "longest" : stat}`,
      unit: U.days,
      better: D.lower,
      formula: `per SKU, ${stat} of the days each paid online order waited: payment → delivery (pickup: → collected); cancelled after payment, payment → cancellation; still open, payment → end of run`,
    }),
  ),
  {
    key: "waitDaysBySku.*.over15Days",
    label: "Orders of {id} that waited over 15 days",
    unit: U.orders,
    better: D.lower,
    formula: "per SKU, paid online orders that waited more than 15 days (the paper's §2.3 appliance buyers)",
  },
  { key: "campaignTargets.*.targetUnits", label: "Target of {id}", unit: U.units, better: D.neither, formula: "marketing's `targetUnits` for the campaign" },
  {
    key: "campaignTargets.*.unitsOrdered",
    label: "Units ordered under {id}",
    unit: U.units,
    better: D.neither,
    formula: "units customers ordered online (or asked for at the shelf, walk-ins) while the campaign ran, each purchase counted under the campaign it falls under (a pre-sale first, else the deepest discount)",
  },
  { key: "campaignTargets.*.shareOfTarget", label: "{id}: share of target", unit: U.share, better: D.neither, formula: "units ordered / targetUnits" },
  {
    key: "campaignTargets.*.maxPush",
    label: "{id}: marketing's highest push",
    unit: U.ratio,
    better: D.neither,
    formula: "the highest multiplier marketing put on the campaign's pressure while its sales ran behind target (1 = as planned; at most `marketing.maxPushScale`)",
  },
  {
    key: "decisionCounts.*",
    label: "Decisions: {id}",
    unit: U.decisions,
    better: D.neither,
    formula: "how many decisions and alerts of each kind the run recorded (docs/levers.md lists the kinds); a kind that never fired is absent",
  },
  { key: "backlogPeakOrders", label: "Peak backlog", unit: U.orders, better: D.lower, formula: "most paid orders open at once (not yet shipped or ready for pickup, not cancelled)" },
  {
    key: "fulfilmentCostPerOrder",
    label: "Fulfilment cost per order",
    unit: U.cnyPerOrder,
    better: D.lower,
    formula: "(last-mile cost + pick/pack + late compensation of online orders) / delivered orders",
  },
  { key: "fulfilmentCostPerOrderByPath.*", label: "Cost per order, {id}", unit: U.cnyPerOrder, better: D.lower, formula: "the same, per path, over orders delivered on that path (`null` if none)" },
  {
    key: "fulfilmentCostPerOrderNear",
    label: "Cost per order, customers near a store or FDC",
    unit: U.cnyPerOrder,
    better: D.lower,
    formula:
      "the same, over orders from customers within `levers.tieredFulfilment.nearKm` of a store or FDC whose inventory lists the SKU (a basket counts whole when any of its lines does, whichever line pays a shared parcel) — fixed by where the customer is, so both arms count the same customers (`null` if none)",
  },
  { key: "ordersByPath.*", label: "Orders by path: {id}", unit: U.orders, better: D.neither, formula: "online orders routed to each path: `rdcExpress`, `fdcInstant`, `storePickup`, `storeDelivery`, `transferThenPickup`" },
  ...Object.keys(COST_TEXT).map((line): KpiSpec => ({ key: `costs.${line}`, label: COST_LABEL[line], unit: U.cny, better: D.lower, formula: COST_TEXT[line] })),
  { key: "costs.total", label: "Total cost", unit: U.cny, better: D.lower, formula: "sum of the cost lines above" },
  { key: "revenue", label: "Revenue", unit: U.cny, better: D.higher, formula: "units delivered or sold × price after campaign discount, less refunds of returns, owed from the request (a return still in review at the end is refunded)" },
  { key: "costOfGoodsSold", label: "Cost of goods sold", unit: U.cny, better: D.neither, formula: "unit cost of units sold, less resaleable units returned (from the request, like the refund)" },
  { key: "grossMargin", label: "Gross margin", unit: U.cny, better: D.higher, formula: "`revenue − costOfGoodsSold − costs.total`" },
  { key: "lostMargin", label: "Margin lost to lost sales", unit: U.cny, better: D.lower, formula: "(price − unit cost) × units lost (cancelled orders, walk-ins without stock)" },
  {
    key: "demandShiftedByPressure.ordersSuppressed",
    label: "Orders suppressed by promotion pressure",
    unit: U.orders,
    better: D.lower,
    formula:
      "online orders (order lines, like `ordersPlaced`: every line of a basket) that would have come at the pressure marketing planned but not at the pressure the levers set (L1 matching, L3 throttle and review): the same candidate customer, accepted at the planned rate and rejected at the actual one (no extra random draw)",
  },
  { key: "demandShiftedByPressure.unitsSuppressed", label: "Units suppressed by promotion pressure", unit: U.units, better: D.lower, formula: "units of those orders" },
  {
    key: "demandShiftedByPressure.marginSuppressed",
    label: "Margin forgone to suppressed demand",
    unit: U.cny,
    better: D.lower,
    formula: "(price after the campaign discount then − unit cost) × units suppressed; not in `grossMargin` or `lostMargin`",
  },
  {
    key: "demandShiftedByPressure.ordersAdded",
    label: "Orders added by promotion pressure",
    unit: U.orders,
    better: D.neither,
    formula: "online orders (order lines, every line of a basket) that came only because the levers pushed harder than planned (L1 shifting push to regions with stock)",
  },
  { key: "demandShiftedByPressure.unitsAdded", label: "Units added by promotion pressure", unit: U.units, better: D.neither, formula: "units of those orders" },
  { key: "demandShiftedByPressure.marginAdded", label: "Margin from added demand", unit: U.cny, better: D.neither, formula: "(price after discount − unit cost) × units added" },
  {
    key: "customerSwitching.walkInStockouts",
    label: "Walk-ins who found the shelf empty",
    unit: U.customers,
    better: D.lower,
    formula: "walk-in customers whose store had fewer units of their SKU than they wanted (before any switching)",
  },
  { key: "customerSwitching.unitsWalkInStockout", label: "Units wanted at empty shelves", unit: U.units, better: D.lower, formula: "units of those walk-ins" },
  {
    key: "customerSwitching.walkInsToOtherStore",
    label: "Walk-ins who tried another store",
    unit: U.customers,
    better: D.neither,
    formula: "of those, customers who walked to the nearest other store within `customers.switching.walkIn.otherStoreKm` (share `otherStoreShare`, by category if set)",
  },
  {
    key: "customerSwitching.unitsRecoveredOtherStore",
    label: "Units recovered at another store",
    unit: U.units,
    better: D.higher,
    formula: "units those customers bought at the other store (counted in fill rate and revenue as walk-in sales)",
  },
  { key: "customerSwitching.unitsOtherStoreEmpty", label: "Units lost at the other store too", unit: U.units, better: D.lower, formula: "units of switching walk-ins who found the other store empty as well (lost sales)" },
  {
    key: "customerSwitching.walkInsToOnline",
    label: "Walk-ins who ordered online",
    unit: U.customers,
    better: D.neither,
    formula: "walk-ins at an empty shelf who placed an online order for home delivery instead (share `onlineShare`); their orders count in `ordersPlaced` and fare as any online order",
  },
  { key: "customerSwitching.unitsOrderedOnline", label: "Units ordered online by walk-ins", unit: U.units, better: D.higher, formula: "units of those online orders" },
  {
    key: "customerSwitching.pickupOffersDeclined",
    label: "Pickup offers declined",
    unit: U.orders,
    better: D.lower,
    formula: "customer orders for home delivery that tiered fulfilment routed to store pickup and whose customer declined (share `1 − pickupAcceptanceShare`) and cancelled; the lines count in `ordersCancelled` and lost sales",
  },
  { key: "customerSwitching.unitsPickupDeclined", label: "Units of declined pickup offers", unit: U.units, better: D.lower, formula: "units of those orders" },
  {
    key: "baskets.customerOrders",
    label: "Customer orders routed",
    unit: U.orders,
    better: D.neither,
    formula: "online customer orders paid and routed; a customer order of several lines (`customers.baskets`) is several orders in `ordersPlaced`, one here",
  },
  { key: "baskets.lines", label: "Order lines routed", unit: U.lines, better: D.neither, formula: "lines of those customer orders (one SKU each)" },
  { key: "baskets.linesPerOrder", label: "Lines per order", unit: U.ratio, better: D.neither, formula: "`lines / customerOrders`" },
  { key: "baskets.multiLineOrders", label: "Multi-line orders", unit: U.orders, better: D.neither, formula: "customer orders of more than one line" },
  {
    key: "baskets.splitOrders",
    label: "Split orders",
    unit: U.orders,
    better: D.lower,
    formula: "multi-line orders routed to more than one parcel (lines on one site leaving the same way — express, rider, or the pickup counter — share a parcel)",
  },
  { key: "baskets.splitRate", label: "Split rate", unit: U.share, better: D.lower, formula: "`splitOrders / multiLineOrders` (`null` if none)" },
  { key: "baskets.parcels", label: "Parcels", unit: U.parcels, better: D.lower, formula: "parcels planned at routing, over all customer orders" },
  { key: "baskets.parcelsPerOrder", label: "Parcels per order", unit: U.ratio, better: D.lower, formula: "`parcels / customerOrders`" },
  {
    key: "stockoutWhileOverstocked",
    label: "Stockout while overstocked",
    unit: U.share,
    better: D.lower,
    formula:
      'share of sampled site-SKU-hours at a stocking site that customers asked for the SKU (demand in the current or previous local day) in which it had no available unit while another site held more than its own order-up-to target: the paper\'s "缺货与积压并存"',
  },
  { key: "unitsExpired", label: "Units expired", unit: U.units, better: D.lower, formula: "units of SKUs with a shelf life scrapped at any site because they expired (first expiry first out; hourly sweep)" },
  {
    key: "expiredShare",
    label: "Expired share of perishables",
    unit: U.share,
    better: D.lower,
    formula: "units expired / (units expired + units of SKUs with a shelf life shipped to customers) (`null` without such SKUs)",
  },
  { key: "parcelsWaitingForPickup", label: "Parcels held for a later pickup", unit: U.parcels, better: D.lower, formula: "express parcels that waited for a later day's carrier pickup because the site's `expressPickupsPerDay` was taken" },
  { key: "pickupWaitHoursMean", label: "Mean wait for pickup", unit: U.hours, better: D.lower, formula: "mean hours those parcels waited for the carrier (`null` if none waited)" },
  { key: "inventoryTurnover", label: "Inventory turnover", unit: U.turns, better: D.higher, formula: "units shipped to customers / average units on hand at RDCs, FDCs and stores, over the run" },
  { key: "capacityUtilisation.*", label: "Pick capacity used at {id}", unit: U.share, better: D.neither, formula: "per site: orders picked / pick capacity offered during its shifts" },
  {
    key: "returnCycleTimeHours.*",
    label: "Return cycle time, {id}",
    unit: U.hours,
    better: D.lower,
    formula: "per channel: mean hours from return request to refund — the wait for a reviewer plus the review, within the reviewers' shifts (`null` if no returns)",
  },
  {
    key: "returnsWithinSla",
    label: "Returns within SLA",
    unit: U.share,
    better: D.higher,
    formula: "returns refunded within the review time their process promises (the channel's own `reviewHours`, or the unified one under L4) / returns refunded (`null` if none)",
  },
  {
    key: "satisfactionIndex",
    label: "Satisfaction",
    unit: U.index,
    better: D.higher,
    formula:
      "100 × mean experience score (100 before the first); an order delivered on time scores 1, late `max(0, 0.6 − 0.1 × days late)`, cancelled 0; a walk-in served 1, facing an empty shelf 0; a return `max(0, 1 − cycle hours / 120)`",
  },
  {
    key: "repeatPurchaseFactor",
    label: "Repeat-purchase factor",
    unit: U.ratio,
    better: D.higher,
    formula: "the multiplier customers' satisfaction applied to demand under every policy (docs/levers.md, \"Customers remember\"), averaged over the run and over zones by demand weight; 1 = demand as the scenario says",
  },
  {
    key: "bullwhipRatio",
    label: "Bullwhip ratio",
    unit: U.ratio,
    better: D.lower,
    formula: "variance of daily units ordered upstream by replenishment / variance of daily units demanded by customers (`null` if demand never varies)",
  },
  {
    key: "forecastAccuracy.bias",
    label: "Forecast bias",
    unit: U.share,
    better: D.neither,
    formula:
      "Σ (forecast − actual) / Σ actual over stocked forward sites (FDCs, stores) × SKUs × days: the daily units forecast at midnight by the forecast the arm's replenishment acted on (the data platform's while L1 is on — `forecast` says observed or oracle — else the site's own moving average) against the units the site was then asked for; > 0 over-forecasts",
  },
  { key: "forecastAccuracy.mape", label: "Forecast MAPE", unit: U.share, better: D.lower, formula: "mean of |forecast − actual| / actual over the same site × SKU × days with demand (actual > 0)" },
  { key: "forecastAccuracy.wape", label: "Forecast WAPE", unit: U.share, better: D.lower, formula: "Σ |forecast − actual| / Σ actual over the same site × SKU × days (weighted by volume; defined when MAPE's small days dominate)" },
  { key: "forecastAccuracy.cells", label: "Forecast cells scored", unit: U.cells, better: D.neither, formula: "site × SKU × days scored" },
  { key: "backlogOrders", label: "Backlog", unit: U.orders, better: D.lower, liveOnly: true, formula: "paid online orders open now (not yet shipped or ready for pickup, not cancelled)" },
];

const exact = new Map<string, KpiSpec>();
const patterns: { spec: KpiSpec; parts: string[] }[] = [];
for (const spec of KPIS) {
  if (spec.key.includes("*")) patterns.push({ spec, parts: spec.key.split(".") });
  else exact.set(spec.key, spec);
}

/** The registry entry of a KPI key as flattened from a summary (`costs.total`, `waitDaysBySku.fridge.p95`), or undefined. */
export function kpiSpec(key: string): KpiSpec | undefined {
  const hit = exact.get(key);
  if (hit) return hit;
  const parts = key.split(".");
  for (const p of patterns) if (p.parts.length === parts.length && p.parts.every((s, i) => s === "*" || s === parts[i])) return p.spec;
  return undefined;
}

/** A KPI's plain-language label (`waitDaysBySku.fridge.p95` → "Wait for fridge, p95"); the key itself when unknown. */
export function kpiLabel(key: string): string {
  const spec = kpiSpec(key);
  if (!spec) return key;
  if (!spec.key.includes("*")) return spec.label;
  const parts = key.split(".");
  const id = spec.key
    .split(".")
    .map((s, i) => (s === "*" ? parts[i] : null))
    .filter((s) => s !== null)
    .join(" ");
  return spec.label.replace("{id}", id);
}

/** The headline KPIs, in the order tables and reports lead with. */
export const HEADLINE_KPI_KEYS: readonly string[] = [
  "costs.total",
  "fulfilmentCostPerOrder",
  "fillRate",
  "onTimeRate",
  "orderLeadTimeHours.p95",
  "unitsLostSales",
  "ordersCancelled",
  "refunds",
  "backlogPeakOrders",
  "satisfactionIndex",
  "grossMargin",
];

// Live KPIs: what a frame carries, computed from the running metrics with the summary's own formulas. ----

/** Fulfilment cost of online orders so far: last mile, pick/pack and late compensation, over every path. */
function fulfilmentCost(m: Metrics): number {
  let total = 0;
  for (const c of m.costByPath) total += c;
  return total;
}

/** The formulas of the live KPIs; the run summary computes the same keys with these. */
export const LIVE_KPI_FORMULAS = {
  ordersPlaced: (m: Metrics) => m.ordersPlaced,
  ordersDelivered: (m) => m.ordersDelivered,
  ordersCancelled: (m) => m.ordersCancelled,
  backlogOrders: (m) => m.backlog,
  unitsLostSales: (m) => round(m.unitsLostSales),
  fillRate: (m) => ratio(m.unitsFulfilled, m.unitsFulfilled + m.unitsLostSales),
  "costs.total": (m) => round(m.costTotal),
  revenue: (m) => round(m.revenue),
  fulfilmentCostPerOrder: (m) => ratio(fulfilmentCost(m), m.ordersDelivered),
  onTimeRate: (m) => ratio(m.ordersDeliveredOnTime, m.ordersDelivered),
  refunds: (m) => m.refunds,
  satisfactionIndex: (m) => round(m.satisfactionCount > 0 ? (100 * m.satisfactionSum) / m.satisfactionCount : 100, 2),
} satisfies Record<string, (m: Metrics) => number | null>;

export type LiveKpiKey = keyof typeof LIVE_KPI_FORMULAS;
/** The KPIs a live frame carries, by registry key, in the formulas' order. */
export const LIVE_KPI_KEYS = Object.keys(LIVE_KPI_FORMULAS) as readonly LiveKpiKey[];

/** A live frame's KPIs: each key's value now (a ratio is null while it has nothing to divide by). */
export type LiveKpis = { [K in LiveKpiKey]: ReturnType<(typeof LIVE_KPI_FORMULAS)[K]> };

/** Every live KPI of a run now. */
export function liveKpis(m: Metrics): LiveKpis {
  const out: Record<string, number | null> = {};
  for (const key of LIVE_KPI_KEYS) out[key] = LIVE_KPI_FORMULAS[key](m);
  return out as LiveKpis;
}

/** The registry as the Markdown table docs/kpis.md carries (between its `kpi-table` markers). */
export function kpiTableMarkdown(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = KPIS.map((k) => `| \`${k.key}\` | ${cell(k.label)} | ${cell(k.formula)} | ${k.unit} | ${k.better}${HEADLINE_KPI_KEYS.includes(k.key) ? ", headline" : ""}${k.liveOnly ? ", live frames only" : ""} |`);
  return ["| key | label | formula | unit | better |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
