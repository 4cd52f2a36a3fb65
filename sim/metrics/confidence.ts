// Confidence intervals for replicated runs: Student-t intervals on a mean and on paired differences
// (common random numbers: arm A and arm B run with the same seeds, so the per-seed difference removes
// most of the seed-to-seed noise). The t quantile is computed exactly (incomplete beta, inverted by
// bisection), so intervals are right for 3 replications as well as for 300.

/** A t interval on a mean. `halfWidth` is NaN with fewer than two values. */
export interface Interval {
  n: number;
  mean: number;
  sd: number;
  halfWidth: number;
  lo: number;
  hi: number;
  level: number;
}

/** The t interval on the mean of `values` at `level` (default 0.95). */
export function meanInterval(values: readonly number[], level = 0.95): Interval {
  const n = values.length;
  const mean = n === 0 ? NaN : values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? NaN : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const halfWidth = n < 2 ? NaN : studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth, level };
}

/** The paired t interval on mean(b[i] − a[i]); the arrays are per-seed results of two arms. */
export function pairedInterval(a: readonly number[], b: readonly number[], level = 0.95): Interval {
  if (a.length !== b.length) throw new RangeError(`paired arms differ in length: ${a.length} vs ${b.length}`);
  return meanInterval(
    b.map((x, i) => x - a[i]),
    level,
  );
}

/** An unpaired interval on mean(b) − mean(a), with Welch–Satterthwaite degrees of freedom. */
export interface WelchInterval {
  mean: number;
  standardError: number;
  df: number;
  halfWidth: number;
  lo: number;
  hi: number;
  level: number;
}

/**
 * Welch's t interval on mean(b) − mean(a) for two independent samples (unequal variances): what the
 * comparison would be worth without common random numbers. NaN with fewer than two values in an arm.
 */
export function welchInterval(a: readonly number[], b: readonly number[], level = 0.95): WelchInterval {
  const ia = meanInterval(a, level);
  const ib = meanInterval(b, level);
  const va = (ia.sd * ia.sd) / ia.n;
  const vb = (ib.sd * ib.sd) / ib.n;
  const standardError = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (ia.n - 1) + (vb * vb) / (ib.n - 1));
  const mean = ib.mean - ia.mean;
  // Both arms constant: the difference is known exactly (df is 0/0 then).
  const halfWidth = standardError === 0 ? 0 : Number.isFinite(df) ? studentTQuantile(1 - (1 - level) / 2, df) * standardError : NaN;
  return { mean, standardError, df, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth, level };
}

/** Quantile of Student's t distribution with `df` degrees of freedom (0 < p < 1, df > 0). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile needs 0 < p < 1 and df > 0, got p=${p}, df=${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket, then bisect on the CDF: 200 halvings are far more than double precision needs.
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** CDF of Student's t distribution. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0];
  for (let i = 1; i < 9; i++) sum += g[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
