// `omnitwin run --interventions FILE`, in process on the small test scenario: the file's what-ifs are
// added on top of the scenario's own and change the run (the summary and the table say so, with the
// interventions' hash); a bad file exits 2 with one `FILE: json.path: message` line per problem and
// runs and writes nothing. Without the option the output is the plain run's (run.test.ts).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { interventionsHash, loadScenarioOrThrow, runScenario, type Intervention } from "../../sim/index.ts";
import { fixturePath, fixtureText } from "../scenario/fixtures.ts";
import { cli } from "./run-cli.ts";

const scenario = fixturePath("valid-small.json");
const scratch = mkdtempSync(join(tmpdir(), "omnitwin-interventions-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A file in the scratch directory holding `text` (JSON-encoded unless it is already a string). */
function file(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

const SURGE: Intervention = { type: "demand-surge", at: "2026-06-02T00:00", durationHours: 72, multiplier: 3 };
const OUTAGE: Intervention = { type: "factory-disruption", at: "2026-06-03T00:00", site: "factory", capacityShare: 0.1, durationHours: 48 };

async function summaryOf(...args: string[]) {
  const r = await cli("run", scenario, "--json", ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("omnitwin run --interventions: a valid file", () => {
  it("a demand surge raises orders placed; the summary names the added interventions and their hash", async () => {
    const plain = await summaryOf();
    const surged = await summaryOf("--interventions", file("surge.json", [SURGE]));
    expect(surged.kpis.ordersPlaced).toBeGreaterThan(plain.kpis.ordersPlaced * 1.2);
    expect(plain.interventions).toBeUndefined();
    expect(surged.interventions).toEqual({ hash: interventionsHash([SURGE]), added: [SURGE] });
    expect(Object.keys(surged).slice(0, 3)).toEqual(["omnitwinVersion", "scenario", "interventions"]);
  });

  it("prints exactly the summary of runScenario with the interventions added to the scenario's own", async () => {
    const r = await cli("run", scenario, "--json", "--seed", "2", "--interventions", file("both.json", [SURGE, OUTAGE]));
    const expected = runScenario(loadScenarioOrThrow(fixtureText("valid-small.json")), { seed: 2, interventions: [SURGE, OUTAGE] }).summary;
    expect(r.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it("the table says what was added, with the hash, under the usual header", async () => {
    const r = await cli("run", scenario, "--interventions", file("both-table.json", [SURGE, OUTAGE]));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("omnitwin 0.1.0 · scenario valid-small · policy siloed · seed 1");
    expect(lines[2]).toBe(`2 interventions added on top of the scenario's own (demand-surge, factory-disruption) · interventions hash ${interventionsHash([SURGE, OUTAGE])}`);
    // Then which forecast the planners used (a line of its own since issue #16), and the usual blank line.
    expect(lines[3]).toMatch(/^forecast: /);
    expect(lines[4]).toBe("");
  });

  it('{ "interventions": [...] }, another key order or layout: the same run and hash', async () => {
    const listed = await summaryOf("--interventions", file("listed.json", [SURGE]));
    const reordered = `{"interventions":[{"multiplier":3,"durationHours":72,"at":"2026-06-02T00:00","type":"demand-surge"}]}`;
    const wrapped = await summaryOf("--interventions", file("wrapped.json", reordered));
    expect(wrapped).toEqual(listed);
  });

  it("--out writes the summary with the interventions in it", async () => {
    const out = join(scratch, "out");
    const r = await cli("run", scenario, "--json", "--out", out, "--interventions", file("out.json", [OUTAGE]));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).interventions.added).toEqual([OUTAGE]);
  });
});

describe("omnitwin run --interventions: a bad file exits 2, lists every problem with its JSON path, runs and writes nothing", () => {
  const cases: Array<[string, unknown, string[]]> = [
    ["not JSON", "[{ \"type\": \"demand-surge\", }]", [": not valid JSON at line 1, column 26: a comma after the last property is not allowed in JSON; remove this ','"]],
    ["empty", "  \n", [': the file is empty; an interventions file is a list [{ "type": …, "at": … }, …] or { "interventions": [ … ] }']],
    ["a number", "42", [": the file holds a number, not interventions; an interventions file is a list"]],
    ["an object without the list", { surge: SURGE }, [": surge: is not part of an interventions file;", ': the file has no "interventions" list;']],
    ["a list that is not one", { interventions: SURGE }, [": interventions: is an object, not a list of interventions"]],
    ["an unknown site id", [SURGE, { ...OUTAGE, site: "factroy" }], [': [1].site: "factroy" is not the id of any site in the scenario; did you mean "factory"?']],
    ["a site that is no factory", [{ ...OUTAGE, site: "rdc" }], [': [0].site: "rdc" is an RDC, not a factory; a factory disruption needs a factory site']],
    ["a time past the horizon", { interventions: [SURGE, { ...SURGE, at: "2026-06-12T00:00" }] }, [': interventions[1].at: "2026-06-12T00:00" is after the run ends ("2026-06-11T00:00", start + 10 days)']],
    ["an unknown zone and channel", [{ ...SURGE, zones: ["twon"], channels: ["app", "tv"] }], [': [0].zones[0]: "twon" is not the id of any zone in the scenario; did you mean "town"?', ': [0].channels[1]: "tv" is not the id of any channel']],
    ["an unknown type and a bad field", [{ type: "surge", at: "2026-06-02" }, { ...SURGE, multiplier: -1, extra: true }], [": [0].type: \"surge\" is not a known type;", ": [1].multiplier: ", ": [1].extra: "]],
    ["a scenario file", fixtureText("valid-small.json"), [": the file is a scenario, not an interventions file;"]],
  ];
  for (const [what, content, expected] of cases)
    it(what, async () => {
      const path = file(`bad-${what.replaceAll(" ", "-")}.json`, content);
      const out = join(scratch, `not-written-${what.replaceAll(" ", "-")}`);
      const r = await cli("run", scenario, "--interventions", path, "--out", out);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(expected.length);
      expected.forEach((start, i) => expect(lines[i].startsWith(`${path}${start}`), `${lines[i]}\ndoes not start with\n${path}${start}`).toBe(true));
      expect(existsSync(out)).toBe(false);
    });

  it("a missing file and a directory", async () => {
    const missing = join(scratch, "missing.json");
    expect((await cli("run", scenario, "--interventions", missing)).stderr).toBe(`${missing}: no such file; check the path (it is relative to the current directory)\n`);
    const r = await cli("run", scenario, "--interventions", scratch);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${scratch}: is a directory, not an interventions file; name a .json file\n`);
  });

  it("a bad scenario is reported as before, the interventions file unread", async () => {
    const bad = fixturePath("many-problems.json");
    const r = await cli("run", bad, "--interventions", join(scratch, "missing.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe((await cli("validate", bad)).stdout);
  });
});

it("--help shows the option and an example", async () => {
  const r = await cli("run", "--help");
  expect(r.stdout).toContain("--interventions <file>");
  expect(r.stdout).toContain("omnitwin run scenarios/618-promotion.json --interventions scenarios/interventions/surge-and-outage.json");
});

describe("omnitwin validate --interventions", () => {
  it("checks the interventions file against each valid scenario, with its own verdict and every problem", async () => {
    const good = file("validate-good.json", [SURGE]);
    const ok = await cli("validate", scenario, "--interventions", good);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`${scenario}: ok\n${good} on ${scenario}: ok\n`);

    const bad = file("validate-bad.json", [{ ...OUTAGE, site: "factroy", capacityShare: 2 }]);
    const r = await cli("validate", scenario, "--interventions", bad);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${scenario}: ok`);
    expect(lines.slice(1).map((l) => l.split(": ")[1])).toEqual(["[0].site", "[0].capacityShare"]);
    for (const line of lines.slice(1)) expect(line.startsWith(`${bad} on ${scenario}: `)).toBe(true);
  });

  it("does not check it against a scenario that is itself invalid", async () => {
    const broken = file("broken-scenario.json", "{");
    const r = await cli("validate", broken, "--interventions", file("validate-good2.json", [SURGE]));
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain(" on ");
  });
});
