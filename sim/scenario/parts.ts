// The parts of a scenario the cross-reference checks look at, taken from a file whose shape may be
// broken: each list entry that passes its own shape check keeps its position, the rest are holes.
// The ids the file declares are read from the raw entries, so a reference to an entry that has a
// shape problem is not reported a second time as "unknown".
import type { z } from "zod";
import type { Campaign, Channel, Intervention, Lane, Scenario, Site, Sku, Zone } from "./schema.ts";
import { campaignSchema, channelSchema, demandSchema, interventionSchema, laneSchema, scenarioSchema, siteSchema, skuSchema, zoneSchema } from "./schema.ts";

/** A list entry that passed its shape check, or undefined where it did not. */
export type Slot<T> = T | undefined;

/** The ids of one list as written: `ids[i]` is entry i's id (if it is text), `first` maps id → first index. */
export interface Declared {
  ids: Array<string | undefined>;
  first: Map<string, number>;
}

/** The checked parts of a scenario plus what its raw lists declare. */
export interface ScenarioParts {
  start?: string;
  horizonDays?: number;
  timeZone?: string;
  sites: Slot<Site>[];
  lanes: Slot<Lane>[];
  skus: Slot<Sku>[];
  channels: Slot<Channel>[];
  zones: Slot<Zone>[];
  campaigns: Slot<Campaign>[];
  interventions: Slot<Intervention>[];
  demand: Partial<Scenario["demand"]>;
  /** Customer behaviour (switching, baskets), when its shape passed. */
  customers?: Scenario["customers"];
  declared: { sites: Declared; skus: Declared; channels: Declared; zones: Declared; campaigns: Declared };
  /** Each site's `type` as written, by id (first declaration). */
  siteTypes: Map<string, unknown>;
  /** `from → to` of every lane as written, shape problems or not. */
  laneKeys: Set<string>;
  /**
   * Campaigns and interventions as written, so the ids in an entry with a shape problem elsewhere are
   * still checked (a bad `capacityShare` does not hide an unknown `site`).
   */
  raw: { campaigns: unknown[]; interventions: unknown[] };
}

/** Collect the parts from a raw document; `scenario` is the full parse when it succeeded. */
export function collectParts(document: unknown, scenario: Scenario | undefined): ScenarioParts {
  const raw = asRecord(document);
  const list = <T>(key: keyof Scenario, schema: z.ZodType<T>, parsed: readonly T[] | undefined): Slot<T>[] =>
    parsed !== undefined ? [...parsed] : asArray(raw[key]).map((entry) => pick(schema, entry));
  const declaredSites = declare(raw.sites);
  const siteTypes = new Map<string, unknown>();
  declaredSites.first.forEach((index, id) => siteTypes.set(id, asRecord(asArray(raw.sites)[index]).type));
  const laneKeys = new Set(asArray(raw.lanes).map((lane) => laneKey(asRecord(lane).from, asRecord(lane).to)));
  return {
    start: scenario?.start ?? pick(scenarioSchema.shape.start, raw.start),
    horizonDays: scenario?.horizonDays ?? pick(scenarioSchema.shape.horizonDays, raw.horizonDays),
    timeZone: scenario?.timeZone ?? pick(scenarioSchema.shape.timeZone, raw.timeZone),
    sites: list("sites", siteSchema, scenario?.sites),
    lanes: list("lanes", laneSchema, scenario?.lanes),
    skus: list("skus", skuSchema, scenario?.skus),
    channels: list("channels", channelSchema, scenario?.channels),
    zones: list("zones", zoneSchema, scenario?.zones),
    campaigns: list("campaigns", campaignSchema, scenario?.campaigns),
    interventions: list("interventions", interventionSchema, scenario?.interventions),
    demand: scenario?.demand ?? demandParts(raw.demand),
    customers: scenario?.customers ?? pick(scenarioSchema.shape.customers, raw.customers),
    declared: {
      sites: declaredSites,
      skus: declare(raw.skus),
      channels: declare(raw.channels),
      zones: declare(raw.zones),
      campaigns: declare(raw.campaigns),
    },
    siteTypes,
    laneKeys,
    raw: { campaigns: asArray(raw.campaigns), interventions: asArray(raw.interventions) },
  };
}

/** The text ids in list field `key` of a raw entry, each with its index in the list. */
export function rawIds(entry: unknown, key: string): Array<{ id: string; index: number }> {
  return asArray(asRecord(entry)[key]).flatMap((id, index) => (typeof id === "string" ? [{ id, index }] : []));
}

/** Field `key` of a raw entry when it is text. */
export function rawText(entry: unknown, key: string): string | undefined {
  const value = asRecord(entry)[key];
  return typeof value === "string" ? value : undefined;
}

/** The key of a lane in `laneKeys`. */
export function laneKey(from: unknown, to: unknown): string {
  return `${String(from)} → ${String(to)}`;
}

// Each demand field on its own, so a bad hourly profile does not hide the SKU mix from the checks.
function demandParts(rawDemand: unknown): Partial<Scenario["demand"]> {
  const raw = asRecord(rawDemand);
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(demandSchema.shape)) {
    const value = pick(schema as z.ZodType, raw[key]);
    if (value !== undefined) parts[key] = value;
  }
  return parts as Partial<Scenario["demand"]>;
}

function declare(rawList: unknown): Declared {
  const ids = asArray(rawList).map((entry) => {
    const id = asRecord(entry).id;
    return typeof id === "string" ? id : undefined;
  });
  const first = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id !== undefined && !first.has(id)) first.set(id, index);
  });
  return { ids, first };
}

function pick<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
