// The REST API (JSON under /api) and the page at `/`: wiring only. Every body and query string goes
// through a schema; every failure becomes `{ error: { code, message } }` with a status, never a stack.
import { createHash, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { describeScenarioNetwork, findDuplicateKeys, formatPath, localPlusMinutes, OMNITWIN_VERSION, parsePolicy, parseScenarioText, PolicyError, scenarioWarnings, validateScenario, type Intervention } from "../sim/index.ts";
import { checkIntervention, createSessionSchema, describeIssues, forkSchema, SESSION_ID_PATTERN, simQuerySchema } from "./live/inbound.ts";
import { BasemapBoxError, basemapQuerySchema } from "./basemap/basemap.ts";
import { BasemapUnavailableError, type BasemapHost } from "./basemap/basemap-host.ts";
import type { SessionRegistry } from "./live/registry.ts";
import type { LiveSession as Session } from "./live/live-session.ts";
import type { OriginPolicy } from "./origin.ts";
import { ERROR_CODES, type CreateSessionResponse, type ErrorCode, type ErrorPayload } from "./protocol.ts";
import type { ScenarioCatalog } from "./scenarios.ts";
import { statusPage } from "./status-page.ts";

/** Largest JSON body (an inline scenario is ~20 kB). */
export const JSON_BODY_LIMIT = "512kb";

export interface HttpContext {
  registry: SessionRegistry;
  catalog: ScenarioCatalog;
  /** Cuts the basemap of a box off the server's thread. */
  basemap: BasemapHost;
  origins: OriginPolicy;
  /** A built map client (index.html inside), served instead of the status page; null for none. */
  clientDir: string | null;
  /** SHA-256 (hex) of the operator token creating and deleting sessions needs; null when none is needed. */
  operatorTokenSha256: string | null;
  /** Sessions one client address may hold at once. */
  maxSessionsPerClient: number;
  /** Serve the render benchmark's page (bench.html) from the client build: only for `npm run bench:render`. */
  serveBenchPage?: boolean;
  /** Express's trust proxy: HTTPS is then read from X-Forwarded-Proto of the declared proxy. */
  trustProxy?: boolean | number | string;
  log(line: string): void;
}

/** A request whose JSON body's raw bytes were kept by the body parser. */
type RawBodyRequest = Request & { rawBody?: Buffer };

function fail(res: Response, status: number, code: ErrorCode, message: string, extra: Partial<ErrorPayload> = {}): void {
  res.status(status).json({ error: { code, message, ...extra } });
}

/** The session named in the path, or a 404 already sent. */
function sessionOf(ctx: HttpContext, req: Request, res: Response): Session | null {
  const id = req.params.id;
  const session = typeof id === "string" && SESSION_ID_PATTERN.test(id) ? ctx.registry.get(id) : undefined;
  if (!session) fail(res, 404, ERROR_CODES.sessionNotFound, "no session with that id");
  return session ?? null;
}

function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  return typeof h === "string" && h.startsWith("Bearer ") && h.length <= 300 ? h.slice(7) : null;
}

/** Does the request carry the operator token? Compared as hashes, in constant time. */
function isOperator(ctx: HttpContext, req: Request): boolean {
  const token = bearer(req);
  if (ctx.operatorTokenSha256 === null || token === null) return false;
  return timingSafeEqual(createHash("sha256").update(token).digest(), Buffer.from(ctx.operatorTokenSha256, "hex"));
}

/** Downloads are for finished runs; the summary-so-far route serves running ones. */
function finishedSim(ctx: HttpContext, req: Request, res: Response): { session: Session; sim: number } | null {
  const session = sessionOf(ctx, req, res);
  if (!session) return null;
  const q = simQuerySchema.safeParse(req.query);
  if (!q.success || q.data.sim >= session.simCount) {
    fail(res, 400, ERROR_CODES.badMessage, `sim must be a whole number below ${session.simCount}`);
    return null;
  }
  if (!session.status().finished || session.seeking) {
    fail(res, 409, ERROR_CODES.notFinished, "the run has not reached its horizon; GET …/summary for the summary so far");
    return null;
  }
  return { session, sim: q.data.sim };
}

