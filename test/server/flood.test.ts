// Bounded per-socket memory: 20 raw long-polling viewers that never read (they POST, never GET) flood
// resync inside the rate limit while the session plays. Before, every resync queued another snapshot
// for them and the server's memory grew without bound; now each holds at most one snapshot and the
// deltas before it fell behind, and a viewer that stays behind, or holds more bytes than the cap, is
// disconnected. The bytes are engine.io's write buffers on the server: what a non-reader costs.
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
async function rawViewer(url: string, sessionId: string): Promise<{ resync(): Promise<void> }> {
  const base = new URL("/socket.io/?EIO=4&transport=polling", url);
  const open = await (await fetch(base)).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const endpoint = new URL(`${base.href}&sid=${sid}`);
  const post = async (body: string) => void (await (await fetch(endpoint, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } })).text());
  await post(`40${JSON.stringify({ sessionId })}`);
  return { resync: () => post('42["resync"]') };
}

/** Bytes waiting in each viewer socket's engine.io write buffer on the server. */
function queuedBytes(s: RunningServer): number[] {
  return [...s.io.sockets.sockets.values()].map((socket) => {
    const buffer = (socket.conn as unknown as { writeBuffer: Array<{ data?: unknown }> }).writeBuffer;
    return buffer.reduce((sum, p) => sum + (typeof p.data === "string" ? p.data.length : 0), 0);
  });
}

describe("viewers that never read, flooding resync", () => {
  it(`hold at most one snapshot each (${BOUND_PER_VIEWER / 1024} KiB bound), then are dropped once behind too long`, async () => {
    const { server: s, clock, sessionId } = await start({ maxBehindMs: 60_000 });
    const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => rawViewer(s.url, sessionId)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.io.sockets.sockets.size).toBe(VIEWERS);
    const round = async () => {
      // One resync per viewer per 100 ms: 10 a second, inside the rate limit (no rate-limited replies).
      await Promise.all(viewers.map((v) => v.resync()));
      clock.advance(100);
      s.tick();
    };
    for (let i = 0; i < 50; i++) await round();
    const early = queuedBytes(s);
    for (let i = 0; i < 250; i++) await round();
    const late = queuedBytes(s);
    expect(late).toHaveLength(VIEWERS);
    // Bounded, and no longer growing: 250 more resyncs each added nothing (before: a snapshot apiece).
    for (const bytes of late) expect(bytes).toBeLessThanOrEqual(BOUND_PER_VIEWER);
    expect(late.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(early.reduce((a, b) => a + b, 0) + VIEWERS * 4096);
    // Still behind after a minute of wall time without reading: dropped.
    clock.advance(60_000);
    s.tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.io.sockets.sockets.size).toBe(0);
    expect(s.registry.get(sessionId)?.viewers).toBe(0);
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
