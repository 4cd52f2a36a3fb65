// Sessions on worker threads, as `serve` runs them (the real clock): a client that joins while the
// twins are still being built gets its snapshot when they are ready; commands, frames, the summary and
// the state hash work as on the server's thread (the hash equals a fresh run's to the same minute); a
// session halts with "budget spent" in its status when its sims pass the event budget or their heap cap,
// and then refuses to play; deleting a session ends its thread. The story features work on the worker
// too: the chart history in snapshots, the changes a seek back holds, a fork (itself on a worker of its
// own) and the report of a finished run.
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

it("keeps the story on the worker: history after a seek back, held changes kept, a worker-hosted fork, and its report", async () => {
  const s = await start();
  const created = await create(s, { scenario: "baseline-week", speed: 600 });
  const session = s.registry.get(created.session.id)!;
  const presenter = await connect(s.url, { sessionId: created.session.id, token: created.presenterToken });
  open.push(presenter);
  await waitFor(() => presenter.snapshots.length > 0, "the first snapshot", 20_000);
  let ref = 0;
  const send = async (command: Record<string, unknown>) => {
    const r = ++ref;
    presenter.socket.emit("command", { ...command, ref: r });
    await waitFor(() => presenter.acks.some((a) => a.ref === r) || presenter.errors.some((e) => e.ref === r), `the ack of ${String(command.type)}`, 20_000);
    expect(presenter.errors.find((e) => e.ref === r)).toBeUndefined();
  };
  const settled = (t: number) => waitFor(() => !session.seeking && session.status().t === t, `minute ${t}`, 20_000);
  await send({ type: "step", minutes: 600 });
  await settled(600);
  await send({ type: "lever", lever: "tieredFulfilment", on: true });
  await send({ type: "step", minutes: 600 });
  await settled(1200);
  await send({ type: "seek", t: 300 });
  await settled(300);
  // The re-simulated history runs from minute 0 to the seek's target; the later lever switch is held.
  expect(session.snapshot()!.sims[0].history.points.t).toEqual([0, 60, 120, 180, 240, 300]);
  expect(session.status().held.map((m) => [m.t, m.text])).toEqual([[600, "L2 tiered fulfilment on"]]);
  expect(session.status().markers).toEqual([]);
  await send({ type: "held", keep: true });
  await waitFor(() => session.status().held.length === 0 && session.status().markers.length === 1, "the kept change on the timeline");
  await send({ type: "step", minutes: 600 });
  await settled(900);
  expect(session.snapshot()!.sims[0].policy.tieredFulfilment).toBe(true);

  const res = await fetch(new URL(`/api/sessions/${created.session.id}/fork`, s.url), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${created.presenterToken}` },
    body: JSON.stringify({ change: { type: "lever", lever: "capacityLinkage", on: true } }),
  });
  expect(res.status).toBe(201);
  const fork = s.registry.get(((await res.json()) as CreateSessionResponse).session.id)!;
  expect(fork.isolated).toBe(true);
  await waitFor(() => !fork.seeking && fork.status().t === 900, "the fork's rebuild", 20_000);
  const pair = fork.snapshot()!.sims.map((x) => x.history.points);
  expect(pair[0]).toEqual(session.snapshot()!.sims[0].history.points);
  expect(pair[1]).toEqual(pair[0]);
  expect(fork.status().markers.map((m) => [m.t, m.sims])).toEqual([[600, [0, 1]], [900, [1]]]);

  fork.command({ type: "seek", t: fork.horizon }, () => {});
  await waitFor(() => !fork.seeking && fork.status().finished, "the fork at its horizon", 25_000);
  const report = await fetch(new URL(`/api/sessions/${fork.id}/report.html?sim=1`, s.url));
  expect(report.status).toBe(200);
  const html = await report.text();
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain("L3 capacity linkage on at");
}, 60_000);
