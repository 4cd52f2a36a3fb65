// Which lever buys what. The full design runs all 16 lever combinations on the same seeds; per KPI
// and per seed it computes each lever's main effect and the two-way interactions (2^4 factorial
// contrasts) and each lever's Shapley value: its marginal contribution averaged over every order
// in which the levers could be switched on. Shapley values sum to coordinated − siloed exactly, seed
// by seed, so the attribution sums to the total. The one-off design (coordinated minus one lever
// each) only says what each lever adds on top of the other three; that need not sum to the total.
import { COORDINATED, LEVERS, policyName, SILOED, type Lever, type Policy } from "../../sim/index.ts";
import { meanInterval } from "../../sim/metrics/confidence.ts";
import type { ResultSet } from "./results.ts";
import { LEVEL } from "./stats.ts";

export const ABLATION_DESIGNS = ["full", "one-off"] as const;
export type AblationDesign = (typeof ABLATION_DESIGNS)[number];

/** What an effect row measures. */
export type EffectKind = "total" | "shapley" | "main" | "interaction" | "without";

/** One effect of one KPI with its interval over seeds. */
export interface EffectRow {
  kpi: string;
  effect: EffectKind;
  /** The lever ("dataPlatform"), the pair ("dataPlatform×tieredFulfilment"), or "" for the total. */
  levers: string;
  n: number;
  mean: number;
  ciLo: number;
  ciHi: number;
}

/** The policy with exactly the levers of bit mask `mask` on (bit j = LEVERS[j]). */
export function policyOfMask(mask: number): Policy {
  return Object.fromEntries(LEVERS.map((l, j) => [l, (mask >> j) % 2 === 1])) as Record<Lever, boolean>;
}

/** The policies a design runs, in table order. */
export function ablationPolicies(design: AblationDesign): string[] {
  if (design === "full") return Array.from({ length: 2 ** LEVERS.length }, (_, mask) => policyName(policyOfMask(mask)));
  return [policyName(SILOED), policyName(COORDINATED), ...LEVERS.map((l) => policyName({ ...COORDINATED, [l]: false }))];
}

/** |S|! (n − |S| − 1)! / n!: the Shapley weight of a coalition of `size` levers not holding the lever. */
function shapleyWeight(size: number, n: number): number {
  return (factorial(size) * factorial(n - size - 1)) / factorial(n);
}

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

function bitCount(mask: number): number {
  let c = 0;
  for (let m = mask; m > 0; m >>= 1) c += m & 1;
  return c;
}

/** Per-seed effects of the full design for one seed's 16 values y[mask]. */
export function factorialEffects(y: readonly number[]): { total: number; shapley: number[]; main: number[]; interaction: number[][] } {
  const n = LEVERS.length;
  const combos = 2 ** n;
  const sign = (mask: number, j: number) => ((mask >> j) % 2 === 1 ? 1 : -1);
  const shapley = LEVERS.map((_, j) => {
    let phi = 0;
    for (let mask = 0; mask < combos; mask++) if ((mask >> j) % 2 === 0) phi += shapleyWeight(bitCount(mask), n) * (y[mask | (1 << j)] - y[mask]);
    return phi;
  });
  const contrast = (f: (mask: number) => number) => {
    let sum = 0;
    for (let mask = 0; mask < combos; mask++) sum += f(mask) * y[mask];
    return sum / (combos / 2);
  };
  const main = LEVERS.map((_, j) => contrast((mask) => sign(mask, j)));
  const interaction = LEVERS.map((_, i) => LEVERS.map((__, j) => (i < j ? contrast((mask) => sign(mask, i) * sign(mask, j)) : NaN)));
  return { total: y[combos - 1] - y[0], shapley, main, interaction };
}

/** Every effect of the batch's design on every KPI (variant 0). */
export function ablationEffects(results: ResultSet, design: AblationDesign): EffectRow[] {
  return results.kpis.flatMap((kpi) => (design === "full" ? fullEffects(results, kpi) : oneOffEffects(results, kpi)));
}

function row(kpi: string, effect: EffectKind, levers: string, values: readonly number[]): EffectRow {
  const ci = meanInterval(values, LEVEL);
  return { kpi, effect, levers, n: ci.n, mean: ci.mean, ciLo: ci.lo, ciHi: ci.hi };
}

/** Per seed, the KPI under each of `policies`; seeds missing any value are left out. */
function complete(results: ResultSet, kpi: string, policies: readonly string[]): number[][] {
  const series = policies.map((p) => results.series(0, p, kpi));
  const out: number[][] = [];
  for (let rep = 0; rep < results.spec.reps; rep++) {
    const y = series.map((s) => s[rep]);
    if (y.every((v) => v !== undefined)) out.push(y as number[]);
  }
  return out;
}

function fullEffects(results: ResultSet, kpi: string): EffectRow[] {
  const perSeed = complete(results, kpi, ablationPolicies("full")).map(factorialEffects);
  const rows = [row(kpi, "total", "", perSeed.map((e) => e.total))];
  LEVERS.forEach((l, j) => rows.push(row(kpi, "shapley", l, perSeed.map((e) => e.shapley[j]))));
  LEVERS.forEach((l, j) => rows.push(row(kpi, "main", l, perSeed.map((e) => e.main[j]))));
  LEVERS.forEach((a, i) =>
    LEVERS.forEach((b, j) => {
      if (i < j) rows.push(row(kpi, "interaction", `${a}×${b}`, perSeed.map((e) => e.interaction[i][j])));
    }),
  );
  return rows;
}

function oneOffEffects(results: ResultSet, kpi: string): EffectRow[] {
  // Columns: siloed, coordinated, then coordinated without each lever.
  const perSeed = complete(results, kpi, ablationPolicies("one-off"));
  const rows = [row(kpi, "total", "", perSeed.map((y) => y[1] - y[0]))];
  LEVERS.forEach((l, j) => rows.push(row(kpi, "without", l, perSeed.map((y) => y[1] - y[2 + j]))));
  return rows;
}
