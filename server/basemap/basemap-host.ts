// The basemap seen from the server's thread: the boxes are checked here (a bad one is refused at once,
// with basemap.ts's words), but loading the geodata and cutting a box run on a worker thread of its own
// (basemap-worker.ts), started on the first request that is not cached. Loading takes 1.5–4 s and ~340 MB
// of heap, and a cut 0.2–0.6 s: on the server's thread either would stall HTTP and sockets for everyone.
// Answers are cached here (the last 16 boxes), so they outlive the worker, which ends once idle for
// `idleMs` and gives its memory back. A worker that dies (out of its heap, or an error) fails the requests
// it held with BasemapUnavailableError; the next request starts a fresh one.
import { Worker } from "node:worker_threads";
import { normaliseBox } from "./basemap.ts";
import type { LonLatBox } from "./geometry.ts";
import type { FromBasemapWorker, ToBasemapWorker } from "./worker-messages.ts";

export interface BasemapHostOptions {
  /** Wall ms the worker may sit idle before it ends (its ~340 MB go with it). */
  idleMs: number;
  /** Heap (V8 old generation) the worker may use, MB; past it the worker stops and its requests fail. */
  maxHeapMb: number;
  log(line: string): void;
  /** The worker's script (tests: a stand-in); default basemap-worker's. */
  entry?: URL;
}

/** The basemap could not be cut now (its worker stopped); the request may be tried again. */
export class BasemapUnavailableError extends Error {}

/** From the TypeScript sources the worker starts in worker-entry.js (which registers tsx); compiled, in basemap-worker.js. */
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const ENTRY = new URL(FROM_SOURCES ? "./worker-entry.js" : "./basemap-worker.js", import.meta.url);
/** Boxes kept, as JSON text, newest last (a small LRU: a server sees few regions). */
const CACHE_MAX = 16;

export class BasemapHost {
  /** Workers started so far (a fresh one after each idle release or crash). */
  workersStarted = 0;
  /** Has a warmed worker finished loading the geodata (false again once it ends)? */
  warmed = false;
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  /** Cuts under way, by box: a second request for the same box waits for the first. */
  private readonly cutting = new Map<string, Promise<string>>();
  private readonly cache = new Map<string, string>();
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: BasemapHostOptions) {}

  /** Is a worker thread holding the geodata now? */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * The basemap of a requested box as JSON text: from the cache, or cut on the worker. Rejects with
   * BasemapBoxError for a bad box (before any worker starts) and BasemapUnavailableError if the worker stopped.
   */
  async json(requested: LonLatBox): Promise<string> {
    const box = normaliseBox(requested);
    const key = `${box.west},${box.south},${box.east},${box.north}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    let cut = this.cutting.get(key);
    if (cut === undefined) {
      cut = this.cut(box).finally(() => this.cutting.delete(key));
      this.cutting.set(key, cut);
    }
    const text = await cut;
    this.cache.set(key, text);
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    return text;
  }

  /**
   * Start the worker and load the geodata now, before any map asks (a server about to show a map: `serve`,
   * browser tests). The first cut then waits for the cut alone. The worker still ends when idle.
   */
  warm(): void {
    if (this.closed || this.worker !== null) return;
    this.start().postMessage({ type: "warm" } satisfies ToBasemapWorker);
    this.armIdle();
  }

  /** End the worker (if any); requests still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.release("the server is closing");
  }

  private cut(box: LonLatBox): Promise<string> {
    if (this.closed) return Promise.reject(new BasemapUnavailableError("the server is closing"));
    const worker = this.worker ?? this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: "cut", id, box } satisfies ToBasemapWorker);
    });
  }

  private start(): Worker {
    const worker = new Worker(this.options.entry ?? ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    // An idle worker is ended by its timer; it never keeps the process alive by itself.
    worker.unref();
    this.worker = worker;
    this.workersStarted++;
    worker.on("message", (message: FromBasemapWorker) => {
      if (message.type === "warm") {
        this.warmed = message.ok && this.worker === worker;
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.text);
      else waiting?.reject(new BasemapUnavailableError(`the basemap could not be cut: ${message.message}`));
      if (this.pending.size === 0 && this.worker === worker) this.armIdle();
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const reason =
        error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `its worker thread ran out of its ${this.options.maxHeapMb} MB of heap` : `its worker thread failed (${error.message})`;
      this.stopped(worker, reason);
    });
    worker.on("exit", () => this.stopped(worker, "its worker thread exited"));
    return worker;
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size === 0) void this.release(null);
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** End the worker on purpose: after an idle period (reason null) or at close. */
  private async release(reason: string | null): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    this.warmed = false;
    this.failPending(reason ?? "its worker thread was released");
    await worker.terminate();
    if (reason === null) this.options.log(`basemap worker released after ${this.options.idleMs} ms idle`);
  }

  /** The worker died on its own: fail what it held; the next request starts a fresh one. */
  private stopped(worker: Worker, reason: string): void {
    if (this.worker !== worker) return; // already released on purpose, or replaced
    this.worker = null;
    this.warmed = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.options.log(`basemap worker stopped: ${reason}`);
    this.failPending(reason);
  }

  private failPending(reason: string): void {
    const error = new BasemapUnavailableError(`the basemap could not be cut now: ${reason}; try again`);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
