// Assembling a live server: the scenario catalogue, the session registry (restored from the data
// directory), the express app, socket.io, the tick loop, and an orderly close. Tests start it on
// port 0 with a ManualClock and no timer, and tick it by hand.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server as SocketServer, Socket } from "socket.io";
import { BasemapHost } from "./basemap/basemap-host.ts";
import { DEFAULT_BASEMAP_HEAP_MB, DEFAULT_BASEMAP_IDLE_MS, DEFAULT_HOST, DEFAULT_MAX_SESSION_EVENTS, DEFAULT_MAX_SESSION_HEAP_MB, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_CLIENT, DEFAULT_PORT, DEFAULT_SESSION_TTL_MS } from "./defaults.ts";
import { createApp } from "./http.ts";
import { systemClock, type WallClock } from "./live/clock.ts";
import { SessionStore } from "./live/manifest.ts";
import { SessionRegistry } from "./live/registry.ts";
import { createHash, randomBytes } from "node:crypto";
import { isLoopback, OriginPolicy } from "./origin.ts";
import { ScenarioCatalog } from "./scenarios.ts";
import { attachSockets, DEFAULT_SOCKET_LIMITS, type SocketLimits } from "./socket.ts";

export interface ServerOptions {
  /** Address to listen on; loopback unless told otherwise. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  scenariosDir: string;
  /** Where manifests are kept; null keeps nothing (sessions die with the process). */
  dataDir: string | null;
  /** A built map client; the status page is served when it has no index.html. */
  clientDir?: string | null;
  /** Also serve the client build's bench.html (the render benchmark only). */
  serveBenchPage?: boolean;
  /** Express's trust proxy setting, for a server behind a declared reverse proxy (req.secure from X-Forwarded-Proto). */
  trustProxy?: boolean | number | string;
  clock?: WallClock;
  /** Wall ms between ticks (one frame per tick at most); null: only tick() ticks. */
  tickIntervalMs?: number | null;
  /** Wall ms of simulation work per tick, shared by all sessions. */
  tickBudgetMs?: number;
  maxSessions?: number;
  /** Sessions one client address may hold at once (default: maxSessions on loopback, 2 beyond). */
  maxSessionsPerClient?: number;
  /**
   * The token that creating and deleting sessions needs. Default: none on loopback; beyond loopback a
   * fresh one, returned in RunningServer.operatorToken for the operator to print. null: never needed.
   */
  operatorToken?: string | null;
  /**
   * Run each session on a worker thread of its own, so building, playing and seeking it never hold up
   * HTTP and sockets. Default: yes on the real clock; no with an injected clock (tests tick by hand).
   */
  isolateSessions?: boolean;
  /** Events one session's sims may run before it halts (default 40 million). */
  maxSessionEvents?: number;
  /** Heap one worker-hosted session may use, MB (default 1024); past it the session halts. */
  maxSessionHeapMb?: number;
  /** Wall ms after which an unwatched or finished session ends (default 60 min); null: never. */
  sessionTtlMs?: number | null;
  /** Wall ms the basemap's worker thread may sit idle before it ends, returning its memory (default 60 s). */
  basemapIdleMs?: number;
  /** Heap the basemap's worker thread may use, MB (default 1024); past it the request gets a 503. */
  basemapMaxHeapMb?: number;
  /** Load the basemap's geodata at start, so the first map does not wait for it (serve: yes; default no). */
  warmBasemap?: boolean;
  /** A stand-in for the basemap worker's script (tests only). */
  basemapWorkerEntry?: URL;
  allowedOrigins?: readonly string[];
  socketLimits?: Partial<SocketLimits>;
  /** Override how far behind a socket is (tests). */
  queuedPackets?: (socket: Socket) => number;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** "http://127.0.0.1:3000/" */
  url: string;
  port: number;
  host: string;
  registry: SessionRegistry;
  catalog: ScenarioCatalog;
  /** Cuts basemaps on a worker thread of its own (started on demand, ended when idle). */
  basemap: BasemapHost;
  io: SocketServer;
  http: HttpServer;
  /** Sessions restored from the data directory at start. */
  restored: number;
  /** The operator token creating and deleting sessions needs, or null when none is needed. */
  operatorToken: string | null;
  /** Run one tick of every session now. */
  tick(): void;
  /** Stop ticking, save every manifest, close every socket and the listener. */
  close(): Promise<void>;
}

