// A robustness study: does the answer "what is coordination worth" hold across networks and across the
// assumptions that move it? Each scenario runs under each named assumption (a bundle of scenario settings,
// e.g. one of the three published late-compensation rules) with the siloed organisation, each lever
// alone and full coordination on common seeds; the table gives each arm's paired difference from siloed
// with its 95% interval on the KPIs a researcher would check first. Pure: batches run elsewhere.
import { COORDINATED, kpiLabel, kpiSpec, LATE_COMPENSATION_RULES, LEVERS, policyName, SILOED, type LateCompensationRuleName, type Lever } from "../../sim/index.ts";
import type { ResultSet } from "./results.ts";
import { parsePath, parseValue } from "./sweep-grid.ts";
import type { Setting } from "./spec.ts";
import { comparisonRow, pairs } from "./stats.ts";

/** A named assumption: the scenario settings it stands for. */
export interface Assumption {
  name: string;
  settings: Setting[];
}

/**
 * The three published variants of the late-shipment compensation rule (domain-numbers C10), chosen by name
 * (`costs.lateCompensation.rule`) with the scenario's own trigger: 5% of the item price (min 5, max 30 CNY),
 * 10% (5–100) and 30% (5–500). The scenarios' default is the third. A scenario that overrides share, min
 * or max keeps its overrides under every name.
 */
export const COMPENSATION_ASSUMPTIONS: readonly Assumption[] = (Object.keys(LATE_COMPENSATION_RULES) as LateCompensationRuleName[]).map((rule) => {
  const { share, min, max } = LATE_COMPENSATION_RULES[rule];
  return { name: `compensation ${share * 100}% (${min}–${max} CNY)`, settings: [{ path: "costs.lateCompensation.rule", value: rule }] };
});

/** Parse `name: path=value; path=value` (a value as in --set: JSON, else plain text). */
export function parseAssumption(text: string): Assumption {
  const colon = text.indexOf(":");
  if (colon <= 0) throw new RangeError(`expected "name: path=value; path=value", got ${JSON.stringify(text)}`);
  const name = text.slice(0, colon).trim();
  const parts = text
    .slice(colon + 1)
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new RangeError(`the assumption "${name}" sets nothing; add path=value after the colon`);
  const settings = parts.map((part): Setting => {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new RangeError(`the assumption "${name}": expected path=value, got ${JSON.stringify(part)}`);
    const path = part.slice(0, eq).trim();
    parsePath(path);
    return { path, value: parseValue(part.slice(eq + 1).trim()) };
  });
  return { name, settings };
}

/** The arms of a robustness study: siloed (the baseline), each lever alone, full coordination. */
export const ROBUSTNESS_POLICIES: readonly string[] = [
  policyName(SILOED),
  ...LEVERS.map((l: Lever) => policyName({ ...SILOED, [l]: true })),
  policyName(COORDINATED),
];

/** The KPIs the table shows: what the organisation pays, earns, promises and loses. */
export const ROBUSTNESS_KPIS: readonly string[] = ["costs.total", "grossMargin", "onTimeRate", "unitsLostSales"];

/** One cell of the table: an arm against siloed on one KPI, under one assumption, in one scenario. */
export interface RobustnessRow {
  scenario: string;
  assumption: string;
  policy: string;
  kpi: string;
  n: number;
  siloed: number;
  arm: number;
  difference: number;
  ciLo: number;
  ciHi: number;
  /** The difference is better for the organisation (by the KPI's registry direction) and its interval excludes 0. */
  verdict: "pays" | "costs" | "no clear effect";
}

/** Every arm against siloed, per assumption (variant order), from one scenario's finished batch. */
export function robustnessRows(results: ResultSet, assumptions: readonly Assumption[]): RobustnessRow[] {
  const baseline = policyName(SILOED);
  const rows: RobustnessRow[] = [];
  assumptions.forEach((assumption, variant) => {
    for (const policy of results.spec.policies) {
      if (policy === baseline) continue;
      for (const kpi of ROBUSTNESS_KPIS) {
        const c = comparisonRow(kpi, pairs(results, variant, baseline, policy, kpi));
        const better = kpiSpec(kpi)?.better;
        const sign = c.ciLo > 0 ? 1 : c.ciHi < 0 ? -1 : 0;
        const good = better === "higher" ? sign > 0 : better === "lower" ? sign < 0 : false;
        rows.push({
          scenario: results.spec.scenario.id,
          assumption: assumption.name,
          policy,
          kpi,
          n: c.n,
          siloed: c.meanA,
          arm: c.meanB,
          difference: c.difference,
          ciLo: c.ciLo,
          ciHi: c.ciHi,
          verdict: sign === 0 ? "no clear effect" : good ? "pays" : "costs",
        });
      }
    }
  });
  return rows;
}

/** A number for the table: thousands grouped, shares as percentage points. */
function figure(kpi: string, x: number): string {
  if (!Number.isFinite(x)) return "—";
  if (kpiSpec(kpi)?.unit === "share") return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(2)} pp`;
  const r = Math.round(x);
  return `${r >= 0 ? "+" : "−"}${Math.abs(r).toLocaleString("en-US")}`;
}

/** The study as Markdown: one table per scenario, a row per assumption × arm, a column per KPI (difference from siloed [95% CI]). */
export function robustnessMarkdown(rows: readonly RobustnessRow[], reps: number, firstSeed: number): string {
  const out: string[] = [];
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  out.push(
    `Each cell: the arm's mean paired difference from siloed over ${reps} replications (seeds ${firstSeed}–${firstSeed + reps - 1}, common random numbers), [95% interval]. ` +
      "**bold**: better for the organisation with an interval that excludes 0; _italic_: worse with an interval that excludes 0.",
    "",
  );
  for (const scenario of scenarios) {
    const mine = rows.filter((r) => r.scenario === scenario);
    out.push(`#### ${scenario}`, "");
    out.push(`| assumption | arm | ${ROBUSTNESS_KPIS.map((k) => `${kpiLabel(k)} (${k === "onTimeRate" ? "pp" : kpiSpec(k)?.unit})`).join(" | ")} |`);
    out.push(`| --- | --- | ${ROBUSTNESS_KPIS.map(() => "---:").join(" | ")} |`);
    const arms = [...new Set(mine.map((r) => `${r.assumption}\u0000${r.policy}`))];
    for (const arm of arms) {
      const [assumption, policy] = arm.split("\u0000");
      const cells = ROBUSTNESS_KPIS.map((kpi) => {
        const r = mine.find((x) => x.assumption === assumption && x.policy === policy && x.kpi === kpi)!;
        const text = `${figure(kpi, r.difference)} [${figure(kpi, r.ciLo)}, ${figure(kpi, r.ciHi)}]`;
        return r.verdict === "pays" ? `**${text}**` : r.verdict === "costs" ? `_${text}_` : text;
      });
      out.push(`| ${assumption} | ${policy} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** The study as CSV, one row per cell. */
export function robustnessCsv(rows: readonly RobustnessRow[]): string {
  const head = "scenario,assumption,policy,kpi,n,siloedMean,armMean,difference,ciLo,ciHi,verdict";
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const num = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : "");
  return [head, ...rows.map((r) => [q(r.scenario), q(r.assumption), q(r.policy), r.kpi, r.n, num(r.siloed), num(r.arm), num(r.difference), num(r.ciLo), num(r.ciHi), r.verdict].join(","))].join("\n") + "\n";
}
