// Running replications in parallel on worker threads, with a per-replication timeout: a worker that
// throws, crashes or hangs costs its replication one attempt (a crashed or hung worker is replaced),
// the replication is retried, and after its last attempt it is reported as failed — the pool always
// finishes. `runInProcess` is the same contract in the main thread (--workers 0, and quick tests).
import { Worker } from "node:worker_threads";
import type { Intervention } from "../../sim/index.ts";
import { JobQueue } from "./job-queue.ts";
import { replicateJob, loadScenarioTable, type RunRecord, type ScenarioTable } from "./replicate.ts";
import type { RunKey } from "./spec.ts";

/** A message to a worker: run this replication. */
export interface WorkerRequest {
  id: number;
  key: RunKey;
}

/** A worker's answer: the record, or the error the replication threw. */
export type WorkerReply = { id: number; ok: true; record: RunRecord; heapBytes: number; seconds: number } | { id: number; ok: false; message: string };

/** One replication for the pool; `id` is unique within a call. */
export interface Job {
  id: number;
  key: RunKey;
}

/** A replication that failed every attempt, with the reason of each. */
export interface JobFailure {
  job: Job;
  reasons: string[];
}

export interface PoolOptions {
  /** Worker threads (at least 1; fewer are started when there are fewer jobs). */
  workers: number;
  /** A replication with no result after this long is taken as hung: its worker is terminated. */
  timeoutMs: number;
  /** Attempts after the first (default 1). */
  retries?: number;
  scenarios: ScenarioTable;
  /** Interventions every replication adds on top of its scenario's own (plain JSON, so they cross to the workers as they are). */
  interventions?: readonly Intervention[];
  /** Keep each run's state at the end of every day (--timeseries). */
  daily?: boolean;
  /** The worker module to load (a file URL); tests pass a faulty one. Default: worker.ts. Honoured only when running from the sources. */
  workerModule?: string;
  /** V8 limits per worker (the benchmark caps the heap to prove a bound); a worker over them dies like a crash. */
  resourceLimits?: { maxOldGenerationSizeMb?: number };
  /**
   * Called in the main thread as each replication finishes, in completion order, with the wall seconds it
   * took where it ran and the index of the worker that ran it (in start order; -1 in process).
   */
  onDone(job: Job, record: RunRecord, run: { seconds: number; worker: number }): void;
  /** Called when an attempt fails; `retrying` says whether another attempt follows. */
  onAttemptFailed?(job: Job, reason: string, retrying: boolean): void;
}

export interface PoolResult {
  failures: JobFailure[];
  /** Largest V8 heap (committed + external) any worker reported after a replication, bytes. */
  peakWorkerHeapBytes: number;
  workersStarted: number;
}

/**
 * From the TypeScript sources a worker starts in worker-entry.js, which registers tsx first (and loads a
 * test's `workerModule` if given); compiled, worker.js is plain JavaScript and starts as it is.
 */
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const ENTRY = new URL(FROM_SOURCES ? "./worker-entry.js" : "./worker.js", import.meta.url);
/** A worker that dies this many times in a row before it is ready cannot start at all. */
const STARTUP_FAILURES_ALLOWED = 3;

interface Pending {
  job: Job;
  reasons: string[];
}

interface Slot {
  worker: Worker;
  /** Start order of the worker in this pool (0, 1, ...; a replacement gets the next number). */
  index: number;
  ready: boolean;
  busy: (Pending & { timer: ReturnType<typeof setTimeout> }) | undefined;
  /** Why the worker is going away (timeout, error), for the exit handler. */
  reason: string | undefined;
}

/**
 * Run `jobs` on worker threads; resolves when every job has finished or failed all its attempts. Jobs start
 * longest-expected first (job-queue.ts), so the batch's end is not one worker alone on a long replication.
 */
