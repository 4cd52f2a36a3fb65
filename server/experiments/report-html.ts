// report.html of a batch: a page a planner can forward. It opens with the headline in plain words (what
// changed, by how much, with its 95% interval, coloured by whether that is good), names every KPI by the
// registry's label and unit (code keys only in title attributes), and ends with the real command that
// re-runs it. Comparison: % change with intervals, paired dots, the KPI tables. Ablation: attribution
// bars and effect tables. Sweep: a line per policy. With --timeseries: day-by-day bands per policy.
import { kpiLabel } from "../../sim/index.ts";
import { ablationEffects, ablationPolicies, type AblationDesign, type EffectKind, type EffectRow } from "./ablation.ts";
import { rerunCommand } from "./batch-files.ts";
import { selectKpis } from "./kpis.ts";
import { COLOUR_KEY, htmlTable, marked, reportPage, type CellSpec } from "./report-page.ts";
import { decimalsFor, interval, num, range, signed } from "./report-text.ts";
import { compareHeadline, isShare, kpiNamed, kpiValueWords, leversWords, leverWords, listWords, policyWords, ratioProblem, verdict } from "./report-words.ts";
import type { ResultSet } from "./results.ts";
import { seedRange, variantLabel } from "./spec.ts";
import { compareArms, dailyBands, pairs, summarise, sweepSummary, type ComparisonRow } from "./stats.ts";
import { COLORS, escapeHtml, intervalPlot, lineChart, pairedDots, type IntervalRow } from "./svg.ts";
import { bandChart, dailySeriesLabel, type Band } from "./svg-bands.ts";
import { forecastLine } from "../output/forecast-line.ts";

/** The report page for a finished batch. */
export function reportHtml(results: ResultSet): string {
  const { spec } = results;
  const part = spec.command === "compare" ? compareSection(results) : spec.command === "ablation" ? ablationSection(results) : sweepSection(results);
  const body = `${about(results)}\n${COLOUR_KEY}\n${part.body}\n${dailySection(results)}\n${provenance(results)}`;
  return reportPage(`${part.title}: ${spec.scenario.name}`, part.headline, body);
}

interface Section {
  title: string;
  headline: string;
  body: string;
}

function about({ spec }: ResultSet): string {
  const points = spec.variants.length > 1 ? ` and sweep point (${spec.variants.length} points)` : "";
  return `<p class="small">Scenario <code>${escapeHtml(spec.scenario.id)}</code> · ${escapeHtml(seedRange(spec))} · ${spec.reps} replications per policy${points} · omnitwin ${escapeHtml(spec.omnitwinVersion)}</p>\n${spec.forecast === "oracle" ? `<p><strong>${escapeHtml(forecastLine("oracle"))}</strong></p>\n` : ""}${addedInterventions(spec)}`;
}

/** Every run's added interventions (--interventions), one per line as JSON, or nothing. */
function addedInterventions(spec: ResultSet["spec"]): string {
  if (spec.interventions === undefined) return "";
  const list = spec.interventions.map((i) => `<li><code>${escapeHtml(JSON.stringify(i))}</code></li>`).join("");
  return `<p>Every run adds these interventions on top of the scenario's own (interventions hash <code>${escapeHtml(spec.interventionsHash)}</code>):</p><ul class="small">${list}</ul>\n`;
}

function provenance(results: ResultSet): string {
  const { spec } = results;
  const hashes = [...new Set(spec.variants.map((v) => v.scenarioHash))];
  return `<h2>How this was made</h2>
<p class="small">Scenario hash${hashes.length > 1 ? "es" : ""} ${hashes.map((h) => `<code>${escapeHtml(h)}</code>`).join(" ")}. Replication i of every policy runs on seed ${spec.firstSeed} + i − 1 (common random numbers), so differences are paired. Intervals are 95% Student-t over replications. Re-run with:</p>
<pre class="command">${escapeHtml(rerunCommand(spec))}</pre>`;
}

/** The KPIs the charts and headline use: --kpi, else the registry's headline KPIs the runs have. */
function chosen(results: ResultSet): string[] {
  return selectKpis(results.spec.kpis, results.kpis).kpis;
}

/** A KPI's name cell: label and unit visible, the code key on hover. */
function kpiCell(kpi: string): CellSpec {
  return { text: kpiNamed(kpi), title: kpi };
}

