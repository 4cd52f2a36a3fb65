// Joining shards: every shard's manifest must hold the same spec and the same shard count, every
// shard 1..N must be there exactly once and complete; then the run files are copied byte for byte
// into one run directory, which is then exactly what an unsharded run would have written.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFilesAtomically } from "../output/files.ts";
import { describeTask } from "./batch.ts";
import type { RunRecord } from "./replicate.ts";
import { ResultSet } from "./results.ts";
import { runFileName, runKey, shardTasks, taskList, type BatchSpec } from "./spec.ts";
import { BatchInputError, prepareRunDir, readManifest, readRun, runPath, RUNS_DIR, specDifferences } from "./store.ts";

/** Check the shards in `dirs`, copy their run files into `out`, and return the whole batch. */
export function mergeShards(dirs: readonly string[], out: string): ResultSet {
  if (dirs.length === 0) throw new BatchInputError("name the shard directories to merge");
  if (dirs.some((d) => resolve(d) === resolve(out))) throw new BatchInputError(`--out ${out} is one of the shards; merge into a new directory`);
  const shards = dirs.map((dir) => {
    const manifest = readManifest(dir);
    if (manifest === undefined) throw new BatchInputError(`${dir} has no manifest.json: it is not a batch run directory (run with --out DIR --shard k/N)`);
    if (manifest.shard === undefined) throw new BatchInputError(`${dir} is not a shard (it ran without --shard); it needs no merge`);
    return { dir, manifest, shard: manifest.shard };
  });
  const first = shards[0];
  const n = first.shard.n;
  for (const s of shards.slice(1)) {
    const differences = specDifferences(first.manifest.spec, s.manifest.spec);
    if (differences.length > 0) throw new BatchInputError(`${s.dir} is a shard of another batch than ${first.dir} (${differences.join("; ")})`);
    if (s.shard.n !== n) throw new BatchInputError(`${s.dir} is shard ${s.shard.k}/${s.shard.n} but ${first.dir} is shard ${first.shard.k}/${n}: all shards must split the batch the same way`);
  }
  const byK = new Map<number, string>();
  for (const s of shards) {
    const other = byK.get(s.shard.k);
    if (other !== undefined) throw new BatchInputError(`shard ${s.shard.k}/${n} is given twice: ${other} and ${s.dir}`);
    byK.set(s.shard.k, s.dir);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byK.has(k));
  if (missing.length > 0)
    throw new BatchInputError(`${missing.length === 1 ? "shard" : "shards"} ${missing.map((k) => `${k}/${n}`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing; run ${missing.length === 1 ? "it" : "them"} with the same arguments and --shard, then merge all ${n}`);

  const spec: BatchSpec = first.manifest.spec;
  const tasks = taskList(spec);
  const records: RunRecord[] = new Array(tasks.length);
  const texts = new Map<string, string>();
  for (const [k, dir] of [...byK].sort((x, y) => x[0] - y[0])) {
    const mine = shardTasks(tasks, { k, n });
    const absent = mine.filter((task) => {
      const record = readRun(dir, runKey(spec, task));
      if (record === undefined) return true;
      records[task.index] = record;
      texts.set(runFileName(record.key), readFileSync(runPath(dir, record.key), "utf8"));
      return false;
    });
    if (absent.length > 0)
      throw new BatchInputError(
        `shard ${k}/${n} in ${dir} is incomplete: ${absent.length} of ${mine.length} replications have no run file (first: ${describeTask(spec, absent[0])}); finish it by running its command again`,
      );
  }
  prepareRunDir(out, spec, tasks.length, undefined);
  for (const [name, text] of texts) writeFilesAtomically(join(out, RUNS_DIR), { [name]: text });
  return new ResultSet(spec, tasks, records);
}
