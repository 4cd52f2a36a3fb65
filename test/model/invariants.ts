// Invariants of a running Twin, checked from the outside: the unit ledger, non-negative stock, and the
// agreement between every counter the model keeps (reserved units, backorder units, pick queues, the
// backlog, order counts) and the states of the orders themselves. Each check returns violations as
// sentences, so a property test can show the first counterexample in words.
import type { Twin } from "../../sim/index.ts";
import { COST_LINES } from "../../sim/metrics/collector.ts";
import { ORDER_STATE, ORDER_STATE_NAMES } from "../../sim/model/orders/order.ts";
import { PATH } from "../../sim/network/paths.ts";
import type { RunSummary } from "../../sim/index.ts";

const S = ORDER_STATE;

/** Violations of the per-SKU ledger, of non-negative stock and of counter/state agreement, now. */
export function stateViolations(twin: Twin): string[] {
  const out: string[] = [];
  const { network, stock, metrics, sim } = twin.world;
  const at = `t=${sim.now}`;
  const nSites = network.siteCount;
  const nSku = network.skuCount;

  // 1. No negative stock anywhere, and whole units only.
  const arrays = { available: stock.available, reserved: stock.reserved, inTransit: stock.inTransit, onOrder: stock.onOrder, backorderUnits: stock.backorderUnits };
  for (const [name, a] of Object.entries(arrays))
    a.forEach((v, i) => {
      if (!(v >= 0) || !Number.isInteger(v)) out.push(`${at}: ${name}[${network.sites[Math.floor(i / nSku)].id}/${network.skus[i % nSku].id}] = ${v}`);
    });

  // 2. The ledger identity, exactly, per SKU.
  for (let k = 0; k < nSku; k++) {
    let onHand = 0;
    let inTransit = 0;
    for (let s = 0; s < nSites; s++) {
      onHand += stock.onHand(s, k);
      inTransit += stock.inTransit[stock.at(s, k)];
    }
    const l = metrics.ledger[k];
    const lhs = l.initial + l.produced + l.returnedToStock;
    const rhs = l.shippedToCustomers + l.scrapped + onHand + inTransit;
    if (lhs !== rhs) out.push(`${at}: ledger ${network.skus[k].id}: initial+produced+returned ${lhs} ≠ shipped+scrapped+onHand+inTransit ${rhs}`);
    for (const [field, v] of Object.entries(l)) if (!(v >= 0)) out.push(`${at}: ledger ${network.skus[k].id}.${field} = ${v}`);
  }

  // 2b. The lots of every SKU with a shelf life add up to what is on hand, in expiry order.
  for (let s = 0; s < nSites; s++)
    for (let k = 0; k < nSku; k++) {
      const lots = stock.lots[stock.at(s, k)];
      if (lots === null) continue;
      let units = 0;
      for (let j = 0; j < lots.length; j += 2) {
        units += lots[j + 1];
        if (lots[j + 1] <= 0 || (j > 0 && lots[j] <= lots[j - 2])) out.push(`${at}: lots ${network.sites[s].id}/${network.skus[k].id} out of order or empty at ${j / 2}`);
      }
      if (units !== stock.onHand(s, k)) out.push(`${at}: lots ${network.sites[s].id}/${network.skus[k].id} hold ${units} ≠ on hand ${stock.onHand(s, k)}`);
    }

  // 3. Counters against the orders' states.
  const reserved = new Float64Array(nSites * nSku);
  const backordered = new Float64Array(nSites * nSku);
  const queued = new Float64Array(nSites);
  const byState = new Array<number>(ORDER_STATE_NAMES.length).fill(0);
  let backlog = 0;
  for (const o of twin.orders) {
    byState[o.state]++;
    const i = o.site >= 0 ? stock.at(o.site, o.sku) : -1;
    const paid = !Number.isNaN(o.paidAt);
    const pickup = o.path === PATH.storePickup || o.path === PATH.transferThenPickup;
    switch (o.state) {
      case S.awaitingPayment:
        if (paid) out.push(`${at}: order ${o.id} awaits payment but was paid at ${o.paidAt}`);
        break;
      case S.backordered:
        backordered[i] += o.quantity;
        backlog++;
        break;
      case S.allocated:
        if (!o.awaitingTransfer) {
          reserved[i] += o.quantity;
          queued[o.site]++;
        }
        backlog++;
        break;
      case S.picked:
        reserved[i] += o.quantity;
        if (!(pickup && !Number.isNaN(o.readyAt))) backlog++;
        break;
      case S.shipped:
        if (!(o.shippedAt >= o.paidAt)) out.push(`${at}: order ${o.id} shipped at ${o.shippedAt} before payment ${o.paidAt}`);
        break;
      case S.delivered:
        if (!(o.deliveredAt >= o.shippedAt && o.shippedAt >= o.paidAt && o.paidAt >= o.placedAt))
          out.push(`${at}: order ${o.id} delivered out of order: placed ${o.placedAt}, paid ${o.paidAt}, shipped ${o.shippedAt}, delivered ${o.deliveredAt}`);
        if (!Number.isNaN(o.cancelledAt)) out.push(`${at}: delivered order ${o.id} also cancelled at ${o.cancelledAt}`);
        break;
      case S.cancelled:
        if (!(o.cancelledAt >= o.placedAt) || !Number.isNaN(o.deliveredAt) || !Number.isNaN(o.shippedAt))
          out.push(`${at}: cancelled order ${o.id}: placed ${o.placedAt}, cancelled ${o.cancelledAt}, shipped ${o.shippedAt}, delivered ${o.deliveredAt}`);
        break;
    }
    if (o.state !== S.delivered && !Number.isNaN(o.deliveredAt)) out.push(`${at}: order ${o.id} in state ${ORDER_STATE_NAMES[o.state]} has a delivery time`);
  }
  for (let i = 0; i < nSites * nSku; i++) {
    const where = `${network.sites[Math.floor(i / nSku)].id}/${network.skus[i % nSku].id}`;
    if (stock.reserved[i] !== reserved[i]) out.push(`${at}: reserved ${where} = ${stock.reserved[i]}, but open orders hold ${reserved[i]}`);
    if (stock.backorderUnits[i] !== backordered[i]) out.push(`${at}: backorderUnits ${where} = ${stock.backorderUnits[i]}, but backordered orders want ${backordered[i]}`);
  }
  for (let s = 0; s < nSites; s++) {
    const live = twin.fulfilment.pickQueueLength(s);
    if (live !== queued[s]) out.push(`${at}: pick queue at ${network.sites[s].id} counts ${live}, but ${queued[s]} allocated orders wait there`);
  }
  if (metrics.backlog !== backlog) out.push(`${at}: backlog counter ${metrics.backlog}, but ${backlog} paid orders are open`);
  if (metrics.ordersPlaced !== twin.orders.length) out.push(`${at}: ordersPlaced ${metrics.ordersPlaced} ≠ ${twin.orders.length} orders`);
  if (metrics.ordersDelivered !== byState[S.delivered]) out.push(`${at}: ordersDelivered ${metrics.ordersDelivered} ≠ ${byState[S.delivered]} delivered orders`);
  if (metrics.ordersCancelled !== byState[S.cancelled]) out.push(`${at}: ordersCancelled ${metrics.ordersCancelled} ≠ ${byState[S.cancelled]} cancelled orders`);
  if (byState.reduce((a, b) => a + b, 0) !== twin.orders.length) out.push(`${at}: order states do not partition the orders`);
  // The open list the summary's wait quantiles read: exactly the paid orders not yet delivered or cancelled.
  const { paidOpen } = twin.fulfilment;
  let paidOpenCount = 0;
  for (const o of twin.orders) {
    const shouldBeOpen = !Number.isNaN(o.paidAt) && o.state !== S.delivered && o.state !== S.cancelled;
    if (shouldBeOpen) paidOpenCount++;
    if (shouldBeOpen !== (o.openSlot >= 0 && paidOpen[o.openSlot] === o.row)) out.push(`${at}: order ${o.id} (${ORDER_STATE_NAMES[o.state]}) is ${shouldBeOpen ? "missing from" : "wrongly on"} the paid-open list`);
  }
  if (paidOpen.length !== paidOpenCount) out.push(`${at}: paid-open list holds ${paidOpen.length}, but ${paidOpenCount} paid orders are open`);
  const waitsRecorded = metrics.waitDays.reduce((a, w) => a + w.length, 0);
  if (waitsRecorded + paidOpen.length !== metrics.ordersPaid) out.push(`${at}: ${waitsRecorded} waits recorded + ${paidOpen.length} open ≠ ${metrics.ordersPaid} paid orders`);
  for (const line of COST_LINES) if (!(metrics.costs[line] >= 0 && Number.isFinite(metrics.costs[line]))) out.push(`${at}: cost ${line} = ${metrics.costs[line]}`);
  return out;
}

