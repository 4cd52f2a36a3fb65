// The run summary (the output contract the CLI, experiments and server depend on) and the time-series
// CSV. Keys are written in a fixed order and numbers rounded, so identical runs are byte-identical.
// sim/observe/kpis.ts is the registry of every KPI (label, unit, direction, formula); the KPIs a live frame
// also carries are computed with its formulas, so a frame and a summary at the same minute agree.
import { interventionsHash, scenarioHash } from "../scenario/index.ts";
import { LEVERS } from "../policy/policy.ts";
import { PATH_NAMES } from "../network/paths.ts";
import type { Twin } from "../model/twin.ts";
import { COST_LINES, type TimeseriesRow } from "../metrics/collector.ts";
import { OMNITWIN_VERSION } from "../version.ts";
import { round } from "../engine/round.ts";
import { quantilesOf } from "../engine/stats.ts";
import { LIVE_KPI_FORMULAS as LIVE, ratio } from "./kpis.ts";

function variance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
}

/**
 * Per SKU, days each paid online order waited: payment → delivery (or collection); cancelled after payment,
 * payment → cancellation (the customer waited that long, then gave up); still open, payment → end of run.
 */
function waitDaysBySku(twin: Twin): Record<string, { p50: number; p95: number; max: number; over15Days: number }> {
  const { network, metrics } = twin.world;
  const end = twin.sim.now;
  const open = twin.fulfilment.paidOpen;
  const openBySku = new Int32Array(network.skuCount);
  const O = twin.world.orders;
  for (const o of open) openBySku[O.sku[o]]++;
  const waits = metrics.waitDays.map((ended, k) => {
    const w = new Float64Array(ended.length + openBySku[k]);
    w.set(ended.values());
    return w;
  });
  const filled = metrics.waitDays.map((ended) => ended.length);
  for (const o of open) waits[O.sku[o]][filled[O.sku[o]]++] = (end - O.paidAt[o]) / 1440;
  const out: Record<string, { p50: number; p95: number; max: number; over15Days: number }> = {};
  network.skus.forEach((sku, k) => {
    const w = waits[k];
    let over = 0;
    for (let i = 0; i < w.length; i++) if (w[i] > 15) over++;
    const { quantiles, max } = quantilesOf(w, [0.5, 0.95]);
    out[sku.id] = { p50: round(quantiles[0]), p95: round(quantiles[1]), max: round(max), over15Days: over };
  });
  return out;
}

/** Each campaign against marketing's target: units ordered under it, their share of the target, and marketing's highest push (sim/model/marketing.ts). */
function campaignTargets(twin: Twin): Record<string, { targetUnits: number; unitsOrdered: number; shareOfTarget: number | null; maxPush: number }> {
  const out: Record<string, { targetUnits: number; unitsOrdered: number; shareOfTarget: number | null; maxPush: number }> = {};
  for (const c of twin.rates.campaigns) {
    const ordered = twin.marketing.unitsOrdered[c.index];
    out[c.id] = { targetUnits: c.targetUnits, unitsOrdered: round(ordered), shareOfTarget: ratio(ordered, c.targetUnits), maxPush: round(twin.marketing.maxPush[c.index]) };
  }
  return out;
}

