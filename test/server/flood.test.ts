// Bounded per-socket memory: 20 raw long-polling viewers that never read (they POST, never GET) flood
// resync inside the rate limit while the session plays. Before, every resync queued another snapshot
// for them and the server's memory grew without bound; now each holds at most one snapshot and the
// deltas before it fell behind, and a viewer that stays behind, or holds more bytes than the cap, is
// disconnected. The bytes are engine.io's write buffers on the server: what a non-reader costs. The
// first test is the case at the server's default limits, for 60 s of (hand-driven) wall clock.
import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../server/live/clock.ts";
import type { CreateSessionResponse } from "../../server/protocol.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import type { SocketLimits } from "../../server/socket.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const VIEWERS = 20;
/** What one non-reading viewer may hold: one snapshot (~5–25 kB) and the deltas queued before it fell behind. */
const BOUND_PER_VIEWER = 256 * 1024;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(limits: Partial<SocketLimits>): Promise<{ server: RunningServer; clock: ManualClock; sessionId: string }> {
  const clock = new ManualClock();
  const s = await startServer({ port: 0, scenariosDir, dataDir: null, clock, tickIntervalMs: null, maxSessions: 2, socketLimits: limits, log: () => {} });
  server = s;
  const res = await fetch(new URL("/api/sessions", s.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario: "baseline-week", compare: true, speed: 600, play: true }),
  });
  const created = (await res.json()) as CreateSessionResponse;
  return { server: s, clock, sessionId: created.session.id };
}

/** A long-polling engine.io client that joins the session and then only ever POSTs. */
async function rawViewer(url: string, sessionId: string): Promise<{ resync(times: number): Promise<void> }> {
  const base = new URL("/socket.io/?EIO=4&transport=polling", url);
  const open = await (await fetch(base)).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const endpoint = new URL(`${base.href}&sid=${sid}`);
  const post = async (body: string) => void (await (await fetch(endpoint, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } })).text());
  await post(`40${JSON.stringify({ sessionId })}`);
  // Several packets in one POST, separated as engine.io's polling transport separates them.
  return { resync: (times) => post(Array.from({ length: times }, () => '42["resync"]').join("\x1e")) };
}

/** Bytes waiting in each viewer socket's engine.io write buffer on the server. */
function queuedBytes(s: RunningServer): number[] {
  return [...s.io.sockets.sockets.values()].map((socket) => {
    const buffer = (socket.conn as unknown as { writeBuffer: Array<{ data?: unknown }> }).writeBuffer;
    return buffer.reduce((sum, p) => sum + (typeof p.data === "string" ? p.data.length : 0), 0);
  });
}

describe("viewers that never read, flooding resync", () => {
  it(`hold at most one snapshot each (${BOUND_PER_VIEWER / 1024} KiB, ${(VIEWERS * BOUND_PER_VIEWER) / 1024 / 1024} MiB for all ${VIEWERS}) and are dropped within 60 s`, async () => {
    // The server's defaults: a socket behind for 30 s without draining is dropped.
    const { server: s, clock, sessionId } = await start({});
    const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => rawViewer(s.url, sessionId)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.io.sockets.sockets.size).toBe(VIEWERS);
    let peakTotal = 0;
    let connectedAt30s = 0;
    // 60 s of wall clock: each second every viewer sends 9 resyncs (inside the 10 a second limit) and
    // the server ticks ten times.
    for (let second = 1; second <= 60; second++) {
      if (s.io.sockets.sockets.size > 0) await Promise.all(viewers.map((v) => v.resync(9)));
      for (let i = 0; i < 10; i++) {
        clock.advance(100);
        s.tick();
      }
      const bytes = queuedBytes(s);
      for (const b of bytes) expect(b).toBeLessThanOrEqual(BOUND_PER_VIEWER);
      peakTotal = Math.max(peakTotal, bytes.reduce((a, b) => a + b, 0));
      if (second === 29) connectedAt30s = s.io.sockets.sockets.size;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(`flood: peak ${peakTotal} bytes queued for ${VIEWERS} non-reading viewers; ${connectedAt30s} connected at 29 s, ${s.io.sockets.sockets.size} at 60 s`);
    // Still connected before the 30 s limit (inside the rate limit, so not cut off for flooding), dropped after it.
    expect(connectedAt30s).toBe(VIEWERS);
    expect(s.io.sockets.sockets.size).toBe(0);
    expect(s.registry.get(sessionId)?.viewers).toBe(0);
    expect(peakTotal).toBeLessThanOrEqual(VIEWERS * BOUND_PER_VIEWER);
  }, 60_000);

  it("a viewer holding more bytes than the cap is dropped at the next tick", async () => {
    const { server: s, clock, sessionId } = await start({ maxBufferedBytes: 2048 });
    await Promise.all(Array.from({ length: VIEWERS }, () => rawViewer(s.url, sessionId)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.io.sockets.sockets.size).toBe(VIEWERS);
    // The first snapshot alone (~5 kB) is over a 2 kB cap.
    clock.advance(100);
    s.tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.io.sockets.sockets.size).toBe(0);
  });
});
