// The sessions of one server: creation (with its limits: per server and per client address), presenter
// tokens (kept only as hashes), the tick loop that shares one work budget between the sessions that
// are running, expiry of sessions nobody watches or that finished long ago, persistence of
// manifests, and rebuilding every stored session after a restart.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { COORDINATED, parseScenarioText, policyName, scenarioHash, SILOED, type Policy, type Scenario } from "../../sim/index.ts";
import type { Delta } from "../protocol.ts";
import type { WallClock } from "./clock.ts";
import type { Intervention } from "../../sim/index.ts";
import type { Manifest, SessionStore } from "./manifest.ts";
import { Session } from "./session.ts";
import { changeWords, forkLog } from "./timeline.ts";

/** Sim minutes per wall second when a session is created without a speed: an hour a second. */
export const DEFAULT_SPEED = 60;

/** How a session's frames reach its clients (the socket layer). */
export interface SessionTransport {
  delta(session: Session, frame: Delta): void;
  reset(session: Session): void;
  /** The session was removed: tell its clients and let them go. */
  ended(session: Session): void;
  /** Called after every tick, for catching up clients that fell behind. */
  afterTick(session: Session): void;
}

export interface RegistryOptions {
  clock: WallClock;
  store: SessionStore | null;
  maxSessions: number;
  /** Wall ms of simulation work per tick, shared by the sessions that are playing or seeking. */
  tickBudgetMs: number;
  /** Wall ms after which a session no client has watched, or one that finished, is ended; null: never. */
  sessionTtlMs?: number | null;
  log(line: string): void;
}

/**
 * Wall ms of work each running session gets this tick: the budget split between the sessions that
 * are playing or seeking (paused and finished ones have nothing to simulate and take no share), never
 * under 2 ms.
 */
export function tickShare(budgetMs: number, sessions: readonly Session[]): number {
  const running = sessions.filter((s) => s.seeking || (s.status().playing && !s.status().finished)).length;
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
  private readonly sessions = new Map<string, Session>();
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
  create(spec: NewSession): { session: Session; presenterToken: string } | null {
    if (this.sessions.size >= this.options.maxSessions) return null;
    const { clock } = this.options;
    const token = newToken();
    const policy = spec.policy ?? SILOED;
    const session = new Session(
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
      clock,
      { speed: spec.speed ?? DEFAULT_SPEED, playing: spec.play ?? false },
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
  fork(source: Session, sim: number, change: Intervention, kind: "inject" | "lever", creator?: string): { session: Session; presenterToken: string } | null {
    if (this.sessions.size >= this.options.maxSessions) return null;
    const { clock } = this.options;
    const token = newToken();
    const t = source.status().t;
    const base = source.spec.sims[sim];
    const label = base.label.slice(0, 80);
    const session = new Session(
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
        createdAt: new Date(clock.epochMs()).toISOString(),
        presenterTokenSha256: sha256(token),
      },
      clock,
      { speed: source.status().speed, playing: false },
    );
    const log = forkLog(source.commandLog, sim, t, change, kind, new Date(clock.epochMs()).toISOString());
    session.restore(log, { t, playing: false, speed: source.status().speed, stateHash: null, savedAt: new Date(clock.epochMs()).toISOString() });
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

  get(id: unknown): Session | undefined {
    return typeof id === "string" ? this.sessions.get(id) : undefined;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /**
   * A new presenter token for a session (the old one stops working), saved as its hash like the first:
   * for a presenter who lost the link, since the server keeps only hashes and cannot print a token again.
   */
  reissueToken(session: Session): string {
    const token = newToken();
    session.spec.presenterTokenSha256 = sha256(token);
    session.persist();
    return token;
  }

  /** Does `token` present session `session`? Compared as hashes, in constant time. */
  isPresenter(session: Session, token: string): boolean {
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
        session.halt();
        this.options.log(`session ${session.id} halted after an error: ${error instanceof Error ? error.message : String(error)}`);
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
        session.halt();
        this.options.log(`session ${session.id} halted after an error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return more;
  }

  /** Save every session's manifest (at shutdown). */
  persistAll(): void {
    for (const session of this.sessions.values()) session.persist();
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

  private rebuild(manifest: Manifest, scenarioText: string): Session | null {
    // Its workload was checked (perhaps against a raised maxOrders) when it was created; the hash below proves it is the same scenario.
    const loaded = parseScenarioText(scenarioText, { maxOrders: Number.POSITIVE_INFINITY });
    if (!loaded.ok || scenarioHash(loaded.scenario) !== manifest.scenario.hash) {
      this.options.log(`stored session ${manifest.id} not restored: its scenario no longer validates to hash ${manifest.scenario.hash}`);
      return null;
    }
    const session = new Session(
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
      this.options.clock,
      { speed: manifest.position.speed, playing: false },
    );
    session.restore(manifest.commands, manifest.position);
    this.add(session);
    this.scenarioTexts.set(session.id, scenarioText);
    return session;
  }

  private add(session: Session): void {
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
