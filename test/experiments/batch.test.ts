// A batch writes the same bytes however it runs: in the main thread or on 1, 2 or 4 worker threads
// (also with --interventions, which must reach the workers), in three shards merged afterwards, or
// killed part-way and resumed. Merge names a missing, duplicated, foreign or unfinished shard; a
// directory holding another batch is refused.
import { cpSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanScratch, cli, scratch, snapshot, TINY, type CliResult } from "./support.ts";

const ARGS = ["compare", TINY, "--reps", "3", "--seed", "11"];
afterAll(cleanScratch);

/** Run the reference compare (in the main thread) into a fresh directory. */
async function reference(): Promise<{ dir: string; result: CliResult }> {
  const dir = join(scratch("reference"), "out");
  return { dir, result: await cli(...ARGS, "--workers", "0", "--out", dir) };
}

describe("workers: the same bytes from the main thread and from 1, 2 or 4 worker threads", () => {
  const runs = new Map<string, { dir: string; result: CliResult }>();
  beforeAll(async () => {
    runs.set("0", await reference());
    for (const workers of ["1", "2", "4"]) {
      const dir = join(scratch(`workers${workers}`), "out");
      runs.set(workers, { dir, result: await cli(...ARGS, "--workers", workers, "--out", dir) });
    }
  });

  it("exits 0 and writes the run files, the tables, the flat rows and the report", () => {
    const { dir, result } = runs.get("0")!;
    expect(result.code, result.stderr).toBe(0);
    const files = Object.keys(snapshot(dir));
    expect(files.filter((f) => f.startsWith("runs/"))).toHaveLength(6);
    for (const name of ["manifest.json", "results.csv", "results.json", "compare.csv", "compare.json", "report.html"]) expect(files).toContain(name);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  for (const workers of ["1", "2", "4"])
    it(`--workers ${workers} writes exactly what --workers 0 writes, and prints the same table`, () => {
      const run = runs.get(workers)!;
      expect(run.result.code, run.result.stderr).toBe(0);
      expect(snapshot(run.dir)).toEqual(snapshot(runs.get("0")!.dir));
      expect(run.result.stdout).toBe(runs.get("0")!.result.stdout);
      expect(run.result.stderr).toMatch(new RegExp(`6/6 replications \\(100%\\) · ${Math.min(Number(workers), 6)} worker\\(s\\)`));
    });

  it("keeps wall time and worker ids out of every file (progress goes to stderr)", () => {
    const files = snapshot(runs.get("2")!.dir);
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toMatch(/elapsed|ETA|worker\(s\)|threadId/);
      expect(text, name).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d/);
    }
    expect(runs.get("2")!.result.stderr).toMatch(/elapsed/);
  });
});

describe("--interventions: the same bytes from the main thread and from 1 or 2 worker threads", () => {
  const runs = new Map<string, { dir: string; result: CliResult }>();
  beforeAll(async () => {
    const file = join(scratch("interventions"), "surge.json");
    writeFileSync(file, JSON.stringify([{ type: "demand-surge", at: "2026-06-02T00:00", durationHours: 48, multiplier: 3 }]));
    for (const workers of ["0", "1", "2"]) {
      const dir = join(scratch(`interventions-workers${workers}`), "out");
      runs.set(workers, { dir, result: await cli("compare", TINY, "--reps", "2", "--seed", "11", "--interventions", file, "--workers", workers, "--out", dir) });
    }
  });

  for (const workers of ["1", "2"])
    it(`--workers ${workers} writes exactly what --workers 0 writes`, () => {
      const run = runs.get(workers)!;
      expect(run.result.code, run.result.stderr).toBe(0);
      expect(snapshot(run.dir)).toEqual(snapshot(runs.get("0")!.dir));
      expect(run.result.stdout).toBe(runs.get("0")!.result.stdout);
    });

  it("the workers ran the surge: more orders placed than on the same seeds without it", async () => {
    const plain = await cli("compare", TINY, "--reps", "2", "--seed", "11", "--workers", "0", "--json");
    const placed = (compareJson: string) => (JSON.parse(compareJson) as { kpis: Array<{ kpi: string; meanA: number }> }).kpis.find((k) => k.kpi === "ordersPlaced")!.meanA;
    expect(placed(snapshot(runs.get("2")!.dir)["compare.json"])).toBeGreaterThan(placed(plain.stdout) * 1.1);
  });
});

