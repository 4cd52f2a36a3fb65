// One replication: run a scenario under a policy and seed and keep what the batch needs — the key
// (provenance) and the flattened KPIs. The same function runs in a worker thread and in the main
// thread (--workers 0), so where it runs can never change what it returns.
import { fnv1a64, interventionsHash, parsePolicy, runScenario, scenarioHash, validateScenario, type Intervention, type Scenario } from "../../sim/index.ts";
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

/** A finished replication as its run file holds it. */
export interface RunRecord {
  key: RunKey;
  scenarioId: string;
  events: number;
  customers: CustomerStream;
  kpis: FlatKpis;
}

/**
 * Run the replication `key` names on `scenario` (whose hash must be key.scenarioHash) with
 * `interventions` added on top of the scenario's own (whose hash must be key.interventionsHash).
 */
export function replicate(scenario: Scenario, key: RunKey, interventions: readonly Intervention[] = []): RunRecord {
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
  return { key, scenarioId: summary.scenario.id, events: summary.events, customers, kpis: flattenKpis(summary.kpis) };
}

/** The scenarios a batch runs, keyed by hash; as plain data they cross a thread boundary. */
export type ScenarioTable = Record<string, unknown>;

/** Re-validate scenarios that crossed a thread boundary (defaults and freezing restored) and check their hashes. */
export function loadScenarioTable(table: ScenarioTable): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const [hash, value] of Object.entries(table)) {
    const result = validateScenario(value);
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
