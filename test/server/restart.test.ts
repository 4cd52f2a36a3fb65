// Nothing lost: a server process is killed with SIGKILL mid-session (no shutdown hook runs), a new
// one starts on the same data directory, and the session comes back by re-simulation with the same
// state hash; the presenter token still works and viewers reconnect to it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { CreateSessionResponse, SessionInfo } from "../../server/protocol.ts";
import { connect, waitFor } from "./live-client.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "omnitwin-restart-"));
const children: ChildProcess[] = [];

async function startChild(): Promise<{ url: string; child: ChildProcess; restored: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/server/fixtures/serve-child.ts"), dataDir, join(root, "scenarios")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const { port, restored } = JSON.parse(line) as { port: number; restored: number };
  return { url: `http://127.0.0.1:${port}/`, child, restored };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function info(url: string, id: string): Promise<SessionInfo> {
  return (await (await fetch(`${url}api/sessions/${id}`)).json()) as SessionInfo;
}

/** Poll until the restored session has finished re-simulating. */
async function rebuilt(url: string, id: string): Promise<SessionInfo> {
  let s = await info(url, id);
  const until = Date.now() + 30_000;
  while (s.status.seeking !== null || s.restoreCheck?.matched === null) {
    if (Date.now() > until) throw new Error("the session did not finish rebuilding");
    await new Promise((r) => setTimeout(r, 20));
    s = await info(url, id);
  }
  return s;
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c);
  rmSync(dataDir, { recursive: true, force: true });
});

it("rebuilds a killed server's session to the same state hash, and clients reconnect", async () => {
  const first = await startChild();
  const res = await fetch(`${first.url}api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario: "baseline-week", compare: true, speed: 1440, play: true }),
  });
  const { session, presenterToken } = (await res.json()) as CreateSessionResponse;
  const presenter = await connect(first.url, { sessionId: session.id, token: presenterToken });
  await waitFor(() => presenter.deltas.length >= 3, "some frames");
  presenter.socket.emit("command", { type: "inject", intervention: { type: "demand-surge", durationHours: 8, multiplier: 3 } });
  presenter.socket.emit("command", { type: "lever", lever: "dataPlatform", on: false, sim: 1 });
  await waitFor(() => presenter.acks.length === 2, "the acks");
  await waitFor(() => presenter.deltas.length >= 8, "more frames");
  presenter.socket.close();

  // Killed while playing: the session comes back paused at its last saved minute, hash as promised.
  await kill(first.child);
  const second = await startChild();
  expect(second.restored).toBe(1);
  const back = await rebuilt(second.url, session.id);
  expect(back.restoreCheck).toMatchObject({ matched: true });
  expect(back.stateHash).toBe(back.restoreCheck!.expected);
  expect(back.status.playing).toBe(false);
  expect(back.sims[1].policy.dataPlatform).toBe(false);

  // The presenter token survives (only its hash is stored); play, pause, and kill again.
  const again = await connect(second.url, { sessionId: session.id, token: presenterToken });
  await waitFor(() => again.welcome.length > 0, "the welcome");
  expect(again.welcome[0].role).toBe("presenter");
  again.socket.emit("command", { type: "play" });
  await waitFor(() => again.deltas.length >= 3, "frames after the restart");
  again.socket.emit("command", { type: "pause" });
  await waitFor(() => again.acks.length === 2, "the pause ack");
  const paused = await info(second.url, session.id);
  expect(paused.status.t).toBeGreaterThan(back.status.t);
  again.socket.close();
  await kill(second.child);

  const third = await startChild();
  const resumed = await rebuilt(third.url, session.id);
  expect(resumed.status.t).toBe(paused.status.t);
  expect(resumed.stateHash).toBe(paused.stateHash);
  const viewer = await connect(third.url, { sessionId: session.id });
  await waitFor(() => viewer.snapshots.length > 0, "the snapshot");
  expect(viewer.snapshots[0].status.t).toBe(paused.status.t);
  viewer.socket.close();
});
