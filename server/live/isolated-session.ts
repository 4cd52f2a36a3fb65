// A live session whose sims run on a worker thread of their own (session-worker.ts), seen from the
// server's thread: it forwards commands and questions by message and keeps what the transport reads
// synchronously — the last snapshot, status and state hash — from the frames the worker posts. Building
// the twins, playing and seeking never run on the server's thread, so HTTP and sockets stay responsive
// however heavy the session; its heap is capped (resourceLimits) and terminating the worker returns it.
import { Worker } from "node:worker_threads";
import { Calendar } from "../../sim/index.ts";
import { ERROR_CODES, type Command, type SessionInfo, type SessionStatus, type Snapshot } from "../protocol.ts";
import type { LiveSession, SimSummaries } from "./live-session.ts";
import type { LogEntry, Manifest } from "./manifest.ts";
import { sessionInfo, sessionManifest, type Reply, type SessionOutput, type SessionSpec } from "./session.ts";
import { markers } from "./timeline.ts";
import type { FromWorker, SessionState, ToWorker, WorkerSetup } from "./worker-messages.ts";

/** How the server runs sessions on worker threads. */
export interface IsolationOptions {
  /** Wall ms between a worker's ticks, and of simulation work per tick (each worker has a thread of its own). */
  tickIntervalMs: number;
  tickBudgetMs: number;
  /** Events a session's sims may run before it halts. */
  maxEvents: number;
  /** Heap (V8 old generation) a session's worker may use, MB; past it the worker stops and the session halts. */
  maxHeapMb: number;
}

/** From the TypeScript sources the worker starts in worker-entry.js (which registers tsx); compiled, in session-worker.js. */
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const ENTRY = new URL(FROM_SOURCES ? "./worker-entry.js" : "./session-worker.js", import.meta.url);
/** Longest wait for a worker to confirm a save at shutdown. */
const FLUSH_TIMEOUT_MS = 2000;

const noOutput: SessionOutput = { delta() {}, reset() {}, persist() {} };

/** A session hosted on its own worker thread. */
export class IsolatedSession implements LiveSession {
  readonly isolated = true;
  readonly calendar: Calendar;
  readonly horizon: number;
  output: SessionOutput = noOutput;
  viewers = 0;
  restoreCheck: { expected: string; matched: boolean | null } | null = null;
  /** Resolves once the worker has built the twins (or stopped trying). */
  readonly ready: Promise<void>;

  private worker: Worker | null;
  private latest: { snapshot: Snapshot; state: SessionState } | null = null;
  private lastManifest: Manifest;
  private haltedReason: string | null = null;
  private nextId = 0;
  private readonly replies = new Map<number, Reply>();
  private readonly questions = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly saves = new Map<number, () => void>();
  private readonly starting: SessionStatus;

