// The sessions of one server: creation (with its limits: per server and per client address), presenter
// tokens (kept only as hashes), the tick loop that shares one work budget between the sessions that
// are running, expiry of sessions nobody watches or that finished long ago, persistence of
// manifests, and rebuilding every stored session after a restart.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { COORDINATED, parseScenarioText, policyName, scenarioHash, SILOED, type Policy, type Scenario } from "../../sim/index.ts";
import type { Delta } from "../protocol.ts";
import type { WallClock } from "./clock.ts";
import type { Intervention } from "../../sim/index.ts";
import { IsolatedSession, type IsolationOptions } from "./isolated-session.ts";
import type { LiveSession } from "./live-session.ts";
import type { Manifest, SessionStore } from "./manifest.ts";
import { Session, type SessionSpec } from "./session.ts";
import { changeWords, forkLog } from "./timeline.ts";

/** Sim minutes per wall second when a session is created without a speed: an hour a second. */
export const DEFAULT_SPEED = 60;

/** How a session's frames reach its clients (the socket layer). */
export interface SessionTransport {
  delta(session: LiveSession, frame: Delta): void;
  reset(session: LiveSession): void;
  /** The session was removed: tell its clients and let them go. */
  ended(session: LiveSession): void;
  /** Called after every tick, for catching up clients that fell behind. */
  afterTick(session: LiveSession): void;
}

export interface RegistryOptions {
  clock: WallClock;
  store: SessionStore | null;
  maxSessions: number;
  /** Wall ms of simulation work per tick, shared by the sessions that are playing or seeking. */
  tickBudgetMs: number;
  /** Wall ms after which a session no client has watched, or one that finished, is ended; null: never. */
  sessionTtlMs?: number | null;
  /** Events one session's sims may run before it halts ("budget spent"). */
  maxEventsPerSession: number;
  /** Run each session on a worker thread of its own (null: on this thread, sliced by the tick budget). */
  isolation: Omit<IsolationOptions, "maxEvents"> | null;
  log(line: string): void;
}

/**
 * Wall ms of work each running session gets this tick: the budget split between the sessions that
 * are playing or seeking (paused and finished ones have nothing to simulate and take no share), never
 * under 2 ms.
 */
export function tickShare(budgetMs: number, sessions: readonly LiveSession[]): number {
  const running = sessions.filter((s) => !s.isolated && (s.seeking || (s.status().playing && !s.status().finished))).length;
  return Math.max(2, budgetMs / Math.max(1, running));
}

/** What a new session needs. */
export interface NewSession {
  scenario: Scenario;
  scenarioName: string | null;
  scenarioText: string;
  policy?: Policy;
  compare?: boolean;
  seed?: number;
  speed?: number;
  play?: boolean;
  /** The client address that asked for it (for the per-address limit); none for the server's own. */
  creator?: string;
}