export { DEFAULT_HOST, DEFAULT_MAX_SESSION_EVENTS, DEFAULT_MAX_SESSION_HEAP_MB, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_CLIENT, DEFAULT_PORT, DEFAULT_SESSION_TTL_MS };
export const TICK_INTERVAL_MS = 100;
/** Wall ms of simulation work per tick (and per seek pass between ticks), shared by all sessions. */
export const TICK_BUDGET_MS = 20;
/** Wall ms of simulation work per tick of a worker-hosted session (its thread does nothing else). */
export const WORKER_TICK_BUDGET_MS = 50;

/** Start a server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const catalog = new ScenarioCatalog(options.scenariosDir);
  const registry = new SessionRegistry({
    clock,
    store: options.dataDir === null ? null : new SessionStore(options.dataDir),
    maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
    tickBudgetMs: options.tickBudgetMs ?? TICK_BUDGET_MS,
    sessionTtlMs: options.sessionTtlMs === undefined ? DEFAULT_SESSION_TTL_MS : options.sessionTtlMs,
    maxEventsPerSession: options.maxSessionEvents ?? DEFAULT_MAX_SESSION_EVENTS,
    isolation:
      (options.isolateSessions ?? options.clock === undefined)
        ? { tickIntervalMs: options.tickIntervalMs ?? TICK_INTERVAL_MS, tickBudgetMs: WORKER_TICK_BUDGET_MS, maxHeapMb: options.maxSessionHeapMb ?? DEFAULT_MAX_SESSION_HEAP_MB }
        : null,
    log,
  });
  const basemap = new BasemapHost({ idleMs: options.basemapIdleMs ?? DEFAULT_BASEMAP_IDLE_MS, maxHeapMb: options.basemapMaxHeapMb ?? DEFAULT_BASEMAP_HEAP_MB, entry: options.basemapWorkerEntry, log });
  if (options.warmBasemap) basemap.warm();
  const origins = new OriginPolicy(host, options.allowedOrigins);
  const loopback = isLoopback(host);
  // Beyond loopback anyone who can reach the port could fill every session slot: creating and deleting need the operator.
  const operatorToken = options.operatorToken === undefined ? (loopback ? null : randomBytes(24).toString("base64url")) : options.operatorToken;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const http = createServer(
    { requestTimeout: 30_000, headersTimeout: 15_000 },
    createApp({
      registry,
      catalog,
      basemap,
      origins,
      clientDir: options.clientDir ?? null,
      serveBenchPage: options.serveBenchPage ?? false,
      trustProxy: options.trustProxy ?? false,
      operatorTokenSha256: operatorToken === null ? null : createHash("sha256").update(operatorToken).digest("hex"),
      maxSessionsPerClient: options.maxSessionsPerClient ?? (loopback ? maxSessions : DEFAULT_MAX_SESSIONS_PER_CLIENT),
      log,
    }),
  );
  http.maxHeadersCount = 64;
  const io = attachSockets(http, {
    registry,
    origins,
    clock,
    limits: { ...DEFAULT_SOCKET_LIMITS, ...options.socketLimits },
    queuedPackets: options.queuedPackets,
    log,
  });
  const restored = registry.restoreAll();
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? DEFAULT_PORT, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const interval = options.tickIntervalMs === undefined ? TICK_INTERVAL_MS : options.tickIntervalMs;
  // Seeks also run between ticks, one budgeted pass per turn of the event loop, so a rebuild takes
  // the idle CPU while sockets are still served after every pass.
  let workPending = false;
  let stopped = false;
  const workPass = () => {
    workPending = false;
    if (!stopped && registry.work()) scheduleWork();
  };
  const scheduleWork = () => {
    if (workPending || stopped) return;
    workPending = true;
    setImmediate(workPass);
  };
  const timer =
    interval === null
      ? null
      : setInterval(() => {
          registry.tick();
          if (registry.list().some((s) => s.seeking)) scheduleWork();
        }, interval);
  let closed: Promise<void> | null = null;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    port,
    host,
    registry,
    catalog,
    basemap,
    io,
    http,
    restored,
    operatorToken,
    tick: () => registry.tick(),
    close() {
      closed ??= new Promise<void>((resolve) => {
        stopped = true;
        if (timer) clearInterval(timer);
        // Manifests saved (worker-hosted sessions confirm theirs) before the threads and sockets go.
        void Promise.all([registry.closeAll(), basemap.close()]).finally(() => {
          io.close(() => resolve());
          http.closeAllConnections();
        });
      });
      return closed;
    },
  };
}
