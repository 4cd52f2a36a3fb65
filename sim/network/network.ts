// The static network: what the scenario says, indexed for the run — sites, SKUs, channels, zones,
// distances and lanes as dense integer indices. Nothing here changes during a run (that is the world).
import { clockMinutes } from "../engine/local-time.ts";
import type { Channel, Lane, Scenario, Site, Sku, Zone } from "../scenario/schema.ts";

export const SITE_TYPES = { factory: 0, rdc: 1, fdc: 2, store: 3 } as const;

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return haversineCosKm(lat1, lon1, cosLatitude(lat1), lat2, lon2, cosLatitude(lat2));
}

/** Cosine of a latitude in degrees, as haversineCosKm takes it. */
export function cosLatitude(lat: number): number {
  return Math.cos(lat * RAD);
}

/**
 * haversineKm with both latitudes' cosines given (from cosLatitude): the same arithmetic in the same order,
 * so the same result to the bit, without two of its five transcendental calls when one point is reused.
 */
export function haversineCosKm(lat1: number, lon1: number, cosLat1: number, lat2: number, lon2: number, cosLat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const sLat = Math.sin(dLat / 2);
  const sLon = Math.sin(dLon / 2);
  const a = sLat * sLat + cosLat1 * cosLat2 * (sLon * sLon);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A lane, resolved to site indices, with its road distance. */
export interface LaneInfo {
  readonly from: number;
  readonly to: number;
  readonly km: number;
  readonly departureMinutesOfDay: readonly number[];
  readonly transitMinutes: number;
  readonly expediteTransitMinutes: number;
  readonly truckCapacityUnits: number;
  readonly trucksPerDeparture: number;
  /** The lane's own transit-time CV, if the scenario gives one (else the transport mode's). */
  readonly transitCv: number | undefined;
}

export { clockMinutes };

/**
 * Orders a site can pick in `minutes` of working time with `surgeShare` extra capacity: the one pick-capacity
 * formula (a pick wave, a day's shifts, the map's ring all use it).
 */
export function pickCapacityOver(site: { readonly pickPack: { readonly ordersPerHour: number } }, surgeShare: number, minutes: number): number {
  return (site.pickPack.ordersPerHour * (1 + surgeShare) * minutes) / 60;
}

/** Minutes a site works in a day, over its pick/pack shifts (0 for a factory). */
export function shiftMinutesPerDay(site: Site): number {
  if (site.type === "factory") return 0;
  let minutes = 0;
  for (const sh of site.pickPack.shifts) minutes += clockMinutes(sh.end) - clockMinutes(sh.start);
  return minutes;
}

/** Pick/pack orders a site can take in a day, with `surgeShare` extra capacity: the one formula the model and the map use. */
export function pickCapacityPerDay(site: Site, surgeShare = 0): number {
  if (site.type === "factory") return 0;
  return pickCapacityOver(site, surgeShare, shiftMinutesPerDay(site));
}

/** The indexed, read-only network of one scenario. */
export class Network {
  readonly sites: readonly Site[];
  readonly skus: readonly Sku[];
  readonly channels: readonly Channel[];
  readonly zones: readonly Zone[];
  readonly siteIndex = new Map<string, number>();
  readonly skuIndex = new Map<string, number>();
  readonly channelIndex = new Map<string, number>();
  readonly zoneIndex = new Map<string, number>();
  readonly siteType: Int8Array;
  /** Site latitude, longitude and cosine of latitude, by site index (for distances). */
  private readonly siteLat: Float64Array;
  private readonly siteLon: Float64Array;
  private readonly siteCosLat: Float64Array;
  private readonly roadFactor: number;
  readonly rdcs: number[] = [];
  readonly fdcs: number[] = [];
  readonly stores: number[] = [];
  readonly factories: number[] = [];
  /** Supplier factory of each SKU. */
  readonly supplierOf: Int32Array;
  /** Replenishment parent of each site (RDC: -1, replenished from each SKU's supplier). */
  readonly parentOf: Int32Array;
  /** lanes by `from * nSites + to`. */
  readonly lanes = new Map<number, LaneInfo>();
  /** For each zone: the nearest RDC. */
  readonly zoneRdc: Int32Array;
  /** For each zone: every FDC and store, nearest first (their distance from the zone centre). */
  readonly zoneLocalSites: ReadonlyArray<readonly number[]>;

  constructor(readonly scenario: Scenario) {
    this.sites = scenario.sites;
    this.skus = scenario.skus;
    this.channels = scenario.channels;
    this.zones = scenario.zones;
    scenario.sites.forEach((s, i) => this.siteIndex.set(s.id, i));
    scenario.skus.forEach((s, i) => this.skuIndex.set(s.id, i));
    scenario.channels.forEach((c, i) => this.channelIndex.set(c.id, i));
    scenario.zones.forEach((z, i) => this.zoneIndex.set(z.id, i));
    const n = this.sites.length;
    this.siteLat = Float64Array.from(this.sites, (s) => s.lat);
    this.siteLon = Float64Array.from(this.sites, (s) => s.lon);
    this.siteCosLat = Float64Array.from(this.sites, (s) => cosLatitude(s.lat));
    this.roadFactor = scenario.roadFactor;
    this.siteType = new Int8Array(n);
    this.parentOf = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const site = this.sites[i];
      this.siteType[i] = SITE_TYPES[site.type];
      if (site.type === "rdc") this.rdcs.push(i);
      else if (site.type === "fdc") this.fdcs.push(i);
      else if (site.type === "store") this.stores.push(i);
      else this.factories.push(i);
      if (site.type === "fdc" || site.type === "store") this.parentOf[i] = this.siteIdx(site.replenishment.source);
    }
    this.supplierOf = new Int32Array(this.skus.map((s) => this.siteIdx(s.supplier)));
    for (const lane of scenario.lanes) this.addLane(lane);
    this.zoneRdc = new Int32Array(this.zones.map((z) => this.nearest(z.lat, z.lon, this.rdcs)));
    this.zoneLocalSites = this.zones.map((z) =>
      [...this.fdcs, ...this.stores].sort((a, b) => this.kmFrom(z.lat, z.lon, a) - this.kmFrom(z.lat, z.lon, b) || a - b),
    );
  }

  get siteCount(): number {
    return this.sites.length;
  }
  get skuCount(): number {
    return this.skus.length;
  }

  /** Index of a site id; throws on an unknown id (validation should have caught it). */
  siteIdx(id: string): number {
    const i = this.siteIndex.get(id);
    if (i === undefined) throw new Error(`unknown site id ${JSON.stringify(id)}`);
    return i;
  }
  skuIdx(id: string): number {
    const i = this.skuIndex.get(id);
    if (i === undefined) throw new Error(`unknown SKU id ${JSON.stringify(id)}`);
    return i;
  }

  /** Road km from a point to a site. */
  kmFrom(lat: number, lon: number, site: number): number {
    return this.kmFromCos(lat, lon, cosLatitude(lat), site);
  }

  /** Road km from a point whose cosLatitude is known to a site: kmFrom, cheaper in a loop over sites. */
  kmFromCos(lat: number, lon: number, cosLat: number, site: number): number {
    return haversineCosKm(lat, lon, cosLat, this.siteLat[site], this.siteLon[site], this.siteCosLat[site]) * this.roadFactor;
  }

  /** Road km between two sites: the lane's own figure when there is one. */
  kmBetween(a: number, b: number): number {
    const lane = this.lanes.get(a * this.siteCount + b);
    if (lane) return lane.km;
    const s = this.sites[b];
    return this.kmFrom(s.lat, s.lon, a);
  }

  lane(from: number, to: number): LaneInfo | undefined {
    return this.lanes.get(from * this.siteCount + to);
  }

  private nearest(lat: number, lon: number, candidates: readonly number[]): number {
    let best = -1;
    let bestKm = Infinity;
    for (const c of candidates) {
      const km = this.kmFrom(lat, lon, c);
      if (km < bestKm) {
        bestKm = km;
        best = c;
      }
    }
    return best;
  }

  private addLane(lane: Lane): void {
    const from = this.siteIdx(lane.from);
    const to = this.siteIdx(lane.to);
    const a = this.sites[from];
    const b = this.sites[to];
    const km = lane.km ?? haversineKm(a.lat, a.lon, b.lat, b.lon) * this.scenario.roadFactor;
    const transitMinutes = lane.transitHours * 60;
    this.lanes.set(from * this.sites.length + to, {
      from,
      to,
      km,
      departureMinutesOfDay: lane.departures.map(clockMinutes).sort((x, y) => x - y),
      transitMinutes,
      expediteTransitMinutes: (lane.expediteTransitHours ?? lane.transitHours / 2) * 60,
      truckCapacityUnits: lane.truckCapacityUnits,
      trucksPerDeparture: lane.trucksPerDeparture,
      transitCv: lane.transitCv,
    });
  }
}
