// omnitwin cluster against a real Slurm (one node, started here): a 4-shard baseline-week compare merges
// into exactly what one unsharded run writes; a task cancelled mid-run leaves the merge job naming exactly
// that shard, resubmit runs only it, and the merge is then byte-identical too. Skipped only where the
// Slurm and munge binaries are not installed (apt-get install slurmctld slurmd slurm-client munge).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanScratch, cli, scratch, snapshot } from "../experiments/support.ts";
import { missingSlurmBinaries, startSlurmCluster, type SlurmCluster } from "./slurm-cluster.ts";

const missing = missingSlurmBinaries();
if (missing.length > 0) console.warn(`skipping the Slurm integration test: ${missing.join(", ")} not installed (apt-get install slurmctld slurmd slurm-client munge)`);

const SCENARIO = "scenarios/baseline-week.json";
let cluster: SlurmCluster;
let dir: string;

/** The job ids (array task ids like "12_3") still in the queue. */
function queued(): Map<string, string> {
  const out = cluster.client("squeue", ["--noheader", "--array", "--format=%i %T"]);
  return new Map(out.split("\n").filter(Boolean).map((line) => line.trim().split(/\s+/) as [string, string]));
}

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not within ${timeoutMs / 1000} s; queue: ${[...queued()].join(" ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The array and merge job ids `cluster slurm`/`resubmit` printed. */
function jobIds(stdout: string): { array: string; merge: string } {
  return { array: stdout.match(/submitted array job (\d+)/)![1], merge: stdout.match(/submitted merge job (\d+)/)![1] };
}

function gone(id: string): () => boolean {
  return () => ![...queued().keys()].some((job) => job === id || job.startsWith(`${id}_`));
}

describe.skipIf(missing.length > 0)("omnitwin cluster on a one-node Slurm", () => {
  beforeAll(async () => {
    dir = scratch("slurm");
    cluster = await startSlurmCluster(join(dir, "cluster"));
    // The array tasks inherit this environment from sbatch, SLURM_CONF included.
    process.env.SLURM_CONF = cluster.env.SLURM_CONF;
  }, 60_000);
  afterAll(async () => {
    try {
      const left = [...queued().keys()];
      if (left.length > 0) cluster.client("scancel", left);
    } finally {
      await cluster?.stop();
      cleanScratch();
    }
  }, 60_000);

  it("4 shards as an array, merged by a job after them: byte-identical to one unsharded run", async () => {
    const one = join(dir, "one-4");
    expect((await cli("compare", SCENARIO, "--reps", "4", "--workers", "0", "--out", one)).code).toBe(0);

    const out = join(dir, "sharded-4");
    const submitted = await cli("cluster", "slurm", "--shards", "4", "compare", SCENARIO, "--reps", "4", "--out", out);
    expect(submitted.stderr).toContain("8 replications in 4 shard(s) of up to 2");
    expect(submitted.code).toBe(0);
    const jobs = jobIds(submitted.stdout);
    await until("the merge job to end", gone(jobs.merge));
    expect(readFileSync(join(`${out}.shards`, "logs", `merge-${jobs.merge}.log`), "utf8")).toContain("wrote results.csv");
    expect(snapshot(out)).toEqual(snapshot(one));
    expect((await cli("cluster", "status", out)).stdout).toContain("4 of 4 shards done (8 of 8 replications)");
  }, 180_000);

  it("a task cancelled mid-run: merge names exactly that shard, resubmit runs only it, then the merge is identical", async () => {
    const one = join(dir, "one-12");
    expect((await cli("compare", SCENARIO, "--reps", "12", "--workers", "0", "--out", one)).code).toBe(0);

    const out = join(dir, "sharded-12");
    const submitted = await cli("cluster", "slurm", "--shards", "4", "compare", SCENARIO, "--reps", "12", "--out", out);
    expect(submitted.code).toBe(0);
    const jobs = jobIds(submitted.stdout);
    const victim = `${jobs.array}_2`; // shard 3 of 4
    // Cancel once its shard has started writing: Slurm 22.05 still ran a task cancelled 10 ms after its
    // allocation, so "RUNNING" in squeue alone is not mid-run.
    await until(`${victim} to start its shard`, () => {
      if (!queued().has(victim)) throw new Error(`${victim} left the queue before it could be cancelled`);
      return existsSync(join(`${out}.shards`, "shard-3", "manifest.json"));
    });
    cluster.client("scancel", [victim]);
    await until("the merge job to end", gone(jobs.merge));

    const mergeLog = readFileSync(join(`${out}.shards`, "logs", `merge-${jobs.merge}.log`), "utf8");
    expect(mergeLog).toContain("1 of 4 shards did not finish, nothing merged");
    expect(mergeLog.match(/^ {2}shard \d+\/4: .*$/gm)).toEqual([expect.stringMatching(/^ {2}shard 3\/4: /)]);
    const status = await cli("cluster", "status", out);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("3 of 4 shards done");

    const again = await cli("cluster", "resubmit", out);
    expect(again.stdout).toContain("unfinished: shard 3 of 4");
    expect(again.stdout).toContain("--array=2");
    expect(again.code).toBe(0);
    const rejobs = jobIds(again.stdout);
    await until("the second merge job to end", gone(rejobs.merge));
    expect(readFileSync(join(`${out}.shards`, "logs", `merge-${rejobs.merge}.log`), "utf8")).toContain("wrote results.csv");
    expect(snapshot(out)).toEqual(snapshot(one));
  }, 240_000);
});
