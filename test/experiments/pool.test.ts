// The worker pool tells its caller where and how long each replication ran (bench:batch reads it to
// measure warm workers): the worker's index in start order, or -1 in process, and the wall seconds.
import { describe, expect, it } from "vitest";
import { OMNITWIN_VERSION, scenarioHash } from "../../sim/index.ts";
import { runInProcess, runInWorkers, type Job } from "../../server/experiments/pool.ts";
import { NO_INTERVENTIONS_HASH } from "../../server/experiments/spec.ts";
import { tinyScenario } from "./support.ts";

const scenario = tinyScenario();
const hash = scenarioHash(scenario);
const jobs: Job[] = [1, 2, 3, 4].map((seed, id) => ({ id, key: { scenarioHash: hash, policy: "siloed", seed, interventionsHash: NO_INTERVENTIONS_HASH, omnitwinVersion: OMNITWIN_VERSION } }));

describe("worker pool run info", () => {
  it("names the worker that ran each replication and how long it took", async () => {
    const runs: Array<{ job: number; worker: number; seconds: number }> = [];
    const result = await runInWorkers(jobs, { workers: 2, timeoutMs: 60_000, scenarios: { [hash]: scenario }, onDone: (job, _record, run) => runs.push({ job: job.id, ...run }) });
    expect(result.failures).toEqual([]);
    expect(runs.map((r) => r.job).sort()).toEqual([0, 1, 2, 3]);
    for (const r of runs) {
      expect([0, 1]).toContain(r.worker);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.seconds).toBeLessThan(60);
    }
    // The first two jobs go one to each worker as it becomes ready.
    expect(new Set(runs.filter((r) => r.job < 2).map((r) => r.worker)).size).toBe(2);
  });

  it("says -1 for a replication run in process", () => {
    const workers: number[] = [];
    runInProcess(jobs.slice(0, 1), { scenarios: { [hash]: scenario }, onDone: (_job, _record, run) => workers.push(run.worker) });
    expect(workers).toEqual([-1]);
  });
});
