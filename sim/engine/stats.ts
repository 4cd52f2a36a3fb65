// Running statistics for the engine's resources and for model KPIs: a Tally of observations
// (Welford), a TimeWeighted average of a piecewise-constant value, and Samples, the one that keeps its
// observations (for quantiles).
import { SimulationError } from "./errors.ts";

/** Count, sum, mean, sample variance, min and max of observations, updated in O(1) (Welford). */
export class Tally {
  /** Number of observations. */
  count = 0;
  /** Sum of observations. */
  sum = 0;
  private runningMean = 0;
  private squares = 0;
  private low = Infinity;
  private high = -Infinity;

  /** Record one observation. */
  add(x: number): void {
    const n = ++this.count;
    this.sum += x;
    const delta = x - this.runningMean;
    this.runningMean += delta / n;
    this.squares += delta * (x - this.runningMean);
    if (x < this.low) this.low = x;
    if (x > this.high) this.high = x;
  }

  /** Mean of the observations (NaN when empty). */
  get mean(): number {
    return this.count > 0 ? this.runningMean : NaN;
  }

  /** Sample variance, divisor n - 1 (NaN with fewer than two observations). */
  get variance(): number {
    return this.count > 1 ? this.squares / (this.count - 1) : NaN;
  }

  /** Smallest observation (NaN when empty). */
  get min(): number {
    return this.count > 0 ? this.low : NaN;
  }

  /** Largest observation (NaN when empty). */
  get max(): number {
    return this.count > 0 ? this.high : NaN;
  }

  /** Forget every observation, e.g. at the end of a warm-up period. */
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.runningMean = 0;
    this.squares = 0;
    this.low = Infinity;
    this.high = -Infinity;
  }
}

/** Time average of a piecewise-constant value (queue length, stock level) since a start time. */
export class TimeWeighted {
  /** Value since the last update. */
  current: number;
  /** Largest value held since the start (or the last reset). */
  max: number;
  /** Smallest value held since the start (or the last reset). */
  min: number;
  private start: number;
  private lastTime: number;
  private area = 0;

  /** Start at the simulation's current time (or at `time0`) holding `initial`. */
  constructor(simOrTime0: { readonly now: number } | number, initial = 0) {
    const time0 = typeof simOrTime0 === "number" ? simOrTime0 : simOrTime0.now;
    this.start = time0;
    this.lastTime = time0;
    this.current = initial;
    this.max = initial;
    this.min = initial;
  }

  /** The value changes to `value` at time `now` (now must not go backwards). */
  update(now: number, value: number): void {
    const elapsed = now - this.lastTime;
    if (elapsed < 0) throw new SimulationError(`TimeWeighted.update: time ${now} is before the last update ${this.lastTime}`);
    this.area += this.current * elapsed;
    this.lastTime = now;
    this.current = value;
    if (value > this.max) this.max = value;
    if (value < this.min) this.min = value;
  }

  /** Time-average from the start (or last reset) to `now`; the current value if no time has passed. */
  mean(now: number): number {
    const span = now - this.start;
    if (!(span > 0)) return this.current;
    return (this.area + this.current * (now - this.lastTime)) / span;
  }

  /** Restart averaging at `now`, keeping the current value (warm-up deletion). */
  reset(now: number): void {
    this.start = now;
    this.lastTime = now;
    this.area = 0;
    this.max = this.current;
    this.min = this.current;
  }
}

// Acklam's coefficients, made once (normalQuantile runs for every express parcel and rider trip).
const ACKLAM_A = Float64Array.of(-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239);
const ACKLAM_B = Float64Array.of(-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572);
const ACKLAM_C = Float64Array.of(-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783);
const ACKLAM_D = Float64Array.of(0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416);

/**
 * Standard normal quantile (inverse CDF) at p in (0, 1), Acklam's rational approximation (relative error
 * < 1.2e-9): e.g. 0.95 → 1.6449. Throws for p outside (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new SimulationError(`normalQuantile: need 0 < p < 1, got ${p}`);
  const a = ACKLAM_A;
  const b = ACKLAM_B;
  const c = ACKLAM_C;
  const d = ACKLAM_D;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Observations kept for quantiles, unboxed in a Float64Array that doubles when full. A plain number[] of
 * half a million lead times grows by copying boxed-or-not elements and keeps the collector busy; this
 * costs one store per observation.
 */
export class Samples {
  private data = new Float64Array(1024);
  /** Number of observations. */
  length = 0;

  /** Record one observation. */
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }

  /** The observations in the order recorded: a view, valid until the next push. */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * The q-quantiles (ascending, in [0, 1]) of `values`, each interpolated between the two order statistics
 * around (n − 1)·q exactly as on a sorted copy, and the maximum; 0s for no values. Works by selection
 * (Hoare's quickselect with a median of three) on `values`, which it reorders: linear time, where sorting the
 * half a million lead times a run ends with took longer than any other part of its summary.
 */
export function quantilesOf(values: Float64Array, qs: readonly number[]): { quantiles: number[]; max: number } {
  const n = values.length;
  if (n === 0) return { quantiles: qs.map(() => 0), max: 0 };
  const quantiles: number[] = [];
  let from = 0;
  for (const q of qs) {
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    selectInPlace(values, lo, from, n - 1);
    from = lo;
    let next = values[lo];
    if (Math.ceil(pos) > lo) {
      // The next order statistic: the least value right of lo.
      next = Infinity;
      for (let i = lo + 1; i < n; i++) if (values[i] < next) next = values[i];
    }
    quantiles.push(values[lo] + (next - values[lo]) * (pos - lo));
  }
  let max = -Infinity;
  for (let i = from; i < n; i++) if (values[i] > max) max = values[i];
  return { quantiles, max };
}

/** Reorder a[left..right] so a[k] holds the value sorted order puts there, smaller ones left of it, larger right. */
function selectInPlace(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const l = a[left];
    const r = a[right];
    let pivot = a[(left + right) >> 1];
    if (l < pivot !== l < r) pivot = l;
    else if (r < pivot !== r < l) pivot = r;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
