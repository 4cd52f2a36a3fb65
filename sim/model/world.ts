// The shared context of one run: the engine, the static network, the running stock, the metrics and the
// policy in force. The model's processes (fulfilment, replenishment, returns) each hold one.
import type { Simulation } from "../engine/index.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { Policy } from "../policy/policy.ts";
import type { Metrics } from "../metrics/collector.ts";
import type { LocalClock } from "../network/clock.ts";
import type { Network } from "../network/network.ts";
import type { Orders } from "./orders/order.ts";
import type { Stock } from "./stock/stock.ts";

/** A decision or alert, recorded with its reason and figures so the map can show "why". */
export interface Decision {
  readonly t: number;
  readonly kind: string;
  readonly site: string;
  readonly reason: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

/** Kinds of site-to-site movement an observer hears of. */
export type ShipmentKind = "trunk" | "van" | "factory";
/** Kinds of site-to-customer movement an observer hears of. */
export type ParcelKind = "express" | "rider";

/**
 * A read-only listener for what moves (the live map's feed). Optional: the model calls it only when one
 * is set, it must not touch the world, and a run with or without it is the same run.
 */
export interface ModelObserver {
  /** `units` of a SKU leave site `from` for site `to` at `departAt`, arriving at `arriveAt` (sim minutes). */
  shipment(kind: ShipmentKind, from: number, to: number, sku: number, units: number, departAt: number, arriveAt: number): void;
  /** One order leaves site `from` for a customer in zone `zone`. */
  parcel(kind: ParcelKind, from: number, zone: number, sku: number, units: number, departAt: number, arriveAt: number): void;
}

/**
 * Customer satisfaction per demand zone, as the processes feed it and demand and the summary read it. Named
 * here, and implemented by sim/model/service/satisfaction.ts, because satisfaction itself reads the world.
 */
export interface ZoneSatisfaction {
  /** One customer experience in zone `zone` (or, for zone −1, the zone of site `site`), scored 0–1. */
  record(zone: number, score: number, site?: number): void;
  /** The multiplier on zone z's online demand now. */
  repeatFactor(zone: number): number;
  /** The multiplier on a store's walk-in demand now (its zone's factor). */
  storeRepeatFactor(store: number): number;
  /** Current satisfaction score (0–1) of a zone. */
  zoneScore(zone: number): number;
  /** The repeat factor applied so far, averaged over time and over zones by their demand weight. */
  meanRepeatFactor(): number;
}

/** What every process of the model shares. */
export interface World {
  readonly sim: Simulation;
  readonly scenario: Scenario;
  readonly network: Network;
  readonly clock: LocalClock;
  readonly stock: Stock;
  /** Every order of the run, as columns. */
  readonly orders: Orders;
  readonly metrics: Metrics;
  readonly horizon: number;
  policy: Policy;
  /** Multiplier on express prices (express-price-shock interventions). */
  expressPriceMultiplier: number;
  readonly decisions: Decision[];
  /** Customer satisfaction per zone (L4 satisfaction model, sim/model/service/satisfaction.ts). */
  readonly satisfaction: ZoneSatisfaction;
  /** Sim minutes of a local date-time in the scenario's zone. */
  toMinutes(local: string): number;
  /** Listener for shipments and parcels (live sessions); unset in batch runs. */
  observer?: ModelObserver;
}

/** Record a decision. */
export function decide(w: World, kind: string, site: number, reason: string, figures: Record<string, number | string>): void {
  w.decisions.push({ t: w.sim.now, kind, site: w.network.sites[site]?.id ?? "", reason, figures });
}
