// The tables the experiment commands print: plain text, numbers with thousands separators and as
// many decimals as their size needs, laid out with the CLI's own table helpers, so they are as
// deterministic as the results they show.
import { LEVERS } from "../../sim/index.ts";
import { addedInterventionsLine } from "../output/interventions-line.ts";
import { forecastLine } from "../output/forecast-line.ts";
import { formatNumber, MISSING, renderTable, type Column } from "../output/table.ts";
import type { EffectRow } from "./ablation.ts";
import { selectKpis } from "./kpis.ts";
import type { ResultSet } from "./results.ts";
import { seedRange, variantLabel } from "./spec.ts";
import type { CellSummary, ComparisonRow } from "./stats.ts";
import { ratioProblem } from "./report-words.ts";

/** Decimals for figures of this size: 4 below 1, none from 1,000 up. */
export function decimalsFor(...values: number[]): number {
  const size = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  if (size === 0) return 0;
  return Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(size))));
}

/** A number, "—" when undefined. */
export function num(x: number, decimals: number): string {
  return Number.isFinite(x) ? formatNumber(x, decimals) : MISSING;
}

/** A signed number ("+1.2", "-3"). */
export function signed(x: number, decimals: number): string {
  const text = num(x, decimals);
  return Number.isFinite(x) && x > 0 && Number(x.toFixed(decimals)) !== 0 ? `+${text}` : text;
}

/** An interval "lo to hi". */
export function interval(lo: number, hi: number, decimals: number, suffix = ""): string {
  return Number.isFinite(lo) && Number.isFinite(hi) ? `${signed(lo, decimals)}${suffix} to ${signed(hi, decimals)}${suffix}` : MISSING;
}

/** A range of plain (unsigned) values "lo to hi", for intervals on a mean. */
export function range(lo: number, hi: number, decimals: number): string {
  return Number.isFinite(lo) && Number.isFinite(hi) ? `${num(lo, decimals)} to ${num(hi, decimals)}` : MISSING;
}

const left = (header: string): Column => ({ header, align: "left" });
const right = (header: string): Column => ({ header, align: "right" });

/** The first lines of every table: what ran. */
function title(results: ResultSet, what: string): string[] {
  const { spec } = results;
  return [
    `omnitwin ${spec.command} · scenario ${spec.scenario.id} · ${what}`,
    `omnitwin ${spec.omnitwinVersion} · ${seedRange(spec)} · 95% Student-t intervals`,
    ...(spec.interventions === undefined ? [] : [addedInterventionsLine(spec.interventionsHash, spec.interventions)]),
    ...(spec.forecast === "oracle" ? [forecastLine("oracle")] : []),
    "",
  ];
}

/** The KPIs a table shows: those the spec names, else `fallback` (all, or the headline ones). */
function shown(results: ResultSet, all: boolean): string[] {
  if (results.spec.kpis.length === 0 && all) return results.kpis;
  return selectKpis(results.spec.kpis, results.kpis).kpis;
}

/**
 * `omnitwin compare`'s table: the headline KPIs (or the chosen ones) first, then every other KPI; A, B,
 * B − A with its paired interval, and the % change with its interval only where a ratio to A's mean is
 * sound (ratioProblem): elsewhere "n/a" and a note under the table says why.
 */
export function compareText(results: ResultSet, rows: readonly ComparisonRow[]): string {
  const { a, b } = results.spec.options;
  const lead = selectKpis(results.spec.kpis, results.kpis).kpis;
  const keep = new Set(shown(results, true));
  const reasons: string[] = [];
  const line = (r: ComparisonRow) => {
    const d = decimalsFor(r.meanA, r.meanB);
    const problem = Number.isFinite(r.changePercent) ? ratioProblem(r) : undefined;
    let change = Number.isFinite(r.changePercent) ? `${signed(r.changePercent, 1)}%` : MISSING;
    let changeCi = interval(r.changeCiLo, r.changeCiHi, 1, "%");
    if (problem !== undefined) {
      if (!reasons.includes(problem)) reasons.push(problem);
      change = `n/a${"*".repeat(reasons.indexOf(problem) + 1)}`;
      changeCi = "";
    }
    return [r.kpi, num(r.meanA, d), num(r.meanB, d), signed(r.difference, d), interval(r.ciLo, r.ciHi, d), change, changeCi];
  };
  const first = lead.map((kpi) => rows.find((r) => r.kpi === kpi)).filter((r): r is ComparisonRow => r !== undefined);
  const others = rows.filter((r) => keep.has(r.kpi) && !lead.includes(r.kpi));
  const body = [...first.map(line), ...(others.length > 0 && first.length > 0 ? [["other KPIs"]] : []), ...others.map(line)];
  const lines = [
    ...title(results, `A ${a} vs B ${b} · ${results.spec.reps} paired replications (common random numbers)`),
    ...renderTable([left(first.length > 0 && others.length > 0 ? "headline KPIs" : "KPI"), right(`A: ${a}`), right(`B: ${b}`), right("B − A"), right("95% CI of B − A"), right("change"), right("95% CI of change")], body),
  ];
  if (reasons.length > 0) lines.push("", ...reasons.map((reason, i) => `${"*".repeat(i + 1)} % change left out: ${reason}.`));
  return `${lines.join("\n")}\n`;
}

