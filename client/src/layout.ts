// The static map of a session: every site, zone and trunk lane placed in map kilometres, from the
// network description the server sends (the model's own: radii, pick capacity, zone weights, lanes). Pure.
import type { NetworkInfo } from "../../server/protocol.ts";
import type { SiteType } from "./portrayal.ts";
import { Projection, type MapPoint } from "./projection.ts";

export interface SiteOnMap {
  index: number;
  id: string;
  name: string;
  type: SiteType;
  p: MapPoint;
  /** FDC delivery radius, km; null for other tiers. */
  radiusKm: number | null;
  /** Nominal pick/pack capacity while a shift is on, orders per hour; null for a factory. */
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

/** Place the network. */
export function buildLayout(network: NetworkInfo): MapLayout {
  const siteRadius = (s: NetworkInfo["sites"][number]) => (s.type === "fdc" ? s.deliveryRadiusKm : null);
  const projection = Projection.fit([
    ...network.sites.map((s) => ({ lat: s.lat, lon: s.lon, radiusKm: siteRadius(s) ?? 0 })),
    ...network.zones.map((z) => ({ lat: z.lat, lon: z.lon, radiusKm: z.radiusKm })),
  ]);
  const maxWeight = Math.max(1e-9, ...network.zones.map((z) => z.weight));
  return {
    projection,
    sites: network.sites.map((s, index) => ({
      index,
      id: s.id,
      name: s.name,
      type: s.type,
      p: projection.project(s.lat, s.lon),
      radiusKm: siteRadius(s),
      ordersPerHour: s.pickOrdersPerHour,
    })),
    zones: network.zones.map((z, index) => ({
      index,
      id: z.id,
      name: z.name,
      p: projection.project(z.lat, z.lon),
      radiusKm: z.radiusKm,
      weightShare: z.weight / maxWeight,
    })),
    lanes: network.lanes.map((l) => ({ from: l.from, to: l.to })),
  };
}
