// The periodic sample of a run: at every time-series interval, wake the coordination round (it starts
// itself once a lever is on), charge holding cost, count the stockout-while-overstocked index (over the
// site-SKUs customers asked for in the last two local days) and append one time-series row. Reads the
// world; changes only the metrics.
import type { Coordination } from "./coordination/coordination.ts";
import type { Fulfilment } from "./fulfilment/fulfilment.ts";
import type { Replenishment } from "./stock/replenishment.ts";
import type { World } from "./world.ts";

/** The sampler of one run; schedule `sample` at time 0 and it reschedules itself. */
export class Sampler {
  constructor(
    private readonly w: World,
    private readonly coordination: Coordination,
    private readonly replenishment: Replenishment,
    private readonly fulfilment: Fulfilment,
  ) {}

  /** Periodic sample: holding cost, the stockout-while-overstocked index, and a time-series row. */
  readonly sample = (): void => {
    const w = this.w;
    const { sim, network, stock, metrics, scenario } = w;
    const interval = scenario.timeseriesIntervalMinutes;
    this.coordination.wake();
    const next = sim.now + interval;
    if (next <= w.horizon) sim.scheduleAt(next, this.sample);
    const holdingPerUnitMinute = scenario.costs.holdingSharePerYear / (365 * 1440);
    let holding = 0;
    let onHand = 0;
    const tierOnHand = [0, 0, 0, 0];
    let inTransit = 0;
    const nSku = network.skuCount;
    const over = new Uint8Array(network.siteCount * nSku);
    const overCount = new Float64Array(nSku);
    for (let s = 0; s < network.siteCount; s++) {
      const type = network.siteType[s];
      for (let k = 0; k < nSku; k++) {
        const i = stock.at(s, k);
        const units = stock.available[i] + stock.reserved[i];
        inTransit += stock.inTransit[i];
        tierOnHand[type] += units;
        // Finished goods at a factory cost holding like stock anywhere else.
        holding += units * network.skus[k].unitCost * holdingPerUnitMinute * interval;
        if (type === 0) continue;
        onHand += units;
        if (this.replenishment.stocked[i] && stock.available[i] > this.replenishment.target(s, k)) {
          over[i] = 1;
          overCount[k]++;
        }
      }
    }
    if (sim.now > 0) {
      metrics.cost("holding", holding);
      metrics.onHandSampleSum += onHand;
      metrics.samples++;
      for (let s = 0; s < network.siteCount; s++)
        for (let k = 0; k < nSku; k++) {
          const i = stock.at(s, k);
          // A stockout counts where customers ask for the SKU (demand in the current or previous local day):
          // a site no order is routed to — an FDC while routing ignores it — is not out of stock for anyone.
          if (!this.replenishment.stocked[i] || !(this.replenishment.recentDemand(s, k) > 0)) continue;
          metrics.stockedSamples++;
          if (stock.available[i] < 1 && overCount[k] - over[i] > 0) metrics.stockoutWhileOverSamples++;
        }
    }
    const rdc = network.rdcs[0] ?? -1;
    metrics.timeseries.push({
      t: sim.now,
      ordersPlaced: metrics.ordersPlaced,
      ordersDelivered: metrics.ordersDelivered,
      ordersCancelled: metrics.ordersCancelled,
      backlogOrders: metrics.backlog,
      onHandRdc: tierOnHand[1],
      onHandFdc: tierOnHand[2],
      onHandStore: tierOnHand[3],
      inTransit,
      rdcPickQueue: rdc >= 0 ? this.fulfilment.pickQueueLength(rdc) : 0,
      unitsLostSales: metrics.unitsLostSales,
      costTotal: metrics.costTotal,
      revenue: metrics.revenue,
    });
  };
}
