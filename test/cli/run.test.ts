// `omnitwin run`, in process, on the small test scenario (a fraction of a second per run):
// deterministic stdout, --json equal to the summary, --out written atomically, bad input → exit 2.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COORDINATED, loadScenarioOrThrow, runScenario } from "../../sim/index.ts";
import { fixturePath, fixtureText } from "../scenario/fixtures.ts";
import { cli, type CliResult } from "./run-cli.ts";

const scenario = fixturePath("valid-small.json");
const scratch = mkdtempSync(join(tmpdir(), "omnitwin-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("omnitwin run: the KPI table", () => {
  let first: CliResult;
  beforeAll(async () => {
    first = await cli("run", scenario, "--policy", "coordinated", "--seed", "3");
  });

  it("exits 0 and names the scenario, policy, seed and events in its header", () => {
    expect(first.code).toBe(0);
    const [header, second] = first.stdout.split("\n");
    expect(header).toBe("omnitwin 0.1.0 · scenario valid-small · policy coordinated · seed 3");
    expect(second).toMatch(/^\d{1,3}(,\d{3})* events · 10\.0 days simulated · scenario hash [0-9a-f]{16}$/);
  });

  it("has the planner's sections, with units and thousands separators", () => {
    for (const title of ["Orders", "Service", "Cost (CNY)", "By path", "Inventory", "Capacity (pick/pack utilisation)"]) {
      expect(first.stdout.split("\n")).toContain(title);
    }
    expect(first.stdout).toMatch(/^ {2}Online orders placed +\d{1,3}(,\d{3})* {2}orders$/m);
    expect(first.stdout).toMatch(/^ {2}Fill rate +\d+\.\d {2}%$/m);
    expect(first.stdout).toMatch(/^ {2}Revenue +\d{1,3}(,\d{3})+ {2}CNY$/m);
    expect(first.stdout).toMatch(/^ {2}path +orders +% of orders +CNY per delivered order$/m);
  });

  it("lines up each section's numbers on the right", () => {
    const orders = first.stdout.split("\n\n").find((block) => block.startsWith("Orders\n"));
    const rows = orders?.split("\n").slice(1) ?? [];
    expect(rows.length).toBeGreaterThan(5);
    const numberEnds = rows.map((row) => row.search(/\d(?=  [a-z]+$)/));
    expect(new Set(numberEnds).size).toBe(1);
  });

  it("prints the same stdout every time for the same inputs (the wall time goes to stderr)", async () => {
    const again = await cli("run", scenario, "--policy", "coordinated", "--seed", "3");
    expect(again.stdout).toBe(first.stdout);
    expect(first.stderr).toMatch(/^ran valid-small \(policy coordinated, seed 3\): [\d,]+ events in \d+\.\d\d s\n$/);
  });
});

describe("omnitwin run: orders with several lines", () => {
  it("adds a Baskets section saying the order rows count lines, with customer orders beside them; none without baskets", async () => {
    const raw = JSON.parse(fixtureText("valid-small.json"));
    raw.customers = { ...raw.customers, baskets: {} };
    const file = join(scratch, "small-baskets.json");
    writeFileSync(file, JSON.stringify(raw));
    const { code, stdout } = await cli("run", file, "--seed", "3");
    expect(code).toBe(0);
    const title = "Baskets (the orders above are order lines, one SKU each)";
    expect(stdout.split("\n")).toContain(title);
    const block = stdout.split("\n\n").find((b) => b.startsWith(title))!;
    const value = (label: string) => Number(block.match(new RegExp(`^ {2}${label} +([\\d,.]+)`, "m"))![1].replaceAll(",", ""));
    const orders = value("Customer orders routed");
    const lines = value("Order lines routed");
    expect(lines).toBeGreaterThan(orders);
    expect(value("Lines per order")).toBeCloseTo(lines / orders, 2);
    const without = await cli("run", scenario, "--seed", "3");
    expect(without.stdout).not.toContain("Baskets");
  });
});

