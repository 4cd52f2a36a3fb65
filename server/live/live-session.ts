// What the server's REST, socket and registry layers may ask of a live session, whether it runs on the
// server's own thread (Session) or on a worker thread of its own (IsolatedSession). Nothing here runs.
import type { buildSummary, Calendar } from "../../sim/index.ts";
import type { Command, SessionInfo, SessionStatus, Snapshot } from "../protocol.ts";
import type { LogEntry, Manifest } from "./manifest.ts";
import type { Reply, SessionOutput, SessionSpec } from "./session.ts";

/** A value now, or later (a worker-hosted session answers by message). */
export type Eventually<T> = T | Promise<T>;

/** The run summary of each sim so far. */
export type SimSummaries = { label: string; summary: ReturnType<typeof buildSummary> }[];

/** A live session as the transport layers see it. */
export interface LiveSession {
  readonly spec: SessionSpec;
  readonly id: string;
  readonly calendar: Calendar;
  readonly horizon: number;
  /** True when its sims run on a worker thread: it then takes no share of the server's tick budget. */
  readonly isolated: boolean;
  output: SessionOutput;
  viewers: number;
  restoreCheck: { expected: string; matched: boolean | null } | null;
  readonly seeking: boolean;
  readonly logicalTime: number;
  readonly simCount: number;
  /** Commands sent and not yet applied or refused. */
  readonly queuedCommands: number;
  command(command: Command, reply: Reply): void;
  /** Stop for good (paused, nothing queued); `reason` shows in the status as `halted`. */
  halt(reason: string): void;
  tick(deadline: number): void;
  work(deadline: number): boolean;
  /** The whole state for a joining client, or null while the session is still being built. */
  snapshot(): Snapshot | null;
  status(): SessionStatus;
  stateHash(): string;
  info(): SessionInfo;
  summaries(): Eventually<SimSummaries>;
  timeseriesCsv(sim: number): Eventually<string>;
  /** The run report page (report.html) of one sim, rendered where the sims run. */
  reportHtml(sim: number): Eventually<string>;
  /** The command log so far, as last applied (a fork starts from it). */
  readonly commandLog: readonly LogEntry[];
  manifest(): Manifest;
  persist(): void;
  /** Save the position now and wait until it is written (at shutdown). */
  flush(): Promise<void>;
  /** Release what the session holds (its worker thread); the registry calls it when the session ends. */
  dispose(): Promise<void>;
}
