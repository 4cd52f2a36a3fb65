// One replication: run a scenario under a policy and seed and keep what the batch needs — the key
// (provenance) and the flattened KPIs. The same function runs in a worker thread and in the main
// thread (--workers 0), so where it runs can never change what it returns.
import { fnv1a64, interventionsHash, parsePolicy, runScenario, scenarioHash, validateScenario, type Intervention, type Scenario } from "../../sim/index.ts";
import type { TimeseriesRow } from "../../sim/metrics/collector.ts";
import { flattenKpis, type FlatKpis } from "./kpis.ts";
import type { RunKey } from "./spec.ts";

/**
 * Fingerprints of the customers a run was offered: `candidatesHash` covers every arrival stream's
 * candidate count and its hash of each candidate's time and draws (policy-independent by construction:
 * common random numbers); `acceptedHash` is the
 * Twin's hash of the customers who arrived (time, zone, channel, SKU, quantity), which a lever that
 * changes demand (promotion pressure, repeat purchases) may legitimately change.
 */
export interface CustomerStream {
  candidatesHash: string;
  acceptedHash: string;
}

/**
 * A run's state at the end of each simulated day (its hourly time series read at each midnight, sim
 * time): `day[i]` is the day number (0 = the start) and `columns[name][i]` the value then. Counts and
 * money are running totals; backlog, stock and queue columns are levels.
 */
export interface DailySeries {
  day: number[];
  columns: Record<string, number[]>;
}

/** A finished replication as its run file holds it. */
export interface RunRecord {
  key: RunKey;
  scenarioId: string;
  events: number;
  customers: CustomerStream;
  kpis: FlatKpis;
  /** With --timeseries only. */
  daily?: DailySeries;
}

/**
 * Run the replication `key` names on `scenario` (whose hash must be key.scenarioHash) with
 * `interventions` added on top of the scenario's own (whose hash must be key.interventionsHash).
 */
export function replicate(scenario: Scenario, key: RunKey, interventions: readonly Intervention[] = [], daily = false): RunRecord {
  const added = interventionsHash(interventions);
  if (added !== key.interventionsHash) throw new Error(`interventions hash ${added} is not the batch's ${key.interventionsHash}`);
  const { summary, twin } = runScenario(scenario, { policy: parsePolicy(key.policy), seed: key.seed, interventions });
  if (summary.scenario.hash !== key.scenarioHash)
    throw new Error(`scenario hash ${summary.scenario.hash} is not the batch's ${key.scenarioHash}`);
  if (summary.omnitwinVersion !== key.omnitwinVersion)
    throw new Error(`omnitwin ${summary.omnitwinVersion} cannot produce runs keyed for version ${key.omnitwinVersion}`);
  const customers = {
    candidatesHash: fnv1a64(twin.sources.map((s) => `${s.candidates}:${s.candidateHash}`).join(",")),
    acceptedHash: (twin.arrivalHash >>> 0).toString(16).padStart(8, "0"),
  };
  const record: RunRecord = { key, scenarioId: summary.scenario.id, events: summary.events, customers, kpis: flattenKpis(summary.kpis) };
  if (daily) record.daily = dailySeries(twin.metrics.timeseries, twin.horizon);
  return record;
}

/** The time series read at each day boundary up to the horizon: the last sample at or before it. */
export function dailySeries(rows: readonly TimeseriesRow[], horizon: number): DailySeries {
  const names = rows.length > 0 ? Object.keys(rows[0]).filter((k) => k !== "t") : [];
  const series: DailySeries = { day: [], columns: Object.fromEntries(names.map((n) => [n, []])) };
  let i = 0;
  for (let day = 0; day * 1440 <= horizon; day++) {
    while (i + 1 < rows.length && rows[i + 1].t <= day * 1440) i++;
    if (rows.length === 0 || rows[i].t > day * 1440) continue;
    series.day.push(day);
    const row = rows[i] as unknown as Record<string, number>;
    for (const name of names) series.columns[name].push(Math.round(row[name] * 1e4) / 1e4);
  }
  return series;
}

/**
 * Run the job `key` of a batch on its scenario from `scenarios` (loadScenarioTable), timed: the record and
 * the wall seconds it took. Worker threads and --workers 0 both run jobs through here.
 */
export function replicateJob(scenarios: ReadonlyMap<string, Scenario>, key: RunKey, interventions: readonly Intervention[], daily: boolean): { record: RunRecord; seconds: number } {
  const scenario = scenarios.get(key.scenarioHash);
  if (scenario === undefined) throw new Error(`no scenario ${key.scenarioHash} in this batch`);
  const t0 = performance.now();
  const record = replicate(scenario, key, interventions, daily);
  return { record, seconds: (performance.now() - t0) / 1000 };
}

/** The scenarios a batch runs, keyed by hash; as plain data they cross a thread boundary. */
export type ScenarioTable = Record<string, unknown>;

/**
 * Re-validate scenarios that crossed a thread boundary (defaults and freezing restored) and check their hashes.
 * The workload limit was applied (and perhaps raised with --max-orders) before the batch started, so not again here.
 */
export function loadScenarioTable(table: ScenarioTable): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const [hash, value] of Object.entries(table)) {
    const result = validateScenario(value, { maxOrders: Number.POSITIVE_INFINITY });
    if (!result.ok) throw new Error(`scenario ${hash} is no longer valid: ${result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    const actual = scenarioHash(result.scenario);
    if (actual !== hash) throw new Error(`scenario ${hash} hashes to ${actual} after crossing to the worker`);
    out.set(hash, result.scenario);
  }
  return out;
}

/** The run file text of a record: the key first, stable key order, one trailing newline. */
export function runFileText(record: RunRecord): string {
  return `${JSON.stringify(record, null, 1)}\n`;
}
