// Batch benchmark: replications of the 618-promotion scenario per minute on 1 and on 2 worker threads,
// the scaling ratio, and memory per worker. Each configuration runs the same replications (seeds 1..R,
// siloed and coordinated, as `omnitwin compare` would), through the batch's own worker pool, twice,
// alternating 1 and 2 workers so a change in the machine's load hits both; the better round counts.
// Every worker runs with a 1 GB V8 old-generation limit (a worker over it dies and is reported), and
// reports its committed heap after each replication. Goals: 2 workers ≥ 1.8 × 1 worker; no worker above
// 1 GB. The CPU time the process got per second of wall time is printed too: on a shared machine it
// says whether two workers really had two cores.
// A round is 16 seeds × 2 policies = 32 replications, about what `compare --reps 16` runs. It must be long
// enough that each worker's warm-up weighs no more than it does in a real batch: a fresh isolate compiles the
// model on V8's helper threads during its first replications (measured: 1.7 CPU-s over one worker's first 8
// replications, against 0.06 CPU-s per wall-s in a warm process). With 8 replications per round the
// two-worker round pays that warm-up twice over 4 replications each, and the ratio measured 1.62×.
// Run: npm run bench:batch [-- --reps 16 --rounds 2]
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { canonicalJson, loadScenarioOrThrow, OMNITWIN_VERSION, scenarioHash } from "../sim/index.ts";
import { runInWorkers, type Job } from "../server/experiments/pool.ts";
import type { RunRecord } from "../server/experiments/replicate.ts";
import { NO_INTERVENTIONS_HASH } from "../server/experiments/spec.ts";

const SCENARIO = fileURLToPath(new URL("../scenarios/618-promotion.json", import.meta.url));
const GOAL_SCALING = 1.8;
const GOAL_WORKER_BYTES = 1024 ** 3;
const MB = 1024 ** 2;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Round {
  workers: number;
  seconds: number;
  perMinute: number;
  /** Process CPU seconds (main + workers) per wall second. */
  coresUsed: number;
  peakWorkerBytes: number;
  records: RunRecord[];
  /** Wall seconds each replication took in its worker, by job id. */
  runSeconds: number[];
  /** The first job each worker ran (its warm-up replication). */
  firstJobs: number[];
}