function compareSection(results: ResultSet): Section {
  const { a, b } = results.spec.options;
  const [wa, wb] = [policyWords(a), policyWords(b)];
  const rows = compareArms(results, a, b);
  const kpis = chosen(results);
  const change: IntervalRow[] = kpis.map((kpi) => {
    const r = rows.find((x) => x.kpi === kpi)!;
    const sound = ratioProblem(r) === undefined;
    return { label: kpiNamed(kpi), mean: sound ? r.changePercent : NaN, lo: sound ? r.changeCiLo : NaN, hi: sound ? r.changeCiHi : NaN, color: COLORS[1] };
  });
  const dots = kpis.map((kpi) => {
    const p = pairs(results, 0, a, b, kpi);
    return pairedDots(kpiLabel(kpi), p.a, p.b, ["A", "B"]);
  });
  const headlineKeys = new Set(kpis);
  const lead = rows.filter((r) => headlineKeys.has(r.kpi)).sort((x, y) => kpis.indexOf(x.kpi) - kpis.indexOf(y.kpi));
  const rest = rows.filter((r) => !headlineKeys.has(r.kpi));
  const omitted = rows.filter((r) => Number.isFinite(r.changePercent) && ratioProblem(r) !== undefined);
  const omittedNote =
    omitted.length === 0
      ? ""
      : `<p class="small">The % change is left out (“n/a”) where it would mislead: ${escapeHtml(listWords(omitted.slice(0, 8).map((r) => `${kpiLabel(r.kpi)} (${ratioProblem(r)})`)))}${omitted.length > 8 ? ` and ${omitted.length - 8} more (hover “n/a” for the reason)` : ""}.</p>`;
  const headers = ["KPI", "n", `A: ${wa}`, `B: ${wb}`, "B − A", "95% CI of B − A (paired)", "change", "95% CI of change", "95% CI (Welch, unpaired)"];
  const numeric = [false, true, true, true, true, true, true, true, true];
  return {
    title: `${wb} compared with ${wa}`,
    headline: compareWords(results, rows, kpis),
    body: `<h2>Change of B (${escapeHtml(wb)}) from A (${escapeHtml(wa)}), % of A, with 95% intervals</h2>
${intervalPlot(change, "% change from A (axis cut at ±150%)", 720, 150)}
<h3>Replications: A left, B right; a grey line joins the two arms of each seed; the black bar is the mean</h3>
<div class="grid">${dots.join("\n")}</div>
<h2>Headline KPIs</h2>
<p class="small">B − A is the mean of the per-seed differences, with its paired t interval. The unpaired Welch interval over the same runs shows what common random numbers save.</p>
${htmlTable(headers, numeric, lead.map(compareRow))}
${omittedNote}
<h2>Every other KPI</h2>
${htmlTable(headers, numeric, rest.map(compareRow))}`,
  };
}

function compareRow(r: ComparisonRow): Array<string | CellSpec> {
  const d = decimalsFor(r.meanA, r.meanB);
  const v = verdict(r.kpi, r.ciLo, r.ciHi);
  const problem = ratioProblem(r);
  const change = !Number.isFinite(r.changePercent) ? "—" : problem === undefined ? `${signed(r.changePercent, 1)}%` : "n/a";
  return [
    kpiCell(r.kpi),
    String(r.n),
    num(r.meanA, d),
    num(r.meanB, d),
    { text: signed(r.difference, d), verdict: v },
    interval(r.ciLo, r.ciHi, d),
    { text: change, verdict: problem === undefined ? v : undefined, title: problem },
    problem === undefined ? interval(r.changeCiLo, r.changeCiHi, 1, "%") : { text: "n/a", title: problem },
    interval(r.welchLo, r.welchHi, d),
  ];
}

/** The headline paragraph of a comparison. */
function compareWords(results: ResultSet, rows: readonly ComparisonRow[], kpis: readonly string[]): string {
  const { a, b } = results.spec.options;
  const h = compareHeadline(rows, kpis);
  const parts: string[] = [];
  const who = escapeHtml(policyWords(b).toLowerCase());
  const than = escapeHtml(policyWords(a).toLowerCase());
  // The first three improvements in full; the rest by name, so the paragraph stays a paragraph.
  const [lead, more] = [h.better.slice(0, 3), h.betterLabels.slice(3)];
  if (lead.length > 0) parts.push(`Compared with ${than}, ${who} ${listWords(lead.map((t) => marked(t, "better")))}.`);
  if (more.length > 0) parts.push(`It also improves ${listWords(more.map((t) => marked(t, "better")))} (tables below).`);
  if (h.worse.length > 0) parts.push(`${h.better.length > 0 ? "It" : `Compared with ${than}, ${who}`} ${listWords(h.worse.map((t) => marked(t, "worse")))}.`);
  if (h.neutral.length > 0) parts.push(`It also ${listWords(h.neutral.map((t) => marked(t, "neutral")))}.`);
  if (h.unclear.length > 0) parts.push(`There is no clear difference in ${escapeHtml(listWords(h.unclear))} (the 95% interval includes zero).`);
  if (parts.length === 0) parts.push("No KPI was selected.");
  parts.push(`<span class="small">${results.spec.reps} paired replications; 95% intervals.</span>`);
  return parts.join(" ");
}

