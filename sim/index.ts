// The simulator's public API: what server/, workers and the client may import. Pure and deterministic:
// same scenario + policy + seed + interventions → byte-identical output.
export { Simulation, SimulationError, RandomStreams, RandomStream, Calendar, ServerQueue, Container, Tally, TimeWeighted } from "./engine/index.ts";
export * from "./scenario/index.ts";
export { LEVERS, SILOED, COORDINATED, parsePolicy, policyName, PolicyError } from "./policy/policy.ts";
export type { Lever, Policy } from "./policy/policy.ts";
export { Twin } from "./model/twin.ts";
export type { RunOptions } from "./model/twin.ts";
export type { Decision, ModelObserver, ShipmentKind, ParcelKind } from "./model/world.ts";
export { buildSummary, timeseriesCsv } from "./observe/summary.ts";
export type { RunSummary } from "./observe/summary.ts";
export { OMNITWIN_VERSION } from "./version.ts";
export { OmnitwinError } from "./errors.ts";
export { localPlusMinutes, localWallMs, minutesBetween } from "./engine/local-time.ts";
export { Observation, CELL_FIELDS, CELL_WIDTH, SITE_FIELDS, SITE_WIDTH } from "./observe/observation.ts";
export { describeNetwork, describeScenarioNetwork } from "./observe/network.ts";
export type { NetworkDescription, SiteDescription } from "./observe/network.ts";
export { KPIS, KPI_UNITS, KPI_DIRECTIONS, HEADLINE_KPI_KEYS, LIVE_KPI_KEYS, kpiSpec, kpiLabel, liveKpis } from "./observe/kpis.ts";
export { round } from "./engine/round.ts";
export { campaignPriceFactor } from "./demand/campaigns.ts";
export { DEFAULT_PRICE_ELASTICITY, priceElasticityOf, priceResponse } from "./scenario/price.ts";
export type { KpiSpec, KpiUnit, KpiDirection, LiveKpiKey, LiveKpis } from "./observe/kpis.ts";

import { Calendar } from "./engine/index.ts";
import type { Scenario } from "./scenario/schema.ts";
import type { RunOptions } from "./model/twin.ts";
import { Twin } from "./model/twin.ts";
import { buildSummary, timeseriesCsv, type RunSummary } from "./observe/summary.ts";

/** Run a validated scenario to its horizon; returns the summary and the time-series CSV. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): { twin: Twin; summary: RunSummary; timeseriesCsv: string } {
  const twin = new Twin(scenario, options).run();
  const calendar = new Calendar(scenario.start, scenario.timeZone);
  return { twin, summary: buildSummary(twin), timeseriesCsv: timeseriesCsv(twin, (t) => calendar.format(t)) };
}
