// What a batch is: the spec (scenario variants × policies × seeds, as plain JSON so a manifest can
// hold it and merge can compare it), the canonical task list derived from it, each replication's
// key and run-file name, and the deterministic share of a shard. No I/O here.
import { canonicalJson, fnv1a64, interventionsHash, type Intervention } from "../../sim/index.ts";

/** The three experiment commands. */
export const BATCH_COMMANDS = ["compare", "ablation", "sweep"] as const;
export type BatchCommand = (typeof BATCH_COMMANDS)[number];

/** One `--set` assignment of a sweep point: a JSON path into the scenario and the value it takes. */
export interface Setting {
  path: string;
  value: string | number | boolean | null;
}

/** One scenario the batch runs: the base scenario (no settings) or a sweep point. */
export interface Variant {
  settings: Setting[];
  scenarioHash: string;
}

/**
 * Everything that decides a batch's output, as plain JSON. Worker count, timeout, shard and output
 * directory are not here: they change how a batch runs, never what it writes.
 */
export interface BatchSpec {
  command: BatchCommand;
  scenario: { id: string; name: string };
  variants: Variant[];
  /** Canonical policy names (policyName), in the order the tables show them. */
  policies: string[];
  reps: number;
  /** Replication i (0-based) of every policy and variant runs with seed firstSeed + i. */
  firstSeed: number;
  /** Hash of the interventions every run adds on top of its scenario's own (NO_INTERVENTIONS_HASH for none). */
  interventionsHash: string;
  /** Those interventions (--interventions FILE), as validated; absent when there are none, so such specs keep their bytes. */
  interventions?: Intervention[];
  /**
   * "oracle" when the base scenario's data platform reads the demand generator's rates (perfect
   * information; every table says so); absent for the default observed forecast, so such specs keep their bytes.
   */
  forecast?: "oracle";
  omnitwinVersion: string;
  /** With --timeseries: every run keeps its state at the end of each day and the batch writes timeseries.csv. Absent otherwise. */
  timeseries?: "daily";
  /** The KPIs the tables and charts show (empty: the headline KPIs the runs have). */
  kpis: string[];
  /** Command details: compare's arms, ablation's design. */
  options: Record<string, string>;
  /**
   * The files as the command line named them, for the report's re-run line. Not part of what a batch
   * is (the hashes are): resuming or merging from another directory with other paths is the same batch.
   */
  files?: BatchFiles;
}

/** The input files of a batch as the user typed them. */
export interface BatchFiles {
  scenario: string;
  interventions?: string;
}

/** The spec fields that say where inputs came from rather than what the batch is. */
export const PROVENANCE_FIELDS: ReadonlyArray<keyof BatchSpec> = ["files"];

/** One replication to run. */
export interface Task {
  /** Position in the canonical task list (shards stripe over it). */
  index: number;
  variant: number;
  rep: number;
  seed: number;
  policy: string;
}

/** What identifies a replication's result, whichever batch, shard or machine ran it. */
export interface RunKey {
  scenarioHash: string;
  policy: string;
  seed: number;
  interventionsHash: string;
  omnitwinVersion: string;
}

/** A shard: the k-th (1-based) of n. */
export interface Shard {
  k: number;
  n: number;
}

/** Bad input to a batch (a directory holding another batch, a missing shard, a bad sweep point): exit code 2. */
export class BatchInputError extends Error {
  override name = "BatchInputError";
}

/** The hash of "no interventions added" (a batch without --interventions: only the scenario's own). */
export const NO_INTERVENTIONS_HASH = interventionsHash([]);

/** Every replication of the batch in canonical order: variant, then replication, then policy. */
export function taskList(spec: BatchSpec): Task[] {
  const tasks: Task[] = [];
  spec.variants.forEach((_, variant) => {
    for (let rep = 0; rep < spec.reps; rep++)
      for (const policy of spec.policies) tasks.push({ index: tasks.length, variant, rep, seed: spec.firstSeed + rep, policy });
  });
  return tasks;
}

/** The tasks shard k of n runs: those whose index ≡ k − 1 (mod n). */
export function shardTasks(tasks: readonly Task[], shard: Shard | undefined): Task[] {
  return shard === undefined ? [...tasks] : tasks.filter((t) => t.index % shard.n === shard.k - 1);
}

/** The key of a task's replication. */
export function runKey(spec: BatchSpec, task: Task): RunKey {
  return {
    scenarioHash: spec.variants[task.variant].scenarioHash,
    policy: task.policy,
    seed: task.seed,
    interventionsHash: spec.interventionsHash,
    omnitwinVersion: spec.omnitwinVersion,
  };
}

/** The run file's name: every part of the key, readable, safe on any file system. */
export function runFileName(key: RunKey): string {
  const policy = key.policy.replaceAll(",", "+");
  return `${key.scenarioHash}_${policy}_${key.seed}_${key.interventionsHash}_v${key.omnitwinVersion}.json`;
}

/** A short fingerprint of a spec (for messages and the manifest). */
export function specHash(spec: BatchSpec): string {
  return fnv1a64(canonicalJson(spec));
}

/** Parse "k/n" (1 ≤ k ≤ n); throws a RangeError with the fix. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = match ? Number(match[1]) : NaN;
  const n = match ? Number(match[2]) : NaN;
  if (!(Number.isSafeInteger(k) && Number.isSafeInteger(n) && k >= 1 && k <= n))
    throw new RangeError(`a shard is k/N with 1 ≤ k ≤ N, e.g. 2/8, got ${JSON.stringify(text)}`);
  return { k, n };
}

/** A variant's label: "path=value path=value", or "base" for the unswept scenario. */
export function variantLabel(variant: Variant): string {
  return variant.settings.length === 0 ? "base" : variant.settings.map((s) => `${s.path}=${JSON.stringify(s.value)}`).join(" ");
}

/** The first and last seed of a spec, for headers ("seeds 1–10"). */
export function seedRange(spec: BatchSpec): string {
  return spec.reps === 1 ? `seed ${spec.firstSeed}` : `seeds ${spec.firstSeed}–${spec.firstSeed + spec.reps - 1}`;
}
