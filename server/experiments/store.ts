// The run directory of a batch: manifest.json (the spec, and the shard if this is one) and runs/,
// one small JSON file per finished replication named from its key. Writing a run file is atomic, so
// a batch killed at any moment leaves only whole files, and resuming is "skip the files that exist".
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../../sim/index.ts";
import { writeFilesAtomically } from "../output/files.ts";
import type { RunRecord } from "./replicate.ts";
import { runFileText } from "./replicate.ts";
import { BatchInputError, PROVENANCE_FIELDS, runFileName, specHash, type BatchSpec, type RunKey, type Shard } from "./spec.ts";

export { BatchInputError };

/** The manifest format tag; bump it when the layout changes. */
export const MANIFEST_FORMAT = "omnitwin-batch/1";
export const RUNS_DIR = "runs";
export const MANIFEST_FILE = "manifest.json";

/** What manifest.json holds. */
export interface Manifest {
  format: string;
  specHash: string;
  tasks: number;
  shard?: Shard;
  spec: BatchSpec;
}

/** The manifest text for a spec (and shard): deterministic, so a merged batch's equals an unsharded one's. */
export function manifestText(spec: BatchSpec, tasks: number, shard: Shard | undefined): string {
  const manifest: Manifest = { format: MANIFEST_FORMAT, specHash: specHash(spec), tasks, ...(shard ? { shard } : {}), spec };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The manifest in `dir`, or undefined if there is none; throws BatchInputError if it is not one. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new BatchInputError(`${path} is not a batch manifest (${error instanceof Error ? error.message : String(error)})`);
  }
  const m = value as Partial<Manifest> | null;
  if (m === null || typeof m !== "object" || m.format !== MANIFEST_FORMAT || typeof m.spec !== "object")
    throw new BatchInputError(`${path} is not an omnitwin batch manifest (format ${MANIFEST_FORMAT})`);
  return m as Manifest;
}

/**
 * Make `dir` the run directory of `spec`: a new directory gets the manifest; a directory that
 * already holds this batch is resumed; one holding another batch is refused, naming what differs.
 */
export function prepareRunDir(dir: string, spec: BatchSpec, tasks: number, shard: Shard | undefined): void {
  const existing = readManifest(dir);
  if (existing !== undefined) {
    const differences = specDifferences(existing.spec, spec);
    if (differences.length > 0)
      throw new BatchInputError(
        `${dir} holds another batch (${differences.join("; ")}); resume it with its own arguments, or choose another --out`,
      );
  }
  removeStaleTemporaries(dir);
  removeStaleTemporaries(join(dir, RUNS_DIR));
  writeFilesAtomically(dir, { [MANIFEST_FILE]: manifestText(spec, tasks, shard) });
}

/**
 * Remove the temporary files a killed process left behind (".NAME.PID.N.tmp", see output.ts), so a
 * resumed directory ends up holding exactly what an uninterrupted one does. One process per directory.
 */
function removeStaleTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) rmSync(join(dir, name), { force: true });
}

/** The spec fields that differ between two specs, as "field: a vs b" (empty when equal); where the files were is no difference. */
export function specDifferences(a: BatchSpec, b: BatchSpec): string[] {
  const out: string[] = [];
  const keys = ([...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof BatchSpec)[]).filter((k) => !PROVENANCE_FIELDS.includes(k));
  for (const key of keys) {
    const x = canonicalJson(a[key]);
    const y = canonicalJson(b[key]);
    if (x !== y) out.push(`${key}: ${abbreviate(x)} vs ${abbreviate(y)}`);
  }
  return out;
}

function abbreviate(text: string | undefined): string {
  if (text === undefined) return "(none)";
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The path of a replication's run file in `dir`. */
export function runPath(dir: string, key: RunKey): string {
  return join(dir, RUNS_DIR, runFileName(key));
}

/** The finished replication `key` in `dir`, or undefined if it is missing or not a whole, matching run file. */
export function readRun(dir: string, key: RunKey): RunRecord | undefined {
  const path = runPath(dir, key);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as RunRecord;
    // Run again rather than trust a file that does not hold what its name says.
    if (canonicalJson(record.key) !== canonicalJson(key) || typeof record.kpis !== "object") return undefined;
    return record;
  } catch {
    return undefined;
  }
}

/** Write a finished replication's run file atomically. */
export function writeRun(dir: string, record: RunRecord): void {
  writeFilesAtomically(join(dir, RUNS_DIR), { [runFileName(record.key)]: runFileText(record) });
}