export function runInWorkers(jobs: readonly Job[], options: PoolOptions): Promise<PoolResult> {
  const retries = options.retries ?? 1;
  const queue = new JobQueue<Pending>(jobs.map((job) => ({ job, reasons: [] })));
  const failures: JobFailure[] = [];
  const slots = new Set<Slot>();
  let peakWorkerHeapBytes = 0;
  let workersStarted = 0;
  let startupFailures = 0;
  let finished = false;

  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      const exits = [...slots].map((s) => s.worker.terminate());
      void Promise.all(exits).then(() => resolve({ failures, peakWorkerHeapBytes, workersStarted }));
    };

    const attemptFailed = (pending: Pending, reason: string) => {
      pending.reasons.push(reason);
      const retrying = pending.reasons.length <= retries;
      options.onAttemptFailed?.(pending.job, reason, retrying);
      if (retrying) queue.retry(pending);
      else failures.push({ job: pending.job, reasons: pending.reasons });
    };

    const dispatch = () => {
      if (finished) return;
      for (const slot of slots) {
        if (!slot.ready || slot.busy !== undefined) continue;
        const next = queue.take();
        if (next === undefined) break;
        const timer = setTimeout(() => {
          slot.reason = `no result after ${options.timeoutMs / 1000} s (hung); its worker was stopped`;
          void slot.worker.terminate();
        }, options.timeoutMs);
        slot.busy = { ...next, timer };
        slot.worker.postMessage({ id: next.job.id, key: next.job.key } satisfies WorkerRequest);
      }
      const busy = busyCount();
      if (queue.length === 0 && busy === 0) return finish();
      // Replace crashed or stopped workers while there is work for them.
      while (slots.size < Math.min(options.workers, queue.length + busy)) spawn();
    };

    const busyCount = () => [...slots].filter((s) => s.busy !== undefined).length;

    const spawn = () => {
      if (finished) return;
      workersStarted++;
      const worker = new Worker(ENTRY, { workerData: { scenarios: options.scenarios, interventions: options.interventions ?? [], daily: options.daily ?? false, module: options.workerModule }, resourceLimits: options.resourceLimits });
      const slot: Slot = { worker, index: workersStarted - 1, ready: false, busy: undefined, reason: undefined };
      slots.add(slot);
      worker.on("message", (message: WorkerReply | { ready: true }) => {
        if ("ready" in message) {
          slot.ready = true;
          startupFailures = 0;
          return dispatch();
        }
        const busy = slot.busy;
        if (busy === undefined || busy.job.id !== message.id) return;
        clearTimeout(busy.timer);
        slot.busy = undefined;
        if (message.ok) {
          peakWorkerHeapBytes = Math.max(peakWorkerHeapBytes, message.heapBytes);
          queue.finished(busy.job.key, message.seconds);
          options.onDone(busy.job, message.record, { seconds: message.seconds, worker: slot.index });
        } else attemptFailed(busy, `the replication threw: ${message.message}`);
        dispatch();
      });
      worker.on("error", (error) => {
        slot.reason ??= `its worker crashed: ${error.message}`;
      });
      worker.on("exit", (code) => {
        slots.delete(slot);
        if (finished) return;
        const reason = slot.reason ?? `its worker exited with code ${code}`;
        if (slot.busy !== undefined) {
          clearTimeout(slot.busy.timer);
          attemptFailed(slot.busy, reason);
        } else if (!slot.ready && ++startupFailures >= STARTUP_FAILURES_ALLOWED) {
          // Nothing can run: fail what is left rather than respawn forever.
          for (const pending of queue.drain()) failures.push({ job: pending.job, reasons: [...pending.reasons, `no worker could start: ${reason}`] });
        }
        dispatch();
      });
    };

    if (queue.length === 0) return finish();
    for (let i = 0; i < Math.min(options.workers, queue.length); i++) spawn();
  });
}

/** Run `jobs` one after another in this thread (no timeout: a hang here cannot be interrupted). */
export function runInProcess(jobs: readonly Job[], options: Pick<PoolOptions, "scenarios" | "interventions" | "daily" | "onDone" | "onAttemptFailed" | "retries">): PoolResult {
  const scenarios = loadScenarioTable(options.scenarios);
  const retries = options.retries ?? 1;
  const failures: JobFailure[] = [];
  for (const job of jobs) {
    const reasons: string[] = [];
    while (reasons.length <= retries) {
      try {
        const { record, seconds } = replicateJob(scenarios, job.key, options.interventions ?? [], options.daily ?? false);
        options.onDone(job, record, { seconds, worker: -1 });
        break;
      } catch (error) {
        const reason = `the replication threw: ${error instanceof Error ? error.message : String(error)}`;
        reasons.push(reason);
        options.onAttemptFailed?.(job, reason, reasons.length <= retries);
      }
    }
    if (reasons.length > retries) failures.push({ job, reasons });
  }
  return { failures, peakWorkerHeapBytes: 0, workersStarted: 0 };
}
