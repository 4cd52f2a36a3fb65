// The worker pool tells its caller where and how long each replication ran (bench:batch reads it to
// measure warm workers): the worker's index in start order, or -1 in process, and the wall seconds.
import { afterAll, describe, expect, it } from "vitest";
import { OMNITWIN_VERSION, scenarioHash } from "../../sim/index.ts";
import { runInProcess, runInWorkers, type Job } from "../../server/experiments/pool.ts";
import { NO_INTERVENTIONS_HASH } from "../../server/experiments/spec.ts";
import { cleanScratch, faultyWorker, scratch, tinyScenario } from "./support.ts";

const scenario = tinyScenario();
const hash = scenarioHash(scenario);
const jobs: Job[] = [1, 2, 3, 4].map((seed, id) => ({ id, key: { scenarioHash: hash, policy: "siloed", seed, interventionsHash: NO_INTERVENTIONS_HASH, omnitwinVersion: OMNITWIN_VERSION } }));

afterAll(cleanScratch);

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
  });

  it("numbers workers in start order, so a replacement for a crashed worker gets the next index", async () => {
    const markers = scratch("pool-markers");
    const runs: Array<{ job: number; worker: number }> = [];
    const result = await runInWorkers(jobs, {
      workers: 1,
      timeoutMs: 60_000,
      scenarios: { [hash]: scenario },
      workerModule: faultyWorker({ crash: "2", once: markers }),
      onDone: (job, _record, run) => runs.push({ job: job.id, worker: run.worker }),
    });
    expect(result.failures).toEqual([]);
    expect(result.workersStarted).toBe(2);
    // Seed 1 on the first worker; the crash on seed 2 replaces it, and the retry and the rest run on worker 1.
    expect(runs).toEqual([
      { job: 0, worker: 0 },
      { job: 1, worker: 1 },
      { job: 2, worker: 1 },
      { job: 3, worker: 1 },
    ]);
  });

  it("says -1 for a replication run in process", () => {
    const workers: number[] = [];
    runInProcess(jobs.slice(0, 1), { scenarios: { [hash]: scenario }, onDone: (_job, _record, run) => workers.push(run.worker) });
    expect(workers).toEqual([-1]);
  });
});
