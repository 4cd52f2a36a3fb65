// Customer behaviour drawn by inversion from one uniform each, so a customer's patience, return
// decision and pickup delay are fixed at arrival whatever the policy (common random numbers).
import { normalQuantile as acklamQuantile } from "../../engine/stats.ts";
import type { DurationDistribution } from "../../scenario/schema.ts";

/** Standard normal quantile (stats.ts's, Acklam's), extended to −∞ at 0 and +∞ at 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  return acklamQuantile(p);
}

const Z90 = 1.2815515655446004;

/** The duration (minutes) at quantile u of a scenario duration distribution; Infinity for "never". */
export function durationQuantileMinutes(dist: DurationDistribution, u: number): number {
  switch (dist.kind) {
    case "never":
      return Infinity;
    case "fixed":
      return dist.hours * 60;
    case "exponential":
      return -Math.log(1 - u) * dist.meanHours * 60;
    case "uniform":
      return (dist.minHours + u * (dist.maxHours - dist.minHours)) * 60;
    case "lognormal": {
      const mu = Math.log(dist.medianHours);
      const sigma = Math.log(dist.p90Hours / dist.medianHours) / Z90;
      return Math.exp(mu + sigma * normalQuantile(u)) * 60;
    }
  }
}

/** Mean of a duration distribution, minutes (Infinity for "never"). */
export function durationMeanMinutes(dist: DurationDistribution): number {
  switch (dist.kind) {
    case "never":
      return Infinity;
    case "fixed":
      return dist.hours * 60;
    case "exponential":
      return dist.meanHours * 60;
    case "uniform":
      return ((dist.minHours + dist.maxHours) / 2) * 60;
    case "lognormal": {
      const sigma = Math.log(dist.p90Hours / dist.medianHours) / Z90;
      return dist.medianHours * Math.exp((sigma * sigma) / 2) * 60;
    }
  }
}
