// A live session: one sim, or two in lockstep (compare), paced at sim-minutes per wall-second by an
// injected clock; presenter commands (play, pause, speed, step, seek, inject, lever) applied at
// tick boundaries and logged with the sim minute they applied at; frames out as numbered deltas.
//
// Everything that changes the sims happens inside tick(): queued commands first, then the advance,
// then one delta. So between ticks the state always equals the last delta, and a snapshot built for
// a joining client is consistent with its `seq`. Seeking back re-simulates from minute 0 and re-applies
// the logged commands at their minutes (a Twin cannot be copied: its event queue holds closures);
// the work is cut into slices bounded by the tick's deadline, so sockets stay responsive meanwhile.
import { Calendar, localPlusMinutes, OMNITWIN_VERSION, buildSummary, timeseriesCsv, type Intervention, type Scenario, type Policy } from "../../sim/index.ts";
import { runReportHtml } from "../experiments/report-run.ts";
import { ERROR_CODES, LIMITS, PROTOCOL_VERSION, type Ack, type Command, type Delta, type ErrorPayload, type NetworkInfo, type SessionInfo, type SessionStatus, type Snapshot, type TimelineMarker } from "../protocol.ts";
import type { WallClock } from "./clock.ts";
import { checkIntervention } from "./inbound.ts";
import { effectiveTimeline, MANIFEST_FORMAT, type LogEntry, type LoggedCommand, type Manifest } from "./manifest.ts";
import type { LiveSession, SimSummaries } from "./live-session.ts";
import { SimRun, stateHash } from "./sim-run.ts";
import { heldAtEnd, heldBySeek, markerOf, markers } from "./timeline.ts";

/** A wall-clock gap longer than this (a stalled process) does not turn into one huge jump. */
const MAX_TICK_GAP_MS = 1000;
/** Commands waiting for the next tick, at most. */
const MAX_QUEUED_COMMANDS = 32;
/** Commands one session logs, at most (the manifest is rewritten on each one). */
const MAX_LOGGED_COMMANDS = 10_000;
/** While playing, save the position at least this often (wall ms) so a crash loses little. */
const POSITION_SAVE_INTERVAL_MS = 5000;
/** Slice the advance into chunks of sim minutes that take about this long (ms). */
const CHUNK_TARGET_MS = 2;
/** Largest chunk: a quiet stretch can be cheap while the next hour of a sale is not, so never leap far. */
const MAX_CHUNK_MINUTES = 60;

/** What a session is made of; fixed for its life. */
export interface SessionSpec {
  id: string;
  scenario: Scenario;
  /** The catalogue name it came from, or null for an inline scenario. */
  scenarioName: string | null;
  scenarioHash: string;
  seed: number;
  compare: boolean;
  sims: { label: string; policy: Policy }[];
  createdAt: string;
  presenterTokenSha256: string;
}

/** A session's manifest: what it is (from its spec), the commands so far and where it stands. */
export function sessionManifest(spec: SessionSpec, commands: readonly LogEntry[], position: Manifest["position"]): Manifest {
  return {
    format: MANIFEST_FORMAT,
    omnitwinVersion: OMNITWIN_VERSION,
    id: spec.id,
    createdAt: spec.createdAt,
    scenario: { id: spec.scenario.id, name: spec.scenarioName, hash: spec.scenarioHash },
    seed: spec.seed,
    compare: spec.compare,
    sims: spec.sims.map((s) => ({ label: s.label, policy: { ...s.policy } })),
    presenterTokenSha256: spec.presenterTokenSha256,
    commands: [...commands],
    position: { ...position },
  };
}

/** What a session is and where it stands, for the REST API: from its spec, and what only its host knows now. */
export function sessionInfo(
  spec: SessionSpec,
  now: Pick<SessionInfo, "sims" | "status" | "viewers" | "stateHash" | "restoreCheck">,
): SessionInfo {
  return {
    id: spec.id,
    scenario: { id: spec.scenario.id, name: spec.scenarioName, hash: spec.scenarioHash },
    seed: spec.seed,
    compare: spec.compare,
    sims: now.sims,
    status: now.status,
    viewers: now.viewers,
    createdAt: spec.createdAt,
    stateHash: now.stateHash,
    restoreCheck: now.restoreCheck && { ...now.restoreCheck },
  };
}

