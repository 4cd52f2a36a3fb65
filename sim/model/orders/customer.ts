// Customer behaviour drawn by inversion from one uniform each, so a customer's patience, return
// decision and pickup delay are fixed at arrival whatever the policy (common random numbers).
import type { DurationDistribution } from "../../scenario/schema.ts";

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
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
