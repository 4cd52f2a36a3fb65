// report.html: one self-contained page a planner can forward — inline CSS and inline SVG charts,
// no scripts, no network. Comparison: % change with intervals, paired dots per KPI, the full KPI
// table. Ablation: attribution bars with whiskers and the effect tables. Sweep: a line per policy.
// Every string that came from a scenario or the command line is escaped.
import { kpiLabel, kpiSpec, LEVERS } from "../../sim/index.ts";
import { ablationEffects, ablationPolicies, type AblationDesign, type EffectRow } from "./ablation.ts";
import { selectKpis } from "./kpis.ts";
import { decimalsFor, interval, num, range, signed } from "./report-text.ts";
import type { ResultSet } from "./results.ts";
import { seedRange, variantLabel } from "./spec.ts";
import { compareArms, pairs, summarise, sweepSummary } from "./stats.ts";
import { COLORS, escapeHtml, intervalPlot, lineChart, pairedDots, type IntervalRow } from "./svg.ts";

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{padding:2px 8px;border-bottom:1px solid #eee}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.small{color:#666;font-size:.85em}
.grid{display:flex;flex-wrap:wrap;gap:8px}code{background:#f4f4f4;padding:0 3px}`;

/** The report page for a finished batch. */
export function reportHtml(results: ResultSet): string {
  const { spec } = results;
  const body = spec.command === "compare" ? compareSection(results) : spec.command === "ablation" ? ablationSection(results) : sweepSection(results);
  const hashes = [...new Set(spec.variants.map((v) => v.scenarioHash))];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`omnitwin ${spec.command}: ${spec.scenario.name}`)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(`omnitwin ${spec.command}: ${spec.scenario.name}`)}</h1>
<p>Scenario <code>${escapeHtml(spec.scenario.id)}</code> · ${escapeHtml(seedRange(spec))} · ${spec.reps} replications per policy${spec.variants.length > 1 ? ` and sweep point (${spec.variants.length} points)` : ""} · omnitwin ${escapeHtml(spec.omnitwinVersion)}</p>
${addedInterventions(results)}<p class="small">Scenario hash${hashes.length > 1 ? "es" : ""} ${hashes.map((h) => `<code>${escapeHtml(h)}</code>`).join(" ")}. Replication i of every policy runs on seed ${spec.firstSeed} + i − 1 (common random numbers), so differences are paired. Intervals are 95% Student-t over replications. Re-run with <code>${escapeHtml(commandLine(results))}</code>.</p>
${body}
</body></html>
`;
}

/** Every run's added interventions (--interventions), one per line as JSON, or nothing. */
function addedInterventions({ spec }: ResultSet): string {
  if (spec.interventions === undefined) return "";
  const list = spec.interventions.map((i) => `<li><code>${escapeHtml(JSON.stringify(i))}</code></li>`).join("");
  return `<p>Every run adds these interventions on top of the scenario's own (interventions hash <code>${escapeHtml(spec.interventionsHash)}</code>):</p><ul class="small">${list}</ul>\n`;
}

/** The command that reproduces this batch (the scenario file path is the reader's). */
function commandLine(results: ResultSet): string {
  const { spec } = results;
  const parts = [`omnitwin ${spec.command} SCENARIO.json`, `--reps ${spec.reps}`, `--seed ${spec.firstSeed}`];
  if (spec.command === "compare") parts.push(`--a ${spec.options.a}`, `--b ${spec.options.b}`);
  if (spec.command === "ablation" && spec.options.design === "one-off") parts.push("--one-off");
  if (spec.command === "sweep") {
    const paths = spec.variants[0].settings.map((s) => s.path);
    paths.forEach((p, i) => parts.push(`--set ${p}=${[...new Set(spec.variants.map((v) => JSON.stringify(v.settings[i].value)))].join(",")}`));
    for (const p of spec.policies) parts.push(`--policy ${p}`);
  }
  if (spec.kpis.length > 0) parts.push(`--kpi ${spec.kpis.join(",")}`);
  if (spec.interventions !== undefined) parts.push("--interventions INTERVENTIONS.json");
  return parts.join(" ");
}

function chosen(results: ResultSet): string[] {
  return selectKpis(results.spec.kpis, results.kpis).kpis;
}

/** A KPI as a reader sees it: the registry's label and unit ("Total cost (CNY)"), never its code key. */
function named(kpi: string): string {
  const unit = kpiSpec(kpi)?.unit;
  return unit ? `${kpiLabel(kpi)} (${unit})` : kpiLabel(kpi);
}

function th(text: string, numeric = false): string {
  return `<th${numeric ? ' class="n"' : ""}>${escapeHtml(text)}</th>`;
}

function td(text: string, numeric = false): string {
  return `<td${numeric ? ' class="n"' : ""}>${escapeHtml(text)}</td>`;
}

function table(headers: ReadonlyArray<[string, boolean]>, rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const head = `<tr>${headers.map(([h, n]) => th(h, n)).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((cell, i) => td(cell, headers[i]?.[1] ?? false)).join("")}</tr>`).join("\n");
  return `<table>${head}\n${body}</table>`;
}

