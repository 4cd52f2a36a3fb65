// The message loop of a batch worker thread, separate from worker.ts so a test worker can wrap it
// (inject a crash or a hang before a chosen replication) and still run replications the real way.
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import type { Intervention } from "../../sim/index.ts";
import type { WorkerReply, WorkerRequest } from "./pool.ts";
import { loadScenarioTable, replicateJob, type ScenarioTable } from "./replicate.ts";
import type { RunKey } from "./spec.ts";

/** Answer replication requests on this worker thread's port; `before` runs ahead of each replication. */
export function serveReplications(before?: (key: RunKey) => void): void {
  const port = parentPort;
  if (port === null) throw new Error("a batch worker runs only as a worker thread");
  const data = workerData as { scenarios: ScenarioTable; interventions?: Intervention[]; daily?: boolean };
  const scenarios = loadScenarioTable(data.scenarios);
  const interventions = data.interventions ?? [];
  port.on("message", (request: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      before?.(request.key);
      const { record, seconds } = replicateJob(scenarios, request.key, interventions, data.daily ?? false);
      const heap = getHeapStatistics();
      reply = { id: request.id, ok: true, record, heapBytes: heap.total_heap_size + heap.external_memory, seconds };
    } catch (error) {
      reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
