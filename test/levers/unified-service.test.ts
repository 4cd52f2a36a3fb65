// Lever L4 (unified service) against the siloed organisation on the 618 scenario, paired seeds (common
// random numbers) with 95% paired t intervals: return review is work, and unified service pools every
// channel's reviewers behind one entry point, so the busiest channel's returns stop queueing; the
// satisfaction index rises. Customers remember under both organisations (docs/levers.md); the demand
// side of it is held by test/levers/fair-comparison.test.ts on small scenarios.
import { beforeAll, describe, expect, it } from "vitest";
import { parsePolicy, type RunSummary } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { exampleScenario, sharedSummaries, summaryOf } from "../support/runs.ts";

const SEEDS = [1, 2, 3];
const RUN_TIMEOUT_MS = 600_000;

describe("L4 unified service vs siloed (618-promotion, paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  let siloed: RunSummary[];
  let unified: RunSummary[];
  beforeAll(() => {
    siloed = sharedSummaries("618-promotion", "siloed", SEEDS);
    unified = SEEDS.map((seed) => summaryOf(scenario, parsePolicy("unifiedService"), seed));
  }, RUN_TIMEOUT_MS);

  it("pools the reviewers: the app's return cycle falls, and every channel's returns wait in the one queue", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.returnCycleTimeHours.app!),
      unified.map((s) => s.kpis.returnCycleTimeHours.app!),
    );
    expect(ci.hi, `app cycle ${ci.mean.toFixed(1)} h, 95% CI [${ci.lo.toFixed(1)}, ${ci.hi.toFixed(1)}]`).toBeLessThan(0);
    for (const s of unified) {
      const cycles = Object.values(s.kpis.returnCycleTimeHours).filter((h): h is number => h !== null);
      expect(Math.max(...cycles) - Math.min(...cycles), JSON.stringify(s.kpis.returnCycleTimeHours)).toBeLessThan(2);
    }
  });

  it("the satisfaction index rises", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.satisfactionIndex),
      unified.map((s) => s.kpis.satisfactionIndex),
    );
    expect(ci.lo, `difference ${ci.mean.toFixed(3)} points, 95% CI [${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}]`).toBeGreaterThan(0);
  });

  it("free pickup everywhere costs the reverse pickups of store returns, and the lever's running cost is charged", () => {
    const ci = pairedInterval(
      siloed.map((s) => s.kpis.costs.returns),
      unified.map((s) => s.kpis.costs.returns),
    );
    expect(ci.lo).toBeGreaterThan(0);
    for (const [i, s] of unified.entries()) {
      expect(siloed[i].kpis.costs.coordination).toBe(0);
      expect(s.kpis.costs.coordination).toBeGreaterThan(0);
    }
  });

  it("customers remember under the siloed organisation too: its repeat factor follows its own service", () => {
    for (const s of siloed) expect(s.kpis.repeatPurchaseFactor).not.toBe(1);
  });
});
