// Lever L4 (unified service) against the siloed organisation on the 618 scenario, paired seeds (common
// random numbers) with 95% paired t intervals: store returns go from the paper's three days to the one
// 24-hour standard, and the satisfaction index rises. Then the satisfaction model's demand feedback:
// on top of tiered fulfilment's better deliveries, unified service turns them into repeat demand.
// docs/levers.md (L4) gives the figures, and why L4 alone barely moves demand.
import { beforeAll, describe, expect, it } from "vitest";
import { parsePolicy, SILOED, type RunSummary } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { exampleScenario, summaryOf } from "../support/runs.ts";

const SEEDS = [1, 2, 3];
const FEEDBACK_SEEDS = [1, 2];
const RUN_TIMEOUT_MS = 600_000;

describe("L4 unified service vs siloed (618-promotion, paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  let siloed: RunSummary[];
  let unified: RunSummary[];
  beforeAll(() => {
    siloed = SEEDS.map((seed) => summaryOf(scenario, SILOED, seed));
    unified = SEEDS.map((seed) => summaryOf(scenario, parsePolicy("unifiedService"), seed));
  }, RUN_TIMEOUT_MS);

  it("store-channel return cycle time falls from three days to the one-day standard; online stays at a day", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.returnCycleTimeHours.store!),
      unified.map((s) => s.kpis.returnCycleTimeHours.store!),
    );
    expect(ci.hi).toBeLessThan(0);
    for (const [i, s] of unified.entries()) {
      expect(siloed[i].kpis.returnCycleTimeHours.store).toBeGreaterThanOrEqual(48);
      expect(s.kpis.returnCycleTimeHours.store).toBeLessThanOrEqual(30);
      expect(s.kpis.returnCycleTimeHours.app).toBe(siloed[i].kpis.returnCycleTimeHours.app);
    }
  });

  it("the satisfaction index rises", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.satisfactionIndex),
      unified.map((s) => s.kpis.satisfactionIndex),
    );
    expect(ci.lo, `difference ${ci.mean.toFixed(3)} points, 95% CI [${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}]`).toBeGreaterThan(0);
  });

  it("free pickup everywhere costs the reverse pickups of store returns", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.costs.returns),
      unified.map((s) => s.kpis.costs.returns),
    );
    expect(ci.lo).toBeGreaterThan(0);
  });

  it("the siloed run applies no satisfaction feedback to demand", () => {
    for (const s of siloed) expect(s.kpis.repeatPurchaseFactor).toBe(1);
  });
});

describe("L4's satisfaction feedback: service shows up in later demand (618-promotion, paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  let tiered: RunSummary[];
  let both: RunSummary[];
  beforeAll(() => {
    tiered = FEEDBACK_SEEDS.map((seed) => summaryOf(scenario, parsePolicy("tieredFulfilment"), seed));
    both = FEEDBACK_SEEDS.map((seed) => summaryOf(scenario, parsePolicy("tieredFulfilment,unifiedService"), seed));
  }, RUN_TIMEOUT_MS);

  it("with deliveries kept (L2), unified service lifts repeat demand: more orders placed", () => {
    const placed = pairedInterval(
      tiered.map((s) => s.kpis.ordersPlaced),
      both.map((s) => s.kpis.ordersPlaced),
    );
    expect(placed.lo, `orders placed ${placed.mean.toFixed(0)}, 95% CI [${placed.lo.toFixed(0)}, ${placed.hi.toFixed(0)}]`).toBeGreaterThan(0);
    for (const s of both) {
      expect(s.kpis.repeatPurchaseFactor).toBeGreaterThan(1);
      expect(s.kpis.repeatPurchaseFactor).toBeLessThanOrEqual(1.1);
    }
  });
});
