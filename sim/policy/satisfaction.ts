// The satisfaction model of unified service (lever L4), as pure functions: a zone's satisfaction is a
// time-decayed mean of its customers' experience scores (delivery promises kept or broken, cancellations,
// how long a return took), and the zone's repeat demand moves with it. The model side (per-zone state,
// the demand hook) lives in sim/model/service/satisfaction.ts.
import { MAX_REPEAT_FACTOR } from "../demand/rates.ts";

/** Parameters of the satisfaction model (scenario `levers.unifiedService.satisfaction`). */
export interface SatisfactionParams {
  /** An experience weighs half as much this many days later. */
  readonly halfLifeDays: number;
  /** Satisfaction at which repeat demand is as the scenario says (factor 1). */
  readonly neutralScore: number;
  /** Change of the repeat factor per unit of satisfaction away from neutral. */
  readonly gain: number;
  readonly minRepeatFactor: number;
  readonly maxRepeatFactor: number;
}

/** A zone's satisfaction: a score in [0, 1] and the (decayed) number of experiences behind it. */
export interface ZoneSatisfaction {
  readonly score: number;
  readonly weight: number;
}

/** Weight left of `weight` experiences after `minutes` (half-life decay). */
export function decayWeight(weight: number, minutes: number, halfLifeDays: number): number {
  return minutes > 0 ? weight * Math.pow(2, -minutes / (halfLifeDays * 1440)) : weight;
}

/**
 * Fold one experience score (0–1) into a zone's satisfaction `minutes` after the previous one:
 * the old weight decays, the new experience counts 1, the score is the weighted mean.
 */
export function updateSatisfaction(zone: ZoneSatisfaction, minutes: number, experience: number, halfLifeDays: number): ZoneSatisfaction {
  const weight = decayWeight(zone.weight, minutes, halfLifeDays) + 1;
  return { score: foldExperience(zone.score, experience, weight), weight };
}

/** The weighted mean after one experience joins a score whose weight, decayed and plus that experience's 1, is `weight`. */
export function foldExperience(score: number, experience: number, weight: number): number {
  return score + (experience - score) / weight;
}

/**
 * The repeat-purchase factor on a zone's online demand: 1 + gain × (score − neutral), clamped to
 * [minRepeatFactor, min(maxRepeatFactor, MAX_REPEAT_FACTOR)] so arrivals stay within their thinning bound.
 */
export function repeatFactor(score: number, p: SatisfactionParams): number {
  const f = 1 + p.gain * (score - p.neutralScore);
  return Math.min(Math.min(p.maxRepeatFactor, MAX_REPEAT_FACTOR), Math.max(p.minRepeatFactor, f));
}

/** Experience score of a delivered order: 1 on time; late, `max(0, 0.6 − 0.1 × days late)` (B3: worse than no promise). */
export function deliveryExperienceScore(daysLate: number): number {
  return daysLate <= 0 ? 1 : Math.max(0, 0.6 - 0.1 * daysLate);
}

/** Experience score of a return that took `hours` from request to refund: 1 at once, 0 after five days. */
export function returnExperienceScore(hours: number): number {
  return Math.max(0, 1 - hours / 120);
}
