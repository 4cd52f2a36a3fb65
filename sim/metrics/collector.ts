// KPI accumulators for one run: counters, tallies, the cost lines, the ledger and the periodic samples
// the time series and the stockout-while-overstocked index come from. Filled by the model; turned into
// the run summary by summary.ts. Knows nothing of how the model works.
import { PATH_NAMES } from "../network/paths.ts";
import { Samples } from "../engine/stats.ts";

export const COST_LINES = ["fulfilment", "pickPack", "transfer", "holding", "expedite", "production", "compensation", "returns", "coordination", "scrap"] as const;
export type CostLine = (typeof COST_LINES)[number];

/** Per-SKU unit flows; initial + produced + returnedToStock = shippedToCustomers + scrapped + onHandEnd + inTransitEnd. */
export interface LedgerLine {
  initial: number;
  produced: number;
  returnedToStock: number;
  shippedToCustomers: number;
  scrapped: number;
}

/** One row of the time series. */
export interface TimeseriesRow {
  t: number;
  ordersPlaced: number;
  ordersDelivered: number;
  ordersCancelled: number;
  backlogOrders: number;
  onHandRdc: number;
  onHandFdc: number;
  onHandStore: number;
  inTransit: number;
  rdcPickQueue: number;
  unitsLostSales: number;
  costTotal: number;
  revenue: number;
}

/** Running totals of one simulation. */
/** Hours in the rolling day of routed orders. */
const ROUTED_HOURS = 24;

export class Metrics {
  ordersPlaced = 0;
  ordersPaid = 0;
  ordersDelivered = 0;
  ordersCancelled = 0;
  ordersDeliveredOnTime = 0;
  /** Orders paid late compensation (by the scenario's trigger: late dispatch or late delivery; and cancelled after that deadline). */
  ordersCompensated = 0;
  refunds = 0;
  unitsDemanded = 0;
  unitsFulfilled = 0;
  unitsLostSales = 0;
  walkInCustomers = 0;
  walkInSold = 0;
  backlog = 0;
  backlogPeak = 0;
  revenue = 0;
  costOfGoodsSold = 0;
  lostMargin = 0;
  /**
   * Online orders the levers' promotion pressure (L1 matching, L3 throttle and review) suppressed — they would
   * have come at the pressure marketing planned — or added, with their units and margin at the price then.
   */
  ordersSuppressedByPressure = 0;
  unitsSuppressedByPressure = 0;
  marginSuppressedByPressure = 0;
  ordersAddedByPressure = 0;
  unitsAddedByPressure = 0;
  marginAddedByPressure = 0;
  /**
   * Forecast accuracy of the daily forecast each arm's replenishment acted on, per stocked forward site × SKU
   * × day: cells scored, Σ forecast − actual, Σ actual, and over cells with demand, Σ |forecast − actual| / actual.
   */
  forecastCells = 0;
  forecastErrorSum = 0;
  forecastActualSum = 0;
  forecastAbsErrorSum = 0;
  forecastApeSum = 0;
  forecastApeCells = 0;
  /** Walk-ins who found the shelf empty (issue #17), with their units, and where the switching ones went. */
  walkInStockouts = 0;
  unitsWalkInStockout = 0;
  walkInsToOtherStore = 0;
  /** Units sold at the other store (recovered); the rest of those walk-ins found it empty too. */
  unitsRecoveredOtherStore = 0;
  unitsOtherStoreEmpty = 0;
  walkInsToOnline = 0;
  /** Units the switching walk-ins ordered online (they then fare as any online order). */
  unitsOrderedOnline = 0;
  /** Home-delivery orders (customer orders, not lines) whose customer declined a store-pickup offer and cancelled, and their units. */
  pickupOffersDeclined = 0;
  unitsPickupDeclined = 0;
  /** Online customer orders routed, their lines, those of more than one line, those split, and the parcels planned. */
  basketsRouted = 0;
  linesRouted = 0;
  basketsMultiLine = 0;
  basketsSplit = 0;
  parcelsPlanned = 0;
  readonly ordersByPath = new Float64Array(PATH_NAMES.length);
  readonly costByPath = new Float64Array(PATH_NAMES.length);
  readonly deliveredByPath = new Float64Array(PATH_NAMES.length);
  /** Orders from customers near a store or FDC that stocks the SKU (tiered fulfilment's "near"): delivered, and their costs. */
  nearDelivered = 0;
  nearCost = 0;
  readonly costs: Record<CostLine, number> = {
    fulfilment: 0,
    pickPack: 0,
    transfer: 0,
    holding: 0,
    expedite: 0,
    production: 0,
    compensation: 0,
    returns: 0,
    coordination: 0,
    scrap: 0,
  };
  /** Units of SKUs with a shelf life scrapped because they expired, in total and by site tier (factory, RDC, FDC, store). */
  unitsExpired = 0;
  readonly expiredByTier = new Float64Array(4);
  /** Express parcels that waited for a later day's carrier pickup, and their summed wait (minutes). */
  parcelsWaitingForPickup = 0;
  pickupWaitMinutesSum = 0;
  /** Lead time placed/paid → delivered, hours, one per delivered order. */
  readonly leadTimesHours = new Samples();
  /**
   * Per SKU, days each paid order waited, payment → delivery (or collection) or → cancellation, recorded as
   * it ends; orders still open at the end are in Fulfilment.paidOpen.
   */
  readonly waitDays: Samples[];
  /** Satisfaction: sum of experience scores in [0, 1] and their count. */
  satisfactionSum = 0;
  satisfactionCount = 0;
  /** Returns per channel: count and summed cycle hours. */
  readonly returnCount: Float64Array;
  readonly returnCycleHoursSum: Float64Array;
  /** Returns refunded within the review time their process promises (the channel's, or the unified SLA). */
  returnsWithinSla = 0;
  readonly ledger: LedgerLine[];
  /** Stockout-while-overstocked: site-SKU samples that were stocked and asked for (demand in the last two local days), and those out while another site was over target. */
  stockedSamples = 0;
  stockoutWhileOverSamples = 0;
  /** Average on-hand units across samples (for turnover). */
  onHandSampleSum = 0;
  samples = 0;
  /** Per site: orders picked and pick capacity offered (orders), for utilisation. */
  readonly picked: Float64Array;
  readonly pickOffered: Float64Array;
  /** Daily customer demand (units) and replenishment orders placed upstream (units), for the bullwhip ratio. */
  readonly dailyDemand: number[] = [];
  readonly dailyReplenishment: number[] = [];
  readonly timeseries: TimeseriesRow[] = [];
  /** Paid online orders routed to each site in each of the last 24 sim hours (ring, row = hour % 24), whatever the policy. */
  private readonly routedRing: Float64Array;
  private routedHour = 0;
  private readonly siteCount: number;

