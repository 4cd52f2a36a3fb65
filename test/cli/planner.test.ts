// The spreadsheet path in: `omnitwin template` writes a network workbook every shipped scenario survives
// (scenario → workbook → scenario gives the same scenario hash), and `omnitwin import` of a workbook with
// ten kinds of mistakes reports each by sheet, row and column with its JSON path, exits 2 with no stack
// trace, and writes nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenarioOrThrow, scenarioHash } from "../../sim/index.ts";
import { cli } from "./run-cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "omnitwin-planner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hashOf(path: string): string {
  return scenarioHash(loadScenarioOrThrow(readFileSync(path, "utf8")));
}

describe("template → import round trip", () => {
  const scenarios = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".json") && !f.includes("schema"));
  it("the default template holds the 618 scenario's rows, with a README and the sheets a planner fills", async () => {
    const book = join(dir, "network.xlsx");
    const r = await cli("template", book);
    expect(r.code, r.stderr).toBe(0);
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(book);
    const names = read.worksheets.map((s) => s.name);
    for (const sheet of ["README", "Sites", "Lanes", "SKUs", "Zones", "Demand", "Campaigns", "Levers", "Costs"]) expect(names).toContain(sheet);
    expect(read.getWorksheet("Sites")!.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(read.getWorksheet("Sites")!.getCell("A3").value).toBe("factory-shunde-appliance");
    const out = join(dir, "618.json");
    const back = await cli("import", book, "--out", out);
    expect(back.code, back.stderr).toBe(0);
    expect(hashOf(out)).toBe(hashOf(join(ROOT, "scenarios", "618-promotion.json")));
  });

  for (const file of scenarios)
    it(`${file} survives scenario → workbook → scenario with the same hash`, async () => {
      const book = join(dir, `${file}.xlsx`);
      expect((await cli("template", book, "--from", join(ROOT, "scenarios", file))).code).toBe(0);
      const out = join(dir, `${file}.back.json`);
      const r = await cli("import", book, "--out", out);
      expect(r.code, r.stderr).toBe(0);
      expect(hashOf(out)).toBe(hashOf(join(ROOT, "scenarios", file)));
    });

  it("--dry-run checks and writes nothing", async () => {
    const r = await cli("import", join(dir, "network.xlsx"), "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is a valid scenario "618-promotion": 13 sites, .* scenario hash [0-9a-f]{16}\. Nothing written/);
  });
});

describe("a workbook with ten kinds of mistakes", () => {
  const bad = join(dir, "mistakes.xlsx");
  const out = join(dir, "mistakes.json");
  let stderr = "";
  let code = -1;
  /** Column number of `key` in a sheet's key row. */
  const columnOf = (sheet: ExcelJS.Worksheet, key: string) => (sheet.getRow(2).values as unknown[]).indexOf(key);

  beforeAll(async () => {
    const template = join(dir, "base.xlsx");
    await cli("template", template);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(template);
    const sites = book.getWorksheet("Sites")!;
    const lanes = book.getWorksheet("Lanes")!;
    const skus = book.getWorksheet("SKUs")!;
    const zones = book.getWorksheet("Zones")!;
    const campaigns = book.getWorksheet("Campaigns")!;
    campaigns.getRow(3).getCell(columnOf(campaigns, "channels[]")).value = "app, telepathy"; // 1 bad id reference
    skus.getRow(4).getCell(columnOf(skus, "price")).value = "cheap"; // 2 wrong type
    zones.getRow(5).getCell(columnOf(zones, "lat")).value = null; // 3 empty required cell
    skus.getRow(5).getCell(columnOf(skus, "id")).value = skus.getRow(3).getCell(columnOf(skus, "id")).value; // 4 duplicate id
    book.addWorksheet("Suppliers").addRow(["who"]); // 5 unknown sheet
    sites.mergeCells(6, columnOf(sites, "name"), 7, columnOf(sites, "name")); // 6 merged cells
    lanes.getRow(3).getCell(columnOf(lanes, "km")).value = { formula: "100+30", result: 130 } as ExcelJS.CellFormulaValue; // 7 a formula
    campaigns.getRow(4).getCell(columnOf(campaigns, "start")).value = "31/05/2026 20:00"; // 8 a date as text
    lanes.getRow(4).getCell(columnOf(lanes, "truckCapacityUnits")).value = -2000; // 9 a negative capacity
    lanes.getRow(5).getCell(columnOf(lanes, "to")).value = "nowhere"; // 10 a lane to nowhere
    await book.xlsx.writeFile(bad);
    const r = await cli("import", bad, "--out", out);
    stderr = r.stderr;
    code = r.code;
  });

  it("exits 2 with no stack trace and writes nothing", () => {
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(stderr).toMatch(/^.*mistakes\.xlsx has \d+ problems; nothing was written:\n/);
  });

  const expected: Array<[string, RegExp]> = [
    ["bad id reference", /sheet Campaigns, row 3, column [A-Z]+ \(channels\[\]\) → campaigns\[0\]\.channels\[1\]: "telepathy" is not the id of any channel/],
    ["wrong type", /sheet SKUs, row 4, column D \(price\) → skus\[1\]\.price: "cheap" is text, not a number/],
    ["empty required cell", /sheet Zones, row 5, column C \(lat\) → zones\[2\]\.lat: missing/],
    ["duplicate id", /sheet SKUs, row 5, column A \(id\) → skus\[2\]\.id: "fridge-618" is already the id of skus\[0\]/],
    ["unknown sheet", /sheet Suppliers: is not a sheet omnitwin knows/],
    ["merged cells", /sheet Sites, row 6, column C: cells C6:C7 are merged/],
    ["a formula", /sheet Lanes, row 3, column C \(km\): holds a formula \(=100\+30\)/],
    ["a date as text", /sheet Campaigns, row 4, column D \(start\) → campaigns\[1\]\.start: "31\/05\/2026 20:00" is not a local date-time/],
    ["a negative capacity", /sheet Lanes, row 4, column F \(truckCapacityUnits\) → lanes\[1\]\.truckCapacityUnits: -2000 is too small/],
    ["a lane to nowhere", /sheet Lanes, row 5, column B \(to\) → lanes\[2\]\.to: "nowhere" is not the id of any site/],
  ];
  for (const [what, line] of expected) it(`reports ${what} by sheet, row and column`, () => expect(stderr).toMatch(line));

  it("a file that is not a workbook is one sentence, exit 2", async () => {
    const r = await cli("import", join(ROOT, "scenarios", "618-promotion.json"), "--dry-run");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*618-promotion\.json is not an Excel workbook \(\.xlsx\) omnitwin can read: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