const EFFECT_WORDS: Record<EffectKind, string> = {
  total: "total: coordinated − siloed",
  shapley: "attribution (Shapley)",
  main: "main effect",
  interaction: "interaction",
  without: "coordinated − coordinated without it",
};

function ablationSection(results: ResultSet): Section {
  const design = results.spec.options.design as AblationDesign;
  const effects = ablationEffects(results, design);
  const kpis = chosen(results);
  const own = design === "full" ? "shapley" : "without";
  const blocks = kpis.map((kpi) => {
    const mine = effects.filter((e) => e.kpi === kpi);
    const total = mine.find((e) => e.effect === "total")!;
    const per = mine.filter((e) => e.effect === own);
    const bars: IntervalRow[] = [
      ...per.map((e, i) => ({ label: leverWords(e.levers), mean: e.mean, lo: e.ciLo, hi: e.ciHi, bar: true, color: COLORS[i % COLORS.length] })),
      { label: "total: coordinated − siloed", mean: total.mean, lo: total.ciLo, hi: total.ciHi, bar: true, color: "#555" },
    ];
    return `<h3 title="${escapeHtml(kpi)}">${escapeHtml(kpiNamed(kpi))}</h3>\n${intervalPlot(bars, design === "full" ? "Shapley attribution (sums to the total)" : "coordinated − coordinated without the lever")}\n${effectTable(mine)}`;
  });
  const policies = ablationPolicies(design);
  const means = policies.map((p) => [
    { text: policyWords(p), title: p },
    ...kpis.map((kpi) => num(summarise(results.series(0, p, kpi)).mean, decimalsFor(...policies.map((q) => summarise(results.series(0, q, kpi)).mean)))),
  ]);
  const note =
    design === "full"
      ? "Attribution: each lever's Shapley value over the 16 combinations (its marginal effect averaged over every order of switching the levers on); the four add up to coordinated − siloed. Main effects and two-way interactions are the usual 2^4 factorial contrasts."
      : "Each lever's effect is coordinated minus coordinated without it: what it adds on top of the other three. These need not add up to the total; the remainder is interaction.";
  return {
    title: "Which lever buys what",
    headline: ablationWords(results, effects, kpis, own),
    body: `<h2>Lever attribution</h2><p class="small">${escapeHtml(note)}</p>
${blocks.join("\n")}
<h2>Mean of each policy</h2>
${htmlTable([{ text: "policy" }, ...kpis.map(kpiCell)], [false, ...kpis.map(() => true)], means)}`,
  };
}

function effectTable(rows: readonly EffectRow[]): string {
  const d = decimalsFor(...rows.map((r) => r.mean));
  return htmlTable(
    ["effect", "levers", "n", "mean", "95% CI"],
    [false, false, true, true, true],
    rows.map((r) => [EFFECT_WORDS[r.effect], leversWords(r.levers), String(r.n), { text: signed(r.mean, d), verdict: verdict(r.kpi, r.ciLo, r.ciHi) }, interval(r.ciLo, r.ciHi, d)]),
  );
}

/** The headline of an ablation: per headline KPI with a clear total, the total and the lever that gives most of it. */
function ablationWords(results: ResultSet, effects: readonly EffectRow[], kpis: readonly string[], own: EffectKind): string {
  const sentences: string[] = [];
  const unclear: string[] = [];
  for (const kpi of kpis) {
    const mine = effects.filter((e) => e.kpi === kpi);
    const total = mine.find((e) => e.effect === "total");
    if (total === undefined) continue;
    const v = verdict(kpi, total.ciLo, total.ciHi);
    if (v === "unclear") {
      unclear.push(kpiLabel(kpi).toLowerCase());
      continue;
    }
    if (sentences.length >= 4) continue;
    const d = decimalsFor(total.mean, total.ciLo, total.ciHi);
    const top = mine.filter((e) => e.effect === own).sort((x, y) => Math.sign(total.mean) * (y.mean - x.mean))[0];
    // A difference of shares is in points of %, not a % of anything.
    const amount = (x: number) => (isShare(kpi) ? `${num(x * 100, 1)} points` : kpiValueWords(kpi, x, d));
    const [lo, hi] = [Math.abs(total.ciLo), Math.abs(total.ciHi)].sort((x, y) => x - y);
    const change = `${kpiLabel(kpi).toLowerCase()} ${total.mean < 0 ? "down" : "up"} by ${amount(Math.abs(total.mean))} (95% CI ${amount(lo)} to ${amount(hi)})`;
    const share = top !== undefined && total.mean !== 0 ? ` — ${escapeHtml(leverWords(top.levers))} ${own === "shapley" ? `accounts for the most, ${num((100 * top.mean) / total.mean, 0)}% of it` : "adds the most on top of the other three levers"}` : "";
    sentences.push(`${marked(change, v)}${share}`);
  }
  const parts = [sentences.length > 0 ? `Coordinated compared with siloed: ${sentences.join("; ")}.` : "Coordinated and siloed show no clear difference in the chosen KPIs."];
  if (unclear.length > 0) parts.push(`No clear total difference in ${escapeHtml(listWords(unclear))}.`);
  parts.push(`<span class="small">${results.spec.reps} replications per combination; 95% intervals.</span>`);
  return parts.join(" ");
}

