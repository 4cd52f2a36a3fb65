// What the coordination rooms (levers L1 and L3) share: the parts of the run they act on, and what the
// campaign review asks of the hourly round (its bookings and review scale). Types only, so the round and
// the files it calls can each import them without importing each other.
import type { DemandRates } from "../../demand/rates.ts";
import type { Fulfilment } from "../fulfilment/fulfilment.ts";
import type { Replenishment } from "../stock/replenishment.ts";

/** A booking of extra capacity at a site (pick/pack surge) or factory (ramp-up) over [from, to). */
export interface Booking {
  readonly site: number;
  readonly extraShare: number;
  readonly from: number;
  readonly to: number;
}

/** What the coordination process acts on. */
export interface CoordinationParts {
  readonly rates: DemandRates;
  readonly fulfilment: Fulfilment;
  readonly replenishment: Replenishment;
}

/** What the campaign review (campaign-review.ts) books and sets through the coordination round. */
export interface CampaignBookings {
  /** Surge and ramp bookings made so far. */
  readonly surgeBooked: readonly Booking[];
  readonly rampBooked: readonly Booking[];
  /** L3's campaign-review pressure scale per (campaign, zone, channel, SKU), at `indexOf`. */
  readonly reviewScale: Float64Array;
  indexOf(campaign: number, zone: number, channel: number, sku: number): number;
  /** Book surge pick/pack capacity at a site over [from, to). */
  bookSurge(site: number, extraShare: number, from: number, to: number): void;
  /** Book a factory's ramp-up over [from, to). */
  bookRamp(factory: number, extraShare: number, from: number, to: number): void;
}
