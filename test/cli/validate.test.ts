// `omnitwin validate`, run in process: exit codes, one line per problem, --json, unreadable files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePath } from "../scenario/fixtures.ts";
import { cli } from "./run-cli.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "omnitwin-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("omnitwin validate", () => {
  it("prints FILE: ok and exits 0 for a valid file", async () => {
    const file = fixturePath("valid-small.json");
    expect(await cli("validate", file)).toEqual({ code: 0, stdout: `${file}: ok\n`, stderr: "" });
  });

  it("accepts every example scenario, and skips the JSON Schema that sits beside them", async () => {
    const files = readdirSync(scenariosDir).filter((f) => f.endsWith(".json")).map((f) => join(scenariosDir, f));
    const { code, stdout } = await cli("validate", ...files);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(files.length);
    for (const line of lines) {
      if (line.startsWith(join(scenariosDir, "scenario.schema.json"))) expect(line).toMatch(/: skipped \(the scenario JSON Schema, not a scenario\)$/);
      else expect(line).toMatch(/\.json: ok$/);
    }
  });

  it("lists every problem of a bad file, one line each, and exits 2", async () => {
    const file = fixturePath("many-problems.json");
    const { code, stdout, stderr } = await cli("validate", file);
    expect(code).toBe(2);
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(`${file}: id: "Many Problems" is not a valid id; use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. "many-problems"`);
    expect(lines[2]).toBe(`${file}: sites[0].lat: 95 is not a latitude; use a number from -90 to 90`);
    for (const line of lines) expect(line.startsWith(`${file}: `)).toBe(true);
  });

  it("reports a file-level problem without a path", async () => {
    const file = fixturePath("not-json.json");
    const { code, stdout } = await cli("validate", file);
    expect(code).toBe(2);
    expect(stdout).toBe(`${file}: not valid JSON at line 4, column 20: a comma after the last property is not allowed in JSON; remove this ','\n`);
  });

  it("checks every file even when an earlier one is bad, and still exits 2", async () => {
    const good = fixturePath("valid-small.json");
    const { code, stdout } = await cli("validate", "no-such-file.json", good);
    expect(code).toBe(2);
    expect(stdout).toBe(`no-such-file.json: no such file; check the path (it is relative to the current directory)\n${good}: ok\n`);
  });

  it("says so when given a directory", async () => {
    const { code, stdout } = await cli("validate", scratch);
    expect(code).toBe(2);
    expect(stdout).toBe(`${scratch}: is a directory, not a scenario file; name a .json file\n`);
  });

  it("refuses a file that is not UTF-8", async () => {
    const file = join(scratch, "latin1.json");
    writeFileSync(file, Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d])); // {"id":"é"} in Latin-1
    const { code, stdout } = await cli("validate", file);
    expect(code).toBe(2);
    expect(stdout).toBe(`${file}: is not UTF-8 text (is it a binary file, or saved in another encoding?); save the scenario as UTF-8 JSON\n`);
  });

  it("refuses a file over 5 MiB without parsing it", async () => {
    const file = join(scratch, "huge.json");
    writeFileSync(file, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
    const { code, stdout } = await cli("validate", file);
    expect(code).toBe(2);
    expect(stdout).toContain(`${file}: the file is 5 MiB (5242881 bytes); the limit is 5 MiB`);
  });

  it("prints a machine-readable list with --json", async () => {
    const good = fixturePath("valid-small.json");
    const bad = fixturePath("replenishment-cycle.json");
    const { code, stdout } = await cli("validate", "--json", good, bad);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual([
      { file: good, ok: true, problems: [], warnings: [] },
      {
        file: bad,
        ok: false,
        warnings: [],
        problems: [
          {
            path: "sites[2].replenishment.source",
            message: "replenishment cycle fdc → store → fdc; a site's stock must come from an RDC in the end, so point one of these sites at an RDC",
          },
        ],
      },
    ]);
  });

  it("warns, and still exits 0, when a factory may stock a perishable longer than it keeps; run and import say it too", async () => {
    // baseline-week as it was before session 14: its fresh line made to stock under the default 7-day cap.
    const document = JSON.parse(readFileSync(join(scenariosDir, "baseline-week.json"), "utf8"));
    const line = document.sites[1].production.find((p: { sku: string }) => p.sku === "fresh-veg");
    delete line.finishedGoodsCapDays;
    const file = join(scratch, "fresh-to-stock.json");
    writeFileSync(file, JSON.stringify(document));
    const path = "sites[1].production[2].finishedGoodsCapDays";
    const { code, stdout, stderr } = await cli("validate", file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${file}: ok`);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${escape(file)}: warning: ${escape(path)}: fresh-veg has a shelf life of 3 days, but this factory may stock 7 days of its output .*set finishedGoodsCapDays\\s+to 0 \\(make to order\\)`));
    const json = JSON.parse((await cli("validate", "--json", file)).stdout);
    expect(json[0]).toMatchObject({ ok: true, problems: [], warnings: [{ path }] });
    // `run` prints it on stderr before running (stdout stays the result), `import` by sheet and row.
    const run = await cli("run", file, "--json");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${file}: warning: ${path}: fresh-veg has a shelf life of 3 days`);
    expect(JSON.parse(run.stdout).scenario.id).toBe("baseline-week");
    const book = join(scratch, "fresh-to-stock.xlsx");
    expect((await cli("template", book, "--from", file)).code).toBe(0);
    const imported = await cli("import", book, "--dry-run");
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(new RegExp(`^warning: sheet Sites production, row \\d+, column \\w+ → ${escape(path)}: fresh-veg has a shelf life of 3 days`, "m"));
    // Made to order, the same file has nothing to warn about.
    line.finishedGoodsCapDays = 0;
    writeFileSync(file, JSON.stringify(document));
    expect((await cli("validate", file)).stdout).toBe(`${file}: ok\n`);
  });

  it("needs at least one file", async () => {
    const { code, stdout, stderr } = await cli("validate");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("error: missing required argument 'files'");
  });
});