/** Violations of the summary's own identities: ledger, order accounting, cost lines summing to the total. */
export function summaryViolations(summary: RunSummary): string[] {
  const out: string[] = [];
  const k = summary.kpis;
  for (const [sku, l] of Object.entries(summary.ledger)) {
    const lhs = l.initial + l.produced + l.returnedToStock;
    const rhs = l.shippedToCustomers + l.scrapped + l.onHandEnd + l.inTransitEnd;
    if (lhs !== rhs) out.push(`summary ledger ${sku}: ${lhs} ≠ ${rhs}`);
  }
  if (k.ordersOpenAtEnd < 0) out.push(`ordersOpenAtEnd ${k.ordersOpenAtEnd} < 0`);
  if (k.ordersDelivered + k.ordersCancelled + k.ordersOpenAtEnd !== k.ordersPlaced) out.push("delivered + cancelled + open ≠ placed");
  if (k.walkInSold > k.walkInCustomers) out.push(`walkInSold ${k.walkInSold} > walkInCustomers ${k.walkInCustomers}`);
  if (k.fillRate !== null && !(k.fillRate >= 0 && k.fillRate <= 1)) out.push(`fillRate ${k.fillRate}`);
  const lines = Object.entries(k.costs).filter(([name]) => name !== "total");
  const sum = lines.reduce((a, [, v]) => a + v, 0);
  // Each line and the total are rounded to 4 decimals on their own: allow half a unit in the 4th decimal each.
  if (Math.abs(sum - k.costs.total) > 0.5e-4 * (lines.length + 1) + 1e-9 * Math.abs(sum)) out.push(`cost lines sum to ${sum}, total ${k.costs.total}`);
  for (const [name, v] of lines) if (!(v >= 0)) out.push(`cost ${name} = ${v}`);
  return out;
}
