// The messages between a worker-hosted session (session-worker.ts) and its stand-in on the server's
// thread (isolated-session.ts). Types only; both sides import them.
import type { Ack, Command, Delta, ErrorPayload, NetworkInfo, SessionInfo, Snapshot } from "../protocol.ts";
import type { LogEntry, Manifest } from "./manifest.ts";
import type { SessionSpec } from "./session.ts";

/** What a worker is started with. */
export interface WorkerSetup {
  spec: SessionSpec;
  speed: number;
  playing: boolean;
  /** Rebuild from a manifest's log to its position (after a restart). */
  restore: { log: LogEntry[]; position: Manifest["position"] } | null;
  /** Wall ms between the worker's ticks, and of simulation work per tick. */
  tickIntervalMs: number;
  tickBudgetMs: number;
  /** Events the session's sims may run; past it the session halts. */
  maxEvents: number;
}

/** The session as the server's thread shows it between frames. */
export interface SessionState {
  info: SessionInfo;
  logicalTime: number;
  seeking: boolean;
}

export type ToWorker =
  | { type: "command"; id: number; command: Command }
  | { type: "ask"; id: number; what: "summaries" }
  | { type: "ask"; id: number; what: "timeseries" | "report"; sim: number }
  | { type: "halt"; reason: string }
  /** Save the manifest now (with this presenter token hash: a reissued token changes it) and say when it is sent. */
  | { type: "persist"; id: number | null; presenterTokenSha256: string };

export type FromWorker =
  | { type: "ready"; network: NetworkInfo; snapshot: Snapshot; state: SessionState }
  | { type: "delta"; frame: Delta; snapshot: Snapshot; state: SessionState }
  | { type: "reset"; snapshot: Snapshot; state: SessionState }
  | { type: "persist"; manifest: Manifest }
  | { type: "persisted"; id: number }
  | { type: "reply"; id: number; outcome: { ok: true; ack: Ack } | { ok: false; error: ErrorPayload } }
  | { type: "answer"; id: number; ok: true; value: unknown }
  | { type: "answer"; id: number; ok: false; message: string }
  | { type: "log"; line: string };