/** The outcome of a command, for whoever sent it. */
export type Reply = (outcome: { ok: true; ack: Ack } | { ok: false; error: ErrorPayload }) => void;

/** What a session tells its transport. */
export interface SessionOutput {
  /** A delta for every client that is in sync. */
  delta(frame: Delta): void;
  /** Every client needs a fresh snapshot (a seek finished). */
  reset(): void;
  /** The manifest changed: write it. */
  persist(manifest: Manifest): void;
}

const noOutput: SessionOutput = { delta() {}, reset() {}, persist() {} };

/** Local date-time text of whole sim minute `floor(t)`, the form interventions use ("YYYY-MM-DDTHH:MM:SS"). */
function localAt(start: string, t: number): string {
  return localPlusMinutes(start, Math.floor(t), "seconds")!;
}

/** One live session, on the thread that calls it (IsolatedSession hosts one on a worker thread). */
export class Session implements LiveSession {
  readonly isolated = false;
  readonly calendar: Calendar;
  readonly horizon: number;
  readonly network: NetworkInfo;
  output: SessionOutput = noOutput;
  /** Connected clients, kept up to date by the transport. */
  viewers = 0;
  /** After a restart: the state hash the manifest promised, and whether the rebuild matched it. */
  restoreCheck: { expected: string; matched: boolean | null } | null = null;

  private runs: SimRun[];
  private t = 0;
  private seq = 0;
  private playing: boolean;
  private speed: number;
  /** A step (frames flow) or a seek (quiet: re-simulating or fast-forwarding, snapshot at the end). */
  private target: { from: number; to: number; quiet: boolean } | null = null;
  /** Logged changes still to re-apply during a rebuild, in order. */
  private pending: LogEntry[] = [];
  private readonly queue: { command: Command; reply: Reply }[] = [];
  private readonly log: LogEntry[] = [];
  private lastTickAt: number;
  private lastSavedAt: number;
  private statusChanged = true;
  private chunkMinutes = 1;
  private cachedSnapshot: Snapshot | null = null;
  /** Events the sims may run before the session halts ("budget spent"). */
  private readonly maxEvents: number;
  /** Why the session stopped for good (a spent budget, an internal error), or null. */
  private haltedReason: string | null = null;
  /** Changes a backward seek took out of the future, until the presenter keeps or drops them. */
  private held: LogEntry[] = [];
  /** The timeline markers of the log as it stands (null: recompute). */
  private cachedMarkers: TimelineMarker[] | null = null;
  /** Sim minutes between chart history points. */
  private readonly historyStep: number;

  constructor(
    readonly spec: SessionSpec,
    private readonly clock: WallClock,
    options: { speed: number; playing: boolean; maxEvents?: number },
  ) {
    this.maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
    this.calendar = new Calendar(spec.scenario.start, spec.scenario.timeZone);
    this.horizon = spec.scenario.horizonDays * 1440;
    this.speed = options.speed;
    this.playing = options.playing;
    this.runs = this.freshRuns();
    this.historyStep = this.runs[0].history.stepMinutes;
    this.lastTickAt = this.lastSavedAt = clock.now();
    this.network = this.runs[0].observation.network;
  }

  get id(): string {
    return this.spec.id;
  }
  get seeking(): boolean {
    return this.target?.quiet === true;
  }
  /** Where the session stands for the presenter: a seek's target while seeking. */
  get logicalTime(): number {
    return this.target?.quiet ? this.target.to : this.t;
  }

  /** Rebuild a session from its log (after a restart): re-simulate to `position.t`, paused. */
  restore(log: readonly LogEntry[], position: Manifest["position"]): void {
    this.log.push(...log);
    // Changes a seek back held, still waiting for the presenter's keep or drop when the server stopped.
    this.held = heldAtEnd(log);
    this.speed = position.speed;
    this.playing = false;
    // Changes kept for minutes past the saved position are still to come: keep them pending.
    this.startRebuild(Math.min(position.t, this.horizon), true);
    if (position.stateHash) this.restoreCheck = { expected: position.stateHash, matched: null };
  }