/** `omnitwin ablation`'s tables, one block per chosen KPI. */
export function ablationText(results: ResultSet, effects: readonly EffectRow[]): string {
  const design = results.spec.options.design;
  const what =
    design === "full"
      ? `all ${2 ** LEVERS.length} lever combinations × ${results.spec.reps} replications`
      : `coordinated minus one lever each × ${results.spec.reps} replications`;
  const lines = title(results, what);
  lines.push(
    design === "full"
      ? "Attribution of coordinated − siloed by Shapley value over the 16 combinations (sums to the total);\nmain effects and two-way interactions as 2^4 factorial contrasts."
      : "Each lever's effect = coordinated − coordinated without it (what it adds to the other three);\none-off effects need not sum to the total: the remainder is interaction.",
    "",
  );
  for (const kpi of shown(results, false)) {
    const mine = effects.filter((e) => e.kpi === kpi);
    const total = mine.find((e) => e.effect === "total");
    if (total === undefined) continue;
    const d = decimalsFor(...mine.map((e) => e.mean), total.ciLo, total.ciHi);
    const share = (x: number) => (Number.isFinite(x) && total.mean !== 0 ? `${num((100 * x) / total.mean, 1)}%` : MISSING);
    lines.push(`${kpi} (n = ${total.n} seeds)`);
    if (design === "full") {
      const body = LEVERS.map((lever) => {
        const s = mine.find((e) => e.effect === "shapley" && e.levers === lever)!;
        const m = mine.find((e) => e.effect === "main" && e.levers === lever)!;
        return [lever, signed(s.mean, d), interval(s.ciLo, s.ciHi, d), share(s.mean), signed(m.mean, d), interval(m.ciLo, m.ciHi, d)];
      });
      body.push(["total (coordinated − siloed)", signed(total.mean, d), interval(total.ciLo, total.ciHi, d), share(total.mean), "", ""]);
      lines.push(...renderTable([left("lever"), right("attribution"), right("95% CI"), right("share"), right("main effect"), right("95% CI")], body));
      const pairs = mine.filter((e) => e.effect === "interaction").map((e) => [e.levers, signed(e.mean, d), interval(e.ciLo, e.ciHi, d)]);
      lines.push("", ...renderTable([left("two-way interaction"), right("effect"), right("95% CI")], pairs));
    } else {
      const body = LEVERS.map((lever) => {
        const w = mine.find((e) => e.effect === "without" && e.levers === lever)!;
        return [lever, signed(w.mean, d), interval(w.ciLo, w.ciHi, d), share(w.mean)];
      });
      body.push(["total (coordinated − siloed)", signed(total.mean, d), interval(total.ciLo, total.ciHi, d), share(total.mean)]);
      lines.push(...renderTable([left("lever"), right("effect"), right("95% CI"), right("share of total")], body));
    }
    lines.push("");
  }
  while (lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/** `omnitwin sweep`'s tables: per chosen KPI, one row per sweep point, a column per policy (mean ± half-width). */
export function sweepText(results: ResultSet, summary: ReadonlyArray<{ variant: number; policy: string; kpi: string } & CellSummary>): string {
  const { spec } = results;
  const lines = title(results, `${spec.variants.length} sweep points × ${spec.policies.length} policies × ${spec.reps} replications`);
  const paths = spec.variants[0].settings.map((s) => s.path);
  for (const kpi of shown(results, false)) {
    const cells = summary.filter((s) => s.kpi === kpi);
    const d = decimalsFor(...cells.map((c) => c.mean));
    const body = spec.variants.map((v, variant) => [
      ...(paths.length === 0 ? [variantLabel(v)] : v.settings.map((s) => String(s.value))),
      ...spec.policies.map((policy) => {
        const c = cells.find((x) => x.variant === variant && x.policy === policy)!;
        return Number.isFinite(c.ciHi) ? `${num(c.mean, d)} ± ${num((c.ciHi - c.ciLo) / 2, d)}` : num(c.mean, d);
      }),
    ]);
    lines.push(`${kpi} (mean ± 95% CI half-width)`);
    lines.push(...renderTable([...(paths.length === 0 ? [left("point")] : paths.map(left)), ...spec.policies.map(right)], body), "");
  }
  while (lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}
