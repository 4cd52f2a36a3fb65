// All four levers together against the siloed organisation on the 618 scenario: paired replications on the
// same seeds (common random numbers), 95% paired t intervals on the difference. The single-lever files show
// which lever buys what; this one holds the headline claim a planner quotes.
import { beforeAll, describe, expect, it } from "vitest";
import { COORDINATED, runScenario, type RunSummary } from "../../sim/index.ts";
import { pairedInterval } from "../../sim/metrics/confidence.ts";
import { describeDiff, exampleScenario, sharedSummaries } from "../support/runs.ts";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const RUN_TIMEOUT_MS = 600_000;

describe("coordinated vs siloed (618-promotion, 10 paired seeds)", () => {
  const scenario = exampleScenario("618-promotion");
  let siloed: RunSummary[];
  let coordinated: RunSummary[];
  beforeAll(() => {
    siloed = sharedSummaries("618-promotion", "siloed", SEEDS);
    coordinated = SEEDS.map((seed) => runScenario(scenario, { policy: COORDINATED, seed }).summary);
  }, RUN_TIMEOUT_MS);

  const diff = (measure: (s: RunSummary) => number) => pairedInterval(siloed.map(measure), coordinated.map(measure));

  it("total cost falls", () => {
    const ci = diff((s) => s.kpis.costs.total);
    expect(ci.hi, describeDiff("costs.total (CNY)", ci)).toBeLessThan(0);
  });

  it("the on-time rate rises", () => {
    const ci = diff((s) => s.kpis.onTimeRate ?? Number.NaN);
    expect(ci.lo, describeDiff("onTimeRate", ci)).toBeGreaterThan(0);
  });

  it("every seed improves on its own, not only on average", () => {
    SEEDS.forEach((seed, i) => {
      expect(coordinated[i].kpis.costs.total, `seed ${seed}: total cost`).toBeLessThan(siloed[i].kpis.costs.total);
      expect(coordinated[i].kpis.onTimeRate!, `seed ${seed}: on-time rate`).toBeGreaterThan(siloed[i].kpis.onTimeRate!);
    });
  });
});
