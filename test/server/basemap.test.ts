// The basemap a region gets (server/basemap/): cut from the geodata shipped in npm packages, for the
// 618 scenario's region — its sites on land, the estuary and the Pearl River channels up to Guangzhou
// as water, the Hong Kong border, the delta's cities named — and served by GET /api/basemap (cut on the
// server's basemap worker thread), refusing a bad box in words.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insidePolygon } from "../../client/src/basemap.ts";
import { normaliseBox } from "../../server/basemap/basemap.ts";
import { clipLine, clipRing, flatRing, simplify } from "../../server/basemap/geometry.ts";
import type { BasemapPayload } from "../../server/protocol.ts";
import { ManualClock } from "../../server/live/clock.ts";
import { startServer, type RunningServer } from "../../server/server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const scenario = JSON.parse(readFileSync(`${ROOT}scenarios/618-promotion.json`, "utf8")) as { sites: { name: string; lat: number; lon: number }[] };
/** The box the map asks for at 618 (the scenario's box and as much again each side). */
const PRD = { west: 111.86, south: 21.68, east: 115.39, north: 23.97 };
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, scenariosDir: `${ROOT}scenarios`, dataDir: null, clientDir: null, clock: new ManualClock(), tickIntervalMs: null, log: () => {} });
});
afterAll(async () => {
  await server?.close();
});

describe("geometry", () => {
  it("clips a ring and a line to a box and simplifies within its tolerance", () => {
    const square = flatRing([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]);
    const cut = clipRing(square, { west: 1, south: -1, east: 2, north: 5 });
    expect(cut.every(([x, y]) => x >= 1 && x <= 2 && y >= 0 && y <= 4)).toBe(true);
    expect(cut[0]).toEqual(cut.at(-1));
    expect(clipRing(square, { west: 5, south: 5, east: 6, north: 6 })).toEqual([]);
    expect(clipLine(flatRing([[0, 0], [10, 0], [10, 10]]), { west: 2, south: -1, east: 12, north: 5 })).toEqual([[[2, 0], [10, 0], [10, 5]]]);
    expect(simplify([[0, 0], [1, 0.001], [2, 0], [3, 5]], 0.01)).toEqual([[0, 0], [2, 0], [3, 5]]);
  });
});

describe("the basemap of the Pearl River Delta", () => {
  // Cut once, on the server's basemap worker (the geodata load is the slow part); the route test below reads the cache.
  let cut: Promise<BasemapPayload> | null = null;
  const map = () => (cut ??= fetch(new URL(`/api/basemap?${Object.entries(PRD).map(([k, v]) => `${k}=${v}`).join("&")}`, server.url)).then((res) => res.json() as Promise<BasemapPayload>));
  const inWater = (polys: number[][][], lat: number, lon: number) => polys.some((poly) => insidePolygon(poly, lon, lat));

  it("puts every 618 site on land and the estuary, Deep Bay and the sea off Hong Kong in water", async () => {
    const m = await map();
    for (const site of scenario.sites) expect(inWater([...m.sea, ...m.rivers], site.lat, site.lon), site.name).toBe(false);
    expect(inWater(m.sea, 22.45, 113.75)).toBe(true); // Lingding Yang, the estuary between Shenzhen airport and Zhongshan
    expect(inWater(m.sea, 22.49, 113.95)).toBe(true); // Deep Bay (Shenzhen Bay)
    expect(inWater(m.sea, 22.15, 114.3)).toBe(true); // south of Hong Kong Island
    expect(inWater(m.sea, 22.55, 113.3)).toBe(false); // Zhongshan
  });

  it("carries the Pearl River channels north of Humen as rivers, the Hong Kong border and the delta's cities", async () => {
    const m = await map();
    const northmost = Math.max(...m.rivers.flatMap((poly) => poly[0].filter((_, i) => i % 2 === 1)));
    expect(northmost).toBeGreaterThan(23); // up to Guangzhou's Huangpu
    expect(m.borders.length).toBeGreaterThan(0);
    const names = m.places.slice(0, 10).map((p) => p.name);
    for (const city of ["Guangzhou", "Shenzhen", "Dongguan", "Foshan", "Hong Kong"]) expect(names).toContain(city);
    expect(m.places.map((p) => p.rank)).toEqual(m.places.map((_, i) => i + 1));
    expect(m.attribution).toMatch(/OpenStreetMap/);
  });

  it("serves it at GET /api/basemap, cached and small, and refuses a bad box in words", async () => {
    const q = (b: Record<string, number | string>) => fetch(new URL(`/api/basemap?${Object.entries(b).map(([k, v]) => `${k}=${v}`).join("&")}`, server.url));
    const res = await q(PRD);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/max-age/);
    const text = await res.text();
    expect(text.length).toBeLessThan(300_000);
    expect((JSON.parse(text) as BasemapPayload).box).toEqual(normaliseBox(PRD));
    const wide = await q({ west: 0, south: 0, east: 90, north: 10 });
    expect(wide.status).toBe(400);
    expect(((await wide.json()) as { error: { message: string } }).error.message).toMatch(/at most 30°/);
    const missing = await q({ west: 1 });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/west, south, east and north/);
  });
});
