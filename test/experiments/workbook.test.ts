// --xlsx read back with ExcelJS: run, compare (with --timeseries), ablation and sweep each write one
// workbook whose sheets have frozen two-row headers (words with units, then keys), typed cells holding
// the same numbers as the CSV and JSON files, and no workbook when the option is not a .xlsx name.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanScratch, cli, scratch, TINY } from "./support.ts";

afterAll(cleanScratch);

async function read(path: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book;
}

/** A sheet's rows as arrays of cell values (ExcelJS rows are 1-based with a hole at 0). */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

function expectFrozenHeader(sheet: ExcelJS.Worksheet): void {
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
}

const root = scratch("workbook");
const books: Record<string, string> = {};

beforeAll(async () => {
  const runs: Record<string, string[]> = {
    compare: ["compare", TINY, "--reps", "3", "--workers", "0", "--timeseries", "--out", join(root, "compare")],
    ablation: ["ablation", TINY, "--reps", "2", "--workers", "0", "--one-off"],
    sweep: ["sweep", TINY, "--set", "demand.walkInPerDay=40,80", "--reps", "2", "--workers", "0"],
    run: ["run", TINY, "--seed", "3"],
  };
  for (const [name, args] of Object.entries(runs)) {
    books[name] = join(root, "books", `${name}.xlsx`);
    const r = await cli(...args, "--xlsx", books[name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote ${books[name]}`);
  }
}, 120_000);

describe("compare --xlsx", () => {
  it("has the runs, the comparison and the time series, each with frozen headers in words and keys", async () => {
    const book = await read(books.compare);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Runs", "Comparison", "Time series"]);
    for (const sheet of book.worksheets) expectFrozenHeader(sheet);
    const runs = rowsOf(book.getWorksheet("Runs")!);
    expect(runs[0]).toContain("Total cost (CNY)");
    expect(runs[0]).toContain("Fill rate (%)");
    expect(runs[1]).toContain("costs.total");
    expect(runs).toHaveLength(2 + 6);
  });

  it("holds typed numbers equal to results.csv and compare.json", async () => {
    const book = await read(books.compare);
    const runs = rowsOf(book.getWorksheet("Runs")!);
    const csv = readFileSync(join(root, "compare", "results.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const cost = csv[0].indexOf("costs.total");
    expect(runs[1][cost]).toBe("costs.total");
    for (let i = 1; i < csv.length; i++) {
      expect(typeof runs[i + 1][cost]).toBe("number");
      expect(runs[i + 1][cost]).toBe(Number(csv[i][cost]));
    }
    const fillColumn = runs[1].indexOf("fillRate");
    expect(book.getWorksheet("Runs")!.getColumn(fillColumn + 1).numFmt).toBe("0.0%");
    const comparison = rowsOf(book.getWorksheet("Comparison")!);
    const json = JSON.parse(readFileSync(join(root, "compare", "compare.json"), "utf8")) as { kpis: Array<{ kpi: string; difference: number; ciLo: number }> };
    const keyColumn = comparison[1].indexOf("kpi");
    const row = comparison.find((r) => r[keyColumn] === "costs.total")!;
    const expected = json.kpis.find((k) => k.kpi === "costs.total")!;
    expect(row[comparison[1].indexOf("difference")]).toBe(expected.difference);
    expect(row[comparison[1].indexOf("ciLo")]).toBe(expected.ciLo);
    expect(row[0]).toBe("Total cost (CNY)");
  });

  it("leaves the % change empty where the report says it would mislead", async () => {
    const comparison = rowsOf((await read(books.compare)).getWorksheet("Comparison")!);
    const omitted = comparison.slice(2).filter((r) => typeof r[comparison[1].indexOf("changeOmitted")] === "string");
    for (const r of omitted) expect(r[comparison[1].indexOf("changeCiLo")] ?? null).toBeNull();
  });
});

describe("ablation, sweep and run --xlsx", () => {
  it("ablation has the attribution sheet, levers in words", async () => {
    const book = await read(books.ablation);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Runs", "Attribution"]);
    const rows = rowsOf(book.getWorksheet("Attribution")!);
    expectFrozenHeader(book.getWorksheet("Attribution")!);
    expect(rows.some((r) => r[3] === "tiered fulfilment" && r[4] === "tieredFulfilment" && typeof r[6] === "number")).toBe(true);
  });

  it("sweep has one row per point × policy × KPI with the point's value typed", async () => {
    const book = await read(books.sweep);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Runs", "Sweep"]);
    const rows = rowsOf(book.getWorksheet("Sweep")!);
    expect(rows[1].slice(0, 3)).toEqual(["set:demand.walkInPerDay", "policyLabel", "policy"]);
    expect(new Set(rows.slice(2).map((r) => r[0]))).toEqual(new Set([40, 80]));
  });

  it("run has its KPIs and hourly time series", async () => {
    const book = await read(books.run);
    expect(book.worksheets.map((s) => s.name)).toEqual(["KPIs", "Time series"]);
    const kpis = rowsOf(book.getWorksheet("KPIs")!);
    const total = kpis.find((r) => r[1] === "costs.total")!;
    expect(total[0]).toBe("Total cost (CNY)");
    expect(total[2]).toBe("CNY");
    expect(total[3]).toBe("lower");
    expect(typeof total[4]).toBe("number");
    const series = rowsOf(book.getWorksheet("Time series")!);
    expect(series[1][0]).toBe("hour");
    expect(series.length).toBeGreaterThan(50);
  });

  it("refuses a workbook name that is not .xlsx, before running anything", async () => {
    const path = join(root, "books", "nope.csv");
    const r = await cli("run", TINY, "--xlsx", path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a workbook file name ends in .xlsx");
    expect(existsSync(path)).toBe(false);
  });
});