function compareSection(results: ResultSet): string {
  const { a, b } = results.spec.options;
  const rows = compareArms(results, a, b);
  const headline = chosen(results);
  const change: IntervalRow[] = headline.map((kpi) => {
    const r = rows.find((x) => x.kpi === kpi)!;
    return { label: named(kpi), mean: r.changePercent, lo: r.changeCiLo, hi: r.changeCiHi, color: COLORS[1] };
  });
  const dots = headline.map((kpi) => {
    const p = pairs(results, 0, a, b, kpi);
    return pairedDots(named(kpi), p.a, p.b, ["A", "B"]);
  });
  const tableRows = rows.map((r) => {
    const d = decimalsFor(r.meanA, r.meanB);
    return [named(r.kpi), String(r.n), num(r.meanA, d), num(r.meanB, d), signed(r.difference, d), interval(r.ciLo, r.ciHi, d), Number.isFinite(r.changePercent) ? `${signed(r.changePercent, 1)}%` : "—", interval(r.welchLo, r.welchHi, d)];
  });
  return `<h2>${escapeHtml(`B (${b}) compared with A (${a})`)}</h2>
<h3>Change of B from A, % of A, with 95% intervals</h3>
${intervalPlot(change, "% change from A (axis cut at ±150%)", 720, 150)}
<h3>Replications: A left, B right; a grey line joins the two arms of each seed; the black bar is the mean</h3>
<div class="grid">${dots.join("\n")}</div>
<h2>Every KPI</h2>
<p class="small">B − A is the mean of the per-seed differences, with its paired t interval. The unpaired Welch interval over the same runs shows what common random numbers save.</p>
${table([["KPI", false], ["n", true], [`A: ${a}`, true], [`B: ${b}`, true], ["B − A", true], ["95% CI (paired)", true], ["change", true], ["95% CI (Welch, unpaired)", true]], tableRows)}`;
}

function ablationSection(results: ResultSet): string {
  const design = results.spec.options.design as AblationDesign;
  const effects = ablationEffects(results, design);
  const kpis = chosen(results);
  const blocks = kpis.map((kpi) => {
    const mine = effects.filter((e) => e.kpi === kpi);
    const total = mine.find((e) => e.effect === "total")!;
    const per = mine.filter((e) => e.effect === (design === "full" ? "shapley" : "without"));
    const bars: IntervalRow[] = [
      ...per.map((e, i) => ({ label: e.levers, mean: e.mean, lo: e.ciLo, hi: e.ciHi, bar: true, color: COLORS[i % COLORS.length] })),
      { label: "total: coordinated − siloed", mean: total.mean, lo: total.ciLo, hi: total.ciHi, bar: true, color: "#555" },
    ];
    return `<h3>${escapeHtml(named(kpi))}</h3>\n${intervalPlot(bars, design === "full" ? "Shapley attribution (sums to the total)" : "coordinated − coordinated without the lever")}\n${effectTable(mine)}`;
  });
  const policies = ablationPolicies(design);
  const means = policies.map((p) => [p, ...kpis.map((kpi) => num(summarise(results.series(0, p, kpi)).mean, decimalsFor(...policies.map((q) => summarise(results.series(0, q, kpi)).mean))))]);
  const note =
    design === "full"
      ? "Attribution: each lever's Shapley value over the 16 combinations (its marginal effect averaged over every order of switching the levers on); the four add up to coordinated − siloed. Main effects and two-way interactions are the usual 2^4 factorial contrasts."
      : "Each lever's effect is coordinated minus coordinated without it: what it adds on top of the other three. These need not add up to the total; the remainder is interaction.";
  return `<h2>Lever attribution</h2><p class="small">${escapeHtml(note)}</p>
${blocks.join("\n")}
<h2>Mean of each policy</h2>
${table([["policy", false], ...kpis.map((k): [string, boolean] => [named(k), true])], means)}
<p class="small">Levers: ${LEVERS.map(escapeHtml).join(", ")}.</p>`;
}

function effectTable(rows: readonly EffectRow[]): string {
  const d = decimalsFor(...rows.map((r) => r.mean));
  return table(
    [["effect", false], ["levers", false], ["n", true], ["mean", true], ["95% CI", true]],
    rows.map((r) => [r.effect, r.levers, String(r.n), signed(r.mean, d), interval(r.ciLo, r.ciHi, d)]),
  );
}

function sweepSection(results: ResultSet): string {
  const { spec } = results;
  const summary = sweepSummary(results);
  const categories = spec.variants.map((v) => (v.settings.length === 1 ? String(v.settings[0].value) : variantLabel(v)));
  const axis = spec.variants[0].settings.map((s) => s.path).join(" × ");
  const blocks = chosen(results).map((kpi) => {
    const series = spec.policies.map((policy) => ({
      name: policy,
      points: spec.variants.map((_, variant) => {
        const cell = summary.find((s) => s.variant === variant && s.policy === policy && s.kpi === kpi)!;
        return { mean: cell.mean, lo: cell.ciLo, hi: cell.ciHi };
      }),
    }));
    const d = decimalsFor(...series.flatMap((s) => s.points.map((p) => p.mean)));
    const rows = spec.variants.map((v, i) => [categories[i], ...series.map((s) => `${num(s.points[i].mean, d)} (${range(s.points[i].lo, s.points[i].hi, d)})`)]);
    return `${lineChart(`${named(kpi)} by ${axis}`, categories, series)}\n${table([[axis, false], ...spec.policies.map((p): [string, boolean] => [p, true])], rows)}`;
  });
  return `<h2>Sweep over ${escapeHtml(axis)}</h2>\n${blocks.join("\n")}`;
}
