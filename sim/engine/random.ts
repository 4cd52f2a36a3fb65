// Seeded randomness: one RandomStream per named source of randomness, derived from the master
// seed and the stream's name (seedrandom's alea), with the distributions the model draws from.
// Nothing here reads a wall clock or Math.random; a stream's state can be saved and restored.
//
// seedrandom seeds each stream (alea's Mash of the seed string) and the stream then steps alea's
// registers itself, in a Float64Array. Calling seedrandom's generator — a separate closure per stream,
// returning a double — cost a heap-allocated number per draw wherever V8 did not inline it (29 MB of a
// 618 run's allocation). The step below is alea's own three lines, operation for operation, so every
// draw is bit-identical to seedrandom's; test/engine/random.test.ts holds that.
import seedrandom from "seedrandom";
import { DistributionError } from "./errors.ts";

/** JSON-serialisable state of one stream: alea's registers plus the cached spare normal deviate. */
export interface RandomStreamState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
  readonly spareNormal: number | null;
}

/** alea's multiplier and 2^-32. */
const ALEA_A = 2091639;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
// Register slots of a stream's state.
const S0 = 0;
const S1 = 1;
const S2 = 2;
const C = 3;

const Z90 = 1.2815515655446004; // standard normal 0.9 quantile
const LOG_2PI = 1.8378770664093453;
const POISSON_INVERSION_MAX_MEAN = 10;
// Coefficients of the Stirling series for log Γ, in powers of 1/x².
const STIRLING = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** One named stream of uniform draws and the distributions built on them. */
export class RandomStream {
  /** The stream's name, e.g. `demand/east/online`. */
  readonly name: string;

  /** alea's registers s0, s1, s2 and c. */
  private readonly registers = new Float64Array(4);
  /** Scripted draws replacing alea (tests only), or null. */
  private scripted: (() => number) | null = null;
  private spare = 0;
  private hasSpare = false;

  /** Create the stream seeded by `${masterSeed}/${name}`; prefer RandomStreams.get. */
  constructor(masterSeed: number | string, name: string) {
    this.name = name;
    this.setRegisters(seedrandom.alea(`${masterSeed}/${name}`, { state: true }).state());
  }

  /** A uniform draw in [0, 1). */
  next(): number {
    return this.source();
  }

  /**
   * Write `count` uniform draws into `out` from index `at`: the same draws, in the same order, as `count`
   * calls of next(). For hot loops: a typed array holds each draw unboxed, where a returned double is a
   * heap allocation whenever V8 does not inline the call.
   */
  fill(out: Float64Array, at: number, count: number): void {
    for (let i = at; i < at + count; i++) out[i] = this.source();
  }

  // One step of alea (seedrandom's lib/alea.js): t = a·s0 + c·2^-32; shift the registers; c = t | 0; s2 = t − c.
  private source(): number {
    if (this.scripted !== null) return this.scripted();
    const r = this.registers;
    const t = ALEA_A * r[S0] + r[C] * TWO_POW_MINUS_32;
    r[S0] = r[S1];
    r[S1] = r[S2];
    const c = t | 0;
    r[C] = c;
    return (r[S2] = t - c);
  }

  private setRegisters(state: { c: number; s0: number; s1: number; s2: number }): void {
    const r = this.registers;
    r[S0] = state.s0;
    r[S1] = state.s1;
    r[S2] = state.s2;
    r[C] = state.c;
  }

  /** Uniform on [min, max). */
  uniform(min: number, max: number): number {
    if (!(min <= max)) throw new DistributionError(`uniform: min ${min} must be <= max ${max}`);
    return min + (max - min) * this.source();
  }

