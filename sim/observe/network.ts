// The network as the model uses it, for whoever draws it: sites with their delivery radius and pick
// capacity, zones with their weight, trunk lanes, and the capacity saturation line L3 acts on. Static for
// a run; built from the validated scenario and the model's own indexed network, never from raw JSON.
import { Network, pickCapacityPerDay } from "../network/network.ts";
import type { Scenario, Site } from "../scenario/schema.ts";

/** A site as the map draws it. */
export interface SiteDescription {
  id: string;
  name: string;
  type: Site["type"];
  lat: number;
  lon: number;
  /** Instant/store delivery radius (km) of an FDC or store; null for an RDC or a factory. */
  deliveryRadiusKm: number | null;
  /** Nominal pick/pack capacity while a shift is on, orders per hour (surges add to it); null for a factory. */
  pickOrdersPerHour: number | null;
  /** Nominal pick/pack capacity over a day's shifts, orders; null for a factory. */
  pickOrdersPerDay: number | null;
}

/** The static network of a run, as the map and any other view needs it. */
export interface NetworkDescription {
  /** The scenario's own title. */
  title: string;
  sites: SiteDescription[];
  skus: { id: string; name: string; category: string }[];
  zones: { id: string; name: string; lat: number; lon: number; radiusKm: number; weight: number }[];
  /** Trunk lanes (replenishment routes) by site index, one per pair of sites in either direction. */
  lanes: { from: number; to: number }[];
  /**
   * The capacity saturation line (lever L3): a site whose orders of the last day reach this share of its
   * day's pick capacity in force is saturated. The map shows it whatever the policy; only L3 acts on it.
   */
  saturationLine: number;
}

/** Describe a scenario's network (validated scenario), as a run of it would. */
export function describeScenarioNetwork(scenario: Scenario): NetworkDescription {
  return describeNetwork(new Network(scenario));
}

/** Describe a run's network. */
export function describeNetwork(network: Network): NetworkDescription {
  const { scenario } = network;
  const lanes: { from: number; to: number }[] = [];
  const seen = new Set<number>();
  const n = network.siteCount;
  for (const lane of network.lanes.values()) {
    const key = Math.min(lane.from, lane.to) * n + Math.max(lane.from, lane.to);
    if (lane.from === lane.to || seen.has(key)) continue;
    seen.add(key);
    lanes.push({ from: lane.from, to: lane.to });
  }
  return {
    title: scenario.name,
    sites: network.sites.map((s) => ({
      id: s.id,
      name: s.name,
      type: s.type,
      lat: s.lat,
      lon: s.lon,
      deliveryRadiusKm: s.type === "fdc" || s.type === "store" ? s.deliveryRadiusKm : null,
      pickOrdersPerHour: s.type === "factory" ? null : s.pickPack.ordersPerHour,
      pickOrdersPerDay: s.type === "factory" ? null : pickCapacityPerDay(s),
    })),
    skus: network.skus.map((k) => ({ id: k.id, name: k.name, category: k.category })),
    zones: network.zones.map((z) => ({ id: z.id, name: z.name, lat: z.lat, lon: z.lon, radiusKm: z.radiusKm, weight: z.weight })),
    lanes,
    saturationLine: scenario.levers.capacityLinkage.saturationLine,
  };
}
