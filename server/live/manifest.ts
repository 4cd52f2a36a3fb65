// A session's manifest — scenario hash, seed, policies, every command with the sim minute it applied
// at, and where the session stood — and the store that writes it atomically (temp file, fsync,
// rename) under `<dataDir>/<sessionId>/`. Re-simulating the manifest rebuilds the session exactly.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { interventionSchema, LEVERS, type Lever } from "../../sim/index.ts";
import { SESSION_ID_PATTERN } from "./inbound.ts";

export const MANIFEST_FORMAT = "omnitwin-session/1";
const MANIFEST_FILE = "manifest.json";
const SCENARIO_FILE = "scenario.json";
/** A manifest larger than this is not read back (it would be a corrupt or hostile file). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

const policySchema = z.strictObject(Object.fromEntries(LEVERS.map((l) => [l, z.boolean()])) as Record<Lever, z.ZodBoolean>);
const sims = z.array(z.number().int().min(0).max(1)).min(1).max(2);

/** A command as logged: what it did, with everything re-simulation needs (interventions complete with `at`). */
export const loggedCommandSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("play") }),
  z.strictObject({ type: z.literal("pause") }),
  z.strictObject({ type: z.literal("speed"), simMinutesPerSecond: z.number().positive() }),
  z.strictObject({ type: z.literal("step"), minutes: z.number().positive() }),
  z.strictObject({ type: z.literal("seek"), to: z.number().min(0) }),
  z.strictObject({ type: z.literal("inject"), intervention: interventionSchema, sims }),
  z.strictObject({ type: z.literal("lever"), intervention: interventionSchema, sims }),
  // The presenter's answer to the changes a seek back held (kept ones are logged again at their minutes).
  z.strictObject({ type: z.literal("held"), keep: z.boolean() }),
]);
export type LoggedCommand = z.output<typeof loggedCommandSchema>;

/** One command in the log: its number, the sim minute it applied at, and the wall time it arrived. */
export const logEntrySchema = z.strictObject({
  n: z.number().int().min(0),
  t: z.number().min(0),
  wallAt: z.string().max(40),
  command: loggedCommandSchema,
});
export type LogEntry = z.output<typeof logEntrySchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  omnitwinVersion: z.string().max(40),
  id: z.string().regex(SESSION_ID_PATTERN),
  createdAt: z.string().max(40),
  scenario: z.strictObject({ id: z.string().max(64), name: z.string().max(100).nullable(), hash: z.string().max(64) }),
  seed: z.number().int().min(0),
  compare: z.boolean(),
  sims: z.array(z.strictObject({ label: z.string().max(200), policy: policySchema })).min(1).max(2),
  /** SHA-256 of the presenter token: the token itself is never stored. */
  presenterTokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
  commands: z.array(logEntrySchema),
  position: z.strictObject({
    t: z.number().min(0),
    playing: z.boolean(),
    speed: z.number().positive(),
    /** State hash at t, or null if the manifest was saved mid-seek. */
    stateHash: z.string().max(64).nullable(),
    savedAt: z.string().max(40),
  }),
});
export type Manifest = z.output<typeof manifestSchema>;

/**
 * The commands that change the simulation, in the order they apply, once seeks are taken into
 * account: a seek back to minute s drops every change made after s (the future was rewritten), unless
 * the presenter kept them (then they are logged again, at their minutes).
 */
export function effectiveTimeline(log: readonly LogEntry[]): LogEntry[] {
  let timeline: LogEntry[] = [];
  for (const entry of log) {
    const c = entry.command;
    if (c.type === "seek" && c.to < entry.t) timeline = timeline.filter((e) => e.t <= c.to);
    else if (c.type === "inject" || c.type === "lever") timeline.push(entry);
  }
  // A change the presenter kept after a backward seek is logged again with its own (later) minute, so
  // order by minute; the sort is stable, so changes at one minute keep the order they were logged in.
  return timeline.sort((a, b) => a.t - b.t);
}

let tempCounter = 0;

/** Write a file so that readers see the old or the new contents, never a torn one. */
export function writeFileAtomicSync(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** A session read back from disk. */
export interface StoredSession {
  manifest: Manifest;
  scenarioText: string;
}

/** Where manifests live. Session ids are checked against SESSION_ID_PATTERN before they become a path. */
export class SessionStore {
  constructor(readonly dir: string) {}

  /** Write a new session's scenario text and first manifest. */
  create(manifest: Manifest, scenarioText: string): void {
    const dir = this.sessionDir(manifest.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(join(dir, SCENARIO_FILE), scenarioText);
    writeFileAtomicSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  }

  /** Replace a session's manifest. */
  save(manifest: Manifest): void {
    writeFileAtomicSync(join(this.sessionDir(manifest.id), MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  }

  remove(id: string): void {
    rmSync(this.sessionDir(id), { recursive: true, force: true });
  }

  /** Every readable session; the rest come back as skipped, with the reason. */
  loadAll(): { sessions: StoredSession[]; skipped: { name: string; reason: string }[] } {
    const sessions: StoredSession[] = [];
    const skipped: { name: string; reason: string }[] = [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return { sessions, skipped };
    }
    for (const name of names.sort()) {
      if (!SESSION_ID_PATTERN.test(name)) continue;
      try {
        const text = readFileSync(join(this.dir, name, MANIFEST_FILE), "utf8");
        if (text.length > MAX_MANIFEST_BYTES) throw new Error("manifest too large");
        const parsed = manifestSchema.safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(`manifest does not match ${MANIFEST_FORMAT}`);
        if (parsed.data.id !== name) throw new Error("manifest id does not match its directory");
        sessions.push({ manifest: parsed.data, scenarioText: readFileSync(join(this.dir, name, SCENARIO_FILE), "utf8") });
      } catch (error) {
        skipped.push({ name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return { sessions, skipped };
  }

  private sessionDir(id: string): string {
    if (!SESSION_ID_PATTERN.test(id)) throw new Error(`not a session id: ${JSON.stringify(id)}`);
    return join(this.dir, id);
  }
}
