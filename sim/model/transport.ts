// Transport uncertainty: every transit time is its nominal time times a lognormal factor of mean 1 and the
// scenario's coefficient of variation for its mode (scenario `transport`, a lane's own `transitCv`). Each
// mode draws from its own named streams, so no customer arrival moves when transport draws change. Trunk
// streams are per lane and draw once at every scheduled departure, loaded or not: the k-th departure of a
// lane has the same transit time under every policy. Vans, factory shipments, express parcels and rider
// trips exist only when a policy sends them, so their streams (per lane, factory, site) draw per trip.
import type { RandomStream } from "../engine/index.ts";
import type { LaneInfo } from "../network/network.ts";
import type { World } from "./world.ts";

/** A lognormal factor with mean 1 and coefficient of variation `cv` (exactly 1 when cv is 0, without a draw). */
export function lognormalFactor(stream: RandomStream, cv: number): number {
  if (cv <= 0) return 1;
  const s2 = Math.log(1 + cv * cv);
  return stream.lognormal(-s2 / 2, Math.sqrt(s2));
}

/** Mode names, as in the stream names `transit/<mode>/...`. */
type Mode = "trunk" | "van" | "factory" | "express" | "rider";

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

  private pair(from: number, to: number): number {
    const n = this.w.network.siteCount;
    return n + from * n + to;
  }

  /** Transit minutes of a scheduled trunk departure on a lane (drawn at every departure, loaded or not). */
  trunk(lane: LaneInfo): number {
    const cv = lane.transitCv ?? this.w.scenario.transport.trunkCv;
    return lane.transitMinutes * lognormalFactor(this.stream("trunk", this.pair(lane.from, lane.to)), cv);
  }

  /** Transit minutes of an ad-hoc van `from` → `to` whose nominal time is `nominal`. */
  van(from: number, to: number, nominal: number, lane: LaneInfo | undefined): number {
    const cv = lane?.transitCv ?? this.w.scenario.transport.vanCv;
    return nominal * lognormalFactor(this.stream("van", this.pair(from, to)), cv);
  }

  /** Lead time of one shipment from a factory whose nominal lead time is `nominal`. */
  factory(factory: number, nominal: number): number {
    return nominal * lognormalFactor(this.stream("factory", factory), this.w.scenario.transport.factoryCv);
  }

  /** Factor on one express parcel's hand-over and line haul from a site. */
  express(site: number): number {
    return lognormalFactor(this.stream("express", site), this.w.scenario.transport.expressCv);
  }

  /** Factor on one rider trip from a site. */
  rider(site: number): number {
    return lognormalFactor(this.stream("rider", site), this.w.scenario.transport.riderCv);
  }
}
