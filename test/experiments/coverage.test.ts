// Do the intervals the experiment commands print cover the truth as often as they claim? On a system
// with a known answer — the single-store base-stock scenario, whose long-run fill rate the lost-sales
// Markov chain gives exactly (test/model/lost-sales-theory.ts) — 200 experiments of 20 replications
// each, every experiment's 95% interval computed by the commands' own summarise(), must cover the
// exact fill rate in 91–99% of experiments (binomial: 95% ± 2.6 sd at n = 200).
//
// To keep it fast (4,000 replications) the engine is driven directly: each replication runs the
// scenario from seed to day 3 18:00 (warm-up: the chain forgets its full-shelf start within a day or
// two at L = 1) and measures 10 whole review days, so the within-day saw-tooth of the stock cannot
// bias it. Seeds 1000–4999, fixed, so the coverage figure is reproducible.
import { describe, expect, it } from "vitest";
import { Twin, validateScenario, type Scenario } from "../../sim/index.ts";
import { summarise } from "../../server/experiments/stats.ts";
import { lostSalesBaseStock } from "../model/lost-sales-theory.ts";
import { exampleScenario } from "../support/runs.ts";

const EXPERIMENTS = 200;
const REPLICATIONS = 20;
const DAY = 1440;
const WINDOW_START = 3 * DAY + 18 * 60;
const WINDOW_END = WINDOW_START + 10 * DAY;

/** The shipped scenario (S 60, L 1 day, λ 40 a day), cut to the 14 days a replication needs. */
function shortScenario(): Scenario {
  const raw = structuredClone(exampleScenario("single-store-base-stock")) as Record<string, unknown>;
  raw.horizonDays = 14;
  // The exact answer assumes Poisson demand whatever the service: customers who do not remember an empty shelf.
  (raw.service as { satisfaction: { gain: number } }).satisfaction.gain = 0;
  const result = validateScenario(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
}

/** Walk-in fill rate over the measurement window of one replication. */
function fillRate(scenario: Scenario, seed: number): number {
  const twin = new Twin(scenario, { seed });
  const { metrics } = twin.world;
  twin.runUntil(WINDOW_START);
  const customers = metrics.walkInCustomers;
  const sold = metrics.walkInSold;
  twin.runUntil(WINDOW_END);
  return (metrics.walkInSold - sold) / (metrics.walkInCustomers - customers);
}

describe("confidence-interval coverage on a known answer", () => {
  it(`the 95% interval of ${REPLICATIONS} replications covers the exact base-stock fill rate in 91–99% of ${EXPERIMENTS} experiments`, () => {
    const scenario = shortScenario();
    const truth = lostSalesBaseStock(60, 1, 40).fillRate;
    expect(truth).toBeCloseTo(0.7477, 4);
    let covered = 0;
    let halfWidths = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const values = Array.from({ length: REPLICATIONS }, (_, i) => fillRate(scenario, 1000 + e * REPLICATIONS + i));
      const ci = summarise(values);
      if (ci.ciLo <= truth && truth <= ci.ciHi) covered++;
      halfWidths += (ci.ciHi - ci.ciLo) / 2;
    }
    const coverage = covered / EXPERIMENTS;
    console.info(`coverage ${(100 * coverage).toFixed(1)}% (${covered}/${EXPERIMENTS}); mean half-width ${(halfWidths / EXPERIMENTS).toFixed(4)}; truth ${truth.toFixed(6)}`);
    expect(coverage).toBeGreaterThanOrEqual(0.91);
    expect(coverage).toBeLessThanOrEqual(0.99);
  });
});
