// The scheduler-free parts of omnitwin cluster: shard sizing, array chunks and ranges, the shard from the
// environment, and what --dry-run prints.
import { describe, expect, it } from "vitest";
import { shardCount, shardFromEnvironment } from "../../server/cluster/plan.ts";
import { arrayChunks, arrayRanges } from "../../server/cluster/slurm.ts";
import { cli, TINY } from "../experiments/support.ts";

describe("shard sizing", () => {
  it("gives each task at least the minimum seconds of work on its CPUs, never more shards than runs", () => {
    // 1,600 runs of 2 s on 4 CPUs, tasks of ≥ 120 s: 240 runs per task → 7 shards.
    expect(shardCount(1600, { secondsPerRun: 2, cpusPerTask: 4, minTaskSeconds: 120 })).toBe(7);
    expect(shardCount(1600, { secondsPerRun: 2, cpusPerTask: 1, minTaskSeconds: 120 })).toBe(27);
    expect(shardCount(10, { secondsPerRun: 0.01, cpusPerTask: 1, minTaskSeconds: 120 })).toBe(1);
    expect(shardCount(5, { shards: 8, secondsPerRun: 1, cpusPerTask: 1, minTaskSeconds: 120 })).toBe(5);
  });
});

describe("Slurm arrays", () => {
  it("chunks shards so no index reaches MaxArraySize, and writes compact ranges", () => {
    const chunks = arrayChunks(Array.from({ length: 2500 }, (_, i) => i + 1), 1001);
    expect(chunks.map((c) => [c.offset, c.indices.length, c.indices[0], c.indices.at(-1)])).toEqual([
      [0, 1001, 0, 1000],
      [1001, 1001, 0, 1000],
      [2002, 498, 0, 497],
    ]);
    expect(arrayChunks([3, 1005], 1001)).toEqual([
      { offset: 0, indices: [2] },
      { offset: 1001, indices: [3] },
    ]);
    expect(arrayRanges([0, 1, 2, 3, 5, 7, 8, 9])).toBe("0-3,5,7-9");
  });

  it("reads the shard from SLURM_ARRAY_TASK_ID plus the chunk offset, or JOB_COMPLETION_INDEX", () => {
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "0" }, 0, 4)).toBe(1);
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "3" }, 1001, 2000)).toBe(1005);
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: "2" }, 0, 3)).toBe(3);
    expect(() => shardFromEnvironment({}, 0, 4)).toThrow(/SLURM_ARRAY_TASK_ID/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "4" }, 0, 4)).toThrow(/shard 5, but the plan has 4/);
  });
});

describe("omnitwin cluster slurm --dry-run", () => {
  it("prints the array and merge scripts and the sbatch commands (afterany), writing nothing", async () => {
    const r = await cli("cluster", "slurm", "--dry-run", "--shards", "3", "--throttle", "2", "--time", "0:10:00", "compare", TINY, "--reps", "3", "--out", "/nonexistent/tiny");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("#SBATCH --requeue");
    expect(r.stdout).toContain("#SBATCH --time=0:10:00");
    expect(r.stdout).toContain('cluster task /nonexistent/tiny.shards --index-offset "${1:-0}"');
    expect(r.stdout).toContain("sbatch --parsable --array=0-2%2 /nonexistent/tiny.shards/slurm-array.sh 0");
    expect(r.stdout).toContain("--dependency=afterany:$ARRAY_1 --kill-on-invalid-dep=no /nonexistent/tiny.shards/slurm-merge.sh");
    expect(r.stdout).not.toContain("afterok");
  });

  it("takes the batch command's arguments as that command checks them", async () => {
    const bad = await cli("cluster", "slurm", "--dry-run", "compare", TINY, "--reps", "zero", "--out", "/tmp/x");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--reps");
    const noOut = await cli("cluster", "slurm", "--dry-run", "--shards", "2", "compare", TINY, "--reps", "2");
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("add --out DIR");
    const sharded = await cli("cluster", "slurm", "--dry-run", "compare", TINY, "--shard", "1/2", "--out", "/tmp/x");
    expect(sharded.code).toBe(2);
  });
});
