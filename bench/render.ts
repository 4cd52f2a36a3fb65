// `npm run bench:render`: frames per second of the map with 10,000 moving shipments in headless
// Chromium (software WebGL), with its basemap and without, next to a bare pixi ParticleContainer moving
// 10,000 particles in the same browser run, and two ratios: map / bare (goal ≥ 0.8×) and map with the
// basemap / map without (goal ≥ 0.9×: the basemap may cost at most 10%). The page is client/bench.html,
// served by the real server (same content security policy as the map, the basemap from its
// /api/basemap); rounds alternate bare / map / map+basemap so load on the machine hits all alike, and
// each figure is the median of the per-triple ratios (a busy machine moves a triple together).
// Options: --n 10000 --seconds 3 --rounds 5 --width 1280 --height 720.
import { parseArgs } from "node:util";
import { ensureClientBuilt, CLIENT_DIST } from "../client/build.ts";
import { startServer } from "../server/server.ts";
import { launchChromium } from "../test/e2e/chromium.ts";
import { median } from "./timing.ts";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "10000" },
    seconds: { type: "string", default: "3" },
    rounds: { type: "string", default: "5" },
    width: { type: "string", default: "1280" },
    height: { type: "string", default: "720" },
  },
});
const n = Number(values.n);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const GOAL = 0.8;
const BASEMAP_GOAL = 0.9;

interface Round {
  kind: "bare" | "map" | "basemap";
  fps: number;
  frames: number;
  moving: number;
}

await ensureClientBuilt({ log: (line) => process.stderr.write(`${line}\n`) });
const server = await startServer({ port: 0, scenariosDir: new URL("../scenarios/", import.meta.url).pathname, dataDir: null, clientDir: CLIENT_DIST, serveBenchPage: true, log: () => {} });
// Frames at the display rate (60 Hz): uncapped frame rates (--disable-frame-rate-limit) made
// Chromium stall for seconds on this busy 2-core machine. Both sides near 60 fps reads as a ratio near 1.
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}bench.html?${process.env.BENCH_EXTRA ?? ''}&n=${n}&seconds=${seconds}&rounds=${rounds}`);
  const timeoutMs = (rounds * 3 * (seconds + 6) + 90) * 1000;
  // Functions, not strings: the page's content security policy forbids eval, and the benchmark keeps it on.
  await page.waitForFunction(() => (globalThis as { __bench?: { done: boolean } }).__bench?.done === true, undefined, { timeout: timeoutMs, polling: 250 });
  const result = await page.evaluate(() => (globalThis as unknown as { __bench: { error: string | null; rounds: Round[]; renderer: string; antialias: boolean } }).__bench);
  if (result.error) throw new Error(`bench page failed: ${result.error}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  const fps = (kind: Round["kind"]) => result.rounds.filter((r) => r.kind === kind).map((r) => r.fps);
  const bare = median(fps("bare"));
  const map = median(fps("map"));
  const withBasemap = median(fps("basemap"));
  const ratios = fps("map").map((m, i) => m / fps("bare")[i]);
  const ratio = median(ratios);
  const basemapRatios = fps("basemap").map((m, i) => m / fps("map")[i]);
  const basemapRatio = median(basemapRatios);
  const lines = [
    `render benchmark: ${n.toLocaleString("en-US")} moving shipments, ${values.width}×${values.height}, ${rounds} pairs of ${seconds} s rounds, renderer ${result.renderer}${result.antialias ? " (antialiased)" : ""}, Chromium ${await browser.version()}`,
    ...result.rounds.map(
      (r, i) =>
        `  round ${Math.floor(i / 3) + 1} ${r.kind.padEnd(7)} ${r.fps.toFixed(1).padStart(6)} fps  (${r.frames} frames, ${r.moving.toLocaleString("en-US")} moving)` +
        (r.kind === "map" ? `  map/bare ${ratios[Math.floor(i / 3)].toFixed(2)}` : r.kind === "basemap" ? `  basemap on/off ${basemapRatios[Math.floor(i / 3)].toFixed(2)}` : ""),
    ),
    `bare ParticleContainer ${bare.toFixed(1)} fps (median)`,
    `map (compare view)     ${map.toFixed(1)} fps (median), basemap off`,
    `map with the basemap   ${withBasemap.toFixed(1)} fps (median)`,
    `map / bare      ${ratio.toFixed(2)}× (median of rounds)  goal ≥ ${GOAL}× — ${ratio >= GOAL ? "PASS" : "MISS"}`,
    `basemap on/off  ${basemapRatio.toFixed(2)}× (median of rounds)  goal ≥ ${BASEMAP_GOAL}× — ${basemapRatio >= BASEMAP_GOAL ? "PASS" : "MISS"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await browser.close();
  await server.close();
}