  /** Queue a presenter command for the next tick; the reply comes when it is applied or refused. */
  command(command: Command, reply: Reply): void {
    if (this.queue.length >= MAX_QUEUED_COMMANDS || this.log.length >= MAX_LOGGED_COMMANDS) {
      const message = this.log.length >= MAX_LOGGED_COMMANDS ? `this session has logged its ${MAX_LOGGED_COMMANDS} commands; start a new one` : "too many commands waiting; slow down";
      reply({ ok: false, error: { code: ERROR_CODES.busy, message, ...(command.ref === undefined ? {} : { ref: command.ref }) } });
      return;
    }
    this.queue.push({ command, reply });
  }

  /** Stop for good (an internal error, a spent budget): paused, no step or seek under way, queued commands dropped. */
  halt(reason: string): void {
    this.haltedReason ??= reason;
    const wasSeeking = this.seeking;
    this.playing = false;
    this.target = null;
    this.pending = [];
    this.queue.length = 0;
    this.statusChanged = true;
    // Clients waiting for a seek's snapshot get one of where it stopped.
    if (wasSeeking) {
      for (const r of this.runs) r.markSynced();
      this.seq++;
      this.output.reset();
    }
  }

  /** Apply queued commands, advance the sims until `deadline` (clock ms) at most, and send one frame. */
  tick(deadline: number): void {
    const now = this.clock.now();
    const gap = Math.min(Math.max(0, now - this.lastTickAt), MAX_TICK_GAP_MS);
    this.lastTickAt = now;
    const before = this.t;
    let changed = false;
    for (const { command, reply } of this.queue.splice(0)) changed = this.apply(command, reply) || changed;
    if (this.target) {
      const { to, quiet } = this.target;
      if (this.advance(to, deadline, quiet)) {
        this.target = null;
        this.statusChanged = true;
        if (quiet) {
          this.finishSeek();
          return;
        }
      }
    } else if (this.playing && this.t < this.horizon) {
      this.advance(Math.min(this.horizon, this.t + (gap / 1000) * this.speed), deadline, false);
    }
    this.checkBudget();
    if (this.playing && this.t >= this.horizon) {
      this.playing = false;
      this.statusChanged = true;
      this.persist();
    } else if (this.playing && now - this.lastSavedAt >= POSITION_SAVE_INTERVAL_MS) this.persist();
    if (this.seeking) {
      if (this.t !== before || this.statusChanged) this.emit([]);
    } else if (changed || this.t !== before || this.statusChanged) this.emit(this.runs.map((r) => r.delta()));
  }

  /**
   * Between ticks: push a seek on until `deadline`, sending nothing (the next tick reports progress).
   * The server runs these passes back to back while a seek lasts, yielding to I/O after each one, so a
   * rebuild uses the idle CPU without holding the event loop for longer than one pass.
   */
  work(deadline: number): boolean {
    if (!this.target?.quiet) return false;
    const done = this.advance(this.target.to, deadline, true);
    if (this.checkBudget()) return false;
    if (done) {
      this.target = null;
      this.statusChanged = true;
      this.finishSeek();
      return false;
    }
    return true;
  }

  /** The whole state, for a client joining or resyncing; built once per frame. */
  snapshot(): Snapshot {
    if (this.cachedSnapshot?.seq === this.seq) return this.cachedSnapshot;
    this.cachedSnapshot = {
      protocol: PROTOCOL_VERSION,
      sessionId: this.id,
      seq: this.seq,
      status: this.status(),
      network: this.network,
      sims: this.runs.map((r) => r.snapshot()),
      sentAt: this.clock.epochMs(),
    };
    return this.cachedSnapshot;
  }

