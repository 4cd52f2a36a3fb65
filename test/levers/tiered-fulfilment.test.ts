// Lever L2 (tiered fulfilment) against the siloed organisation on the 618 scenario: paired replications
// on the same seeds (common random numbers), 95% paired t intervals on the difference. And the express
// price shock: with L2, store pickup takes a larger share of orders after the shock than before it, and
// a larger share than the same runs without the shock. docs/levers.md (L2) gives the figures and reasons.
// The shock's reaction is checked with every delivery customer accepting a pickup offer (the 618 files'
// `customers.switching` removed from both arms, their baskets kept): with 70% declining and cancelling (customers.switching's
// default), the router prices that loss above the shocked express price and pickup barely moves
// (docs/verification.md §11).
import { beforeAll, describe, expect, it } from "vitest";
import { parsePolicy, runScenario, type Decision, type RunSummary } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { exampleScenario, sharedSummaries } from "../support/runs.ts";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** The shock scenario is the 618 scenario plus an express price shock; a few seeds pin its effect. */
const SHOCK_SEEDS = [1, 2, 3];
const TIERED = parsePolicy("tieredFulfilment");
const RUN_TIMEOUT_MS = 600_000;

/** Share of routed orders sent to store pickup, from the routing log, over windows starting in [from, to). */
function pickupShare(decisions: readonly Decision[], from: number, to: number): number {
  let pickup = 0;
  let all = 0;
  for (const d of decisions) {
    if (d.kind !== "routing") continue;
    const start = d.figures.fromMinute as number;
    if (start < from || start >= to) continue;
    all += d.figures.orders as number;
    if (d.figures.path === "storePickup") pickup += d.figures.orders as number;
  }
  return pickup / all;
}

interface Arm {
  summary: RunSummary;
  pickupBefore: number;
  pickupAfter: number;
}

