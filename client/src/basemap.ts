// The basemap in map kilometres: which region to ask the server for (the scenario's box and as much
// again on every side, so panning and zooming out stay on a map), and the server's lon/lat rings
// projected once into the map's own kilometres. Which place names show at a zoom is decided here too.
// Pure: no pixi, no DOM, no fetch.
import type { BasemapPayload } from "../../server/protocol.ts";
import type { Projection } from "./projection.ts";

export interface BasemapBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Projected basemap: every ring flat [x, y, x, y, …] in map km. */
export interface BasemapOnMap {
  /** Water polygons (sea first, then rivers): outer ring water, later rings land. */
  water: number[][][];
  borders: number[][];
  places: { name: string; x: number; y: number; rank: number }[];
  attribution: string;
}

/** The box to ask for: the projection's box grown by `grow` times its size on every side, in degrees. */
export function basemapRequestBox(projection: Projection, grow = 1): BasemapBox {
  const b = projection.box;
  const nw = projection.unproject({ x: b.minX, y: b.minY });
  const se = projection.unproject({ x: b.maxX, y: b.maxY });
  const dLon = (se.lon - nw.lon) * grow;
  const dLat = (nw.lat - se.lat) * grow;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { west: r(nw.lon - dLon), south: r(se.lat - dLat), east: r(se.lon + dLon), north: r(nw.lat + dLat) };
}

/** Waits before asking again for a basemap the server could not cut yet. */
export const BASEMAP_RETRIES_MS = [1000, 2000, 4000, 8000, 16000];

/** The server refused the box itself (4xx): asking again would not help. */
export class BasemapRefused extends Error {}

function fetchBasemapJson(url: string): Promise<unknown> {
  return fetch(url).then((r) => {
    if (r.ok) return r.json();
    throw r.status >= 400 && r.status < 500 ? new BasemapRefused(`basemap: HTTP ${r.status}`) : new Error(`basemap: HTTP ${r.status}`);
  });
}

/**
 * The basemap at `url`, or null. While the server cannot cut it yet (503: its worker stopped; or no
 * answer) ask again after each of BASEMAP_RETRIES_MS; a refused box (BasemapRefused), the last try
 * failing, or `gone()` (the map was removed) ends it.
 */
export async function askForBasemap(
  url: string,
  fetchJson: (url: string) => Promise<unknown> = fetchBasemapJson,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  gone: () => boolean = () => false,
): Promise<BasemapPayload | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await fetchJson(url)) as BasemapPayload;
    } catch (error) {
      if (error instanceof BasemapRefused || attempt >= BASEMAP_RETRIES_MS.length || gone()) return null;
      await wait(BASEMAP_RETRIES_MS[attempt]);
      if (gone()) return null;
    }
  }
}

/** The query string for GET /api/basemap. */
export function basemapQuery(box: BasemapBox): string {
  return `west=${box.west}&south=${box.south}&east=${box.east}&north=${box.north}`;
}

function projectFlat(ring: readonly number[], projection: Projection): number[] {
  const out = new Array<number>(ring.length);
  for (let i = 0; i < ring.length; i += 2) {
    const p = projection.project(ring[i + 1], ring[i]);
    out[i] = p.x;
    out[i + 1] = p.y;
  }
  return out;
}

/** The server's basemap in map km. */
export function projectBasemap(payload: BasemapPayload, projection: Projection): BasemapOnMap {
  return {
    water: [...payload.sea, ...payload.rivers].map((poly) => poly.map((ring) => projectFlat(ring, projection))),
    borders: payload.borders.map((line) => projectFlat(line, projection)),
    places: payload.places.map((p) => ({ name: p.name, rank: p.rank, ...projection.project(p.lat, p.lon) })),
    attribution: payload.attribution,
  };
}

/**
 * How many of the best-ranked places to try naming at a zoom: the big cities at the fitted view,
 * towns as the view closes in (labels.ts then drops any that would collide with a site's).
 */
export function placesAtZoom(zoom: number): number {
  if (zoom < 1) return 6;
  if (zoom < 2) return 12;
  if (zoom < 4) return 25;
  return 80;
}

/** Is (x, y) inside a polygon (outer ring minus its holes), even–odd rule on flat rings? */
export function insidePolygon(poly: readonly (readonly number[])[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of poly)
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i];
      const yi = ring[i + 1];
      const xj = ring[j];
      const yj = ring[j + 1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  return inside;
}