  status(): SessionStatus {
    const target = this.target;
    return {
      t: this.t,
      localTime: this.calendar.format(this.t),
      horizon: this.horizon,
      playing: this.playing,
      speed: this.speed,
      seeking: target?.quiet ? { to: target.to, progress: target.to > target.from ? Math.min(1, (this.t - target.from) / (target.to - target.from)) : 1 } : null,
      finished: this.t >= this.horizon,
      ...(this.haltedReason === null ? {} : { halted: this.haltedReason }),
      markers: (this.cachedMarkers ??= markers(this.log)),
      held: this.held.map((e) => markerOf(e)!),
    };
  }

  /** Events the sims have run so far (from minute 0 of the current runs: a seek back starts again from 0). */
  eventsProcessed(): number {
    let n = 0;
    for (const r of this.runs) n += r.twin.sim.eventsProcessed;
    return n;
  }

  /** Fingerprint of the sims' state now (equal for equal runs to the same minute with the same commands). */
  stateHash(): string {
    return stateHash(this.runs);
  }

  info(): SessionInfo {
    return sessionInfo(this.spec, {
      sims: this.runs.map((r) => ({ label: r.label, policy: r.policy() })),
      status: this.status(),
      viewers: this.viewers,
      stateHash: this.stateHash(),
      restoreCheck: this.restoreCheck,
    });
  }

  /** The run summary of each sim so far. */
  summaries(): SimSummaries {
    return this.runs.map((r) => ({ label: r.label, summary: buildSummary(r.twin) }));
  }

  /** The time series of one sim so far, as CSV. */
  timeseriesCsv(sim: number): string {
    return timeseriesCsv(this.runs[sim].twin, (t) => this.calendar.format(t));
  }

  /** The run report page of one sim (report.html): its summary, charts, and the presenter's changes that applied to it. */
  reportHtml(sim: number): string {
    const run = this.runs[sim];
    const changes = this.status().markers.filter((m) => m.sims.includes(sim));
    const origin =
      `A live session (${run.label}, seed ${this.spec.seed})` +
      (changes.length ? ` with the presenter's changes: ${changes.map((m) => `${m.text} at ${this.calendar.format(m.t)}`).join("; ")}.` : " with no presenter changes.");
    return runReportHtml({
      summary: buildSummary(run.twin),
      timeseries: run.twin.metrics.timeseries,
      horizonMinutes: this.horizon,
      scenarioName: this.spec.scenario.name,
      scenarioFile: `scenarios/${this.spec.scenarioName ?? this.spec.scenario.id}.json`,
      origin,
    });
  }

  /** Commands waiting for the next tick. */
  get queuedCommands(): number {
    return this.queue.length;
  }

  get simCount(): number {
    return this.runs.length;
  }

  /** The command log so far (for a fork). */
  get commandLog(): readonly LogEntry[] {
    return this.log;
  }

  manifest(): Manifest {
    return sessionManifest(this.spec, this.log, {
      t: this.logicalTime,
      playing: this.playing,
      speed: this.speed,
      stateHash: this.seeking ? null : this.stateHash(),
      savedAt: new Date(this.clock.epochMs()).toISOString(),
    });
  }

  /** Save the manifest now. */
  persist(): void {
    this.lastSavedAt = this.clock.now();
    this.output.persist(this.manifest());
  }

  async flush(): Promise<void> {
    this.persist();
  }

  /** Nothing to release: its sims are garbage once the registry drops it. */
  async dispose(): Promise<void> {}

  /** Halt once the sims have run more events than the budget; true if the session is halted. */
  private checkBudget(): boolean {
    if (this.haltedReason === null && this.eventsProcessed() > this.maxEvents)
      this.halt(`budget spent: the sims ran ${this.eventsProcessed()} events, more than this server allows a session (${this.maxEvents})`);
    return this.haltedReason !== null;
  }

  private freshRuns(): SimRun[] {
    const { scenario, seed, sims } = this.spec;
    return sims.map((s) => new SimRun(scenario, s.label, s.policy, seed));
  }