describe("L2 tiered fulfilment vs siloed (618-promotion, paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  const shockScenario = exampleScenario("express-price-shock");
  // Customers who never switch (every pickup offer accepted), with the scenario's baskets kept.
  const accepting = (s: typeof scenario): typeof scenario => ({ ...s, customers: s.customers && { ...s.customers, switching: undefined } });
  const shockAt = 23 * 1440; // 5 June 00:00
  const arm = (s: typeof scenario, policy: typeof TIERED, seed: number): Arm => {
    const r = runScenario(s, { policy, seed });
    return { summary: r.summary, pickupBefore: pickupShare(r.twin.world.decisions, 0, shockAt), pickupAfter: pickupShare(r.twin.world.decisions, shockAt, Infinity) };
  };
  let siloed: RunSummary[];
  let tiered: Arm[];
  let shocked: Arm[];
  /** Tiered on 618 without customer choices, the no-shock twin of `shocked`. */
  let acceptingTiered: Arm[];
  beforeAll(() => {
    siloed = sharedSummaries("618-promotion", "siloed", SEEDS);
    tiered = SEEDS.map((seed) => arm(scenario, TIERED, seed));
    shocked = SHOCK_SEEDS.map((seed) => arm(accepting(shockScenario), TIERED, seed));
    acceptingTiered = SHOCK_SEEDS.map((seed) => arm(accepting(scenario), TIERED, seed));
  }, RUN_TIMEOUT_MS);

  it("fulfilment cost per order falls", () => {
    const ci = pairedInterval(
      siloed.map((r) => r.kpis.fulfilmentCostPerOrder!),
      tiered.map((r) => r.summary.kpis.fulfilmentCostPerOrder!),
    );
    expect(ci.hi, `difference ${ci.mean.toFixed(3)} CNY/order, 95% CI [${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}]`).toBeLessThan(0);
  });

  it("orders from customers near a stocked store or FDC cost no more than siloed (within 1%), and local paths carry them", () => {
    const near = pairedInterval(
      siloed.map((r) => r.kpis.fulfilmentCostPerOrderNear!),
      tiered.map((r) => r.summary.kpis.fulfilmentCostPerOrderNear!),
    );
    console.info(`[L2] near-customer fulfilment cost per order, tiered − siloed: ${near.mean.toFixed(4)} CNY, 95% CI [${near.lo.toFixed(4)}, ${near.hi.toFixed(4)}]`);
    const siloedNear = siloed.reduce((a, r) => a + r.kpis.fulfilmentCostPerOrderNear!, 0) / siloed.length;
    expect(near.hi).toBeLessThan(0.01 * siloedNear);
    // The paper's "about half" holds for the last mile of a pickup ~1 km away (test/policy/router.test.ts).
    // All in — pick/pack, compensation, FDC instant delivery priced like express (domain numbers C2, C3) — the
    // near customer's order costs about what it costs siloed: under the cited late-dispatch rule the siloed
    // near orders (late by hours, not past the 48 h dispatch promise) are rarely compensated, so L2 saves on
    // them only last mile, and with baskets (618: 1.6 lines an order) siloed ships a near customer's basket in
    // one RDC parcel while L2 splits 4.5–4.7% of baskets into a local parcel and an express one. Seeds 1–10:
    // −0.024 CNY [−0.053, +0.005] a line on 7.33. A finding, see docs/levers.md.
    const ratios = tiered.map((r, i) => r.summary.kpis.fulfilmentCostPerOrderNear! / siloed[i].kpis.fulfilmentCostPerOrderNear!);
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.6);
    expect(mean).toBeLessThan(1.01);
    for (const r of tiered) {
      const byPath = r.summary.kpis.fulfilmentCostPerOrderByPath;
      expect(byPath.storePickup!).toBeLessThan(byPath.rdcExpress!);
      expect(byPath.fdcInstant!).toBeLessThan(byPath.rdcExpress!);
      expect(r.summary.kpis.ordersByPath.fdcInstant).toBeGreaterThan(0);
    }
  });

  it("serves more of the demand: fewer cancellations, a higher fill rate and on-time rate", () => {
    const cancelled = pairedInterval(
      siloed.map((r) => r.kpis.ordersCancelled),
      tiered.map((r) => r.summary.kpis.ordersCancelled),
    );
    const onTime = pairedInterval(
      siloed.map((r) => r.kpis.onTimeRate!),
      tiered.map((r) => r.summary.kpis.onTimeRate!),
    );
    expect(cancelled.hi).toBeLessThan(0);
    expect(onTime.lo).toBeGreaterThan(0);
  });

  // Skipped in sessions 9–10 as "no longer significant" (+0.0042 [−0.0002, +0.0085], then −0.0072
  // [−0.0106, −0.0038] on seeds 1–3): express-price-shock.json had kept the network of before issue #17 (no
  // fresh cover limit, no supplier lead time, no RDC carrier cap) while 618-promotion.json moved on, so the
  // comparison measured the two networks, not the shock. The what-if is 618 plus its intervention again
  // (test/scenario/examples.test.ts holds it), and the claim holds.
  it("on express-price-shock: store pickup's share rises after the shock by more than without it, and ends above the no-shock runs", () => {
    // After − before within a run is confounded by the calendar since stock expires (stores' opening fresh
    // stock runs out and they then hold at most a shelf life's cover), so the rise is measured against the
    // same runs' own change without the shock: a difference in differences.
    const withinRun = pairedInterval(
      SHOCK_SEEDS.map((_, i) => acceptingTiered[i].pickupAfter - acceptingTiered[i].pickupBefore),
      shocked.map((r) => r.pickupAfter - r.pickupBefore),
    );
    console.info(`[L2] store pickup share, (after − before) shocked − unshocked: ${withinRun.mean.toFixed(4)} [${withinRun.lo.toFixed(4)}, ${withinRun.hi.toFixed(4)}]`);
    expect(withinRun.lo, `(after − before) shocked − unshocked ${withinRun.mean.toFixed(4)}, 95% CI [${withinRun.lo.toFixed(4)}, ${withinRun.hi.toFixed(4)}]`).toBeGreaterThan(0);
    // Same seeds without the shock: the rise is the shock's doing, not the calendar's.
    const againstNoShock = pairedInterval(
      SHOCK_SEEDS.map((_, i) => acceptingTiered[i].pickupAfter),
      shocked.map((r) => r.pickupAfter),
    );
    expect(againstNoShock.lo).toBeGreaterThan(0);
    // Before the shock the two scenarios are the same run.
    for (const [i, r] of shocked.entries()) expect(r.pickupBefore).toBe(acceptingTiered[i].pickupBefore);
  });
});
