// Schemas for everything a client sends: socket commands, the handshake `auth`, REST bodies and
// query strings, and injected interventions (checked against the session's scenario). Nothing a
// client sends is used before it passes through here.
import { z } from "zod";
import { DEFAULT_MAX_ORDERS, estimateWorkload, LEVERS, validateScenario, type Intervention, type Scenario } from "../../sim/index.ts";
import { LIMITS, type Command } from "../protocol.ts";

/** Session ids are made by the server: 16 URL-safe base64 characters. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;
/** Largest seed: the named random streams are seeded from an unsigned 32-bit number. */
export const MAX_SEED = 2 ** 32 - 1;

const ref = z.union([z.string().max(64), z.number().int()]).optional();
const simIndex = z.number().int().min(0).max(1).optional();

/** A presenter command. */
export const commandSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("play"), ref }),
  z.strictObject({ type: z.literal("pause"), ref }),
  z.strictObject({ type: z.literal("speed"), simMinutesPerSecond: z.number().positive().max(LIMITS.maxSpeed), ref }),
  z.strictObject({ type: z.literal("step"), minutes: z.number().positive().max(LIMITS.maxStepMinutes), ref }),
  z.strictObject({ type: z.literal("seek"), t: z.number().min(0), ref }),
  z.strictObject({ type: z.literal("inject"), intervention: z.record(z.string(), z.unknown()), sim: simIndex, ref }),
  z.strictObject({ type: z.literal("lever"), lever: z.enum(LEVERS), on: z.boolean(), sim: simIndex, ref }),
  z.strictObject({ type: z.literal("held"), keep: z.boolean(), ref }),
]);

/** POST /api/sessions/:id/fork: which sim to fork and the change its twin gets at the fork minute. */
export const forkSchema = z.strictObject({
  sim: simIndex,
  change: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("lever"), lever: z.enum(LEVERS), on: z.boolean() }),
    z.strictObject({ type: z.literal("inject"), intervention: z.record(z.string(), z.unknown()) }),
  ]),
});

/** The socket.io handshake `auth`: exactly these keys (an extra one is refused, like everywhere else). */
export const handshakeSchema = z.strictObject({
  sessionId: z.string().regex(SESSION_ID_PATTERN, "sessionId is not a session id"),
  token: z.string().min(1).max(200).optional(),
});

/** POST /api/sessions. */
export const createSessionSchema = z
  .strictObject({
    scenario: z.union([z.string().min(1).max(100), z.record(z.string(), z.unknown())]),
    policy: z.string().max(200).optional(),
    compare: z.boolean().optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    speed: z.number().positive().max(LIMITS.maxSpeed).optional(),
    play: z.boolean().optional(),
    /** Raise the scenario's workload limit (expected customers over the horizon); see docs/scenario-format.md. */
    maxOrders: z.number().int().min(1).max(1e12).optional(),
  })
  .refine((b) => !(b.compare && b.policy !== undefined), { message: "give policy or compare, not both", path: ["policy"] });
export type CreateSessionBody = z.output<typeof createSessionSchema>;

/**
 * ?sim=N on download routes: plain decimal digits only. Coercing with Number() read "0x1", "1e0",
 * " 1" and "" as numbers, and a repeated ?sim=0&sim=1 arrives as a list.
 */
export const simQuerySchema = z.object({
  sim: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,8})$/, "sim is a whole number written in decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(0).max(1))
    .optional()
    .transform((sim) => sim ?? 0),
});

/** One sentence from a zod error: the first issue's path and message, never the rejected value. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const path = issue.path.map(String).join(".");
  return (path ? `${path}: ${issue.message}` : issue.message).slice(0, 200);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validate a command payload. */
export function parseCommand(payload: unknown): Parsed<Command> {
  const result = commandSchema.safeParse(payload);
  if (!result.success) return { ok: false, message: describeIssues(result.error) };
  return { ok: true, value: result.data as Command };
}

/** An intervention checked against the scenario it is injected into: shape, ids, calendar. */
export type CheckedIntervention = { ok: true; intervention: Intervention } | { ok: false; problems: { path: string; message: string }[] };

/**
 * Complete an injected intervention (`at` defaults to `atNow`) and validate it the way a scenario
 * file's own interventions are validated, so an unknown site, zone or campaign is refused here and
 * never reaches the model.
 */
export function checkIntervention(scenario: Scenario, input: Record<string, unknown>, atNow: string): CheckedIntervention {
  const candidate = { ...input, at: input.at ?? atNow };
  // A surge may not push the run's expected work past the default limit, or past what the session was
  // already allowed when it was created with a higher maxOrders.
  const maxOrders = Math.max(DEFAULT_MAX_ORDERS, estimateWorkload(scenario).orders);
  const result = validateScenario({ ...scenario, interventions: [candidate] }, { maxOrders });
  if (result.ok) return { ok: true, intervention: result.scenario.interventions[0] };
  const prefix = "interventions[0]";
  const own = result.problems.filter((p) => p.path.startsWith(prefix));
  if (own.length > 0) return { ok: false, problems: own.slice(0, 10).map((p) => ({ path: `intervention${p.path.slice(prefix.length)}`, message: p.message })) };
  const why = result.problems[0];
  return { ok: false, problems: [{ path: "intervention", message: `the intervention does not fit this scenario: ${why === undefined ? "" : `${why.path === "" ? "" : `${why.path}: `}${why.message}`}` }] };
}
