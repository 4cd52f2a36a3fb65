// The basemap worker: loads the geodata (sources.ts: a 37 MB OSM file and more, ~340 MB of heap while
// parsing) and cuts boxes (basemap.ts) on a thread of its own, so the server's thread that answers HTTP
// and sockets never waits on either. The server's side (basemap-host.ts) caches what it answers and ends
// this thread when idle, which returns its memory.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { buildBasemap } from "./basemap.ts";
import { geoSources } from "./sources.ts";
import type { FromBasemapWorker, ToBasemapWorker } from "./worker-messages.ts";

// As session-worker.ts does: when the cores are busy the server's thread goes first and this one takes
// what is left (Linux: a thread's id works as a process id for setpriority). Elsewhere, or if refused,
// it runs at the usual priority.
const BASEMAP_THREAD_NICE = 10;
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, BASEMAP_THREAD_NICE);
} catch {
  // Not Linux, or not permitted: same priority as the server's thread.
}

const port = parentPort!;
const post = (message: FromBasemapWorker) => port.postMessage(message);

port.on("message", (message: ToBasemapWorker) => {
  if (message.type === "warm") {
    try {
      geoSources();
      post({ type: "warm", ok: true });
    } catch {
      // A cut will load again and answer with the error.
      post({ type: "warm", ok: false });
    }
    return;
  }
  try {
    post({ type: "cut", id: message.id, ok: true, text: JSON.stringify(buildBasemap(message.box)) });
  } catch (error) {
    post({ type: "cut", id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
