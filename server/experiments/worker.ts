// The worker thread of a batch: receives the batch's scenarios and added interventions once
// (workerData), then runs one replication per message and posts the record back. It never writes
// files: the main thread writes each run file atomically, so a worker that dies mid-run leaves
// nothing half-written.
import { serveReplications } from "./worker-loop.ts";

serveReplications();
