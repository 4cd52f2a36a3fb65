// What a finished batch writes: results.csv and results.json (one row per replication), the
// command's own tables as CSV and JSON (compare.*, ablation.*, sweep-summary.*), report.html, and
// the text or JSON the command prints. All of it is computed from the ResultSet alone.
import { ablationEffects, ablationPolicies, type AblationDesign } from "./ablation.ts";
import { reportHtml } from "./report-html.ts";
import { flatRows, toCsv, toJsonRows, type Cell, type ResultSet } from "./results.ts";
import { compareArms, dailyBands, LEVEL, sweepSummary, summarise } from "./stats.ts";
import { ablationText, compareText, sweepText } from "./report-text.ts";

/** The files of a finished batch (name → contents) and what the command prints. */
export interface BatchOutputs {
  files: Record<string, string>;
  table: string;
  json: string;
}

/** Render a finished batch for its command. */
export function batchOutputs(results: ResultSet): BatchOutputs {
  const { columns, rows } = flatRows(results);
  const files: Record<string, string> = { "results.csv": toCsv(columns, rows), "results.json": toJsonRows(columns, rows) };
  const own = commandOutputs(results);
  Object.assign(files, own.files, { "report.html": reportHtml(results) });
  if (results.spec.timeseries === "daily") files["timeseries.csv"] = dailyCsv(results);
  return { files, table: own.table, json: own.json };
}

function commandOutputs(results: ResultSet): BatchOutputs {
  switch (results.spec.command) {
    case "compare":
      return compareOutputs(results);
    case "ablation":
      return ablationOutputs(results);
    case "sweep":
      return sweepOutputs(results);
  }
}

/** The header every JSON output starts with. */
function header(results: ResultSet): Record<string, unknown> {
  const { spec } = results;
  return {
    command: spec.command,
    scenario: spec.scenario,
    // Only a batch with --interventions says so, so other batches' files keep their bytes.
    ...(spec.interventions === undefined ? {} : { interventionsHash: spec.interventionsHash }),
    omnitwinVersion: spec.omnitwinVersion,
    reps: spec.reps,
    firstSeed: spec.firstSeed,
    level: LEVEL,
  };
}

/**
 * timeseries.csv (--timeseries): one row per sweep point × policy × day × series with the mean over the
 * replications and its t interval — long format, what pandas, R and a spreadsheet pivot expect.
 */
function dailyCsv(results: ResultSet): string {
  const { spec } = results;
  const paths = spec.variants[0].settings.map((s) => s.path);
  const rows: Cell[][] = [];
  spec.variants.forEach((variant, v) => {
    for (const policy of spec.policies) {
      const bands = dailyBands(results, v, policy);
      if (bands === null || bands.missing > 0) throw new Error(`a run of ${policy} has no daily series; re-run the batch with --timeseries`);
      for (const { name, cells } of bands.series)
        bands.day.forEach((day, i) => {
          const s = cells[i];
          rows.push([...variant.settings.map((x) => x.value), policy, day, name, s.n, s.mean, s.ciLo, s.ciHi]);
        });
    }
  });
  return toCsv([...paths.map((p) => `set:${p}`), "policy", "day", "series", "n", "mean", "ciLo", "ciHi"], rows);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Columns of a list of flat objects, CSV-ready. */
function tableOf<T extends object>(items: readonly T[], columns: ReadonlyArray<keyof T & string>): string {
  return toCsv(columns, items.map((item) => columns.map((c) => item[c] as Cell)));
}

function compareOutputs(results: ResultSet): BatchOutputs {
  const { a, b } = results.spec.options;
  const rows = compareArms(results, a, b);
  const text = json({ ...header(results), scenarioHash: results.spec.variants[0].scenarioHash, a, b, kpis: rows });
  const columns = ["kpi", "n", "meanA", "meanB", "sdA", "sdB", "difference", "ciLo", "ciHi", "changePercent", "changeCiLo", "changeCiHi", "welchLo", "welchHi"] as const;
  return { files: { "compare.json": text, "compare.csv": tableOf(rows, columns) }, table: compareText(results, rows), json: text };
}

function ablationOutputs(results: ResultSet): BatchOutputs {
  const design = results.spec.options.design as AblationDesign;
  const effects = ablationEffects(results, design);
  const combinations = ablationPolicies(design).map((policy) => ({
    policy,
    kpis: Object.fromEntries(results.kpis.map((kpi) => [kpi, summarise(results.series(0, policy, kpi))])),
  }));
  const text = json({ ...header(results), scenarioHash: results.spec.variants[0].scenarioHash, design, effects, combinations });
  const columns = ["kpi", "effect", "levers", "n", "mean", "ciLo", "ciHi"] as const;
  return { files: { "ablation.json": text, "ablation.csv": tableOf(effects, columns) }, table: ablationText(results, effects), json: text };
}

function sweepOutputs(results: ResultSet): BatchOutputs {
  const { spec } = results;
  const summary = sweepSummary(results);
  const paths = spec.variants[0].settings.map((s) => s.path);
  const rows = summary.map((s): Cell[] => [...spec.variants[s.variant].settings.map((x) => x.value), s.policy, s.kpi, s.n, s.mean, s.ciLo, s.ciHi]);
  const csv = toCsv([...paths.map((p) => `set:${p}`), "policy", "kpi", "n", "mean", "ciLo", "ciHi"], rows);
  const points = spec.variants.map((v, variant) => ({
    settings: Object.fromEntries(v.settings.map((s) => [s.path, s.value])),
    scenarioHash: v.scenarioHash,
    policies: Object.fromEntries(
      spec.policies.map((policy) => [policy, Object.fromEntries(summary.filter((s) => s.variant === variant && s.policy === policy).map((s) => [s.kpi, { n: s.n, mean: s.mean, ciLo: s.ciLo, ciHi: s.ciHi }]))]),
    ),
  }));
  const text = json({ ...header(results), policies: spec.policies, points });
  return { files: { "sweep-summary.json": text, "sweep-summary.csv": csv }, table: sweepText(results, summary), json: text };
}