/** A session's answer, or null with a 409 sent when its worker stopped (the session halted) meanwhile. */
async function answer<T>(res: Response, session: Session, ask: () => T | Promise<T>): Promise<T | null> {
  try {
    return await ask();
  } catch (error) {
    if (!session.isolated) throw error;
    fail(res, 409, ERROR_CODES.busy, `the session cannot answer: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

function attachment(res: Response, session: Session, sim: number, file: string): void {
  const name = `${session.spec.scenario.id}-${session.info().sims[sim].label.replace(/[^a-zA-Z0-9._-]/g, "_")}-${file}`;
  res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
}

/** The express app. */
export function createApp(ctx: HttpContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.trustProxy ?? false);
  // HSTS and upgrade-insecure-requests only where the request came over HTTPS (directly, or through a
  // proxy the operator declared with trust proxy): over plain HTTP they would tell browsers to use an
  // HTTPS this server does not offer, pinning them out of it for HSTS's year.
  const overHttps = helmet();
  const overHttp = helmet({ strictTransportSecurity: false, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.use((req, res, next) => (req.secure ? overHttps : overHttp)(req, res, next));
  app.use((req, res, next) => (ctx.origins.hostAllowed(req.headers.host) ? next() : fail(res, 403, ERROR_CODES.forbidden, "this Host is not served")));
  // The raw text is kept so an inline scenario's repeated keys (which JSON.parse drops silently) are refused.
  app.use("/api", express.json({ limit: JSON_BODY_LIMIT, strict: true, verify: (req, _res, raw) => void ((req as RawBodyRequest).rawBody = raw) }));

  app.get("/api/health", (_req, res) => {
    res.json({ ok: true, version: OMNITWIN_VERSION, sessions: ctx.registry.size, maxSessions: ctx.registry.maxSessions });
  });

  app.get("/api/scenarios", (_req, res) => {
    res.json({ scenarios: ctx.catalog.list() });
  });

  app.get("/api/scenarios/:name", (req, res) => {
    const entry = ctx.catalog.load(req.params.name);
    if (!entry) return fail(res, 404, ERROR_CODES.scenarioNotFound, "no scenario by that name; GET /api/scenarios lists them");
    if (!entry.result.ok) return fail(res, 422, ERROR_CODES.badScenario, "the scenario file does not validate", { problems: entry.result.problems });
    res.json({ name: entry.name, scenario: entry.result.scenario, network: describeScenarioNetwork(entry.result.scenario) });
  });

  // The basemap of a region (server/basemap/): cut once per box on the basemap's worker thread, cached,
  // served with a long max-age. Waiting for it never holds up other requests.
  app.get("/api/basemap", async (req, res) => {
    const q = basemapQuerySchema.safeParse(req.query);
    if (!q.success) return fail(res, 400, ERROR_CODES.badMessage, `west, south, east and north are needed, in degrees: ${describeIssues(q.error)}`);
    try {
      const text = await ctx.basemap.json(q.data);
      res.setHeader("Cache-Control", "public, max-age=86400");
      res.type("application/json").send(text);
    } catch (error) {
      if (error instanceof BasemapBoxError) return fail(res, 400, ERROR_CODES.badMessage, error.message);
      if (error instanceof BasemapUnavailableError) return fail(res, 503, ERROR_CODES.internal, error.message);
      throw error;
    }
  });

  app.post("/api/sessions", (req, res) => {
    if (ctx.operatorTokenSha256 !== null && !isOperator(ctx, req)) {
      if (bearer(req) === null) return fail(res, 401, ERROR_CODES.unauthorized, "creating a session needs the operator token (printed when the server started) as Authorization: Bearer <token>");
      return fail(res, 403, ERROR_CODES.forbidden, "that is not the operator token");
    }
    const address = req.socket.remoteAddress ?? "unknown";
    if (ctx.registry.size >= ctx.registry.maxSessions) return fail(res, 503, ERROR_CODES.sessionLimit, `the server holds its limit of ${ctx.registry.maxSessions} sessions; end one first`);
    if (ctx.registry.createdBy(address) >= ctx.maxSessionsPerClient)
      return fail(res, 429, ERROR_CODES.rateLimited, `this address already holds ${ctx.maxSessionsPerClient} session(s); end one first`);
    const body = createSessionSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, ERROR_CODES.badMessage, describeIssues(body.error));
    const b = body.data;
    let policy;
    try {
      policy = b.policy === undefined ? undefined : parsePolicy(b.policy);
    } catch (error) {
      if (error instanceof PolicyError) return fail(res, 400, ERROR_CODES.badPolicy, error.message);
      throw error;
    }
    let scenarioName: string | null = null;
    let text: string;
    let loaded;
    if (typeof b.scenario === "string") {
      const entry = ctx.catalog.load(b.scenario);
      if (!entry) return fail(res, 404, ERROR_CODES.scenarioNotFound, "no scenario by that name; GET /api/scenarios lists them");
      scenarioName = entry.name;
      text = entry.text;
      loaded = b.maxOrders === undefined ? entry.result : parseScenarioText(entry.text, { maxOrders: b.maxOrders });
    } else {
      const raw = (req as RawBodyRequest).rawBody;
      const repeated = raw === undefined ? [] : findDuplicateKeys(raw.toString("utf8")).filter((d) => d.path[0] === "scenario");
      if (repeated.length > 0) {
        const problems = repeated.map((d) => ({ path: formatPath(d.path.slice(1)), message: "is written twice in the same object; JSON would silently keep only the last value, so remove or rename one of them" }));
        return fail(res, 422, ERROR_CODES.badScenario, "the scenario does not validate", { problems });
      }
      text = JSON.stringify(b.scenario);
      loaded = validateScenario(b.scenario, { maxOrders: b.maxOrders });
    }
    if (!loaded.ok) return fail(res, 422, ERROR_CODES.badScenario, "the scenario does not validate", { problems: loaded.problems.slice(0, 50) });
    let created;
    try {
      created = ctx.registry.create({ scenario: loaded.scenario, scenarioName, scenarioText: text, policy, compare: b.compare, seed: b.seed, speed: b.speed, play: b.play, creator: address });
    } catch (error) {
      // The data directory filled up or went read-only after start: the machine's trouble, not the request's.
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== "string") throw error;
      ctx.log(`session not created: cannot record it in the data directory: ${code} (${(error as Error).message})`);
      return fail(res, 503, ERROR_CODES.internal, `the server cannot record a new session (${code}); try again later`);
    }
    if (!created) return fail(res, 503, ERROR_CODES.sessionLimit, `the server holds its limit of ${ctx.registry.maxSessions} sessions; end one first`);
    const reply: CreateSessionResponse = { session: created.session.info(), presenterToken: created.presenterToken, warnings: scenarioWarnings(loaded.scenario) };
    res.status(201).json(reply);
  });

  // A fork: the session's presenter (or the operator) starts a new pair from its current minute.
  app.post("/api/sessions/:id/fork", (req, res) => {
    const source = sessionOf(ctx, req, res);
    if (!source) return;
    const token = bearer(req);
    if (token === null) return fail(res, 401, ERROR_CODES.unauthorized, "forking needs the session's presenter token as Authorization: Bearer <token>");
    if (!ctx.registry.isPresenter(source, token) && !isOperator(ctx, req)) return fail(res, 403, ERROR_CODES.forbidden, "that is not this session's presenter token");
    if (source.seeking) return fail(res, 409, ERROR_CODES.busy, "the session is seeking; fork when it is done");
    const address = req.socket.remoteAddress ?? "unknown";
    if (ctx.registry.size >= ctx.registry.maxSessions) return fail(res, 503, ERROR_CODES.sessionLimit, `the server holds its limit of ${ctx.registry.maxSessions} sessions; end one first`);
    if (ctx.registry.createdBy(address) >= ctx.maxSessionsPerClient)
      return fail(res, 429, ERROR_CODES.rateLimited, `this address already holds ${ctx.maxSessionsPerClient} session(s); end one first`);
    const body = forkSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, ERROR_CODES.badMessage, describeIssues(body.error));
    const sim = body.data.sim ?? 0;
    if (sim >= source.simCount) return fail(res, 400, ERROR_CODES.badMessage, `sim must be below ${source.simCount}`);
    const { scenario } = source.spec;
    const t = source.status().t;
    const at = localPlusMinutes(scenario.start, Math.floor(t), "seconds")!;
    const change = body.data.change;
    let intervention: Intervention;
    if (change.type === "lever") intervention = { type: "lever", at, lever: change.lever, on: change.on };
    else {
      const checked = checkIntervention(scenario, change.intervention, at);
      if (!checked.ok) return fail(res, 422, ERROR_CODES.badIntervention, checked.problems[0].message, { problems: checked.problems });
      intervention = checked.intervention;
    }
    const created = ctx.registry.fork(source, sim, intervention, change.type, address);
    if (!created) return fail(res, 503, ERROR_CODES.sessionLimit, `the server holds its limit of ${ctx.registry.maxSessions} sessions; end one first`);
    // A fork runs its source's scenario: the same warnings, said again where the new session is handed out.
    const reply: CreateSessionResponse = { session: created.session.info(), presenterToken: created.presenterToken, warnings: scenarioWarnings(scenario) };
    res.status(201).json(reply);
  });

  app.get("/api/sessions", (_req, res) => {
    res.json({ sessions: ctx.registry.list().map((s) => s.info()) });
  });

  app.get("/api/sessions/:id", (req, res) => {
    const session = sessionOf(ctx, req, res);
    if (session) res.json(session.info());
  });

  app.delete("/api/sessions/:id", (req, res) => {
    const session = sessionOf(ctx, req, res);
    if (!session) return;
    const token = bearer(req);
    if (token === null) return fail(res, 401, ERROR_CODES.unauthorized, "send the presenter (or operator) token as Authorization: Bearer <token>");
    // The operator may end any session; a presenter only their own.
    if (!ctx.registry.isPresenter(session, token) && !isOperator(ctx, req)) return fail(res, 403, ERROR_CODES.forbidden, "that is not this session's presenter token");
    ctx.registry.remove(session.id);
    res.status(204).end();
  });

  // A worker-hosted session answers these by message, so they may wait; a halted one has nothing to say.
  app.get("/api/sessions/:id/summary", async (req, res) => {
    const session = sessionOf(ctx, req, res);
    if (!session) return;
    if (session.seeking) return fail(res, 409, ERROR_CODES.busy, "the session is seeking; ask again when it is done");
    const sims = await answer(res, session, () => session.summaries());
    if (sims) res.json({ status: session.status(), sims });
  });

  app.get("/api/sessions/:id/summary.json", async (req, res) => {
    const found = finishedSim(ctx, req, res);
    if (!found) return;
    const sims = await answer(res, found.session, () => found.session.summaries());
    if (!sims) return;
    attachment(res, found.session, found.sim, "summary.json");
    res.type("application/json").send(`${JSON.stringify(sims[found.sim].summary, null, 2)}\n`);
  });

  app.get("/api/sessions/:id/timeseries.csv", async (req, res) => {
    const found = finishedSim(ctx, req, res);
    if (!found) return;
    const csv = await answer(res, found.session, () => found.session.timeseriesCsv(found.sim));
    if (csv === null) return;
    attachment(res, found.session, found.sim, "timeseries.csv");
    res.type("text/csv").send(csv);
  });

  app.get("/api/sessions/:id/report.html", async (req, res) => {
    const found = finishedSim(ctx, req, res);
    if (!found) return;
    // Rendered where the sims are (a worker-hosted session's thread), so the page never weighs on this one.
    const html = await answer(res, found.session, () => found.session.reportHtml(found.sim));
    if (html === null) return;
    attachment(res, found.session, found.sim, "report.html");
    res.type("html").send(html);
  });

  app.use("/api", (_req, res) => fail(res, 404, ERROR_CODES.notFound, "no such API route"));

  // The built map client when there is one (looked up per request, so a build while serving is picked up);
  // otherwise `/` is the status page.
  // The render benchmark's page is part of the client build but not of the product.
  if (!ctx.serveBenchPage) app.get(/^\/bench(\.html)?$/, (_req, res) => fail(res, 404, ERROR_CODES.notFound, "not found"));
  if (ctx.clientDir) app.use(express.static(ctx.clientDir, { index: "index.html" }));
  app.get("/", (_req, res) => void res.type("html").send(statusPage(ctx.registry.list().map((s) => s.info()), OMNITWIN_VERSION)));
  app.use((_req, res) => fail(res, 404, ERROR_CODES.notFound, "not found"));

  // Body-parser and URL errors carry a 4xx status; anything else is our fault: log it, say little.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = error as { status?: number; type?: string; message?: string };
    if (res.headersSent) return void res.end();
    if (e.type === "entity.too.large") return fail(res, 413, ERROR_CODES.payloadTooLarge, `the body is larger than ${JSON_BODY_LIMIT}`);
    if (e.type === "entity.parse.failed") return fail(res, 400, ERROR_CODES.badJson, "the body is not valid JSON");
    if (typeof e.status === "number" && e.status >= 400 && e.status < 500) return fail(res, e.status, ERROR_CODES.badMessage, "the request could not be read");
    ctx.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    fail(res, 500, ERROR_CODES.internal, "internal error; the server log has the details");
  });
  return app;
}
