// Transport uncertainty: every transit time is its nominal time times a lognormal factor of mean 1 and the
// scenario's coefficient of variation for its mode (scenario `transport`, a lane's own `transitCv`). Each
// mode draws from its own named streams, so no customer arrival moves when transport draws change. Trunk
// streams are per lane and draw once at every scheduled departure, loaded or not: the k-th departure of a
// lane has the same transit time under every policy. Vans and factory shipments exist only when a policy
// sends them, so their streams (per lane, factory) draw one factor per local day, used or not: all that day's
// trips share it (the lane's traffic, the plant's loading dock that day), the same under every policy. Express parcels and rider trips take the
// customer's own last-mile uniform, drawn at arrival for every candidate from `transit/last-mile/...`
// (sim/demand/arrivals.ts): a customer's parcel takes the same time under every policy that ships it the
// same way, so the paired comparison keeps its common random numbers.
import type { RandomStream } from "../engine/index.ts";
import { normalQuantile } from "../engine/stats.ts";
import type { LaneInfo } from "../network/network.ts";
import type { World } from "./world.ts";

/** A lognormal factor with mean 1 and coefficient of variation `cv` (exactly 1 when cv is 0, without a draw). */
export function lognormalFactor(stream: RandomStream, cv: number): number {
  if (cv <= 0) return 1;
  const s2 = Math.log(1 + cv * cv);
  return stream.lognormal(-s2 / 2, Math.sqrt(s2));
}

/**
 * The lognormal factor of mean 1 and coefficient of variation `cv` at a uniform `u` (its quantile; 1 when cv
 * is 0), its parameters worked out once per CV: `at` runs for every parcel and rider trip, one instance per mode.
 */
export class LognormalAt {
  private cv = Number.NaN;
  private mu = 0;
  private sigma = 0;

  at(u: number, cv: number): number {
    if (cv <= 0) return 1;
    if (cv !== this.cv) {
      const s2 = Math.log(1 + cv * cv);
      this.cv = cv;
      this.mu = -s2 / 2;
      this.sigma = Math.sqrt(s2);
    }
    return Math.exp(this.mu + this.sigma * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, u))));
  }
}

/** Mode names, as in the stream names `transit/<mode>/...`. */
type Mode = "trunk" | "van" | "factory";

/** The transit-time draws of one run. */
export class Transport {
  /** Streams per mode, indexed by site (per-site modes) or by siteCount + from·siteCount + to (per-lane modes); made on first use. */
  private readonly streams = new Map<Mode, Array<RandomStream | undefined>>();

  constructor(private readonly w: World) {}

  private stream(mode: Mode, key: number): RandomStream {
    let byKey = this.streams.get(mode);
    if (byKey === undefined) this.streams.set(mode, (byKey = []));
    let s = byKey[key];
    if (s === undefined) {
      const { network } = this.w;
      const n = network.siteCount;
      const name = key >= n ? `${network.sites[Math.floor((key - n) / n)].id}/${network.sites[(key - n) % n].id}` : network.sites[key].id;
      s = byKey[key] = this.w.sim.streams.get(`transit/${mode}/${name}`);
    }
    return s;
  }

  /** Factors drawn so far per local day, per mode and key (`dayFactor`). */
  private readonly days = new Map<Mode, Array<number[] | undefined>>();

  /**
   * The factor of `mode`/`key` for today's local day: the stream draws one factor per day in day order, used or
   * not, so a day's factor is the same under every policy — two policies that send a van (or a factory
   * shipment) on the same lane on the same day see the same transit factor, whatever they sent before.
   */
  private dayFactor(mode: Mode, key: number, cv: number): number {
    if (cv <= 0) return 1;
    let byKey = this.days.get(mode);
    if (byKey === undefined) this.days.set(mode, (byKey = []));
    const factors = (byKey[key] ??= []);
    const day = Math.max(0, this.w.clock.dayIndex(this.w.sim.now));
    if (factors.length <= day) {
      const stream = this.stream(mode, key);
      while (factors.length <= day) factors.push(lognormalFactor(stream, cv));
    }
    return factors[day];
  }

  private pair(from: number, to: number): number {
    const n = this.w.network.siteCount;
    return n + from * n + to;
  }

  /** Transit minutes of a scheduled trunk departure on a lane (drawn at every departure, loaded or not). */
  trunk(lane: LaneInfo): number {
    const cv = lane.transitCv ?? this.w.scenario.transport.trunkCv;
    return lane.transitMinutes * lognormalFactor(this.stream("trunk", this.pair(lane.from, lane.to)), cv);
  }

  /** Transit minutes of an ad-hoc van `from` → `to` whose nominal time is `nominal` (the lane's factor of the day). */
  van(from: number, to: number, nominal: number, lane: LaneInfo | undefined): number {
    const cv = lane?.transitCv ?? this.w.scenario.transport.vanCv;
    return nominal * this.dayFactor("van", this.pair(from, to), cv);
  }

  /** Lead time of one shipment from a factory whose nominal lead time is `nominal` (the factory's factor of the day). */
  factory(factory: number, nominal: number): number {
    return nominal * this.dayFactor("factory", factory, this.w.scenario.transport.factoryCv);
  }

  private readonly expressFactor = new LognormalAt();
  private readonly riderFactor = new LognormalAt();

  /** Factor on one express parcel's hand-over and line haul, at the customer's last-mile uniform `u`. */
  express(u: number): number {
    return this.expressFactor.at(u, this.w.scenario.transport.expressCv);
  }

  /** Factor on one rider trip, at the customer's last-mile uniform `u`. */
  rider(u: number): number {
    return this.riderFactor.at(u, this.w.scenario.transport.riderCv);
  }
}
