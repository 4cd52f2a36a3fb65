// The shared context of one run: the engine, the static network, the running stock, the metrics and the
// policy in force. The model's processes (fulfilment, replenishment, returns) each hold one.
import type { Simulation } from "../engine/index.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { Policy } from "../policy/policy.ts";
import type { Metrics } from "../metrics/collector.ts";
import type { LocalClock } from "./clock.ts";
import type { Network } from "./network.ts";
import type { Stock } from "./stock.ts";

/** A decision or alert, recorded with its reason and figures so the map can show "why". */
export interface Decision {
  readonly t: number;
  readonly kind: string;
  readonly site: string;
  readonly reason: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

/** What every process of the model shares. */
export interface World {
  readonly sim: Simulation;
  readonly scenario: Scenario;
  readonly network: Network;
  readonly clock: LocalClock;
  readonly stock: Stock;
  readonly metrics: Metrics;
  readonly horizon: number;
  policy: Policy;
  /** Multiplier on express prices (express-price-shock interventions). */
  expressPriceMultiplier: number;
  readonly decisions: Decision[];
  /** Sim minutes of a local date-time in the scenario's zone. */
  toMinutes(local: string): number;
}

/** Record a decision. */
export function decide(w: World, kind: string, site: number, reason: string, figures: Record<string, number | string>): void {
  w.decisions.push({ t: w.sim.now, kind, site: w.network.sites[site]?.id ?? "", reason, figures });
}