  private emit(sims: Delta["sims"]): void {
    this.seq++;
    const frame: Delta = { seq: this.seq, t: this.t, localTime: this.calendar.format(this.t), sims, sentAt: this.clock.epochMs() };
    // While seeking every frame carries the status: its progress is what the page shows.
    if (this.statusChanged || this.seeking) frame.status = this.status();
    this.statusChanged = false;
    this.output.delta(frame);
  }

  private finishSeek(): void {
    for (const r of this.runs) r.markSynced();
    this.seq++;
    this.statusChanged = false;
    if (this.restoreCheck && this.restoreCheck.matched === null) this.restoreCheck.matched = this.stateHash() === this.restoreCheck.expected;
    this.persist();
    this.output.reset();
  }

  /**
   * Run every sim to `goal` in chunks, re-applying logged changes at their minutes, until the goal
   * or the deadline; true when the goal is reached. All sims stop at the same chunk boundaries, so
   * a compare session stays in lockstep and commands land at the same minute in both.
   */
  private advance(goal: number, deadline: number, quiet: boolean): boolean {
    for (;;) {
      while (this.pending.length > 0 && this.pending[0].t <= this.t) this.applyLogged(this.pending.shift()!);
      if (this.t >= goal) break;
      // Chunks also stop at each chart history step (and the horizon), where every sim takes a point.
      const step = this.historyStep;
      const nextSample = Math.min(this.horizon, (Math.floor(this.t / step) + 1) * step);
      const next = Math.min(goal, this.t + this.chunkMinutes, this.pending[0]?.t ?? Infinity, nextSample > this.t ? nextSample : Infinity);
      const started = this.clock.now();
      for (const r of this.runs) r.runUntil(next);
      this.t = next;
      if (next === nextSample) for (const r of this.runs) r.history.sample();
      const now = this.clock.now();
      const took = now - started;
      if (took < CHUNK_TARGET_MS / 2) this.chunkMinutes = Math.min(this.chunkMinutes * 2, MAX_CHUNK_MINUTES);
      else if (took > CHUNK_TARGET_MS * 2) this.chunkMinutes = Math.max(this.chunkMinutes / 2, 0.25);
      if (now >= deadline) break;
    }
    // While seeking nothing is sent: drop what the observers heard (the closing snapshot has it all).
    if (quiet) for (const r of this.runs) r.markSynced();
    return this.t >= goal && (this.pending.length === 0 || this.pending[0].t > goal);
  }

  private startRebuild(to: number, keepFuture = false): void {
    this.runs = this.freshRuns();
    this.t = 0;
    this.pending = effectiveTimeline(this.log).filter((e) => keepFuture || e.t <= to);
    this.target = { from: 0, to, quiet: true };
    this.statusChanged = true;
  }

  /** Apply one logged change to the sims it names, at the current minute (which equals entry.t). */
  private applyLogged(entry: LogEntry): void {
    const c = entry.command;
    if (c.type !== "inject" && c.type !== "lever") return;
    for (const i of c.sims) {
      const twin = this.runs[i].twin;
      twin.runUntil(entry.t);
      twin.schedule(c.intervention);
      // Flush at once, so live and re-simulated runs see the change at the same point of the minute.
      twin.runUntil(entry.t);
    }
  }

  private record(command: LoggedCommand, t = this.logicalTime): LogEntry {
    const entry: LogEntry = { n: this.log.length, t, wallAt: new Date(this.clock.epochMs()).toISOString(), command };
    this.log.push(entry);
    this.cachedMarkers = null;
    return entry;
  }

  /** An intervention's `at` for "now" that the model reads as a minute no later than t. */
  private atNow(): string {
    const at = localAt(this.spec.scenario.start, this.t);
    return this.runs[0].twin.world.toMinutes(at) <= this.t ? at : this.spec.scenario.start;
  }

