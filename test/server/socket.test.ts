// A real server on 127.0.0.1 port 0, driven by a ManualClock (ticks by hand, no timer), with real
// socket.io clients: join, snapshot then ordered deltas, presenter vs viewer, a client that falls
// behind, and every class of bad input — each gets an error or a disconnect while the server keeps
// serving the others.
import { mkdtempSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/live/clock.ts";
import type { CreateSessionResponse } from "../../server/protocol.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import { connect, waitFor, type Recorded } from "./live-client.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
let server: RunningServer;
let clock: ManualClock;
let dataDir: string;
/** Socket ids the server should treat as backed up. */
const behind = new Set<string>();
const open: Recorded[] = [];

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const res = await fetch(new URL(path, server.url), init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, text, headers: res.headers };
}

function post(path: string, body: unknown): ReturnType<typeof api> {
  return api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function createSession(body: Record<string, unknown>): Promise<CreateSessionResponse> {
  const r = await post("/api/sessions", body);
  expect(r.status).toBe(201);
  return r.body as CreateSessionResponse;
}

async function joinSession(auth: unknown, options?: Parameters<typeof connect>[2]): Promise<Recorded> {
  const c = await connect(server.url, auth, options);
  open.push(c);
  await waitFor(() => c.snapshots.length > 0, "the first snapshot");
  return c;
}

/** Send a presenter command and wait until the server holds it (it applies at the next tick). */
async function command(client: Recorded, sessionId: string, payload: unknown): Promise<void> {
  const session = server.registry.get(sessionId)!;
  const before = session.queuedCommands;
  client.socket.emit("command", payload);
  await waitFor(() => session.queuedCommands > before, "the command to arrive");
}

/** Let wall time pass and tick the server. */
function tick(ms = 100): void {
  clock.advance(ms);
  server.tick();
}

/** Tick until every client has the frame just sent. */
async function tickAndDeliver(clients: Recorded[], ms = 100): Promise<void> {
  const seqs = clients.map((c) => c.deltas.at(-1)?.seq ?? 0);
  tick(ms);
  await waitFor(() => clients.every((c, i) => (c.deltas.at(-1)?.seq ?? 0) > seqs[i] || c.disconnected !== null), "a delta");
}

beforeAll(async () => {
  clock = new ManualClock();
  dataDir = mkdtempSync(join(tmpdir(), "omnitwin-socket-"));
  server = await startServer({
    port: 0,
    scenariosDir,
    dataDir,
    clock,
    tickIntervalMs: null,
    maxSessions: 3,
    queuedPackets: (socket) => (behind.has(socket.id) ? 1000 : 0),
    log: () => {},
  });
});

afterAll(async () => {
  for (const c of open) c.socket.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("joining and following a session", () => {
  let session: CreateSessionResponse;
  let presenter: Recorded;
  let viewer: Recorded;

  beforeAll(async () => {
    session = await createSession({ scenario: "baseline-week", compare: true, speed: 600 });
    presenter = await joinSession({ sessionId: session.session.id, token: session.presenterToken });
    viewer = await joinSession({ sessionId: session.session.id });
  });

  it("welcomes each client with its role and a full snapshot", () => {
    expect(presenter.welcome[0]).toMatchObject({ role: "presenter", sessionId: session.session.id, protocol: 3 });
    expect(viewer.welcome[0].role).toBe("viewer");
    const snap = viewer.snapshots[0];
    expect(snap.sims.map((s) => s.label)).toEqual(["siloed", "coordinated"]);
    expect(snap.network.sites.length).toBe(13);
    expect(snap.sims[0].cells.length).toBe(13 * 4 * 5);
    expect(snap.status).toMatchObject({ t: 0, playing: false, speed: 600 });
  });

  it("streams numbered deltas in order, continuing from the snapshot's seq", async () => {
    await command(presenter, session.session.id, { type: "play", ref: "go" });
    for (let i = 0; i < 15; i++) await tickAndDeliver([viewer, presenter]);
    expect(presenter.acks).toContainEqual({ type: "play", ref: "go", t: 0 });
    const seqs = viewer.deltas.map((d) => d.seq);
    expect(seqs[0]).toBe(viewer.snapshots[0].seq + 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
    expect(viewer.deltas.at(-1)!.t).toBeCloseTo(15 * 60, 6);
    expect(viewer.deltas.every((d) => d.sims.length === 2)).toBe(true);
    expect(viewer.deltas.flatMap((d) => d.sims[0].shipments).length + viewer.deltas.flatMap((d) => d.sims[0].parcels).length).toBeGreaterThan(0);
  });

  it("refuses control from a viewer with `forbidden`, leaving the session unchanged", async () => {
    const before = (await api(`/api/sessions/${session.session.id}`)).body.stateHash;
    viewer.socket.emit("command", { type: "seek", t: 0, ref: 9 });
    await waitFor(() => viewer.errors.length > 0, "an error");
    expect(viewer.errors[0]).toMatchObject({ code: "forbidden", ref: 9 });
    tick(0);
    expect((await api(`/api/sessions/${session.session.id}`)).body.stateHash).toBe(before);
  });

  it("answers a resync with a snapshot at the latest seq", async () => {
    viewer.socket.emit("resync");
    await waitFor(() => viewer.snapshots.length === 2, "the resync snapshot");
    expect(viewer.snapshots[1].seq).toBe(viewer.deltas.at(-1)!.seq);
  });

  it("leaves a backed-up client out of the deltas, then brings it back with one snapshot", async () => {
    const slow = await joinSession({ sessionId: session.session.id });
    behind.add(slow.socket.id!);
    const seen = slow.deltas.length;
    for (let i = 0; i < 5; i++) await tickAndDeliver([viewer]);
    expect(slow.deltas.length).toBe(seen);
    behind.delete(slow.socket.id!);
    await tickAndDeliver([viewer]);
    await waitFor(() => slow.snapshots.length === 2, "the catch-up snapshot");
    expect(slow.snapshots[1].seq).toBeGreaterThanOrEqual(viewer.deltas.at(-2)!.seq);
    await tickAndDeliver([viewer, slow]);
    expect(slow.deltas.at(-1)!.seq).toBe(viewer.deltas.at(-1)!.seq);
  });

  it("tells clients when their session ends", async () => {
    const doomed = await createSession({ scenario: "single-store-base-stock" });
    const watcher = await joinSession({ sessionId: doomed.session.id });
    expect((await api(`/api/sessions/${doomed.session.id}`, { method: "DELETE" })).status).toBe(401);
    expect((await api(`/api/sessions/${doomed.session.id}`, { method: "DELETE", headers: { authorization: "Bearer nope" } })).status).toBe(403);
    expect((await api(`/api/sessions/${doomed.session.id}`, { method: "DELETE", headers: { authorization: `Bearer ${doomed.presenterToken}` } })).status).toBe(204);
    await waitFor(() => watcher.disconnected !== null, "the disconnect");
    expect(watcher.errors.at(-1)?.code).toBe("session-not-found");
  });

  describe("hostile and careless clients", () => {
    /** After each abuse: the well-behaved viewer still gets the next frame. */
    async function stillServing(): Promise<void> {
      await tickAndDeliver([viewer]);
      expect(viewer.disconnected).toBeNull();
    }

    it("refuses handshakes with a bad auth, an unknown session or a wrong token", async () => {
      await expect(connect(server.url, { sessionId: "../../etc/passwd" })).rejects.toMatchObject({ code: "bad-message" });
      await expect(connect(server.url, { sessionId: 42, token: ["x"] })).rejects.toMatchObject({ code: "bad-message" });
      await expect(connect(server.url, undefined)).rejects.toMatchObject({ code: "bad-message" });
      await expect(connect(server.url, { sessionId: "AAAAAAAAAAAAAAAA" })).rejects.toMatchObject({ code: "session-not-found" });
      await expect(connect(server.url, { sessionId: session.session.id, token: "guess" })).rejects.toMatchObject({ code: "forbidden" });
      await stillServing();
    });

    it("answers malformed payloads and wrong types with bad-message, the session unchanged", async () => {
      const abuser = await joinSession({ sessionId: session.session.id, token: session.presenterToken });
      const before = (await api(`/api/sessions/${session.session.id}`)).body.stateHash;
      const bad: unknown[] = [
        "play",
        null,
        42,
        [{ type: "play" }],
        {},
        { type: "fly" },
        { type: "speed", simMinutesPerSecond: "fast" },
        { type: "speed", simMinutesPerSecond: -5 },
        { type: "speed", simMinutesPerSecond: 1e308 },
        { type: "step", minutes: 0 },
        { type: "seek", t: -1 },
        { type: "seek", t: null },
        { type: "lever", lever: "everything", on: true },
        { type: "lever", lever: "dataPlatform", on: "yes" },
        { type: "inject", intervention: "surge" },
        { type: "play", extra: 1 },
        JSON.parse('{"type":"pause","__proto__":{"polluted":true}}'),
        { type: "inject", intervention: { type: "demand-surge", multiplier: 2, durationHours: 1 }, sim: 5 },
      ];
      for (const payload of bad) abuser.socket.emit("command", payload);
      await waitFor(() => abuser.errors.length === bad.length, "an error per bad payload");
      expect(abuser.errors.map((e) => e.code)).toEqual(bad.map(() => "bad-message"));
      await command(abuser, session.session.id, { type: "inject", intervention: { type: "factory-disruption", site: "../etc", capacityShare: 2, durationHours: 1 }, ref: "x" });
      tick(0);
      await waitFor(() => abuser.errors.length === bad.length + 1, "the intervention error");
      expect(abuser.errors.at(-1)).toMatchObject({ code: "bad-intervention", ref: "x" });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await api(`/api/sessions/${session.session.id}`)).body.stateHash).toBe(before);
      abuser.socket.emit("command", Buffer.from("binary"));
      await waitFor(() => abuser.errors.length === bad.length + 2, "the binary error");
      expect(abuser.errors.at(-1)!.code).toBe("bad-message");
      abuser.socket.close();
      await stillServing();
    });

    it("answers unknown events with unknown-event", async () => {
      const c = await joinSession({ sessionId: session.session.id });
      c.socket.emit("hello", { x: 1 });
      c.socket.emit("__proto__");
      c.socket.emit("constructor");
      await waitFor(() => c.errors.length === 3, "three errors");
      expect(c.errors.map((e) => e.code)).toEqual(["unknown-event", "unknown-event", "unknown-event"]);
      c.socket.close();
      await stillServing();
    });

    it("disconnects a client that sends a reserved event name or a malformed packet", async () => {
      for (const packet of ['42["disconnect"]', '42["connect",{}]', '42["command",{"type":', "4x"]) {
        const c = await joinSession({ sessionId: session.session.id });
        (c.socket.io.engine as unknown as { write(data: string): void }).write(packet);
        await waitFor(() => c.disconnected !== null, `a disconnect after ${packet}`);
      }
      await stillServing();
    });

    it("disconnects a client that sends a message larger than maxHttpBufferSize", async () => {
      const c = await joinSession({ sessionId: session.session.id, token: session.presenterToken });
      c.socket.emit("command", { type: "inject", intervention: { type: "demand-surge", zones: ["x".repeat(100_000)] } });
      await waitFor(() => c.disconnected !== null, "the disconnect");
      await stillServing();
    });

    it("rate-limits a flood, then disconnects it", async () => {
      const c = await joinSession({ sessionId: session.session.id });
      for (let i = 0; i < 100; i++) c.socket.emit("resync");
      await waitFor(() => c.disconnected !== null, "the disconnect");
      expect(c.errors.some((e) => e.code === "rate-limited")).toBe(true);
      expect(c.snapshots.length).toBeLessThanOrEqual(1 + 20);
      await stillServing();
    });

    it("refuses WebSocket upgrades and polling from a foreign Origin or Host", async () => {
      for (const transports of [["websocket"], ["polling"]]) {
        await expect(connect(server.url, { sessionId: session.session.id }, { transports, extraHeaders: { origin: "http://evil.example" } })).rejects.toBeDefined();
        await expect(connect(server.url, { sessionId: session.session.id }, { transports, extraHeaders: { origin: "null" } })).rejects.toBeDefined();
      }
      const own = await joinSession({ sessionId: session.session.id }, { extraHeaders: { origin: server.url.slice(0, -1) } });
      expect(own.welcome[0].role).toBe("viewer");
      // DNS rebinding: a page on attacker.example resolved to 127.0.0.1 sends its own Host.
      const rebound = await new Promise<number>((resolve, reject) =>
        httpGet({ host: "127.0.0.1", port: server.port, path: "/api/sessions", headers: { host: "attacker.example" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on("error", reject),
      );
      expect(rebound).toBe(403);
      await stillServing();
    });
  });
});

describe("REST", () => {
  it("lists scenarios with descriptions and serves one validated", async () => {
    const list = await api("/api/scenarios");
    const names = list.body.scenarios.map((s: { name: string }) => s.name);
    expect(names).toContain("618-promotion");
    expect(names).not.toContain("scenario.schema");
    expect(list.body.scenarios.find((s: { name: string }) => s.name === "618-promotion").description).toMatch(/618/);
    const one = await api("/api/scenarios/baseline-week");
    expect(one.body.scenario.timeseriesIntervalMinutes).toBe(60);
  });

  it("hands out a new session with its scenario's warnings: none for a shipped one, each with its path for a doubtful one", async () => {
    const named = await createSession({ scenario: "baseline-week" });
    expect(named.warnings).toEqual([]);
    const scenario = (await api("/api/scenarios/baseline-week")).body.scenario;
    delete scenario.sites[1].production[2].finishedGoodsCapDays; // fresh food made to stock under the 7-day default
    const inline = await createSession({ scenario });
    expect(inline.warnings).toEqual([{ path: "sites[1].production[2].finishedGoodsCapDays", message: expect.stringContaining("fresh-veg has a shelf life of 3 days") }]);
    for (const s of [named, inline]) await api(`/api/sessions/${s.session.id}`, { method: "DELETE", headers: { authorization: `Bearer ${s.presenterToken}` } });
  });

  it("never lets a scenario name reach the file system", async () => {
    for (const name of ["..%2F..%2Fpackage", "..%2Fpackage.json", "%2E%2E%2Fscenarios%2F618-promotion", "%2Fetc%2Fpasswd", "618-promotion%00", "618-promotion.json", "scenario.schema", "..", "%2e%2e", "C:%5Cwindows%5Cwin.ini", "%252e%252e%252fpackage", "618-promotion%2F"]) {
      const r = await api(`/api/scenarios/${name}`);
      expect([400, 404], name).toContain(r.status);
    }
    for (const scenario of ["../scenarios/618-promotion", "/etc/passwd", "618-promotion\u0000", "scenarios/618-promotion.json", "..\\618-promotion", "618-PROMOTION"]) {
      const r = await post("/api/sessions", { scenario });
      expect(r.status, scenario).toBe(404);
      expect(r.body.error.code).toBe("scenario-not-found");
    }
  });

  it("turns bad bodies into coded errors without stack traces, with security headers", async () => {
    const cases: [RequestInit, number, string][] = [
      [{ method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }, 400, "bad-json"],
      [{ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "x".repeat(600_000) }) }, 413, "payload-too-large"],
      [{ method: "POST", headers: { "content-type": "text/plain" }, body: "scenario=618" }, 400, "bad-message"],
      [{ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "baseline-week", policy: "magic" }) }, 400, "bad-policy"],
      [{ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "baseline-week", seed: -1 }) }, 400, "bad-message"],
      [{ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "baseline-week", compare: true, policy: "siloed" }) }, 400, "bad-message"],
      [{ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: { id: "x", horizonDays: -1 } }) }, 422, "bad-scenario"],
      [{ method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: "zzz" }, 400, "bad-message"],
    ];
    for (const [init, status, code] of cases) {
      const r = await api("/api/sessions", init);
      expect(r.status, code).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(r.text).not.toMatch(/\.ts:\d|node_modules|\n\s+at /);
    }
    const bad = await api("/api/sessions/%E0%A4%A");
    expect([400, 404]).toContain(bad.status);
    expect(bad.text).not.toMatch(/\n\s+at /);
    const page = await api("/");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("x-powered-by")).toBeNull();
    expect(page.text).toContain("map client is not built");
  });

  it("holds the session limit, serves the summary so far, and downloads only finished runs", async () => {
    const created = await createSession({ scenario: "single-store-base-stock", policy: "coordinated", seed: 7 });
    const fillers: CreateSessionResponse[] = [];
    while ((await api("/api/health")).body.sessions < 3) fillers.push(await createSession({ scenario: "single-store-base-stock" }));
    const limit = await post("/api/sessions", { scenario: "baseline-week" });
    expect(limit.status).toBe(503);
    expect(limit.body.error.code).toBe("session-limit");
    for (const f of fillers) await api(`/api/sessions/${f.session.id}`, { method: "DELETE", headers: { authorization: `Bearer ${f.presenterToken}` } });
    const id = created.session.id;
    expect(created.session.sims[0].label).toBe("coordinated");
    expect((await api(`/api/sessions/${id}/summary.json`)).status).toBe(409);
    const presenter = await joinSession({ sessionId: id, token: created.presenterToken });
    await command(presenter, id, { type: "seek", t: created.session.status.horizon });
    tick(0);
    await waitFor(() => presenter.snapshots.length === 2, "the post-seek snapshot");
    const so = await api(`/api/sessions/${id}/summary`);
    expect(so.body.sims[0].summary.seed).toBe(7);
    const summary = await api(`/api/sessions/${id}/summary.json`);
    expect(summary.status).toBe(200);
    expect(summary.headers.get("content-disposition")).toMatch(/attachment; filename="single-store-base-stock-coordinated-summary.json"/);
    expect(summary.body.simulatedDays).toBe(120);
    const csv = await api(`/api/sessions/${id}/timeseries.csv`);
    expect(csv.text.split("\n")[0]).toMatch(/^hour,localTime,/);
    expect((await api(`/api/sessions/${id}/timeseries.csv?sim=1`)).status).toBe(400);
    expect((await api(`/api/sessions/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${created.presenterToken}` } })).status).toBe(204);
  });
});
