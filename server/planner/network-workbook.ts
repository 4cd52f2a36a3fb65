// The network workbook on disk: writing a scenario's tables as an .xlsx (README first, two frozen header
// rows on every sheet) and reading one back into tables, refusing what a spreadsheet can hold but a
// scenario cannot — formulas, merged cells — by sheet, row and column. Dates typed as Excel dates are
// read as local date-times ("2026-06-18T20:00"); everything else is left to the scenario validator.
import ExcelJS from "exceljs";
import { FIRST_DATA_ROW, README_SHEET, type Scalar, type SheetProblem, type Table } from "./sheets.ts";

const README_LINES = [
  "omnitwin network workbook",
  "",
  "Each sheet is one part of a scenario. Row 1 says what a column is in words; row 2 holds the key omnitwin reads — do not change row 2.",
  "Scenario, Demand, Costs, Service, Levers and Customers are settings: one row per setting (key and value).",
  "Sites, Lanes, SKUs, Channels, Zones, Campaigns and Interventions are lists: one row per entry; an empty row is skipped.",
  'Sheets named "<sheet> <field>" (e.g. "Sites inventory") list what belongs to a row of another sheet: the owner column names that row (its id, or #n for the n-th row).',
  'A column whose key ends in [] takes a list in one cell, comma-separated (e.g. "22:00, 10:00").',
  "An empty cell means: not set (the default applies, or the validator says it is needed).",
  "Type values, not formulas; do not merge cells; write dates as 2026-06-18T20:00.",
  "",
  "Turn it into a scenario:   omnitwin import network.xlsx --out my-network.json",
  "Check it without writing:  omnitwin import network.xlsx --dry-run",
  "Every problem is reported by sheet, row and column with the scenario JSON path it maps to.",
];

/** The workbook bytes of `tables`, README first. */
export async function writeNetworkWorkbook(tables: readonly Table[], sourceNote: string): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = "omnitwin";
  book.created = new Date(0);
  book.modified = new Date(0);
  const readme = book.addWorksheet(README_SHEET);
  for (const line of [...README_LINES, "", sourceNote]) readme.addRow([line]);
  readme.getRow(1).font = { bold: true, size: 14 };
  readme.getColumn(1).width = 120;
  for (const table of tables) {
    const sheet = book.addWorksheet(table.name, { views: [{ state: "frozen", ySplit: 2, xSplit: 0 }] });
    sheet.addRow(table.labels).font = { bold: true };
    sheet.addRow(table.keys).font = { italic: true, color: { argb: "FF666666" } };
    for (const row of table.rows) sheet.addRow(row);
    table.keys.forEach((key, i) => (sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, key.length + 2, table.labels[i]?.length ?? 0))));
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** Column number → letters (1 → A, 28 → AB). */
export function columnLetters(column: number): string {
  let n = column;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Read a workbook's sheets as tables; problems for cells no scenario can take (formulas, merged cells). */
export async function readNetworkWorkbook(bytes: Uint8Array): Promise<{ tables: Table[]; problems: SheetProblem[] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const tables: Table[] = [];
  const problems: SheetProblem[] = [];
  for (const sheet of book.worksheets) {
    const name = sheet.name;
    if (name === README_SHEET) continue;
    const merges = (sheet.model as { merges?: string[] }).merges ?? [];
    const mergedCells = new Set<string>();
    for (const range of merges) {
      problems.push({ sheet: name, ...cellOf(range.split(":")[0]), message: `cells ${range} are merged; unmerge them and type the value in each cell` });
      for (const address of expand(range)) mergedCells.add(address);
    }
    const width = sheet.columnCount;
    const values = (rowNumber: number): ExcelJS.Cell[] => Array.from({ length: width }, (_, c) => sheet.getRow(rowNumber).getCell(c + 1));
    const keys = values(2).map((cell) => (cell.value === null || cell.value === undefined ? "" : String(cell.value).trim()));
    const labels = values(1).map((cell) => (cell.value === null || cell.value === undefined ? "" : String(cell.value)));
    const rows: Scalar[][] = [];
    for (let r = FIRST_DATA_ROW; r <= sheet.rowCount; r++)
      rows.push(
        values(r).map((cell, c) => {
          if (mergedCells.has(cell.address)) return null;
          const read = scalarOf(cell);
          if (read.problem !== undefined) problems.push({ sheet: name, row: r, column: c + 1, key: keys[c], message: read.problem });
          return read.value;
        }),
      );
    tables.push({ name, labels, keys, rows });
  }
  return { tables, problems };
}

function cellOf(address: string): { row: number; column: number } {
  const match = /^([A-Z]+)(\d+)$/.exec(address)!;
  const column = [...match[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { row: Number(match[2]), column };
}

function expand(range: string): string[] {
  const [from, to] = range.split(":").map(cellOf);
  const out: string[] = [];
  for (let r = from.row; r <= to.row; r++) for (let c = from.column; c <= to.column; c++) out.push(`${columnLetters(c)}${r}`);
  return out;
}

/** A cell's value as a scenario can take it, or why not. */
function scalarOf(cell: ExcelJS.Cell): { value: Scalar; problem?: string } {
  const v = cell.value;
  if (v === null || v === undefined) return { value: null };
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return { value: typeof v === "string" ? v.trim() : v };
  if (v instanceof Date) return { value: v.toISOString().slice(0, 16) };
  if (typeof v === "object" && "formula" in v) return { value: null, problem: `holds a formula (=${String(v.formula)}); type its value instead: omnitwin reads values, not formulas` };
  if (typeof v === "object" && "sharedFormula" in v) return { value: null, problem: "holds a formula; type its value instead: omnitwin reads values, not formulas" };
  if (typeof v === "object" && "richText" in v) return { value: v.richText.map((t) => t.text).join("").trim() };
  if (typeof v === "object" && "text" in v) return { value: String(v.text) };
  if (typeof v === "object" && "error" in v) return { value: null, problem: `holds the error ${String(v.error)}; type a value` };
  return { value: null, problem: "holds a value omnitwin cannot read; type a number or text" };
}