/** A fresh presenter token (printed once, stored only as its SHA-256). */
function newToken(): string {
  return randomBytes(24).toString("base64url");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Every live session of a server. */
export class SessionRegistry {
  transport: SessionTransport | null = null;
  private readonly sessions = new Map<string, LiveSession>();
  /** Per session: the client address that created it, the last wall ms a client watched it, and when it finished. */
  private readonly creators = new Map<string, string>();
  private readonly watchedAt = new Map<string, number>();
  private readonly finishedAt = new Map<string, number>();
  /** Per session: its scenario file's text (a fork stores it again). */
  private readonly scenarioTexts = new Map<string, string>();

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.sessions.size;
  }
  get maxSessions(): number {
    return this.options.maxSessions;
  }

  /** A new session and its presenter token, or null when the server already holds its limit. */
  create(spec: NewSession): { session: LiveSession; presenterToken: string } | null {
    if (this.sessions.size >= this.options.maxSessions) return null;
    const { clock } = this.options;
    const token = newToken();
    const policy = spec.policy ?? SILOED;
    const session = this.open(
      {
        id: randomBytes(12).toString("base64url"),
        scenario: spec.scenario,
        scenarioName: spec.scenarioName,
        scenarioHash: scenarioHash(spec.scenario),
        seed: spec.seed ?? spec.scenario.seed,
        compare: spec.compare ?? false,
        sims: spec.compare
          ? [
              { label: "siloed", policy: SILOED },
              { label: "coordinated", policy: COORDINATED },
            ]
          : [{ label: policyName(policy), policy }],
        createdAt: new Date(clock.epochMs()).toISOString(),
        presenterTokenSha256: sha256(token),
      },
      { speed: spec.speed ?? DEFAULT_SPEED, playing: spec.play ?? false },
      null,
    );
    // On disk first: a session that cannot be recorded is not created.
    this.options.store?.create(session.manifest(), spec.scenarioText);
    this.add(session);
    this.scenarioTexts.set(session.id, spec.scenarioText);
    if (spec.creator !== undefined) this.creators.set(session.id, spec.creator);
    return { session, presenterToken: token };
  }

  /**
   * A new pair forked from sim `sim` of `source` at its current minute: both sims re-simulate the same
   * scenario, seed and changes up to that minute, and the second also gets `change` then — so they share
   * the past and differ only after the fork. Null when the server holds its limit.
   */
  fork(source: LiveSession, sim: number, change: Intervention, kind: "inject" | "lever", creator?: string): { session: LiveSession; presenterToken: string } | null {
    if (this.sessions.size >= this.options.maxSessions) return null;
    const { clock } = this.options;
    const token = newToken();
    const t = source.status().t;
    const base = source.spec.sims[sim];
    const label = base.label.slice(0, 80);
    const now = new Date(clock.epochMs()).toISOString();
    const log = forkLog(source.commandLog, sim, t, change, kind, now);
    // Like a restored session: re-simulated to the fork minute (on a worker thread of its own when sessions are isolated).
    const session = this.open(
      {
        id: randomBytes(12).toString("base64url"),
        scenario: source.spec.scenario,
        scenarioName: source.spec.scenarioName,
        scenarioHash: source.spec.scenarioHash,
        seed: source.spec.seed,
        compare: false,
        sims: [
          { label: `${label} as it was`, policy: base.policy },
          { label: `${label} + ${changeWords(change)} at ${source.calendar.format(t)}`.slice(0, 200), policy: base.policy },
        ],
        createdAt: now,
        presenterTokenSha256: sha256(token),
      },
      { speed: source.status().speed, playing: false },
      { log, position: { t, playing: false, speed: source.status().speed, stateHash: null, savedAt: now } },
    );
    const text = this.scenarioTexts.get(source.id) ?? JSON.stringify(source.spec.scenario);
    this.options.store?.create(session.manifest(), text);
    this.add(session);
    this.scenarioTexts.set(session.id, text);
    if (creator !== undefined) this.creators.set(session.id, creator);
    return { session, presenterToken: token };
  }

  /** Live sessions created by requests from `address`. */
  createdBy(address: string): number {
    let n = 0;
    for (const creator of this.creators.values()) if (creator === address) n++;
    return n;
  }

  get(id: unknown): LiveSession | undefined {
    return typeof id === "string" ? this.sessions.get(id) : undefined;
  }

  list(): LiveSession[] {
    return [...this.sessions.values()];
  }

  /**
   * A new presenter token for a session (the old one stops working), saved as its hash like the first:
   * for a presenter who lost the link, since the server keeps only hashes and cannot print a token again.
   */
  reissueToken(session: LiveSession): string {
    const token = newToken();
    session.spec.presenterTokenSha256 = sha256(token);
    session.persist();
    return token;
  }

  /** Does `token` present session `session`? Compared as hashes, in constant time. */
  isPresenter(session: LiveSession, token: string): boolean {
    return timingSafeEqual(Buffer.from(sha256(token), "hex"), Buffer.from(session.spec.presenterTokenSha256, "hex"));
  }

  /** End a session and forget its manifest. */
  remove(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    this.creators.delete(id);
    this.watchedAt.delete(id);
    this.finishedAt.delete(id);
    this.scenarioTexts.delete(id);
    this.options.store?.remove(id);
    this.transport?.ended(session);
    // A worker-hosted session's thread ends here, and its heap with it.
    session.dispose().catch(() => {});
    return true;
  }

  /** Tick every session, sharing the work budget; a session that throws is halted, never the server. */
  tick(): void {
    const { clock, tickBudgetMs } = this.options;
    const sessions = this.list();
    const share = tickShare(tickBudgetMs, sessions);
    for (const session of sessions) {
      try {
        session.tick(clock.now() + share);
        this.transport?.afterTick(session);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        session.halt(`internal error: ${message}`);
        this.options.log(`session ${session.id} halted after an error: ${message}`);
      }
    }
    this.expire();
  }

  /** End the sessions no client has watched for the TTL, and those that finished that long ago. */
  private expire(): void {
    const ttl = this.options.sessionTtlMs;
    const now = this.options.clock.now();
    for (const session of this.list()) {
      if (session.viewers > 0) this.watchedAt.set(session.id, now);
      if (session.status().finished && !session.seeking) {
        if (!this.finishedAt.has(session.id)) this.finishedAt.set(session.id, now);
      } else this.finishedAt.delete(session.id);
      if (ttl === null || ttl === undefined) continue;
      const unwatched = now - (this.watchedAt.get(session.id) ?? now);
      const finished = now - (this.finishedAt.get(session.id) ?? now);
      if (unwatched < ttl && finished < ttl) continue;
      const why = unwatched >= ttl ? `no client for ${Math.round(unwatched / 60_000)} min` : `finished ${Math.round(finished / 60_000)} min ago`;
      this.options.log(`session ${session.id} expired: ${why} (session TTL ${Math.round(ttl / 60_000)} min)`);
      this.remove(session.id);
    }
  }

  /** One work pass for every seeking session (between ticks); true while any is still seeking. */
  work(): boolean {
    const { clock, tickBudgetMs } = this.options;
    const seeking = this.list().filter((s) => s.seeking);
    const share = Math.max(2, tickBudgetMs / Math.max(1, seeking.length));
    let more = false;
    for (const session of seeking) {
      try {
        more = session.work(clock.now() + share) || more;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        session.halt(`internal error: ${message}`);
        this.options.log(`session ${session.id} halted after an error: ${message}`);
      }
    }
    return more;
  }

  /** Save every session's manifest and end the worker threads (at shutdown); the sessions stay listed. */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    await Promise.all(sessions.map((s) => s.flush()));
    await Promise.all(sessions.map((s) => s.dispose()));
  }

  /** Rebuild every stored session, paused at its saved minute; returns how many came back. */
  restoreAll(): number {
    const store = this.options.store;
    if (!store) return 0;
    const { sessions, skipped } = store.loadAll();
    for (const s of skipped) this.options.log(`stored session ${s.name} skipped: ${s.reason}`);
    let restored = 0;
    for (const { manifest, scenarioText } of sessions) {
      if (this.sessions.size >= this.options.maxSessions) {
        this.options.log(`stored session ${manifest.id} not restored: the server holds its limit of ${this.options.maxSessions} sessions`);
        continue;
      }
      const session = this.rebuild(manifest, scenarioText);
      if (session) restored++;
    }
    return restored;
  }

  private rebuild(manifest: Manifest, scenarioText: string): LiveSession | null {
    // Its workload was checked (perhaps against a raised maxOrders) when it was created; the hash below proves it is the same scenario.
    const loaded = parseScenarioText(scenarioText, { maxOrders: Number.POSITIVE_INFINITY });
    if (!loaded.ok || scenarioHash(loaded.scenario) !== manifest.scenario.hash) {
      this.options.log(`stored session ${manifest.id} not restored: its scenario no longer validates to hash ${manifest.scenario.hash}`);
      return null;
    }
    const session = this.open(
      {
        id: manifest.id,
        scenario: loaded.scenario,
        scenarioName: manifest.scenario.name,
        scenarioHash: manifest.scenario.hash,
        seed: manifest.seed,
        compare: manifest.compare,
        sims: manifest.sims.map((s) => ({ label: s.label, policy: Object.freeze({ ...s.policy }) })),
        createdAt: manifest.createdAt,
        presenterTokenSha256: manifest.presenterTokenSha256,
      },
      { speed: manifest.position.speed, playing: false },
      { log: manifest.commands, position: manifest.position },
    );
    this.add(session);
    this.scenarioTexts.set(session.id, scenarioText);
    return session;
  }

  /** A session on this thread or on a worker of its own, rebuilt from a log when one is given. */
  private open(spec: SessionSpec, start: { speed: number; playing: boolean }, restore: { log: Manifest["commands"]; position: Manifest["position"] } | null): LiveSession {
    const { isolation, maxEventsPerSession, clock, log } = this.options;
    if (isolation) return new IsolatedSession(spec, { ...start, restore }, { ...isolation, maxEvents: maxEventsPerSession }, log);
    const session = new Session(spec, clock, { ...start, maxEvents: maxEventsPerSession });
    if (restore) session.restore(restore.log, restore.position);
    return session;
  }

  private add(session: LiveSession): void {
    this.sessions.set(session.id, session);
    this.watchedAt.set(session.id, this.options.clock.now());
    session.output = {
      delta: (frame) => this.transport?.delta(session, frame),
      reset: () => this.transport?.reset(session),
      persist: (manifest) => {
        if (!this.options.store || !this.sessions.has(session.id)) return;
        try {
          this.options.store.save(manifest);
        } catch (error) {
          this.options.log(`session ${session.id}: manifest not saved: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    };
  }
}