async function round(workers: number, jobs: readonly Job[], scenarios: Record<string, unknown>): Promise<Round> {
  const records: RunRecord[] = new Array(jobs.length);
  const runSeconds: number[] = new Array(jobs.length);
  const firstJobs: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runInWorkers(jobs, {
    workers,
    timeoutMs: 3_600_000,
    scenarios,
    resourceLimits: { maxOldGenerationSizeMb: GOAL_WORKER_BYTES / MB },
    onDone: (job, record, run) => {
      records[job.id] = record;
      runSeconds[job.id] = run.seconds;
      firstJobs[run.worker] ??= job.id;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (result.failures.length > 0) throw new Error(`${result.failures.length} replication(s) failed: ${result.failures.map((f) => f.reasons.join("; ")).join(" | ")}`);
  return { workers, seconds, perMinute: (60 * jobs.length) / seconds, coresUsed: (cpu.user + cpu.system) / 1e6 / seconds, peakWorkerBytes: result.peakWorkerHeapBytes, records, runSeconds, firstJobs };
}

async function main(): Promise<void> {
  const reps = option("reps", 16);
  const rounds = option("rounds", 2);
  const scenario = loadScenarioOrThrow(readFileSync(SCENARIO, "utf8"));
  const hash = scenarioHash(scenario);
  const jobs: Job[] = [];
  for (let rep = 0; rep < reps; rep++)
    for (const policy of ["siloed", "coordinated"])
      jobs.push({ id: jobs.length, key: { scenarioHash: hash, policy, seed: 1 + rep, interventionsHash: NO_INTERVENTIONS_HASH, omnitwinVersion: OMNITWIN_VERSION } });
  const scenarios = { [hash]: scenario };

  console.log(`omnitwin ${OMNITWIN_VERSION} · bench:batch · 618-promotion · ${jobs.length} replications per round (seeds 1–${reps}, siloed + coordinated)`);
  console.log(`${cpus().length} CPUs (${availableParallelism()} available to node) · load average ${loadavg().map((x) => x.toFixed(2)).join(" ")} at start`);
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++)
    for (const workers of [1, 2]) {
      const result = await round(workers, jobs, scenarios);
      results.push(result);
      console.log(
        `round ${r + 1}, ${workers} worker(s): ${result.seconds.toFixed(1)} s, ${result.perMinute.toFixed(2)} replications/min, ${result.coresUsed.toFixed(2)} CPU-s per wall-s, largest worker heap ${(result.peakWorkerBytes / MB).toFixed(0)} MB`,
      );
    }
  const best = (workers: number) => results.filter((x) => x.workers === workers).reduce((a, b) => (b.perMinute > a.perMinute ? b : a));
  const one = best(1);
  const two = best(2);
  const scaling = two.perMinute / one.perMinute;
  const peak = Math.max(...results.map((x) => x.peakWorkerBytes));
  const same = results.every((x) => canonicalJson(x.records) === canonicalJson(results[0].records));
  console.log("");
  console.log(`1 worker:  ${one.perMinute.toFixed(2)} replications/min (best of ${rounds})`);
  console.log(`2 workers: ${two.perMinute.toFixed(2)} replications/min (best of ${rounds})`);
  console.log(`scaling 2 vs 1: ${scaling.toFixed(2)}× — goal ≥ ${GOAL_SCALING}×: ${scaling >= GOAL_SCALING ? "PASS" : "MISS"}`);
  // Warm workers: the wall time of a replication in a worker that has run one before, over the same jobs in
  // every round (each worker's first job left out everywhere). A long batch runs at this rate, less the
  // moments a worker waits for its next job and the tail of the last replications.
  const firstJobs = new Set(results.flatMap((x) => x.firstJobs));
  const warmJobs = jobs.filter((j) => !firstJobs.has(j.id)).map((j) => j.id);
  const warmSeconds = (x: Round) => warmJobs.reduce((a, id) => a + x.runSeconds[id], 0) / warmJobs.length;
  const warmPerMinute = (workers: number) => Math.max(...results.filter((x) => x.workers === workers).map((x) => (60 * workers) / warmSeconds(x)));
  const warmScaling = warmPerMinute(2) / warmPerMinute(1);
  console.log(
    `warm workers (${warmJobs.length} of ${jobs.length} replications, each worker's first left out): 1 worker ${warmPerMinute(1).toFixed(2)}, 2 workers ${warmPerMinute(2).toFixed(2)} replications/min — scaling ${warmScaling.toFixed(2)}× — goal ≥ ${GOAL_SCALING}×: ${warmScaling >= GOAL_SCALING ? "PASS" : "MISS"}`,
  );
  // Replications per CPU-minute the process got: equal for 1 and 2 workers means the pool adds no
  // overhead, and a scaling below 2× is the machine's other load taking the second core.
  const perCpuMinute = (r: Round) => r.perMinute / r.coresUsed;
  console.log(
    `replications per CPU-minute: 1 worker ${perCpuMinute(one).toFixed(2)}, 2 workers ${perCpuMinute(two).toFixed(2)} (ratio ${(perCpuMinute(two) / perCpuMinute(one)).toFixed(2)}); CPU-s per wall-s: ${one.coresUsed.toFixed(2)} and ${two.coresUsed.toFixed(2)}`,
  );
  console.log(`largest worker heap (V8 committed + external, after a replication): ${(peak / MB).toFixed(0)} MB; every worker ran under a 1024 MB old-generation limit without dying — goal ≤ 1 GB: ${peak <= GOAL_WORKER_BYTES ? "PASS" : "MISS"}`);
  console.log(`process peak RSS (main thread + all workers): ${((process.resourceUsage().maxRSS * 1024) / MB).toFixed(0)} MB`);
  console.log(`results identical across rounds and worker counts: ${same ? "yes" : "NO"}`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")} at end`);
  if (!same) process.exitCode = 1;
}

await main();