  constructor(siteCount: number, skuCount: number, channelCount: number) {
    this.siteCount = siteCount;
    this.routedRing = new Float64Array(ROUTED_HOURS * siteCount);
    this.returnCount = new Float64Array(channelCount);
    this.returnCycleHoursSum = new Float64Array(channelCount);
    this.picked = new Float64Array(siteCount);
    this.pickOffered = new Float64Array(siteCount);
    this.ledger = Array.from({ length: skuCount }, () => ({ initial: 0, produced: 0, returnedToStock: 0, shippedToCustomers: 0, scrapped: 0 }));
    this.waitDays = Array.from({ length: skuCount }, () => new Samples());
  }

  /** One site × SKU × day's forecast against the demand the site then saw (units). */
  forecastScored(forecast: number, actual: number): void {
    this.forecastCells++;
    this.forecastErrorSum += forecast - actual;
    this.forecastActualSum += actual;
    this.forecastAbsErrorSum += Math.abs(forecast - actual);
    if (actual > 0) {
      this.forecastApeSum += Math.abs(forecast - actual) / actual;
      this.forecastApeCells++;
    }
  }

  /** Add to a cost line. */
  cost(line: CostLine, amount: number): void {
    this.costs[line] += amount;
  }
  get costTotal(): number {
    let s = 0;
    for (const line of COST_LINES) s += this.costs[line];
    return s;
  }
  backlogUp(): void {
    if (++this.backlog > this.backlogPeak) this.backlogPeak = this.backlog;
  }
  backlogDown(): void {
    this.backlog--;
  }
  /** Count units of customer demand on the day `day`. */
  demand(day: number, units: number): void {
    while (this.dailyDemand.length <= day) this.dailyDemand.push(0);
    this.dailyDemand[day] += units;
  }
  /** Count units ordered upstream by replenishment on the day `day`. */
  replenish(day: number, units: number): void {
    while (this.dailyReplenishment.length <= day) this.dailyReplenishment.push(0);
    this.dailyReplenishment[day] += units;
  }
  /** A paid online order was routed to `site` at sim time `t` (minutes); feeds ordersRoutedLastDay. */
  routed(site: number, t: number): void {
    this.advanceRoutedHour(Math.floor(t / 60));
    this.routedRing[(this.routedHour % ROUTED_HOURS) * this.siteCount + site]++;
  }
  /** Paid online orders routed to a site over the last day up to sim time `t`, by the hour (the load the saturation line measures). */
  ordersRoutedLastDay(site: number, t: number): number {
    this.advanceRoutedHour(Math.floor(t / 60));
    let n = 0;
    for (let h = 0; h < ROUTED_HOURS; h++) n += this.routedRing[h * this.siteCount + site];
    return n;
  }
  private advanceRoutedHour(hour: number): void {
    if (hour - this.routedHour >= ROUTED_HOURS) this.routedRing.fill(0);
    else for (let h = this.routedHour + 1; h <= hour; h++) this.routedRing.fill(0, (h % ROUTED_HOURS) * this.siteCount, ((h % ROUTED_HOURS) + 1) * this.siteCount);
    if (hour > this.routedHour) this.routedHour = hour;
  }
  /** Count an online customer the promotion pressure added (`added`) or suppressed: their order lines (every line of a basket), units and margin. */
  pressureShift(added: boolean, lines: number, units: number, margin: number): void {
    if (added) {
      this.ordersAddedByPressure += lines;
      this.unitsAddedByPressure += units;
      this.marginAddedByPressure += margin;
    } else {
      this.ordersSuppressedByPressure += lines;
      this.unitsSuppressedByPressure += units;
      this.marginSuppressedByPressure += margin;
    }
  }
  /** Score one customer experience in [0, 1] for the satisfaction index. */
  experience(score: number): void {
    this.satisfactionSum += score;
    this.satisfactionCount++;
  }
}
