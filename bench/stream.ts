// Streaming load benchmark: one server process (forked, so its CPU and heap are its own), N viewer
// sockets on loopback following one compare session of 618-promotion, one presenter sending a command
// every 5 s (speed, surge, lever, price shock, pause/play, a seek back), optionally viewers that stop
// reading, and optionally viewers that stop reading and flood `resync` inside the rate limit (9 a
// second). Reports p50/p95/p99 frame latency (server stamp → client receipt), server CPU (all threads)
// and event loop use, bytes per frame, heap drift of the server's thread, gaps and disconnects.
//
//   npm run bench:stream -- [--viewers 300] [--seconds 40] [--speed 720] [--slow 1] [--flood 1]
//
// Heap: the session's sims run on a worker thread of their own, so the server thread's heap is the
// streaming layer (sockets, frames, the last snapshot) and is what must stay flat.
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { io, type Socket } from "socket.io-client";
import type { Command, CreateSessionResponse, Delta, Snapshot } from "../server/protocol.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1] ?? "");

// ---- the server process ------------------------------------------------------------------------

interface Stats {
  cpuMicros: number;
  heapUsed: number;
  /** Cumulative event loop active and idle ms since the process started. */
  loopActive: number;
  loopIdle: number;
  /** Sockets connected to the server. */
  clients: number;
}

async function runServer(dataDir: string): Promise<void> {
  const { startServer } = await import("../server/server.ts");
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const root = fileURLToPath(new URL("../", import.meta.url));
  const server = await startServer({ port: 0, dataDir, scenariosDir: join(root, "scenarios"), log: (l) => void process.stderr.write(`${l}\n`) });
  process.on("message", (m: { type: string; gc?: boolean; sessionId?: string; times?: number[] }) => {
    if (m.type === "stats") {
      // Loop and CPU figures before the collection, so a forced GC does not count as load.
      const loop = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      if (m.gc) gc();
      const stats: Stats = { cpuMicros: cpu.user + cpu.system, heapUsed: process.memoryUsage().heapUsed, loopActive: loop.active, loopIdle: loop.idle, clients: server.io.engine.clientsCount };
      process.send!({ type: "stats", stats });
    } else if (m.type === "stop") void server.close().then(() => process.exit(0));
  });
  // If the client process dies, do not linger.
  process.on("disconnect", () => process.exit(0));
  process.send!({ type: "ready", port: server.port });
}

// ---- the client process ------------------------------------------------------------------------