describe("omnitwin run --json", () => {
  it("prints exactly JSON.stringify(summary, null, 2) and a newline", async () => {
    const { code, stdout } = await cli("run", scenario, "--json", "--policy", "coordinated", "--seed", "3");
    const expected = runScenario(loadScenarioOrThrow(fixtureText("valid-small.json")), { policy: COORDINATED, seed: 3 }).summary;
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it("defaults to the siloed policy and the scenario's own seed", async () => {
    const summary = JSON.parse((await cli("run", scenario, "--json")).stdout);
    expect(summary.seed).toBe(1);
    expect(Object.values(summary.policy)).toEqual([false, false, false, false]);
  });

  it("takes a comma list of levers", async () => {
    const summary = JSON.parse((await cli("run", scenario, "--json", "--policy", "tieredFulfilment, unifiedService")).stdout);
    expect(summary.policy).toEqual({ dataPlatform: false, tieredFulfilment: true, capacityLinkage: false, unifiedService: true });
  });
});

describe("omnitwin run --out", () => {
  it("creates the directory and writes summary.json, timeseries.csv and report.html, leaving no temporary files", async () => {
    const out = join(scratch, "nested", "results");
    const { code, stdout, stderr } = await cli("run", scenario, "--json", "--out", out);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["report.html", "summary.json", "timeseries.csv"]);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(stdout);
    expect(readFileSync(join(out, "timeseries.csv"), "utf8")).toMatch(/^hour,localTime,ordersPlaced,/);
    expect(stderr).toContain(`wrote ${join(out, "summary.json")} and ${join(out, "timeseries.csv")} and ${join(out, "report.html")}`);
  });

  it("replaces existing results once the run has finished", async () => {
    const out = join(scratch, "replace");
    mkdirSync(out);
    writeFileSync(join(out, "summary.json"), "old");
    expect((await cli("run", scenario, "--out", out)).code).toBe(0);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toMatch(/^\{\n {2}"omnitwinVersion"/);
  });

  it("leaves existing results alone when the scenario is bad", async () => {
    const out = join(scratch, "kept");
    mkdirSync(out);
    writeFileSync(join(out, "summary.json"), "old");
    expect((await cli("run", fixturePath("many-problems.json"), "--out", out)).code).toBe(2);
    expect(readdirSync(out)).toEqual(["summary.json"]);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe("old");
  });

  it("exits 1 with a clear message when the directory cannot be made", async () => {
    const blocker = join(scratch, "a-file");
    writeFileSync(blocker, "");
    const { code, stderr } = await cli("run", scenario, "--out", join(blocker, "results"));
    expect(code).toBe(1);
    expect(stderr).toContain(`error: cannot create ${join(blocker, "results")}: ENOTDIR (a part of the path is a file, not a directory); nothing was run`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe("omnitwin run: bad input", () => {
  it("prints the same problem lines as validate, on stderr, and exits 2", async () => {
    const file = fixturePath("many-problems.json");
    const run = await cli("run", file);
    const validate = await cli("validate", file);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(validate.stdout);
  });

  it("a missing scenario file", async () => {
    const { code, stderr } = await cli("run", join(scratch, "missing.json"));
    expect(code).toBe(2);
    expect(stderr).toBe(`${join(scratch, "missing.json")}: no such file; check the path (it is relative to the current directory)\n`);
  });

  it("an unknown lever", async () => {
    const { code, stdout, stderr } = await cli("run", scenario, "--policy", "dataPlatfrom");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`error: option '--policy <policy>' argument 'dataPlatfrom' is invalid. unknown lever "dataPlatfrom"; use siloed, coordinated or a comma list of`);
  });

  it.each(["-1", "1.5", "abc", "1e3", "4294967296", ""])("seed %j", async (seed) => {
    const { code, stdout, stderr } = await cli("run", scenario, "--seed", seed);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("a seed is a whole number from 0 to 4294967295.");
  });

  it("the largest seed is accepted", async () => {
    const summary = JSON.parse((await cli("run", scenario, "--json", "--seed", "4294967295")).stdout);
    expect(summary.seed).toBe(4294967295);
  });
});