describe("shards: 1/3, 2/3 and 3/3 merged are the unsharded batch", () => {
  let ref: { dir: string; result: CliResult };
  const shards: string[] = [];
  let merged: CliResult;
  let mergedDir: string;
  beforeAll(async () => {
    ref = await reference();
    const root = scratch("shards");
    for (const k of [1, 2, 3]) {
      const dir = join(root, `shard${k}`);
      const r = await cli(...ARGS, "--workers", "0", "--shard", `${k}/3`, "--out", dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`shard ${k}/3: 2 replications done`);
      shards.push(dir);
    }
    mergedDir = join(root, "merged");
    merged = await cli("merge", shards[2], shards[0], shards[1], "--out", mergedDir);
  });

  it("each shard runs only its share: task index ≡ k − 1 (mod 3)", () => {
    const counts = shards.map((dir) => readdirSync(join(dir, "runs")).length);
    expect(counts).toEqual([2, 2, 2]);
  });

  it("merge (shards in any order) writes exactly the unsharded directory and prints the same table", () => {
    expect(merged.code, merged.stderr).toBe(0);
    expect(snapshot(mergedDir)).toEqual(snapshot(ref.dir));
    expect(merged.stdout).toBe(ref.result.stdout);
  });

  it("names a missing shard", async () => {
    const r = await cli("merge", shards[0], shards[2], "--out", join(scratch("m"), "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: shard 2/3 is missing; run it with the same arguments and --shard, then merge all 3\n");
  });

  it("names a shard given twice", async () => {
    const r = await cli("merge", shards[0], shards[1], shards[0], shards[2], "--out", join(scratch("m"), "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: shard 1/3 is given twice: ${shards[0]} and ${shards[0]}\n`);
  });

  it("names an unfinished shard and the first replication it lacks", async () => {
    const copy = join(scratch("incomplete"), "shard2");
    cpSync(shards[1], copy, { recursive: true });
    rmSync(join(copy, "runs", readdirSync(join(copy, "runs")).sort()[0]));
    const r = await cli("merge", shards[0], copy, shards[2], "--out", join(scratch("m"), "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: shard 2/3 in ${copy} is incomplete: 1 of 2 replications have no run file \\(first: replication \\d \\(policy \\w+, seed 1\\d\\)\\)`));
  });

  it("refuses a shard of another batch, or one split another way, naming what differs", async () => {
    const other = join(scratch("foreign"), "shard2");
    await cli("compare", TINY, "--reps", "4", "--seed", "11", "--workers", "0", "--shard", "2/3", "--out", other);
    const foreign = await cli("merge", shards[0], other, shards[2], "--out", join(scratch("m"), "out"));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toBe(`error: ${other} is a shard of another batch than ${shards[0]} (reps: 3 vs 4)\n`);
    const halves = join(scratch("halves"), "shard1");
    await cli(...ARGS, "--workers", "0", "--shard", "1/2", "--out", halves);
    const split = await cli("merge", shards[0], halves, "--out", join(scratch("m"), "out"));
    expect(split.code).toBe(2);
    expect(split.stderr).toContain(`${halves} is shard 1/2 but ${shards[0]} is shard 1/3`);
  });
});

describe("resume: a batch re-run with the same arguments finishes what is missing", () => {
  it("after losing run files and outputs (an interrupted batch), ends identical to an uninterrupted run", async () => {
    const ref = await reference();
    const dir = join(scratch("resume"), "out");
    cpSync(ref.dir, dir, { recursive: true });
    const runs = readdirSync(join(dir, "runs")).sort();
    for (const name of runs.slice(0, 4)) rmSync(join(dir, "runs", name));
    for (const name of ["results.csv", "compare.json", "report.html"]) rmSync(join(dir, name));
    const again = await cli(...ARGS, "--workers", "2", "--out", dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("resuming, 2 of 6 replications already done");
    expect(snapshot(dir)).toEqual(snapshot(ref.dir));
    expect(again.stdout).toBe(ref.result.stdout);
  });

  it("a finished batch re-run runs nothing and rewrites the same outputs", async () => {
    const ref = await reference();
    const again = await cli(...ARGS, "--workers", "2", "--out", ref.dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("6 of 6 replications already done");
    expect(again.stdout).toBe(ref.result.stdout);
  });

  it("refuses a directory that holds another batch, naming what differs", async () => {
    const ref = await reference();
    const r = await cli("compare", TINY, "--reps", "3", "--seed", "12", "--b", "tieredFulfilment", "--workers", "0", "--out", ref.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds another batch \(policies: \["siloed","coordinated"\] vs \["siloed","tieredFulfilment"\]; firstSeed: 11 vs 12; options: .*\); resume it with its own arguments, or choose another --out/);
  });
});
