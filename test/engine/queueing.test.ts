// Queueing theory as an oracle for the kernel, the streams and ServerQueue together: M/M/1 and
// M/M/c run as independent replications with warm-up deletion; the 95% t confidence interval of
// each of L, Lq, W, Wq must contain the analytic value (Erlang C for M/M/c).
import { mean, sampleStandardDeviation } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { ServerQueue, Simulation, Tally } from "../../sim/engine/index.ts";
import { studentTQuantile } from "../../sim/metrics/confidence.ts";
import { normalQuantile } from "../../sim/model/orders/customer.ts";

interface Measures {
  L: number;
  Lq: number;
  W: number;
  Wq: number;
}

/** Analytic M/M/c steady state (rates per minute) via Erlang C; c = 1 reduces to M/M/1. */
function erlangC(lambda: number, mu: number, c: number): Measures {
  const a = lambda / mu;
  const rho = a / c;
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term; // a^k / k!
    term *= a / (k + 1);
  }
  const tail = term / (1 - rho); // a^c / (c! (1 - rho))
  const waitProbability = tail / (sum + tail);
  const Lq = (waitProbability * rho) / (1 - rho);
  const Wq = Lq / lambda;
  const W = Wq + 1 / mu;
  return { L: lambda * W, Lq, W, Wq };
}

/** One replication of M/M/c on ServerQueue; statistics restart at the end of the warm-up. */
function replicate(seed: number, lambda: number, mu: number, c: number, warmUp: number, length: number): Measures {
  const sim = new Simulation({ seed });
  const arrivals = sim.streams.get("arrivals");
  const service = sim.streams.get("service");
  const servers = new ServerQueue(sim, { name: "servers", capacity: c });
  const sojourns = new Tally();
  const end = warmUp + length;
  const depart = (arrivedAt: number): void => {
    servers.release();
    if (arrivedAt >= warmUp) sojourns.add(sim.now - arrivedAt);
  };
  const arrive = (): void => {
    const arrivedAt = sim.now;
    servers.request(() => sim.scheduleIn(service.exponential(1 / mu), depart, arrivedAt));
    sim.scheduleIn(arrivals.exponential(1 / lambda), arrive);
  };
  sim.scheduleIn(arrivals.exponential(1 / lambda), arrive);
  sim.scheduleAt(warmUp, () => servers.resetStats());
  sim.runUntil(end);
  const Lq = servers.queueLengthStat.mean(end);
  return { L: Lq + servers.busyStat.mean(end), Lq, W: sojourns.mean, Wq: servers.waits.mean };
}

function confidenceIntervals(samples: Measures[]): Record<keyof Measures, [number, number]> {
  const half = (xs: number[]) => (studentTQuantile(0.975, xs.length - 1) * sampleStandardDeviation(xs)) / Math.sqrt(xs.length);
  const result = {} as Record<keyof Measures, [number, number]>;
  for (const key of ["L", "Lq", "W", "Wq"] as const) {
    const xs = samples.map((s) => s[key]);
    result[key] = [mean(xs) - half(xs), mean(xs) + half(xs)];
  }
  return result;
}

const REPLICATIONS = 30;

describe("queueing theory (30 replications, 95% t intervals)", () => {
  it("the t and normal quantiles the intervals use match printed tables", () => {
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
  });

  it("M/M/1, lambda 48/h, mu 60/h: L, Lq, W, Wq", () => {
    const lambda = 48 / 60;
    const mu = 60 / 60;
    const theory = erlangC(lambda, mu, 1);
    expect(theory.L).toBeCloseTo(lambda / (mu - lambda), 12); // rho / (1 - rho)
    const runs = Array.from({ length: REPLICATIONS }, (_, r) => replicate(1000 + r, lambda, mu, 1, 2_000, 40_000));
    const ci = confidenceIntervals(runs);
    for (const key of ["L", "Lq", "W", "Wq"] as const) {
      const [lo, hi] = ci[key];
      expect(theory[key], `${key}: theory ${theory[key]} outside [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(theory[key], `${key}: theory ${theory[key]} outside [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
      expect((hi - lo) / theory[key]).toBeLessThan(0.15); // tight enough to catch a real bias
    }
  });

  it("M/M/3, lambda 10/h, mu 4/h: L, Lq, W, Wq against Erlang C", () => {
    const lambda = 10 / 60;
    const mu = 4 / 60;
    const theory = erlangC(lambda, mu, 3);
    const runs = Array.from({ length: REPLICATIONS }, (_, r) => replicate(2000 + r, lambda, mu, 3, 5_000, 150_000));
    const ci = confidenceIntervals(runs);
    for (const key of ["L", "Lq", "W", "Wq"] as const) {
      const [lo, hi] = ci[key];
      expect(theory[key], `${key}: theory ${theory[key]} outside [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(theory[key], `${key}: theory ${theory[key]} outside [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
      expect((hi - lo) / theory[key]).toBeLessThan(0.15);
    }
  });
});
