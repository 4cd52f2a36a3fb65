// The render benchmark's page (bench.html, driven by bench/render.ts in headless Chromium): frames per
// second of the real map (MapView, compare layout, the 618 network, N trips moving and topped up as
// they land, site looks refreshed, heat pulsing) with its basemap and without it, against a bare pixi
// ParticleContainer moving N particles, in the same page and browser, in alternating triples of short
// rounds so load on the machine hits all three alike (bench/render.ts reports medians of the ratios).
import "pixi.js/unsafe-eval";
import { Application, Particle, ParticleContainer, type Ticker } from "pixi.js";
import type { BasemapPayload, NetworkInfo } from "../../../server/protocol.ts";
import { basemapQuery, basemapRequestBox } from "../basemap.ts";
import { buildLayout } from "../layout.ts";
import { MapView, softwareWebGl } from "../map/map-view.ts";
import { rendererOptions } from "../map/pane.ts";
import { dotTexture } from "../map/textures.ts";
import { DisplayClock } from "../motion.ts";
import { MOTION_KINDS, siteLook, type MotionKind } from "../portrayal.ts";

interface Round {
  kind: "bare" | "map" | "basemap";
  fps: number;
  frames: number;
  seconds: number;
  moving: number;
}

declare global {
  interface Window {
    __bench?: { done: boolean; error: string | null; rounds: Round[]; n: number; renderer: string; antialias: boolean };
  }
}

const params = new URLSearchParams(location.search);
const N = Number(params.get("n") ?? 10_000);
const SECONDS = Number(params.get("seconds") ?? 3);
const WARMUP = Number(params.get("warmup") ?? 1);
const ROUNDS = Number(params.get("rounds") ?? 5);
/** How often the map round restyles every site with new stock and queue figures (the live page: 200 ms). */
const RESTYLE_MS = Number(params.get("restyleMs") ?? 200);
const result: NonNullable<Window["__bench"]> = (window.__bench = { done: false, error: null, rounds: [], n: N, renderer: "", antialias: !softwareWebGl() });

/** Deterministic pseudo-random numbers (the benchmark draws the same trips every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

/** Count animation frames after a warm-up; resolves with frames per second. */
function measure(ticker: Ticker, onFrame: (elapsedMs: number) => number): Promise<{ fps: number; frames: number; moving: number }> {
  return new Promise((resolve) => {
    let start = -1;
    let frames = 0;
    let moving = 0;
    let last = performance.now();
    const begin = performance.now();
    const tick = () => {
      const now = performance.now();
      moving = onFrame(now - last);
      last = now;
      if (start < 0) {
        if (now - begin >= WARMUP * 1000) start = now;
        return;
      }
      frames++;
      if (now - start >= SECONDS * 1000) {
        ticker.remove(tick);
        resolve({ fps: (frames / (now - start)) * 1000, frames, moving });
      }
    };
    ticker.add(tick);
  });
}

/** The same renderer settings as a map pane, one canvas filling the page. */
async function newApp(host: HTMLElement): Promise<Application> {
  const app = new Application();
  await app.init({ ...rendererOptions(result.antialias), resizeTo: host });
  host.append(app.canvas);
  result.renderer = app.renderer.name;
  return app;
}

/** The baseline: one ParticleContainer, N particles, each moved every frame. */
async function bareRound(host: HTMLElement): Promise<Round> {
  const app = await newApp(host);
  const texture = dotTexture();
  const container = new ParticleContainer({ texture, dynamicProperties: { position: true, vertex: false, rotation: false, uvs: false, color: false } });
  const rand = rng(1);
  const W = app.screen.width;
  const H = app.screen.height;
  const particles: Particle[] = [];
  const v: number[] = [];
  for (let i = 0; i < N; i++) {
    const p = new Particle({ texture, x: rand() * W, y: rand() * H, scaleX: 0.25, scaleY: 0.25, anchorX: 0.5, anchorY: 0.5, tint: 0xffd866 });
    particles.push(p);
    v.push((rand() - 0.5) * 2, (rand() - 0.5) * 2);
    container.addParticle(p);
  }
  app.stage.addChild(container);
  const r = await measure(app.ticker, () => {
    for (let i = 0; i < N; i++) {
      const p = particles[i];
      p.x = (p.x + v[2 * i] + W) % W;
      p.y = (p.y + v[2 * i + 1] + H) % H;
    }
    return N;
  });
  app.destroy({ removeView: true }, { children: true, texture: true });
  return { kind: "bare", ...r, seconds: SECONDS };
}

