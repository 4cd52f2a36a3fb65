// Results as one spreadsheet (--xlsx): the batch's runs, its comparison, attribution or sweep table and,
// with --timeseries, the day-by-day means — or a single run's KPIs and time series. Every sheet has two
// frozen header rows: the plain-language name with its unit (from the KPI registry), then the code key a
// script reads; cells are typed (numbers as numbers, shares formatted as %), a missing value is empty.
import ExcelJS from "exceljs";
import { kpiSpec, KPI_UNITS, LEVERS, type RunSummary } from "../../sim/index.ts";
import type { TimeseriesRow } from "../../sim/metrics/collector.ts";
import { ablationEffects, type AblationDesign } from "./ablation.ts";
import { flattenKpis } from "./kpis.ts";
import { kpiNamed, leversWords, policyWords, ratioProblem, verdict } from "./report-words.ts";
import { flatRows, type Cell, type ResultSet } from "./results.ts";
import { compareArms, dailyBands, sweepSummary } from "./stats.ts";
import { dailySeriesLabel } from "./svg-bands.ts";

/** One column: its header in words, its key, and the number format of its cells. */
interface Column {
  label: string;
  key: string;
  format?: string;
  width?: number;
}

const SHARE = "0.0%";
const MONEY = "#,##0.00";

/** A KPI's column: label and unit, the key, shares as %. */
function kpiColumn(key: string, label = kpiNamed(key)): Column {
  const unit = kpiSpec(key)?.unit;
  return { label, key, format: unit === KPI_UNITS.share ? SHARE : unit === KPI_UNITS.cny ? MONEY : undefined, width: 16 };
}

function plain(label: string, key: string, width = 12): Column {
  return { label, key, width };
}

/** Add a sheet: two header rows (words, key), frozen, then the rows as typed cells. */
function addSheet(book: ExcelJS.Workbook, name: string, columns: readonly Column[], rows: ReadonlyArray<readonly Cell[]>): void {
  const sheet = book.addWorksheet(name, { views: [{ state: "frozen", ySplit: 2, xSplit: 0 }] });
  sheet.addRow(columns.map((c) => c.label)).font = { bold: true };
  sheet.addRow(columns.map((c) => c.key)).font = { italic: true, color: { argb: "FF666666" } };
  for (const row of rows) sheet.addRow(row.map(typed));
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width ?? Math.min(40, Math.max(10, c.label.length + 2));
    if (c.format !== undefined) column.numFmt = c.format;
  });
}

