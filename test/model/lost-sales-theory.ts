// Exact steady state of the periodic-review base-stock system with LOST sales that the
// single-store-base-stock scenario simulates: review every R = 1 day, order up to S, lead time L = ℓ whole
// days (the order placed at one review lands at the review ℓ days later), Poisson(λ) demand per day, one
// unit per customer, a customer who finds the shelf empty is lost. Also the classical BACKORDER formula,
// which is only an approximation here.
//
// With lost sales the inventory position after a review is exactly S and each order equals the previous
// day's sales, so the stock on the shelf at the start of day d is y_d = S − (s_{d−1} + … + s_{d−ℓ}) and
// s_d = min(D_d, y_d). The vector (s_{d−1}, …, s_{d−ℓ}) is a finite Markov chain; its stationary
// distribution gives every figure exactly (no closed form needed).

/** Poisson pmf p[k], k = 0..n, for mean m (recurrence from p[0], fine for m up to a few hundred). */
export function poissonPmf(m: number, n: number): Float64Array {
  const p = new Float64Array(n + 1);
  let logTerm = -m;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logTerm += Math.log(m) - Math.log(k);
    p[k] = Math.exp(logTerm);
  }
  return p;
}

/** E[(D − x)^+] for D ~ Poisson(m), x a non-negative integer: m − x + E[(x − D)^+]. */
export function poissonExcess(m: number, x: number): number {
  const p = poissonPmf(m, x);
  let short = 0;
  for (let k = 0; k < x; k++) short += (x - k) * p[k];
  return m - x + short;
}

export interface LostSalesFigures {
  /** Long-run share of demand met from the shelf: E[sales per day] / λ. */
  fillRate: number;
  /** Units lost per day: λ − E[sales per day]. */
  lostPerDay: number;
  /** Time-average units on the shelf. */
  meanOnHand: number;
  /** Units on the shelf at the start of a day, just after the delivery. */
  meanStartOnHand: number;
}

/**
 * Stationary figures of the lost-sales chain for base stock S, lead time ℓ days (1..3) and λ per day.
 * Power iteration over the (S+1)^ℓ states until the distribution moves less than 1e-14.
 */
export function lostSalesBaseStock(S: number, leadDays: number, lambda: number): LostSalesFigures {
  if (!(Number.isInteger(leadDays) && leadDays >= 1 && leadDays <= 3)) throw new RangeError(`lead time must be 1..3 whole days, got ${leadDays}`);
  const base = S + 1;
  const states = base ** leadDays;
  const p = poissonPmf(lambda, S);
  // tail[y] = P(D >= y)
  const tail = new Float64Array(S + 2);
  tail[S + 1] = 0;
  {
    let cdf = 0;
    for (let y = 0; y <= S + 1; y++) {
      tail[y] = Math.max(0, 1 - cdf);
      if (y <= S) cdf += p[y];
    }
  }
  // State index: s_{d−1} + base·s_{d−2} + base²·s_{d−3}; on-hand at the start of the day is S − Σ.
  const start = (state: number): number => {
    let sum = 0;
    for (let j = 0, x = state; j < leadDays; j++, x = Math.floor(x / base)) sum += x % base;
    return S - sum;
  };
  const shift = (state: number): number => (state * base) % states; // drop the oldest, make room for the newest
  const onHandStart = new Int32Array(states);
  for (let i = 0; i < states; i++) onHandStart[i] = start(i);
  let pi = new Float64Array(states);
  pi[0] = 1; // start with nothing outstanding: S on the shelf
  let next = new Float64Array(states);
  for (let iter = 0; iter < 100_000; iter++) {
    next.fill(0);
    for (let i = 0; i < states; i++) {
      const mass = pi[i];
      if (mass === 0) continue;
      const y = onHandStart[i];
      if (y < 0) continue;
      const to = shift(i);
      for (let k = 0; k < y; k++) next[to + k] += mass * p[k];
      next[to + y] += mass * tail[y];
    }
    let moved = 0;
    for (let i = 0; i < states; i++) moved += Math.abs(next[i] - pi[i]);
    [pi, next] = [next, pi];
    if (moved < 1e-14) break;
  }
  // Figures per starting stock y.
  let sales = 0;
  let onHand = 0;
  let startOnHand = 0;
  const meanOnHandGiven = timeAverageOnHand(S, lambda);
  for (let i = 0; i < states; i++) {
    const mass = pi[i];
    if (mass === 0) continue;
    const y = onHandStart[i];
    // E[min(D, y)] = Σ_{k<y} P(D > k) = Σ_{k=1..y} P(D >= k)
    let expectedSales = 0;
    for (let k = 1; k <= y; k++) expectedSales += tail[k];
    sales += mass * expectedSales;
    onHand += mass * meanOnHandGiven[y];
    startOnHand += mass * y;
  }
  return { fillRate: sales / lambda, lostPerDay: lambda - sales, meanOnHand: onHand, meanStartOnHand: startOnHand };
}

/**
 * For each starting stock y = 0..S, the expected time-average on-hand over one day of Poisson(λ) demand:
 * ∫₀¹ E[(y − N(λu))^+] du = Σ_{k<y} (y − k) ∫₀¹ P(N(λu) = k) du, and ∫₀¹ P(N(λu) = k) du = P(D ≥ k+1)/λ.
 */
export function timeAverageOnHand(S: number, lambda: number): Float64Array {
  const p = poissonPmf(lambda, S + 1);
  const atLeast = new Float64Array(S + 2); // atLeast[j] = P(D >= j)
  let cdf = 0;
  for (let j = 0; j <= S + 1; j++) {
    atLeast[j] = Math.max(0, 1 - cdf);
    cdf += p[j];
  }
  const out = new Float64Array(S + 1);
  for (let y = 0; y <= S; y++) {
    let v = 0;
    for (let k = 0; k < y; k++) v += ((y - k) * atLeast[k + 1]) / lambda;
    out[y] = v;
  }
  return out;
}

/**
 * The textbook BACKORDER approximation of the same fill rate (every shortage waits instead of leaving):
 * 1 − (E[(D_{R+L} − S)^+] − E[(D_L − S)^+]) / E[D_R], with R = 1 day.
 */
export function backorderFillRate(S: number, leadDays: number, lambda: number): number {
  return 1 - (poissonExcess(lambda * (1 + leadDays), S) - poissonExcess(lambda * leadDays, S)) / lambda;
}