/** How many decisions and alerts of each kind the run recorded, kinds in alphabetical order. */
function decisionCounts(twin: Twin): Record<string, number> {
  const counts = new Map<string, number>();
  for (const d of twin.world.decisions) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The run summary as plain JSON with a stable key order. */
export function buildSummary(twin: Twin) {
  const { metrics: m, network, stock } = twin.world;
  const lead = m.leadTimesHours.values().slice();
  let leadSum = 0;
  for (let i = 0; i < lead.length; i++) leadSum += lead[i];
  const leadMean = lead.length ? leadSum / lead.length : 0;
  const leadQuantiles = quantilesOf(lead, [0.5, 0.95]);
  const costs: Record<string, number> = {};
  for (const line of COST_LINES) costs[line] = round(m.costs[line]);
  costs.total = LIVE["costs.total"](m);
  const ordersByPath: Record<string, number> = {};
  PATH_NAMES.forEach((p, i) => (ordersByPath[p] = m.ordersByPath[i]));
  const costPerOrderByPath: Record<string, number | null> = {};
  PATH_NAMES.forEach((p, i) => (costPerOrderByPath[p] = ratio(m.costByPath[i], m.deliveredByPath[i])));
  const capacityUtilisation: Record<string, number> = {};
  network.sites.forEach((s, i) => {
    if (s.type !== "factory") capacityUtilisation[s.id] = ratio(m.picked[i], m.pickOffered[i]) ?? 0;
  });
  const returnCycleTimeHours: Record<string, number | null> = {};
  network.channels.forEach((c, i) => (returnCycleTimeHours[c.id] = ratio(m.returnCycleHoursSum[i], m.returnCount[i])));
  const ledger: Record<string, Record<string, number>> = {};
  network.skus.forEach((sku, k) => {
    let onHandEnd = 0;
    let inTransitEnd = 0;
    for (let s = 0; s < network.siteCount; s++) {
      onHandEnd += stock.onHand(s, k);
      inTransitEnd += stock.inTransit[stock.at(s, k)];
    }
    const l = m.ledger[k];
    ledger[sku.id] = {
      initial: round(l.initial),
      produced: round(l.produced),
      returnedToStock: round(l.returnedToStock),
      shippedToCustomers: round(l.shippedToCustomers),
      scrapped: round(l.scrapped),
      onHandEnd: round(onHandEnd),
      inTransitEnd: round(inTransitEnd),
    };
  });
  const shipped = m.ledger.reduce((a, l) => a + l.shippedToCustomers, 0);
  const perishableShipped = m.ledger.reduce((a, l, k) => a + (twin.world.stock.perishable(k) ? l.shippedToCustomers : 0), 0);
  const demandVariance = variance(m.dailyDemand);
  const policy: Record<string, boolean> = {};
  for (const l of LEVERS) policy[l] = twin.initialPolicy[l];
  return {
    omnitwinVersion: OMNITWIN_VERSION,
    scenario: { id: twin.scenario.id, hash: scenarioHash(twin.scenario) },
    // Only a run with interventions added on top of the scenario's own says so, so other summaries keep their bytes.
    ...(twin.addedInterventions.length > 0 ? { interventions: { hash: interventionsHash(twin.addedInterventions), added: twin.addedInterventions } } : {}),
    seed: twin.seed,
    policy,
    forecast: forecastLabel(twin),
    events: twin.sim.eventsProcessed,
    simulatedDays: round(twin.sim.now / 1440),
    kpis: {
      ordersPlaced: LIVE.ordersPlaced(m),
      ordersDelivered: LIVE.ordersDelivered(m),
      ordersCancelled: LIVE.ordersCancelled(m),
      ordersOpenAtEnd: m.ordersPlaced - m.ordersDelivered - m.ordersCancelled,
      refunds: LIVE.refunds(m),
      walkInCustomers: m.walkInCustomers,
      walkInSold: m.walkInSold,
      unitsDemanded: round(m.unitsDemanded),
      unitsLostSales: LIVE.unitsLostSales(m),
      fillRate: LIVE.fillRate(m),
      fillRateOfPlannedDemand: ratio(m.unitsFulfilled, m.unitsFulfilled + m.unitsLostSales + m.unitsSuppressedByPressure),
      onTimeRate: LIVE.onTimeRate(m),
      ordersCompensated: m.ordersCompensated,
      orderLeadTimeHours: {
        mean: round(leadMean),
        p50: round(leadQuantiles.quantiles[0]),
        p95: round(leadQuantiles.quantiles[1]),
        max: round(leadQuantiles.max),
      },
      waitDaysBySku: waitDaysBySku(twin),
      decisionCounts: decisionCounts(twin),
      backlogPeakOrders: m.backlogPeak,
      fulfilmentCostPerOrder: LIVE.fulfilmentCostPerOrder(m),
      fulfilmentCostPerOrderByPath: costPerOrderByPath,
      fulfilmentCostPerOrderNear: ratio(m.nearCost, m.nearDelivered),
      ordersByPath,
      costs,
      revenue: LIVE.revenue(m),
      costOfGoodsSold: round(m.costOfGoodsSold),
      grossMargin: round(m.revenue - m.costOfGoodsSold - m.costTotal),
      lostMargin: round(m.lostMargin),
      demandShiftedByPressure: {
        ordersSuppressed: m.ordersSuppressedByPressure,
        unitsSuppressed: round(m.unitsSuppressedByPressure),
        marginSuppressed: round(m.marginSuppressedByPressure),
        ordersAdded: m.ordersAddedByPressure,
        unitsAdded: round(m.unitsAddedByPressure),
        marginAdded: round(m.marginAddedByPressure),
      },
      campaignTargets: campaignTargets(twin),
      customerSwitching: {
        walkInStockouts: m.walkInStockouts,
        unitsWalkInStockout: round(m.unitsWalkInStockout),
        walkInsToOtherStore: m.walkInsToOtherStore,
        unitsRecoveredOtherStore: round(m.unitsRecoveredOtherStore),
        unitsOtherStoreEmpty: round(m.unitsOtherStoreEmpty),
        walkInsToOnline: m.walkInsToOnline,
        unitsOrderedOnline: round(m.unitsOrderedOnline),
        pickupOffersDeclined: m.pickupOffersDeclined,
        unitsPickupDeclined: round(m.unitsPickupDeclined),
      },
      baskets: {
        customerOrders: m.basketsRouted,
        lines: m.linesRouted,
        linesPerOrder: ratio(m.linesRouted, m.basketsRouted),
        multiLineOrders: m.basketsMultiLine,
        splitOrders: m.basketsSplit,
        splitRate: ratio(m.basketsSplit, m.basketsMultiLine),
        parcels: m.parcelsPlanned,
        parcelsPerOrder: ratio(m.parcelsPlanned, m.basketsRouted),
      },
      stockoutWhileOverstocked: ratio(m.stockoutWhileOverSamples, m.stockedSamples) ?? 0,
      unitsExpired: round(m.unitsExpired),
      expiredShare: perishableShipped + m.unitsExpired > 0 ? ratio(m.unitsExpired, perishableShipped + m.unitsExpired) : null,
      parcelsWaitingForPickup: m.parcelsWaitingForPickup,
      pickupWaitHoursMean: ratio(m.pickupWaitMinutesSum / 60, m.parcelsWaitingForPickup),
      inventoryTurnover: ratio(shipped, m.samples > 0 ? m.onHandSampleSum / m.samples : 0),
      capacityUtilisation,
      returnCycleTimeHours,
      returnsWithinSla: ratio(m.returnsWithinSla, m.returnCount.reduce((a, b) => a + b, 0)),
      satisfactionIndex: LIVE.satisfactionIndex(m),
      repeatPurchaseFactor: round(twin.world.satisfaction.meanRepeatFactor()),
      bullwhipRatio: demandVariance > 0 ? round(variance(m.dailyReplenishment) / demandVariance) : null,
      forecastAccuracy: {
        bias: ratio(m.forecastErrorSum, m.forecastActualSum),
        mape: ratio(m.forecastApeSum, m.forecastApeCells),
        wape: ratio(m.forecastAbsErrorSum, m.forecastActualSum),
        cells: m.forecastCells,
      },
    },
    ledger,
  };
}

/**
 * Which demand forecast the run's decisions used: the data platform's ("observed", or "oracle" — the demand
 * generator's own rates, an upper bound) while L1 or L3 was on at the start, else each site's own history.
 */
export function forecastLabel(twin: Twin): "observed" | "oracle" | "own-history" {
  const p = twin.initialPolicy;
  return p.dataPlatform || p.capacityLinkage ? twin.scenario.levers.dataPlatform.forecast : "own-history";
}

/** The run summary type. */
export type RunSummary = ReturnType<typeof buildSummary>;

const TIMESERIES_COLUMNS: readonly (keyof TimeseriesRow)[] = [
  "t",
  "ordersPlaced",
  "ordersDelivered",
  "ordersCancelled",
  "backlogOrders",
  "onHandRdc",
  "onHandFdc",
  "onHandStore",
  "inTransit",
  "rdcPickQueue",
  "unitsLostSales",
  "costTotal",
  "revenue",
];

/** The time series as CSV: one row per sample, sim time in hours plus the local date-time. */
export function timeseriesCsv(twin: Twin, formatTime: (t: number) => string): string {
  const header = ["hour", "localTime", ...TIMESERIES_COLUMNS.slice(1)].join(",");
  const rows = twin.metrics.timeseries.map((r) =>
    [round(r.t / 60, 3), formatTime(r.t), ...TIMESERIES_COLUMNS.slice(1).map((c) => round(r[c], 2))].join(","),
  );
  return [header, ...rows].join("\n") + "\n";
}