  constructor(
    readonly spec: SessionSpec,
    options: { speed: number; playing: boolean; restore: WorkerSetup["restore"] },
    private readonly isolation: IsolationOptions,
    private readonly log: (line: string) => void,
  ) {
    this.calendar = new Calendar(spec.scenario.start, spec.scenario.timeZone);
    this.horizon = spec.scenario.horizonDays * 1440;
    const to = options.restore ? Math.min(options.restore.position.t, this.horizon) : 0;
    if (options.restore?.position.stateHash) this.restoreCheck = { expected: options.restore.position.stateHash, matched: null };
    // Until the worker has built the twins the session reads as seeking to where it will start.
    this.starting = { t: 0, localTime: this.calendar.format(0), horizon: this.horizon, playing: options.playing, speed: options.speed, seeking: { to, progress: 0 }, finished: false, markers: markers(options.restore?.log ?? []), held: [] };
    this.lastManifest = sessionManifest(
      spec,
      options.restore?.log ?? [],
      options.restore?.position ?? { t: 0, playing: options.playing, speed: options.speed, stateHash: null, savedAt: spec.createdAt },
    );
    const setup: WorkerSetup = { spec, speed: options.speed, playing: options.playing, restore: options.restore, tickIntervalMs: isolation.tickIntervalMs, tickBudgetMs: isolation.tickBudgetMs, maxEvents: isolation.maxEvents };
    this.worker = new Worker(ENTRY, { workerData: { setup }, resourceLimits: { maxOldGenerationSizeMb: isolation.maxHeapMb } });
    let ready!: () => void;
    this.ready = new Promise((resolve) => (ready = resolve));
    this.worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") ready();
      this.receive(message);
    });
    this.worker.on("error", (error: Error & { code?: string }) => {
      const reason =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `budget spent: the sims needed more than this server allows a session (${isolation.maxHeapMb} MB of heap)`
          : `internal error: ${error.message}`;
      this.stopped(reason);
    });
    this.worker.on("exit", () => {
      if (this.worker !== null) this.stopped("internal error: the session's worker thread exited");
      ready();
    });
  }

  get id(): string {
    return this.spec.id;
  }
  get seeking(): boolean {
    if (this.haltedReason !== null) return false;
    return this.latest === null || this.latest.state.seeking;
  }
  get logicalTime(): number {
    return this.latest?.state.logicalTime ?? this.starting.seeking!.to;
  }
  get simCount(): number {
    return this.spec.sims.length;
  }
  get queuedCommands(): number {
    return this.replies.size;
  }

  command(command: Command, reply: Reply): void {
    if (this.worker === null) {
      reply({ ok: false, error: { code: ERROR_CODES.busy, message: `the session halted (${this.haltedReason}); start a new one`, ...(command.ref === undefined ? {} : { ref: command.ref }) } });
      return;
    }
    const id = this.nextId++;
    this.replies.set(id, reply);
    this.send({ type: "command", id, command });
  }

  halt(reason: string): void {
    if (this.worker === null) return;
    this.send({ type: "halt", reason });
  }

  /** The worker ticks itself: nothing to do on the server's thread. */
  tick(): void {}
  work(): boolean {
    return false;
  }

  snapshot(): Snapshot | null {
    return this.latest?.snapshot ?? null;
  }

  status(): SessionStatus {
    const status = this.latest?.state.info.status ?? this.starting;
    return this.haltedReason === null ? status : { ...status, playing: false, seeking: null, halted: this.haltedReason };
  }

  stateHash(): string {
    return this.latest?.state.info.stateHash ?? "";
  }

  info(): SessionInfo {
    return sessionInfo(this.spec, {
      sims: this.latest?.state.info.sims ?? this.spec.sims.map((s) => ({ label: s.label, policy: { ...s.policy } })),
      status: this.status(),
      viewers: this.viewers,
      stateHash: this.stateHash(),
      restoreCheck: this.restoreCheck,
    });
  }

  summaries(): Promise<SimSummaries> {
    return this.ask({ type: "ask", id: this.nextId++, what: "summaries" }) as Promise<SimSummaries>;
  }

  timeseriesCsv(sim: number): Promise<string> {
    return this.ask({ type: "ask", id: this.nextId++, what: "timeseries", sim }) as Promise<string>;
  }

  reportHtml(sim: number): Promise<string> {
    return this.ask({ type: "ask", id: this.nextId++, what: "report", sim }) as Promise<string>;
  }

  /** As last saved: the worker saves the manifest after every command it applies, before it replies. */
  get commandLog(): readonly LogEntry[] {
    return this.lastManifest.commands;
  }

  /** The manifest as last saved (with the presenter token hash in force). */
  manifest(): Manifest {
    this.lastManifest = { ...this.lastManifest, presenterTokenSha256: this.spec.presenterTokenSha256 };
    return this.lastManifest;
  }

  persist(): void {
    // A new presenter token is saved at once, whether or not the worker is ready to answer.
    if (this.worker === null || this.lastManifest.presenterTokenSha256 !== this.spec.presenterTokenSha256) this.output.persist(this.manifest());
    if (this.worker !== null) this.send({ type: "persist", id: null, presenterTokenSha256: this.spec.presenterTokenSha256 });
  }

  flush(): Promise<void> {
    if (this.worker === null) {
      this.output.persist(this.manifest());
      return Promise.resolve();
    }
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      // A worker too busy to answer in time (still building its twins): the last saved position stands.
      const timer = setTimeout(() => {
        this.saves.delete(id);
        this.output.persist(this.manifest());
        resolve();
      }, FLUSH_TIMEOUT_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.saves.set(id, done);
      this.send({ type: "persist", id, presenterTokenSha256: this.spec.presenterTokenSha256 });
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failPending("the session ended");
    if (worker) await worker.terminate();
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private ask(message: ToWorker & { type: "ask" }): Promise<unknown> {
    if (this.worker === null) return Promise.reject(new Error(`the session halted (${this.haltedReason})`));
    return new Promise((resolve, reject) => {
      this.questions.set(message.id, { resolve, reject });
      this.send(message);
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "ready":
        this.latest = { snapshot: message.snapshot, state: message.state };
        this.restoreCheck = message.state.info.restoreCheck;
        // Clients that joined while it was being built get their first snapshot.
        this.output.reset();
        break;
      case "delta":
        this.latest = { snapshot: message.snapshot, state: message.state };
        this.restoreCheck = message.state.info.restoreCheck;
        this.output.delta(message.frame);
        break;
      case "reset":
        this.latest = { snapshot: message.snapshot, state: message.state };
        this.restoreCheck = message.state.info.restoreCheck;
        this.output.reset();
        break;
      case "persist":
        this.lastManifest = message.manifest;
        this.output.persist(message.manifest);
        break;
      case "persisted":
        this.saves.get(message.id)?.();
        this.saves.delete(message.id);
        break;
      case "reply":
        this.replies.get(message.id)?.(message.outcome);
        this.replies.delete(message.id);
        break;
      case "answer": {
        const question = this.questions.get(message.id);
        this.questions.delete(message.id);
        if (message.ok) question?.resolve(message.value);
        else question?.reject(new Error(message.message));
        break;
      }
      case "log":
        this.log(message.line);
        break;
    }
  }

  /** The worker is gone (out of its heap, or crashed): the session halts where its last frame left it. */
  private stopped(reason: string): void {
    if (this.worker === null) return;
    this.worker = null;
    this.haltedReason = reason;
    this.log(`session ${this.id} halted: ${reason}`);
    this.failPending(reason);
    if (this.latest) {
      // One last snapshot for every client, carrying the halted status.
      const snapshot = { ...this.latest.snapshot, seq: this.latest.snapshot.seq + 1, status: this.status() };
      this.latest = { snapshot, state: this.latest.state };
    }
    this.output.reset();
  }

  private failPending(reason: string): void {
    for (const reply of this.replies.values()) reply({ ok: false, error: { code: ERROR_CODES.busy, message: `the command was not applied: ${reason}` } });
    this.replies.clear();
    for (const q of this.questions.values()) q.reject(new Error(reason));
    this.questions.clear();
    for (const done of this.saves.values()) done();
    this.saves.clear();
  }
}