function sweepSection(results: ResultSet): Section {
  const { spec } = results;
  const summary = sweepSummary(results);
  const categories = spec.variants.map((v) => (v.settings.length === 1 ? String(v.settings[0].value) : variantLabel(v)));
  const axis = spec.variants[0].settings.map((s) => s.path).join(" × ");
  const kpis = chosen(results);
  const cellOf = (variant: number, policy: string, kpi: string) => summary.find((s) => s.variant === variant && s.policy === policy && s.kpi === kpi)!;
  const blocks = kpis.map((kpi) => {
    const series = spec.policies.map((policy) => ({
      name: policyWords(policy),
      points: spec.variants.map((_, variant) => {
        const cell = cellOf(variant, policy, kpi);
        return { mean: cell.mean, lo: cell.ciLo, hi: cell.ciHi };
      }),
    }));
    const d = decimalsFor(...series.flatMap((s) => s.points.map((p) => p.mean)));
    const rows = spec.variants.map((v, i) => [categories[i], ...series.map((s) => `${num(s.points[i].mean, d)} (${range(s.points[i].lo, s.points[i].hi, d)})`)]);
    return `<h3 title="${escapeHtml(kpi)}">${escapeHtml(kpiNamed(kpi))}</h3>\n${lineChart(`${kpiLabel(kpi)} by ${axis}`, categories, series)}\n${htmlTable([axis, ...spec.policies.map((p) => ({ text: policyWords(p), title: p }))], [false, ...spec.policies.map(() => true)], rows)}`;
  });
  const sentences = kpis.slice(0, 4).map((kpi) => {
    const each = spec.policies.map((policy) => {
      const first = cellOf(0, policy, kpi).mean;
      const last = cellOf(spec.variants.length - 1, policy, kpi).mean;
      return `${escapeHtml(policyWords(policy))} from ${escapeHtml(kpiValueWords(kpi, first))} to ${escapeHtml(kpiValueWords(kpi, last))}`;
    });
    return `${escapeHtml(kpiLabel(kpi))}: ${each.join(", ")}`;
  });
  const headline = `As ${escapeHtml(axis)} goes from ${escapeHtml(categories[0])} to ${escapeHtml(categories[categories.length - 1])} (${spec.variants.length} points): ${sentences.join("; ")}. <span class="small">Means over ${spec.reps} replications per point; the tables give 95% intervals.</span>`;
  return { title: `Sweep over ${axis}`, headline, body: `<h2>Sweep over ${escapeHtml(axis)}</h2>\n${blocks.join("\n")}` };
}

/** The policies a day-by-day chart shows: both arms of a comparison, siloed and coordinated of an ablation, every policy of a sweep. */
function dailyPolicies(results: ResultSet): string[] {
  const { spec } = results;
  if (spec.command === "compare") return [spec.options.a, spec.options.b];
  if (spec.command === "ablation") return ["siloed", "coordinated"];
  return spec.policies;
}

/** Day-by-day bands per policy (--timeseries), at the base scenario or the first sweep point. */
function dailySection(results: ResultSet): string {
  const { spec } = results;
  if (spec.timeseries !== "daily") return "";
  const policies = dailyPolicies(results);
  const perPolicy = policies.map((policy) => dailyBands(results, 0, policy));
  const first = perPolicy[0];
  if (first === null) return "";
  const charts = first.series.map(({ name }, j) => {
    const bands: Band[] = policies.map((policy, k) => {
      // A policy whose first replication kept no series reads as empty days, as the runs' own values would.
      const cells = perPolicy[k]?.series[j]?.cells ?? first.day.map(() => summarise([]));
      return { name: policyWords(policy), mean: cells.map((s) => s.mean), lo: cells.map((s) => s.ciLo), hi: cells.map((s) => s.ciHi) };
    });
    return bandChart(dailySeriesLabel(name), first.day, bands);
  });
  const where = spec.variants.length > 1 ? ` at the first sweep point (${escapeHtml(variantLabel(spec.variants[0]))})` : "";
  return `<h2>Day by day</h2>
<p class="small">State at the end of each simulated day${where}: the line is the mean over the replications, the band its 95% interval. timeseries.csv has every series, policy and day.</p>
${charts.join("\n")}`;
}