function request<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off("message", on);
      resolve(m as T);
    };
    child.on("message", on);
    child.send(message);
  });
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runClients(): Promise<void> {
  const viewers = Number(args.get("viewers") ?? 300);
  const seconds = Number(args.get("seconds") ?? 40);
  const speed = Number(args.get("speed") ?? 720);
  const slowCount = Number(args.get("slow") ?? 1);
  const floodCount = Number(args.get("flood") ?? 1);
  const dataDir = mkdtempSync(join(tmpdir(), "omnitwin-bench-"));
  const child = fork(fileURLToPath(import.meta.url), ["--server", dataDir], { execArgv: ["--import", "tsx", "--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await request<{ port: number }>(child, { type: "noop" }, "ready");
  const url = `http://127.0.0.1:${port}/`;
  const created = (await (await fetch(`${url}api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "618-promotion", compare: true, speed }) })).json()) as CreateSessionResponse;
  const sessionId = created.session.id;
  console.log(`server on ${url}, session ${sessionId}; connecting ${viewers} viewers + ${slowCount} slow + ${floodCount} resync-flooding + 1 presenter…`);

  let measuring = false;
  const latencies: number[] = [];
  let frames = 0;
  let frameBytes = 0;
  let gaps = 0;
  let disconnects = 0;
  let seekingFrames = 0;
  const sockets: Socket[] = [];
  const open = (auth: object): Socket => {
    const s = io(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(s);
    s.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") disconnects++;
    });
    return s;
  };
  const ready: Promise<void>[] = [];
  for (let i = 0; i < viewers; i++) {
    const s = open({ sessionId });
    let last = -1;
    ready.push(new Promise((resolve) => s.once("snapshot", () => resolve())));
    s.on("snapshot", (snap: Snapshot) => (last = snap.seq));
    s.on("delta", (d: Delta) => {
      if (last >= 0 && d.seq !== last + 1) {
        gaps++;
        s.emit("resync");
      }
      last = d.seq;
      if (!measuring) return;
      latencies.push(Date.now() - d.sentAt);
      if (i === 0) {
        frames++;
        frameBytes += JSON.stringify(d).length;
        if (d.sims.length === 0) seekingFrames++;
      }
    });
    if (i % 50 === 49) await Promise.all(ready.slice(-50));
  }
  await Promise.all(ready);
  // Slow viewers: connected, then their TCP socket stops being read, so the server's buffer for them fills.
  let slowSnapshots = 0;
  for (let i = 0; i < slowCount; i++) {
    const s = open({ sessionId });
    s.on("snapshot", () => slowSnapshots++);
    await new Promise((r) => s.once("snapshot", r));
    (s.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();
  }
  // Flooding viewers: stop reading like the slow ones, then send `resync` 9 times a second (inside the
  // rate limit of 10) for the whole run; the server should keep one snapshot for each at most, then drop it.
  const flooders: ReturnType<typeof setInterval>[] = [];
  for (let i = 0; i < floodCount; i++) {
    const s = open({ sessionId });
    await new Promise((r) => s.once("snapshot", r));
    (s.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();
    flooders.push(setInterval(() => s.emit("resync"), 1000 / 9));
  }
  const presenter = open({ sessionId, token: created.presenterToken });
  await new Promise((r) => presenter.once("snapshot", r));
  const errors: string[] = [];
  presenter.on("error", (e: { code: string; message: string }) => errors.push(`${e.code}: ${e.message}`));

  const commands: Command[] = [
    { type: "inject", intervention: { type: "demand-surge", durationHours: 12, multiplier: 3, zones: ["sz-nanshan", "sz-futian"] } },
    { type: "lever", lever: "tieredFulfilment", on: false, sim: 1 },
    { type: "speed", simMinutesPerSecond: speed * 1.5 },
    { type: "inject", intervention: { type: "express-price-shock", multiplier: 1.8, durationHours: 48 } },
    { type: "pause" },
    { type: "play" },
    { type: "seek", t: 0 }, // placeholder: replaced by "one day back" when sent
    { type: "lever", lever: "tieredFulfilment", on: true, sim: 1 },
    { type: "speed", simMinutesPerSecond: speed },
  ];
  presenter.emit("command", { type: "play" });
  await sleep(3000); // warm-up
  const stats0 = (await request<{ stats: Stats }>(child, { type: "stats", gc: true }, "stats")).stats;
  const t0Info = (await (await fetch(`${url}api/sessions/${sessionId}`)).json()) as { status: { t: number } };
  const clientCpu0 = process.cpuUsage();
  measuring = true;
  const started = Date.now();
  const heapSamples: { at: number; heapUsed: number }[] = [];
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    await sleep(5000);
    let c = commands[sent++ % commands.length];
    if (c.type === "seek") {
      const info = (await (await fetch(`${url}api/sessions/${sessionId}`)).json()) as { status: { t: number } };
      c = { type: "seek", t: Math.max(0, info.status.t - 1440) };
    }
    presenter.emit("command", c);
    heapSamples.push({ at: Date.now() - started, heapUsed: (await request<{ stats: Stats }>(child, { type: "stats" }, "stats")).stats.heapUsed });
  }
  measuring = false;
  for (const f of flooders) clearInterval(f);
  const wall = (Date.now() - started) / 1000;
  const stats1 = (await request<{ stats: Stats }>(child, { type: "stats", gc: true }, "stats")).stats;
  const clientCpu = process.cpuUsage(clientCpu0);
  const t1Info = (await (await fetch(`${url}api/sessions/${sessionId}`)).json()) as { status: { t: number; playing: boolean } };
  presenter.emit("command", { type: "pause" });
  await sleep(300);
  for (const s of sockets) s.close();
  child.send({ type: "stop" });
  await new Promise((r) => child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const mb = (x: number) => Math.round(x / 1e5) / 10;
  const result = {
    date: new Date().toISOString(),
    viewers,
    slowViewers: slowCount,
    floodingViewers: floodCount,
    seconds: Math.round(wall),
    speedSimMinutesPerSecond: speed,
    simMinutes: { from: Math.round(t0Info.status.t), to: Math.round(t1Info.status.t) },
    commandsSent: sent,
    presenterErrors: errors,
    framesPerSecond: Math.round((frames / wall) * 10) / 10,
    framesDuringSeek: seekingFrames,
    latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99), max: latencies.at(-1), samples: latencies.length },
    bytesPerFrame: Math.round(frameBytes / Math.max(1, frames)),
    serverCpuPercentOfOneCore: Math.round(((stats1.cpuMicros - stats0.cpuMicros) / 1e6 / wall) * 1000) / 10,
    serverEventLoopUtilization: Math.round(((stats1.loopActive - stats0.loopActive) / (stats1.loopActive + stats1.loopIdle - stats0.loopActive - stats0.loopIdle)) * 1000) / 1000,
    clientCpuPercentOfOneCore: Math.round(((clientCpu.user + clientCpu.system) / 1e6 / wall) * 1000) / 10,
    heapMB: {
      serverThreadStart: mb(stats0.heapUsed),
      serverThreadEnd: mb(stats1.heapUsed),
      serverThreadDrift: mb(stats1.heapUsed - stats0.heapUsed),
      samples: heapSamples.map((h) => ({ atSeconds: Math.round(h.at / 1000), MB: mb(h.heapUsed) })),
    },
    gaps,
    slowViewerSnapshots: slowSnapshots,
    disconnects,
    /** Sockets the server still held at the end, of the viewers + slow + flooding + presenter that joined. */
    serverClients: { start: stats0.clients, end: stats1.clients, joined: viewers + slowCount + floodCount + 1 },
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `stream-${viewers}v-${result.date.replace(/[:.]/g, "-")}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}

if (args.has("server")) await runServer(args.get("server")!);
else await runClients();