/** A cell value as ExcelJS takes it: non-finite numbers and nulls become empty cells. */
function typed(value: Cell | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

const RUN_COLUMNS: Record<string, string> = {
  run: "Run",
  replication: "Replication",
  seed: "Seed",
  policy: "Policy",
  scenarioHash: "Scenario hash",
  events: "Events simulated",
};

/** The workbook of a finished batch, as bytes. */
export async function batchWorkbook(results: ResultSet): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = "omnitwin";
  book.created = new Date(0); // fixed: the same batch gives the same metadata
  book.modified = new Date(0);
  const { spec } = results;
  const { columns, rows } = flatRows(results);
  const kpis = new Set(results.kpis);
  const runColumns = columns.map((key): Column => {
    if (kpis.has(key)) return kpiColumn(key);
    if ((LEVERS as readonly string[]).includes(key)) return plain(`Lever on: ${leversWords(key)}`, key);
    if (key.startsWith("set:")) return plain(`Set ${key.slice(4)}`, key, 20);
    return plain(RUN_COLUMNS[key] ?? key, key, key === "policy" || key === "scenarioHash" ? 24 : 12);
  });
  addSheet(book, "Runs", runColumns, rows);
  if (spec.command === "compare") addComparison(book, results);
  if (spec.command === "ablation") addAttribution(book, results);
  if (spec.command === "sweep") addSweep(book, results);
  if (spec.timeseries === "daily") addDaily(book, results);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

function addComparison(book: ExcelJS.Workbook, results: ResultSet): void {
  const { a, b } = results.spec.options;
  const rows = compareArms(results, a, b).map((r): Cell[] => {
    const problem = ratioProblem(r);
    const sound = problem === undefined;
    return [
      kpiNamed(r.kpi), r.kpi, kpiSpec(r.kpi)?.unit ?? null, kpiSpec(r.kpi)?.better ?? null, r.n, r.meanA, r.meanB, r.difference, r.ciLo, r.ciHi,
      sound ? r.changePercent / 100 : null, sound ? r.changeCiLo / 100 : null, sound ? r.changeCiHi / 100 : null,
      verdict(r.kpi, r.ciLo, r.ciHi), problem ?? null, r.welchLo, r.welchHi,
    ];
  });
  addSheet(book, "Comparison", [
    plain("KPI", "label", 36), plain("KPI key", "kpi", 28), plain("Unit", "unit"), plain("Better when", "better"), plain("Pairs", "n", 8),
    plain(`A: ${policyWords(a)}`, "meanA", 16), plain(`B: ${policyWords(b)}`, "meanB", 16), plain("B − A", "difference", 14),
    plain("95% CI of B − A, low", "ciLo", 16), plain("95% CI of B − A, high", "ciHi", 16),
    { ...plain("Change (% of A)", "changePercent", 14), format: SHARE }, { ...plain("95% CI of change, low", "changeCiLo", 16), format: SHARE },
    { ...plain("95% CI of change, high", "changeCiHi", 16), format: SHARE }, plain("Verdict", "verdict"), plain("Why no % change", "changeOmitted", 40),
    plain("95% CI Welch (unpaired), low", "welchLo", 16), plain("95% CI Welch (unpaired), high", "welchHi", 16),
  ], rows);
}

function addAttribution(book: ExcelJS.Workbook, results: ResultSet): void {
  const effects = ablationEffects(results, results.spec.options.design as AblationDesign);
  const rows = effects.map((e): Cell[] => [kpiNamed(e.kpi), e.kpi, e.effect, leversWords(e.levers), e.levers, e.n, e.mean, e.ciLo, e.ciHi, verdict(e.kpi, e.ciLo, e.ciHi)]);
  addSheet(book, "Attribution", [
    plain("KPI", "label", 36), plain("KPI key", "kpi", 28), plain("Effect", "effect"), plain("Levers", "leversLabel", 30), plain("Lever keys", "levers", 30),
    plain("Replications", "n"), plain("Mean", "mean", 14), plain("95% CI, low", "ciLo", 14), plain("95% CI, high", "ciHi", 14), plain("Verdict", "verdict"),
  ], rows);
}

function addSweep(book: ExcelJS.Workbook, results: ResultSet): void {
  const { spec } = results;
  const paths = spec.variants[0].settings.map((s) => s.path);
  const rows = sweepSummary(results).map((s): Cell[] => [...spec.variants[s.variant].settings.map((x) => x.value), policyWords(s.policy), s.policy, kpiNamed(s.kpi), s.kpi, s.n, s.mean, s.ciLo, s.ciHi]);
  addSheet(book, "Sweep", [
    ...paths.map((p) => plain(`Set ${p}`, `set:${p}`, 20)), plain("Policy", "policyLabel", 24), plain("Policy key", "policy", 24), plain("KPI", "label", 36), plain("KPI key", "kpi", 28),
    plain("Replications", "n"), plain("Mean", "mean", 14), plain("95% CI, low", "ciLo", 14), plain("95% CI, high", "ciHi", 14),
  ], rows);
}

function addDaily(book: ExcelJS.Workbook, results: ResultSet): void {
  const { spec } = results;
  const paths = spec.variants[0].settings.map((s) => s.path);
  const rows: Cell[][] = [];
  spec.variants.forEach((variant, v) => {
    for (const policy of spec.policies) {
      const bands = dailyBands(results, v, policy);
      if (bands === null) continue;
      for (const { name, cells } of bands.series)
        bands.day.forEach((day, i) => {
          const s = cells[i];
          rows.push([...variant.settings.map((x) => x.value), policy, day, dailySeriesLabel(name), name, s.n, s.mean, s.ciLo, s.ciHi]);
        });
    }
  });
  addSheet(book, "Time series", [
    ...paths.map((p) => plain(`Set ${p}`, `set:${p}`, 20)), plain("Policy", "policy", 24), plain("Day", "day", 6), plain("Series", "label", 44), plain("Series key", "series", 16),
    plain("Replications", "n"), plain("Mean", "mean", 14), plain("95% CI, low", "ciLo", 14), plain("95% CI, high", "ciHi", 14),
  ], rows);
}

/** The workbook of one run: its KPIs (one row each) and its hourly time series, as bytes. */
export async function runWorkbook(summary: RunSummary, timeseries: readonly TimeseriesRow[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = "omnitwin";
  book.created = new Date(0);
  book.modified = new Date(0);
  const kpis = Object.entries(flattenKpis(summary.kpis)).map(([key, value]): Cell[] => [kpiNamed(key), key, kpiSpec(key)?.unit ?? null, kpiSpec(key)?.better ?? null, value]);
  addSheet(book, "KPIs", [plain("KPI", "label", 40), plain("KPI key", "kpi", 30), plain("Unit", "unit"), plain("Better when", "better"), plain("Value", "value", 16)], kpis);
  const names = timeseries.length > 0 ? (Object.keys(timeseries[0]).filter((k) => k !== "t") as Array<keyof TimeseriesRow>) : [];
  const rows = timeseries.map((r): Cell[] => [r.t / 60, ...names.map((n) => r[n])]);
  addSheet(book, "Time series", [plain("Hour of the run", "hour", 10), ...names.map((n) => plain(dailySeriesLabel(n).replace(" at day end", ""), n, 24))], rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}