  /** Apply one command now; false if it was refused or changed nothing the frames show. */
  private apply(command: Command, reply: Reply): boolean {
    const ref = command.ref;
    const refuse = (code: ErrorPayload["code"], message: string, problems?: ErrorPayload["problems"]): boolean => {
      reply({ ok: false, error: { code, message, ...(ref === undefined ? {} : { ref }), ...(problems ? { problems } : {}) } });
      return false;
    };
    const busy = () => refuse(ERROR_CODES.busy, "the session is seeking; wait for the snapshot");
    // Keeping held changes re-simulates too; dropping them is fine on a halted session.
    const runs = command.type === "play" || command.type === "step" || command.type === "seek" || (command.type === "held" && command.keep);
    if (runs && this.haltedReason !== null) return refuse(ERROR_CODES.busy, `the session halted (${this.haltedReason}); start a new one`);
    const targets = (sim: number | undefined): number[] | null =>
      sim === undefined ? this.runs.map((_, i) => i) : Number.isInteger(sim) && sim >= 0 && sim < this.runs.length ? [sim] : null;
    const loggedAt = this.logicalTime;
    switch (command.type) {
      case "play":
        this.playing = this.logicalTime < this.horizon;
        this.record({ type: "play" });
        break;
      case "pause":
        this.playing = false;
        this.record({ type: "pause" });
        break;
      case "speed":
        this.speed = Math.min(command.simMinutesPerSecond, LIMITS.maxSpeed);
        this.record({ type: "speed", simMinutesPerSecond: this.speed });
        break;
      case "step": {
        if (this.seeking) return busy();
        if (this.t >= this.horizon) return refuse(ERROR_CODES.outOfRange, "the run is at its horizon; seek back first");
        this.target = { from: this.t, to: Math.min(this.horizon, this.t + command.minutes), quiet: false };
        this.record({ type: "step", minutes: command.minutes });
        break;
      }
      case "seek": {
        const to = command.t;
        if (to > this.horizon) return refuse(ERROR_CODES.outOfRange, `t must be between 0 and the horizon, ${this.horizon} minutes`);
        const logical = this.logicalTime;
        // Changes in force after the target are not lost silently: held for the presenter to keep or drop.
        if (to < logical) this.held = [...this.held, ...heldBySeek(this.log, to)].sort((a, b) => a.t - b.t);
        this.record({ type: "seek", to });
        // At or ahead of where the sims are: keep running them (a rebuild in progress keeps the changes
        // still to re-apply, minus those the seek dropped). Behind them: re-simulate from minute 0.
        if (to >= this.t) {
          if (to < logical) this.pending = this.pending.filter((e) => e.t <= to);
          this.target = { from: this.t, to, quiet: true };
        } else this.startRebuild(to);
        break;
      }
      case "inject":
      case "lever": {
        if (this.seeking) return busy();
        const sims = targets(command.sim);
        if (!sims) return refuse(ERROR_CODES.badMessage, `sim must be below ${this.runs.length}`);
        let intervention: Intervention;
        if (command.type === "lever") intervention = { type: "lever", at: this.atNow(), lever: command.lever, on: command.on };
        else {
          const checked = checkIntervention(this.spec.scenario, command.intervention as Record<string, unknown>, this.atNow());
          if (!checked.ok) return refuse(ERROR_CODES.badIntervention, checked.problems[0].message, checked.problems);
          intervention = checked.intervention;
        }
        this.applyLogged(this.record({ type: command.type, intervention, sims } as LoggedCommand));
        break;
      }
      case "held": {
        if (this.seeking) return busy();
        if (this.held.length === 0) return refuse(ERROR_CODES.outOfRange, "no commands are held; they are held after a seek back");
        const held = this.held;
        this.held = [];
        this.record({ type: "held", keep: command.keep });
        if (!command.keep) break;
        // Kept: logged again at their own minutes. Still ahead: they apply as the sims reach them. One the
        // session already passed (the presenter played on before deciding) needs a re-simulation.
        const kept = held.map((e) => this.record(e.command, e.t));
        if (kept.some((e) => e.t < this.t)) this.startRebuild(this.t, true);
        else this.pending = [...this.pending, ...kept].sort((a, b) => a.t - b.t);
        break;
      }
    }
    this.statusChanged = true;
    this.persist();
    reply({ ok: true, ack: { type: command.type, t: loggedAt, ...(ref === undefined ? {} : { ref }) } });
    return true;
  }
}
