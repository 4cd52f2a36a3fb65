// The static map of a session: every site, zone and trunk lane placed in map kilometres, with what
// the frames do not carry (delivery radius, pick capacity, zone weight, lanes) read from the
// scenario when the server lets us fetch it, and sensible stand-ins when it does not. Pure.
import type { NetworkInfo } from "../../server/protocol.ts";
import type { SiteType } from "./portrayal.ts";
import { Projection, type MapPoint } from "./projection.ts";

/** Instant-delivery radius of an FDC when the scenario does not say (the scenario default). */
export const DEFAULT_FDC_RADIUS_KM = 3;

export interface SiteOnMap {
  index: number;
  id: string;
  name: string;
  type: SiteType;
  p: MapPoint;
  /** FDC delivery radius, km; null for other tiers. */
  radiusKm: number | null;
  /** Pick/pack capacity, orders per hour; null when unknown. */
  ordersPerHour: number | null;
}

export interface ZoneOnMap {
  index: number;
  id: string;
  name: string;
  p: MapPoint;
  radiusKm: number;
  /** Weight / the largest zone weight, 0..1. */
  weightShare: number;
}

export interface MapLayout {
  projection: Projection;
  sites: SiteOnMap[];
  zones: ZoneOnMap[];
  /** Trunk lanes as site index pairs. */
  lanes: { from: number; to: number }[];
}

/** What the layout reads from a scenario file; everything optional and checked. */
export interface ScenarioExtras {
  sites: Map<string, { radiusKm: number | null; ordersPerHour: number | null }>;
  zones: Map<string, { radiusKm: number | null; weight: number | null }>;
  lanes: { from: string; to: string }[];
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const rec = (x: unknown): Record<string, unknown> | null => (x !== null && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : null);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** Pull the extras out of a scenario object of unknown shape (a bad field is skipped, never trusted). */
export function readScenarioExtras(scenario: unknown): ScenarioExtras {
  const s = rec(scenario);
  const extras: ScenarioExtras = { sites: new Map(), zones: new Map(), lanes: [] };
  for (const site of list(s?.sites)) {
    const r = rec(site);
    if (!r || typeof r.id !== "string") continue;
    extras.sites.set(r.id, { radiusKm: num(r.deliveryRadiusKm), ordersPerHour: num(rec(r.pickPack)?.ordersPerHour) });
  }
  for (const zone of list(s?.zones)) {
    const r = rec(zone);
    if (!r || typeof r.id !== "string") continue;
    extras.zones.set(r.id, { radiusKm: num(r.radiusKm), weight: num(r.weight) });
  }
  for (const lane of list(s?.lanes)) {
    const r = rec(lane);
    if (r && typeof r.from === "string" && typeof r.to === "string") extras.lanes.push({ from: r.from, to: r.to });
  }
  return extras;
}

/** Place the network; `extras` from the scenario file when available. */
export function buildLayout(network: NetworkInfo, extras: ScenarioExtras | null): MapLayout {
  const zoneRadius = (id: string) => extras?.zones.get(id)?.radiusKm ?? 3;
  const siteRadius = (id: string, type: SiteType) => (type === "fdc" ? (extras?.sites.get(id)?.radiusKm ?? DEFAULT_FDC_RADIUS_KM) : null);
  const projection = Projection.fit([
    ...network.sites.map((s) => ({ lat: s.lat, lon: s.lon, radiusKm: siteRadius(s.id, s.type) ?? 0 })),
    ...network.zones.map((z) => ({ lat: z.lat, lon: z.lon, radiusKm: zoneRadius(z.id) })),
  ]);
  const weights = network.zones.map((z) => extras?.zones.get(z.id)?.weight ?? 1);
  const maxWeight = Math.max(1e-9, ...weights);
  const siteIndex = new Map(network.sites.map((s, i) => [s.id, i]));
  const lanes: { from: number; to: number }[] = [];
  const seen = new Set<string>();
  for (const lane of extras?.lanes ?? []) {
    const from = siteIndex.get(lane.from);
    const to = siteIndex.get(lane.to);
    if (from === undefined || to === undefined || from === to) continue;
    const key = from < to ? `${from}-${to}` : `${to}-${from}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lanes.push({ from, to });
  }
  return {
    projection,
    sites: network.sites.map((s, index) => ({
      index,
      id: s.id,
      name: s.name,
      type: s.type,
      p: projection.project(s.lat, s.lon),
      radiusKm: siteRadius(s.id, s.type),
      ordersPerHour: extras?.sites.get(s.id)?.ordersPerHour ?? null,
    })),
    zones: network.zones.map((z, index) => ({
      index,
      id: z.id,
      name: z.name,
      p: projection.project(z.lat, z.lon),
      radiusKm: zoneRadius(z.id),
      weightShare: weights[index] / maxWeight,
    })),
    lanes,
  };
}

/** Add a lane seen in the frames (a trunk shipment on a lane the scenario was not fetched for); true if new. */
export function learnLane(layout: MapLayout, from: number, to: number): boolean {
  if (from === to || !layout.sites[from] || !layout.sites[to]) return false;
  if (layout.lanes.some((l) => (l.from === from && l.to === to) || (l.from === to && l.to === from))) return false;
  layout.lanes.push({ from, to });
  return true;
}