/** The map: compare view of the network, N trips in flight across both panes, topped up as they land. */
async function mapRound(host: HTMLElement, network: NetworkInfo, basemap: BasemapPayload | null): Promise<Round> {
  const layout = buildLayout(network);
  const map = await MapView.create(host, layout, 2);
  map.setBasemap(basemap);
  const clock = new DisplayClock();
  const speed = 60;
  clock.reset(0, performance.now(), true, speed);
  const rand = rng(2);
  const kinds: MotionKind[] = MOTION_KINDS.slice();
  const weights = [0.08, 0.04, 0.03, 0.55, 0.3]; // trunk, van, factory, express, rider
  const pickKind = () => {
    let x = rand();
    for (let i = 0; i < kinds.length; i++) if ((x -= weights[i]) < 0) return kinds[i];
    return kinds[kinds.length - 1];
  };
  const spawn = (t: number) => {
    const pane = rand() < 0.5 ? 0 : 1;
    const kind = pickKind();
    const a = layout.sites[Math.floor(rand() * layout.sites.length)].p;
    const b = kind === "express" || kind === "rider" ? layout.zones[Math.floor(rand() * layout.zones.length)].p : layout.sites[Math.floor(rand() * layout.sites.length)].p;
    map.panes[pane].motion.add(kind, a.x, a.y, b.x, b.y, t, t + 60 + rand() * 540);
  };
  for (let i = 0; i < N; i++) spawn(-rand() * 300);
  const stock = { onHand: 50, inTransit: 0, backorder: 0, target: 100, safetyLine: 30, stocked: 3, out: 0, belowSafety: 0 };
  let sinceStyle = 0;
  const r = await measure(map.ticker, (elapsed) => {
    const now = performance.now();
    const t = clock.at(now);
    clock.frame(t, now, true, speed);
    const moving = map.animate(t, elapsed);
    for (let k = moving; k < N; k++) spawn(t);
    // The live page restyles sites and pulses heat a few times a second; so does the benchmark.
    sinceStyle += elapsed;
    if (sinceStyle >= RESTYLE_MS) {
      sinceStyle = 0;
      for (let p = 0; p < 2; p++) {
        map.restyle(p, layout.sites.map((s) => siteLook(s.type, { ...stock, onHand: 20 + rand() * 80 }, { pickQueue: rand() * 100, capacityPerDay: 1000, ordersLastDay: rand() * 1000, load: rand(), saturated: rand() < 0.2 })));
        for (let z = 0; z < layout.zones.length; z++) map.panes[p].pulse(z, rand() * 10);
      }
    }
    return moving;
  });
  map.destroy();
  return { kind: basemap ? "basemap" : "map", ...r, seconds: SECONDS };
}

async function run(): Promise<void> {
  const host = document.getElementById("bench")!;
  let network: NetworkInfo;
  try {
    const res = await fetch("/api/scenarios/618-promotion");
    network = ((await res.json()) as { network: NetworkInfo }).network;
  } catch {
    throw new Error("bench.html needs the server's /api/scenarios/618-promotion");
  }
  const box = basemapRequestBox(buildLayout(network).projection);
  const basemap = (await (await fetch(`/api/basemap?${basemapQuery(box)}`)).json()) as BasemapPayload;
  for (let i = 0; i < ROUNDS; i++) {
    result.rounds.push(await bareRound(host));
    result.rounds.push(await mapRound(host, network, null));
    result.rounds.push(await mapRound(host, network, basemap));
  }
}

run()
  .catch((error: unknown) => (result.error = error instanceof Error ? (error.stack ?? error.message) : String(error)))
  .finally(() => (result.done = true));
