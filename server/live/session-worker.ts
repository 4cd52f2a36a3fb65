// A live session on a worker thread of its own: builds the Session (its twins and minute 0), runs its
// tick loop and seeks on the real clock, and posts every frame, with the snapshot and status that go
// with it, to the server's thread. The sims' work, however long one event takes, never holds up the
// server's HTTP and socket loop, and the thread's heap is capped by the server (resourceLimits).
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { systemClock } from "./clock.ts";
import { Session } from "./session.ts";
import type { FromWorker, SessionState, ToWorker, WorkerSetup } from "./worker-messages.ts";

const setup = (workerData as { setup: WorkerSetup }).setup;

// When the cores are busy, the server's thread (HTTP, sockets) goes first and the sims take what is
// left: this thread, and only it, runs at a lower priority (Linux: a thread's id works as a process id
// for setpriority; /proc/thread-self names it). Elsewhere, or if refused, it runs at the usual priority.
const SIM_THREAD_NICE = 5;
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, SIM_THREAD_NICE);
} catch {
  // Not Linux, or not permitted: same priority as the server's thread.
}
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

const session = new Session(setup.spec, systemClock, { speed: setup.speed, playing: setup.playing, maxEvents: setup.maxEvents });
const state = (): SessionState => ({ info: session.info(), logicalTime: session.logicalTime, seeking: session.seeking });
session.output = {
  delta: (frame) => post({ type: "delta", frame, snapshot: session.snapshot(), state: state() }),
  reset: () => post({ type: "reset", snapshot: session.snapshot(), state: state() }),
  persist: (manifest) => post({ type: "persist", manifest }),
};
if (setup.restore) session.restore(setup.restore.log, setup.restore.position);

/** Run session code; an error halts the session (never the thread) and is logged on the server. */
function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    session.halt(`internal error: ${message}`);
    post({ type: "log", line: `session ${session.id} halted after an error: ${message}` });
  }
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "command":
      session.command(message.command, (outcome) => post({ type: "reply", id: message.id, outcome }));
      break;
    case "ask":
      try {
        const value = message.what === "summaries" ? session.summaries() : message.what === "report" ? session.reportHtml(message.sim) : session.timeseriesCsv(message.sim);
        post({ type: "answer", id: message.id, ok: true, value });
      } catch (error) {
        post({ type: "answer", id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
      break;
    case "halt":
      session.halt(message.reason);
      break;
    case "persist":
      session.spec.presenterTokenSha256 = message.presenterTokenSha256;
      session.persist();
      if (message.id !== null) post({ type: "persisted", id: message.id });
      break;
  }
});

// Seeks run back to back between ticks (one budgeted pass per turn of the loop, so messages still get in).
let workPending = false;
const workPass = () => {
  workPending = false;
  let more = false;
  guarded(() => (more = session.work(systemClock.now() + setup.tickBudgetMs)));
  if (more) scheduleWork();
};
const scheduleWork = () => {
  if (workPending) return;
  workPending = true;
  setImmediate(workPass);
};
setInterval(() => {
  guarded(() => session.tick(systemClock.now() + setup.tickBudgetMs));
  if (session.seeking) scheduleWork();
}, setup.tickIntervalMs);

session.persist();
post({ type: "ready", network: session.network, snapshot: session.snapshot(), state: state() });
if (session.seeking) scheduleWork();
