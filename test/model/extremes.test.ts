// Extreme-condition tests (Sargent): push one input to its limit on the baseline week and check that the
// model does the only thing it can. Zero demand: nothing happens to customers. Unlimited capacity and
// stock: no order waits longer than one pick wave, nothing is backordered or cancelled. Zero RDC
// capacity: no online order is delivered, and every customer whose patience ran out before the horizon
// cancelled exactly then. Infinite patience: nobody cancels, even when capacity is short.
// Every run also keeps the invariants of test/model/invariants.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { buildSummary, COORDINATED, SILOED, Twin, validateScenario, type Policy, type RunSummary, type Scenario } from "../../sim/index.ts";
import { PICK_WAVE_MINUTES } from "../../sim/model/fulfilment/capacity.ts";
import { ORDER_STATE } from "../../sim/model/orders/order.ts";
import { PATH } from "../../sim/network/paths.ts";
import { exampleScenario } from "../support/runs.ts";
import { stateViolations, summaryViolations } from "./invariants.ts";

type Json = Record<string, any>;

/** baseline-week with an edit applied; throws if the result is not a valid scenario. */
function edited(edit: (raw: Json) => void): Scenario {
  const raw = structuredClone(exampleScenario("baseline-week")) as Json;
  edit(raw);
  const result = validateScenario(raw);
  if (!result.ok) throw new Error(`invalid extreme scenario: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result.scenario;
}

function run(scenario: Scenario, policy: Policy): { twin: Twin; summary: RunSummary } {
  const twin = new Twin(scenario, { policy, seed: 1, keepOrders: true }).run();
  const summary = buildSummary(twin);
  expect([...stateViolations(twin), ...summaryViolations(summary)]).toEqual([]);
  return { twin, summary };
}

const POLICIES = { siloed: SILOED, coordinated: COORDINATED } as const;
/** The schema wants a positive pick rate: 1e-9 orders an hour is one order in ~10^5 years. */
const NO_CAPACITY = 1e-9;
const HUGE = 1e9;

const zeroDemand = () => edited((raw) => {
  raw.demand.onlineOrdersPerDay = 0;
  raw.demand.walkInPerDay = 0;
});

const unlimited = () => edited((raw) => {
  for (const site of raw.sites as Json[]) {
    for (const line of site.inventory as Json[]) line.initial *= 1000;
    if (site.type === "factory") continue;
    site.pickPack.ordersPerHour = HUGE;
    site.pickPack.shifts = [{ start: "00:00", end: "24:00" }];
    if (site.type === "fdc" || site.type === "store") site.riders = 100_000;
    if (site.type === "store") site.pickupCounterPerHour = HUGE;
    // The express carrier collects every parcel the day it is ready (no daily pickup cap).
    delete site.expressPickupsPerDay;
  }
  for (const lane of raw.lanes as Json[]) lane.truckCapacityUnits = HUGE;
  // Nobody declines a pickup offer (a decline is a cancellation by choice, not for want of capacity).
  delete raw.customers;
  // Stock that never expires: a thousandfold stock of a 3-day SKU would otherwise rot on the shelf (the
  // perishables' own checks are in test/model/perishables.test.ts).
  for (const sku of raw.skus as Json[]) delete sku.shelfLifeDays;
});

const noRdcCapacity = () => edited((raw) => {
  for (const site of raw.sites as Json[]) if (site.type === "rdc") site.pickPack.ordersPerHour = NO_CAPACITY;
  // Every online customer asks for delivery, so the siloed router sends every order to the RDC.
  for (const channel of raw.channels as Json[]) if (channel.kind === "online") channel.fulfilment = "delivery";
});

/** Capacity short enough that customers would give up; `never` patience or the shipped one. */
const shortCapacity = (patience: "never" | "as shipped") => edited((raw) => {
  for (const site of raw.sites as Json[]) if (site.type === "rdc") site.pickPack.ordersPerHour *= 0.3;
  if (patience === "never") for (const sku of raw.skus as Json[]) sku.patience = { kind: "never" };
});

describe("zero demand", () => {
  for (const [name, policy] of Object.entries(POLICIES))
    it(`${name}: no customer, no order, no customer-facing cost`, () => {
      const { summary } = run(zeroDemand(), policy);
      const k = summary.kpis;
      expect([k.ordersPlaced, k.ordersDelivered, k.ordersCancelled, k.refunds, k.walkInCustomers, k.unitsDemanded, k.unitsLostSales]).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect(k.fillRate).toBeNull();
      expect(k.onTimeRate).toBeNull();
      expect(k.backlogPeakOrders).toBe(0);
      expect(k.revenue).toBe(0);
      for (const line of ["fulfilment", "pickPack", "compensation", "returns", "expedite"] as const) expect(k.costs[line], line).toBe(0);
      expect(k.costs.holding).toBeGreaterThan(0); // the initial stock still sits on shelves
      for (const l of Object.values(summary.ledger)) expect(l.shippedToCustomers + l.returnedToStock).toBe(0);
      // Only perishable stock expiring on the shelf is scrapped: nothing was returned.
      expect(Object.values(summary.ledger).reduce((n, l) => n + l.scrapped, 0)).toBe(k.unitsExpired);
    });
});

describe("unlimited capacity and stock", () => {
  for (const [name, policy] of Object.entries(POLICIES))
    it(`${name}: every order is picked at the first wave, nothing waits for stock, nobody cancels`, () => {
      const { twin, summary } = run(unlimited(), policy);
      const k = summary.kpis;
      expect(k.ordersPlaced).toBeGreaterThan(50_000);
      let maxPickWait = 0;
      for (const o of twin.orders) {
        expect(o.state, `order ${o.id}`).not.toBe(ORDER_STATE.backordered);
        if (Number.isNaN(o.pickQueuedAt)) continue;
        // Pick time: express ships at the pick; pickup orders are ready at the pick; riders leave later.
        const picked = o.path === PATH.storePickup || o.path === PATH.transferThenPickup ? o.readyAt : o.path === PATH.rdcExpress ? o.shippedAt : NaN;
        if (!Number.isNaN(picked)) maxPickWait = Math.max(maxPickWait, picked - o.pickQueuedAt);
      }
      expect(maxPickWait).toBeLessThanOrEqual(PICK_WAVE_MINUTES);
      for (const riders of twin.fulfilment.riders) if (riders && riders.waits.count > 0) expect(riders.waits.max).toBe(0);
      expect(k.ordersCancelled).toBe(0);
      expect(k.unitsLostSales).toBe(0);
      expect(k.fillRate).toBe(1);
      expect(k.ordersByPath.transferThenPickup).toBe(0);
      expect(k.costs.expedite).toBe(0);
    });
});

describe("zero RDC capacity (siloed: every online order goes to the RDC)", () => {
  let twin: Twin;
  let summary: RunSummary;
  beforeAll(() => ({ twin, summary } = run(noRdcCapacity(), SILOED)));

  it("routes every online order to the RDC and delivers none", () => {
    expect(summary.kpis.ordersPlaced).toBeGreaterThan(50_000);
    expect(summary.kpis.ordersByPath.rdcExpress).toBe(summary.kpis.ordersPlaced);
    expect(summary.kpis.ordersDelivered).toBe(0);
    expect(summary.kpis.capacityUtilisation["rdc-gz-huangpu"]).toBe(0);
  });

  it("cancels exactly the orders whose patience ran out before the horizon, at that moment", () => {
    let cancelled = 0;
    for (const o of twin.orders) {
      const givesUpAt = o.promiseAt + o.patienceMinutes;
      if (givesUpAt <= twin.horizon) {
        expect(o.state, `order ${o.id} should have cancelled at ${givesUpAt}`).toBe(ORDER_STATE.cancelled);
        expect(o.cancelledAt).toBe(Math.max(o.paidAt, givesUpAt));
        cancelled++;
      } else {
        expect(o.state, `order ${o.id} still has patience at the horizon`).not.toBe(ORDER_STATE.cancelled);
      }
    }
    expect(summary.kpis.ordersCancelled).toBe(cancelled);
    expect(cancelled).toBeGreaterThan(summary.kpis.ordersPlaced / 2);
    expect(summary.kpis.ordersOpenAtEnd).toBe(summary.kpis.ordersPlaced - cancelled);
    // Every cancelled order had been paid, so each is refunded (walk-in returns add the rest).
    expect(summary.kpis.refunds).toBeGreaterThanOrEqual(cancelled);
  });
});

describe("infinite patience", () => {
  for (const [name, policy] of Object.entries(POLICIES))
    it(`${name}: with RDC capacity cut to 30%, nobody cancels (the shipped patience does cancel)`, () => {
      const neverRun = run(shortCapacity("never"), policy);
      const controlRun = run(shortCapacity("as shipped"), policy);
      const never = neverRun.summary.kpis;
      const control = controlRun.summary.kpis;
      expect(never.ordersCancelled).toBe(0);
      expect(never.ordersOpenAtEnd).toBeGreaterThan(1000); // the pressure was real
      expect(control.ordersCancelled).toBeGreaterThan(1000);
      // Same candidate customers (common random numbers). Which candidates are accepted may differ once a
      // lever feeds service back into demand (cancellations lower satisfaction), so compare candidates.
      const candidates = (t: Twin) => t.sources.map((x) => x.candidates);
      expect(candidates(neverRun.twin)).toEqual(candidates(controlRun.twin));
    });
});
