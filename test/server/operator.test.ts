// Who may create: with an operator token set (as it is whenever the server listens beyond loopback),
// creating and deleting sessions needs it and the operator may end any session; one client address
// holds a limited number of sessions; a session nobody watches, or that finished, ends after the TTL;
// paused and finished sessions take no share of the tick budget.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/live/clock.ts";
import { tickShare } from "../../server/live/registry.ts";
import type { CreateSessionResponse } from "../../server/protocol.ts";
import { startServer, type RunningServer, type ServerOptions } from "../../server/server.ts";
import { createSessionRequest, readOperatorToken } from "../../client/src/session-choice.ts";
import { exampleScenario, harness } from "./helpers.ts";
import { connect, waitFor } from "./live-client.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions>): Promise<{ s: RunningServer; clock: ManualClock }> {
  const clock = new ManualClock();
  server = await startServer({ port: 0, scenariosDir, dataDir: null, clock, tickIntervalMs: null, log: () => {}, ...options });
  return { s: server, clock };
}

async function api(s: RunningServer, path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(new URL(path, s.url), { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

const create = (s: RunningServer, token?: string) => api(s, "/api/sessions", { method: "POST", body: JSON.stringify({ scenario: "single-store-base-stock" }), token });

describe("the operator token", () => {
  it("is needed to create, and ends any session", async () => {
    const { s } = await start({ operatorToken: "operator-secret", maxSessionsPerClient: 4 });
    expect(s.operatorToken).toBe("operator-secret");
    const anonymous = await create(s);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message).toContain("operator token");
    expect((await create(s, "guess")).status).toBe(403);
    const created = await create(s, "operator-secret");
    expect(created.status).toBe(201);
    const { session, presenterToken } = created.body as CreateSessionResponse;
    // A presenter ends their own session; the operator any; nobody else.
    const other = (await create(s, "operator-secret")).body as CreateSessionResponse;
    expect((await api(s, `/api/sessions/${other.session.id}`, { method: "DELETE", token: presenterToken })).status).toBe(403);
    expect((await api(s, `/api/sessions/${other.session.id}`, { method: "DELETE", token: "operator-secret" })).status).toBe(204);
    expect((await api(s, `/api/sessions/${session.id}`, { method: "DELETE", token: presenterToken })).status).toBe(204);
    expect(s.registry.size).toBe(0);
  });

  it("reaches the server from the page: the #operator= link's token goes with the page's start request", async () => {
    const { s } = await start({ operatorToken: "operator-secret-0", maxSessionsPerClient: 4 });
    // What serve prints beyond loopback, and what the page reads from it and sends.
    const link = new URL(`${s.url}#operator=${s.operatorToken}`);
    const token = readOperatorToken(link.hash);
    expect(token).toBe("operator-secret-0");
    const body = { scenario: "single-store-base-stock", compare: false };
    expect((await fetch(new URL("/api/sessions", s.url), createSessionRequest(body, null))).status).toBe(401);
    expect((await fetch(new URL("/api/sessions", s.url), createSessionRequest(body, "typed-wrong"))).status).toBe(403);
    const res = await fetch(new URL("/api/sessions", s.url), createSessionRequest(body, token));
    expect(res.status).toBe(201);
    expect(((await res.json()) as CreateSessionResponse).presenterToken).toMatch(/^[\w-]{32}$/);
  });

  it("is not needed on loopback unless set", async () => {
    const { s } = await start({});
    expect(s.operatorToken).toBeNull();
    expect((await create(s)).status).toBe(201);
  });
});

describe("the per-address limit", () => {
  it("refuses a client address its third session with 429, and lets it create again after ending one", async () => {
    const { s } = await start({ maxSessions: 4, maxSessionsPerClient: 2 });
    const first = (await create(s)).body as CreateSessionResponse;
    expect((await create(s)).status).toBe(201);
    const third = await create(s);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe("rate-limited");
    expect(third.body.error.message).toContain("already holds 2 session(s)");
    await api(s, `/api/sessions/${first.session.id}`, { method: "DELETE", token: first.presenterToken });
    expect((await create(s)).status).toBe(201);
  });
});

describe("expiry", () => {
  it("ends a session nobody has watched for the TTL, and keeps a watched one", async () => {
    const { s, clock } = await start({ sessionTtlMs: 60_000 });
    const unwatched = (await create(s)).body as CreateSessionResponse;
    const watched = (await create(s)).body as CreateSessionResponse;
    const viewer = await connect(s.url, { sessionId: watched.session.id });
    await waitFor(() => viewer.snapshots.length > 0, "the first snapshot");
    clock.advance(30_000);
    s.tick();
    expect(s.registry.size).toBe(2);
    clock.advance(31_000);
    s.tick();
    expect(s.registry.get(unwatched.session.id)).toBeUndefined();
    expect(s.registry.get(watched.session.id)).toBeDefined();
    expect((await api(s, `/api/sessions/${unwatched.session.id}`)).status).toBe(404);
    viewer.socket.close();
  });

  it("ends a finished session after the TTL even while it is watched", async () => {
    const { s, clock } = await start({ sessionTtlMs: 60_000 });
    const created = (await create(s)).body as CreateSessionResponse;
    const presenter = await connect(s.url, { sessionId: created.session.id, token: created.presenterToken });
    await waitFor(() => presenter.snapshots.length > 0, "the first snapshot");
    presenter.socket.emit("command", { type: "seek", t: created.session.status.horizon });
    const session = s.registry.get(created.session.id)!;
    await waitFor(() => session.queuedCommands > 0, "the seek to arrive");
    for (let i = 0; i < 1000 && !(session.status().finished && !session.seeking); i++) {
      s.tick();
      s.registry.work();
    }
    expect(session.status().finished).toBe(true);
    clock.advance(1000);
    s.tick();
    expect(s.registry.size).toBe(1);
    clock.advance(60_000);
    s.tick();
    expect(s.registry.size).toBe(0);
    await waitFor(() => presenter.disconnected !== null, "the presenter to be let go");
  });
});

describe("the tick budget", () => {
  it("is shared only by sessions that are playing or seeking", () => {
    const scenario = exampleScenario("single-store-base-stock");
    const paused = [harness(scenario).session, harness(scenario).session];
    const playing = [harness(scenario, { playing: true }).session, harness(scenario, { playing: true }).session];
    expect(tickShare(20, paused)).toBe(20);
    expect(tickShare(20, [...paused, playing[0]])).toBe(20);
    expect(tickShare(20, [...paused, ...playing])).toBe(10);
    const finished = harness(scenario, { playing: true });
    finished.send({ type: "seek", t: finished.session.status().horizon });
    for (let i = 0; i < 1000 && finished.session.seeking; i++) finished.session.work(Infinity);
    expect(finished.session.status().finished).toBe(true);
    expect(tickShare(20, [finished.session, playing[0]])).toBe(20);
  });
});