  /** Uniform integer in [min, maxInclusive]. */
  integer(min: number, maxInclusive: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(maxInclusive) || min > maxInclusive) {
      throw new DistributionError(`integer: bounds must be integers with min <= max, got ${min}..${maxInclusive}`);
    }
    return min + Math.floor((maxInclusive - min + 1) * this.source());
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new DistributionError(`bernoulli: p must be in [0, 1], got ${p}`);
    return this.source() < p;
  }

  /** Exponential with the given MEAN (not rate). */
  exponential(mean: number): number {
    if (!(mean >= 0 && mean < Infinity)) throw new DistributionError(`exponential: mean must be >= 0, got ${mean}`);
    return -mean * Math.log(1 - this.source());
  }

  /** Poisson count with the given mean: inversion below mean 10, Hörmann's exact PTRS above. */
  poisson(mean: number): number {
    if (!(mean >= 0 && mean < Infinity)) throw new DistributionError(`poisson: mean must be >= 0, got ${mean}`);
    if (mean < POISSON_INVERSION_MAX_MEAN) {
      if (mean === 0) return 0;
      const u = this.source();
      let k = 0;
      let p = Math.exp(-mean);
      let cumulative = p;
      // Guard on p > 0: rounding can leave the cumulative sum a hair below u near 1.
      while (u >= cumulative && p > 0) {
        k++;
        p *= mean / k;
        cumulative += p;
      }
      return k;
    }
    return this.poissonPtrs(mean);
  }

  /** Normal with mean and standard deviation sd (Marsaglia polar; the spare deviate is part of the state). */
  normal(mean: number, sd: number): number {
    if (!(sd >= 0) || !Number.isFinite(mean)) throw new DistributionError(`normal: need finite mean and sd >= 0, got mean ${mean}, sd ${sd}`);
    return mean + sd * this.standardNormal();
  }

  /** Lognormal whose logarithm is normal(mu, sigma). */
  lognormal(mu: number, sigma: number): number {
    if (!(sigma >= 0) || !Number.isFinite(mu)) throw new DistributionError(`lognormal: need finite mu and sigma >= 0, got mu ${mu}, sigma ${sigma}`);
    return Math.exp(mu + sigma * this.standardNormal());
  }

  /** Gamma(shape, scale), mean shape*scale (Marsaglia–Tsang; shape < 1 by the U^(1/shape) boost). */
  gamma(shape: number, scale: number): number {
    if (!(shape > 0 && shape < Infinity) || !(scale >= 0 && scale < Infinity)) {
      throw new DistributionError(`gamma: need shape > 0 and scale >= 0, got shape ${shape}, scale ${scale}`);
    }
    if (shape < 1) {
      const boost = Math.pow(1 - this.source(), 1 / shape);
      return this.gammaAtLeastOne(shape + 1) * boost * scale;
    }
    return this.gammaAtLeastOne(shape) * scale;
  }

  /** Triangular on [min, max] with the given mode (inversion). */
  triangular(min: number, mode: number, max: number): number {
    if (!(min <= mode && mode <= max)) throw new DistributionError(`triangular: need min <= mode <= max, got ${min}, ${mode}, ${max}`);
    const u = this.source();
    const range = max - min;
    const cut = range === 0 ? 0 : (mode - min) / range;
    if (u < cut) return min + Math.sqrt(u * range * (mode - min));
    return max - Math.sqrt((1 - u) * range * (max - mode));
  }

  /** An index i drawn with probability weights[i] / sum(weights). */
  discrete(weights: ArrayLike<number>): number {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0 && w < Infinity)) throw new DistributionError(`discrete: weight ${i} must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new DistributionError(`discrete: weights must be non-empty with a positive sum, got ${n} weights summing to ${total}`);
    let target = this.source() * total;
    for (let i = 0; i < n; i++) {
      target -= weights[i];
      if (target < 0) return i;
    }
    // Rounding left a sliver past the last positive weight.
    for (let i = n - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return n - 1;
  }

  /** One of `values`, each equally likely. */
  empirical(values: ArrayLike<number>): number {
    if (values.length === 0) throw new DistributionError("empirical: values must be non-empty, got 0 values");
    return values[Math.floor(this.source() * values.length)];
  }

  /** The stream's state, JSON-serialisable; restoring it replays the same continuation. */
  saveState(): RandomStreamState {
    const r = this.registers;
    return { c: r[C], s0: r[S0], s1: r[S1], s2: r[S2], spareNormal: this.hasSpare ? this.spare : null };
  }

  /** Continue from a state produced by saveState (an override, if any, stays in place). */
  restoreState(state: RandomStreamState): void {
    const { c, s0, s1, s2 } = state;
    if (![c, s0, s1, s2].every(Number.isFinite)) throw new DistributionError(`restoreState: bad state for stream ${this.name}: ${JSON.stringify(state)}`);
    this.setRegisters({ c, s0, s1, s2 });
    this.hasSpare = state.spareNormal !== null && state.spareNormal !== undefined;
    this.spare = this.hasSpare ? (state.spareNormal as number) : 0;
  }

  /** Replace the uniform source (tests only; RandomStreams.override is the entry point). */
  useSource(draws: () => number): void {
    this.scripted = draws;
    this.hasSpare = false;
  }

  private standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.source() - 1;
      v = 2 * this.source() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    this.hasSpare = true;
    return u * factor;
  }

  private gammaAtLeastOne(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.standardNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.source();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  // Hörmann (1993), "The transformed rejection method for generating Poisson random variables":
  // exact for every mean >= 10, constant expected cost.
  private poissonPtrs(mean: number): number {
    const sqrtMean = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * sqrtMean;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.source() - 0.5;
      const v = this.source();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logGamma(k + 1)) return k;
    }
  }
}

// log Γ(x) for x >= 1 by the Stirling series, shifted up to x >= 7 for accuracy.
function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  const shift = x < 7 ? Math.floor(7 - x) : 0;
  let x0 = x + shift;
  const x2 = 1 / (x0 * x0);
  let series = STIRLING[STIRLING.length - 1];
  for (let i = STIRLING.length - 2; i >= 0; i--) series = series * x2 + STIRLING[i];
  let result = series / x0 + 0.5 * LOG_2PI + (x0 - 0.5) * Math.log(x0) - x0;
  for (let i = 0; i < shift; i++) {
    x0 -= 1;
    result -= Math.log(x0);
  }
  return result;
}

/** Lognormal parameters (of the underlying normal) from a median and a 90th percentile. */
export function lognormalParamsFromMedianP90(median: number, p90: number): { mu: number; sigma: number } {
  if (!(median > 0 && p90 >= median && p90 < Infinity)) {
    throw new DistributionError(`lognormalParamsFromMedianP90: need 0 < median <= p90, got median ${median}, p90 ${p90}`);
  }
  const mu = Math.log(median);
  return { mu, sigma: (Math.log(p90) - mu) / Z90 };
}

/** The run's named streams: each is created on first use and never shifts another stream. */
export class RandomStreams {
  /** The run's master seed; stream `name` is seeded by `${masterSeed}/${name}`. */
  readonly masterSeed: number | string;
  private readonly streams = new Map<string, RandomStream>();

  constructor(masterSeed: number | string) {
    if (typeof masterSeed === "number" && !Number.isFinite(masterSeed)) throw new DistributionError(`Seed must be finite, got ${masterSeed}`);
    this.masterSeed = masterSeed;
  }

  /** The stream called `name`, created on first use and cached. */
  get(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new RandomStream(this.masterSeed, name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** State of every stream created so far, keyed by name in sorted order. */
  saveState(): Record<string, RandomStreamState> {
    const state: Record<string, RandomStreamState> = {};
    for (const name of [...this.streams.keys()].sort()) state[name] = this.streams.get(name)!.saveState();
    return state;
  }

  /** Restore a saveState result; streams absent from it go back to their freshly seeded state. */
  restoreState(state: Record<string, RandomStreamState>): void {
    for (const [name, stream] of this.streams) {
      if (!(name in state)) stream.restoreState(new RandomStream(this.masterSeed, name).saveState());
    }
    for (const name of Object.keys(state)) this.get(name).restoreState(state[name]);
  }

  /** Replace stream `name`'s uniform source, e.g. with scripted draws in a test. */
  override(name: string, draws: () => number): void {
    this.get(name).useSource(draws);
  }
}
