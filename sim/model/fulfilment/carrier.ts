// Express carrier pickups: a site's carrier collects at most `expressPickupsPerDay` parcels per local day
// (scenario data; no limit when omitted). A parcel ready when that day's capacity is taken waits for the next
// day's pickup, first come first served, so a peak's surplus rolls forward day by day (domain-numbers §5:
// "surplus waits for the next day"). The wait is part of the parcel's lead time.
import type { World } from "../world.ts";

/** The express pickups of one run's sites. */
export class CarrierPickups {
  /** Parcels per local day per site (Infinity: no limit). */
  readonly perDay: Float64Array;
  /** Per site: the local day index the next parcel is booked on, and parcels booked on it so far. */
  private readonly day: Float64Array;
  private readonly booked: Float64Array;

  constructor(private readonly w: World) {
    const n = w.network.siteCount;
    this.perDay = new Float64Array(n).fill(Infinity);
    w.network.sites.forEach((s, i) => {
      if (s.type !== "factory" && s.expressPickupsPerDay !== undefined) this.perDay[i] = s.expressPickupsPerDay;
    });
    this.day = new Float64Array(n).fill(-1);
    this.booked = new Float64Array(n);
  }

  /** When a parcel ready at a site at `t` is collected, without booking it (the router's estimate). */
  estimate(site: number, t: number): number {
    const cap = this.perDay[site];
    if (cap === Infinity) return t;
    const today = this.w.clock.dayIndex(t);
    const day = this.day[site];
    if (day < today || (day === today && this.booked[site] < cap)) return t;
    const free = this.booked[site] < cap ? day : day + 1;
    return Math.max(t, this.w.clock.midnightOf(free));
  }

  /** Book a parcel ready at a site at `t` on the first day with room; returns when the carrier collects it. */
  handOver(site: number, t: number): number {
    const cap = this.perDay[site];
    if (cap === Infinity) return t;
    const today = this.w.clock.dayIndex(t);
    if (this.day[site] < today) {
      this.day[site] = today;
      this.booked[site] = 0;
    }
    if (this.booked[site] >= cap) {
      this.day[site]++;
      this.booked[site] = 0;
    }
    this.booked[site]++;
    const at = this.day[site] === today ? t : this.w.clock.midnightOf(this.day[site]);
    if (at > t) {
      this.w.metrics.parcelsWaitingForPickup++;
      this.w.metrics.pickupWaitMinutesSum += at - t;
    }
    return at;
  }
}
