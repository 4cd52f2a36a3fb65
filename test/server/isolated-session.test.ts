// Sessions on worker threads, as `serve` runs them (the real clock): a client that joins while the
// twins are still being built gets its snapshot when they are ready; commands, frames, the summary and
// the state hash work as on the server's thread (the hash equals a fresh run's to the same minute); a
// session halts with "budget spent" in its status when its sims pass the event budget or their heap cap,
// and then refuses to play; deleting a session ends its thread.
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { COORDINATED, SILOED } from "../../sim/index.ts";
import type { CreateSessionResponse, SessionInfo } from "../../server/protocol.ts";
import { startServer, type RunningServer, type ServerOptions } from "../../server/server.ts";
import { exampleScenario, freshHash } from "./helpers.ts";
import { connect, waitFor, type Recorded } from "./live-client.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
let server: RunningServer | undefined;
const open: Recorded[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) c.socket.close();
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  server = await startServer({ port: 0, scenariosDir, dataDir: null, log: () => {}, ...options });
  return server;
}

async function create(s: RunningServer, body: Record<string, unknown>): Promise<CreateSessionResponse> {
  const res = await fetch(new URL("/api/sessions", s.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as CreateSessionResponse;
}

async function info(s: RunningServer, id: string): Promise<SessionInfo> {
  return (await (await fetch(new URL(`/api/sessions/${id}`, s.url))).json()) as SessionInfo;
}

it("builds the session on its worker, serves a client that joined early, applies commands, and matches a fresh run's hash", async () => {
  const s = await start();
  const created = await create(s, { scenario: "baseline-week", compare: true, speed: 600 });
  const session = s.registry.get(created.session.id)!;
  expect(session.isolated).toBe(true);
  const presenter = await connect(s.url, { sessionId: created.session.id, token: created.presenterToken });
  open.push(presenter);
  await waitFor(() => presenter.snapshots.length > 0, "the first snapshot", 20_000);
  expect(presenter.snapshots[0].sims.map((sim) => sim.label)).toEqual(["siloed", "coordinated"]);
  presenter.socket.emit("command", { type: "step", minutes: 300, ref: 1 });
  await waitFor(() => presenter.acks.some((a) => a.ref === 1), "the step's ack");
  await waitFor(() => session.status().t === 300, "the step to finish");
  const after = await info(s, created.session.id);
  expect(after.status.t).toBe(300);
  expect(presenter.deltas.at(-1)!.t).toBe(300);
  expect(after.stateHash).toBe(freshHash(exampleScenario("baseline-week"), [SILOED, COORDINATED], 1, [], 300));
  const summary = (await (await fetch(new URL(`/api/sessions/${created.session.id}/summary`, s.url))).json()) as { sims: { label: string }[] };
  expect(summary.sims.map((x) => x.label)).toEqual(["siloed", "coordinated"]);
  const deleted = await fetch(new URL(`/api/sessions/${created.session.id}`, s.url), { method: "DELETE", headers: { authorization: `Bearer ${created.presenterToken}` } });
  expect(deleted.status).toBe(204);
  await waitFor(() => presenter.disconnected !== null, "the session's end");
}, 30_000);

it("halts a session that spends its event budget, says so in its status, and refuses to play on", async () => {
  const s = await start({ maxSessionEvents: 20_000 });
  const created = await create(s, { scenario: "baseline-week", speed: 10_080, play: true });
  const session = s.registry.get(created.session.id)!;
  await waitFor(() => session.status().halted !== undefined, "the halt", 20_000);
  const status = (await info(s, created.session.id)).status;
  expect(status.halted).toMatch(/^budget spent: the sims ran \d+ events, more than this server allows a session \(20000\)$/);
  expect(status.playing).toBe(false);
  expect(status.finished).toBe(false);
  const presenter = await connect(s.url, { sessionId: created.session.id, token: created.presenterToken });
  open.push(presenter);
  presenter.socket.emit("command", { type: "play", ref: 2 });
  await waitFor(() => presenter.errors.some((e) => e.ref === 2), "the refusal");
  expect(presenter.errors.find((e) => e.ref === 2)!.message).toMatch(/^the session halted \(budget spent/);
}, 30_000);

it("halts a session whose sims pass their heap cap, and the server serves on", async () => {
  // The case: 10 million online orders a day, accepted with maxOrders; its heap grows without end.
  const s = await start({ maxSessionHeapMb: 40 });
  const scenario = structuredClone(exampleScenario("618-promotion")) as { demand: { onlineOrdersPerDay: number } };
  scenario.demand.onlineOrdersPerDay = 10_000_000;
  const created = await create(s, { scenario, speed: 10_080, play: true, maxOrders: 1e9 });
  const session = s.registry.get(created.session.id)!;
  await waitFor(() => session.status().halted !== undefined, "the halt", 25_000);
  expect(session.status().halted).toBe("budget spent: the sims needed more than this server allows a session (40 MB of heap)");
  const health = await fetch(new URL("/api/health", s.url));
  expect(health.status).toBe(200);
  expect(await create(s, { scenario: "baseline-week" })).toBeTruthy();
}, 30_000);
