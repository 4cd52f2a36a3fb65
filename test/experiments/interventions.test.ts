// --interventions on the batch commands, in process on the tiny scenario: every arm, combination and
// sweep point runs the added what-ifs; their hash is in the manifest and in every run file's key and
// name; a directory or shard holding a batch with other (or no) interventions is refused; a bad file,
// or one a sweep point cannot take, exits 2 before anything runs or is written. (batch.test.ts: the
// same bytes on any number of worker threads.)
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interventionsHash, type Intervention } from "../../sim/index.ts";
import { NO_INTERVENTIONS_HASH } from "../../server/experiments/spec.ts";
import { cleanScratch, cli, scratch, snapshot, TINY, type CliResult } from "./support.ts";

afterAll(cleanScratch);

const SURGE: Intervention = { type: "demand-surge", at: "2026-06-02T00:00", durationHours: 48, multiplier: 3 };
const files = scratch("interventions-files");

function file(name: string, content: unknown): string {
  const path = join(files, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const surgeFile = file("surge.json", [SURGE]);
const ARGS = ["compare", TINY, "--reps", "2", "--workers", "0", "--kpi", "ordersPlaced"];

type CompareJson = { kpis: Array<{ kpi: string; meanA: number; meanB: number }> };
const placed = (r: CliResult) => (JSON.parse(r.stdout) as CompareJson).kpis.find((k) => k.kpi === "ordersPlaced")!;

describe("compare --interventions", () => {
  let plain: CliResult;
  let surged: CliResult;
  let dir: string;
  beforeAll(async () => {
    dir = join(scratch("compare"), "out");
    plain = await cli(...ARGS, "--json");
    surged = await cli(...ARGS, "--json", "--interventions", surgeFile, "--out", dir);
  });

  it("adds the surge to both arms: more orders placed in A and in B", () => {
    expect(surged.code, surged.stderr).toBe(0);
    expect(placed(surged).meanA).toBeGreaterThan(placed(plain).meanA * 1.1);
    expect(placed(surged).meanB).toBeGreaterThan(placed(plain).meanB * 1.1);
    expect((JSON.parse(surged.stdout) as { interventionsHash?: string }).interventionsHash).toBe(interventionsHash([SURGE]));
  });

  it("puts the interventions and their hash in the manifest, and the hash in every run file's key and name", () => {
    const hash = interventionsHash([SURGE]);
    expect(hash).not.toBe(NO_INTERVENTIONS_HASH);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.spec.interventionsHash).toBe(hash);
    expect(manifest.spec.interventions).toEqual([SURGE]);
    const runs = readdirSync(join(dir, "runs"));
    expect(runs).toHaveLength(4);
    for (const name of runs) {
      expect(name).toMatch(new RegExp(`_${hash}_v0\\.1\\.0\\.json$`));
      expect(JSON.parse(readFileSync(join(dir, "runs", name), "utf8")).key.interventionsHash).toBe(hash);
    }
  });

  it("says so under the table's header and in report.html", async () => {
    const table = await cli(...ARGS, "--interventions", surgeFile, "--out", dir);
    expect(table.stderr).toContain("4 of 4 replications already done");
    expect(table.stdout.split("\n")[2]).toBe(`1 intervention added on top of the scenario's own (demand-surge) · interventions hash ${interventionsHash([SURGE])}`);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain(`interventions hash <code>${interventionsHash([SURGE])}</code>`);
    // The re-run line names the file the batch was given, not a placeholder.
    expect(html).toContain(`--interventions ${surgeFile}`);
  });

  it("without --interventions, the manifest has no interventions and the hash of none", async () => {
    const plainDir = join(scratch("plain"), "out");
    await cli(...ARGS, "--out", plainDir);
    const manifest = JSON.parse(readFileSync(join(plainDir, "manifest.json"), "utf8"));
    expect(manifest.spec.interventionsHash).toBe(NO_INTERVENTIONS_HASH);
    expect("interventions" in manifest.spec).toBe(false);
  });
});

describe("a run directory holds one batch: other interventions are refused, naming the difference", () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(scratch("refuse"), "out");
    expect((await cli(...ARGS, "--interventions", surgeFile, "--out", dir)).code).toBe(0);
  });

  it("the same batch without --interventions", async () => {
    const before = snapshot(dir);
    const r = await cli(...ARGS, "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${dir} holds another batch \\(interventionsHash: "${interventionsHash([SURGE])}" vs "${NO_INTERVENTIONS_HASH}"; interventions: \\[.*? vs \\(none\\)\\); resume it with its own arguments, or choose another --out\\n$`));
    expect(snapshot(dir)).toEqual(before);
  });

  it("the same batch with another surge", async () => {
    const other = file("bigger.json", [{ ...SURGE, multiplier: 4 }]);
    const r = await cli(...ARGS, "--interventions", other, "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`holds another batch (interventionsHash: "${interventionsHash([SURGE])}" vs "${interventionsHash([{ ...SURGE, multiplier: 4 }])}"`);
  });

  it("the same interventions written another way resume it", async () => {
    const wrapped = file("wrapped.json", { interventions: [{ multiplier: 3, durationHours: 48, at: "2026-06-02T00:00", type: "demand-surge" }] });
    const r = await cli(...ARGS, "--interventions", wrapped, "--out", dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("4 of 4 replications already done");
  });
});

it("merge refuses shards that ran with different interventions", async () => {
  const root = scratch("merge");
  const shard = (k: number, ...extra: string[]) => cli(...ARGS, "--shard", `${k}/2`, "--out", join(root, `shard${k}`), ...extra);
  expect((await shard(1, "--interventions", surgeFile)).code).toBe(0);
  expect((await shard(2)).code).toBe(0);
  const r = await cli("merge", join(root, "shard1"), join(root, "shard2"), "--out", join(root, "merged"));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${join(root, "shard2")} is a shard of another batch than ${join(root, "shard1")} (interventionsHash: "${interventionsHash([SURGE])}" vs "${NO_INTERVENTIONS_HASH}"`);
  expect(existsSync(join(root, "merged"))).toBe(false);
});

describe("ablation and sweep --interventions", () => {
  it("ablation --one-off runs every policy with the surge", async () => {
    const dir = join(scratch("ablation"), "out");
    const r = await cli("ablation", TINY, "--one-off", "--reps", "1", "--workers", "0", "--interventions", surgeFile, "--out", dir, "--kpi", "ordersPlaced");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[2]).toContain(`interventions hash ${interventionsHash([SURGE])}`);
    const runs = readdirSync(join(dir, "runs"));
    expect(runs).toHaveLength(6);
    for (const name of runs) expect(name).toContain(`_${interventionsHash([SURGE])}_`);
  });

  it("sweep runs every point with the surge", async () => {
    const args = ["sweep", TINY, "--set", "demand.walkInPerDay=40,60", "--policy", "siloed", "--reps", "1", "--workers", "0", "--json"];
    type SweepJson = { interventionsHash?: string; points: Array<{ policies: { siloed: { ordersPlaced: { mean: number } } } }> };
    const placedAt = (r: CliResult) => (JSON.parse(r.stdout) as SweepJson).points.map((p) => p.policies.siloed.ordersPlaced.mean);
    const plain = await cli(...args);
    const surged = await cli(...args, "--interventions", surgeFile);
    expect(surged.code, surged.stderr).toBe(0);
    expect(placedAt(surged)).toHaveLength(2);
    placedAt(surged).forEach((n, i) => expect(n).toBeGreaterThan(placedAt(plain)[i] * 1.1));
    expect((JSON.parse(surged.stdout) as SweepJson).interventionsHash).toBe(interventionsHash([SURGE]));
    expect("interventionsHash" in (JSON.parse(plain.stdout) as SweepJson)).toBe(false);
  });

  it("sweep refuses interventions a sweep point cannot take, naming the point", async () => {
    const townSurge = file("town.json", [{ ...SURGE, zones: ["town"] }]);
    const out = join(scratch("sweep-refused"), "out");
    const r = await cli("sweep", TINY, "--set", "zones[0].id=town,village", "--reps", "1", "--workers", "0", "--interventions", townSurge, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: the sweep point zones[0].id="village" does not take the interventions in ${townSurge}: [0].zones[0]: "town" is not the id of any zone in the scenario; zone ids are "village"\n`);
    expect(existsSync(out)).toBe(false);
  });
});

describe("a bad interventions file exits 2 with its problems and the JSON path; nothing runs, nothing is written", () => {
  const unknownSite = file("unknown-site.json", [SURGE, { type: "factory-disruption", at: "2026-06-02T00:00", site: "fabric", capacityShare: 0.5, durationHours: 24 }]);
  const pastHorizon = file("past-horizon.json", { interventions: [{ ...SURGE, at: "2026-06-07T00:00" }] });
  const notJson = join(files, "not-json.json");
  writeFileSync(notJson, "[{ type: 'lever' }]");
  const cases: Array<[string, string[], string]> = [
    ["compare, an unknown site id", ["compare", TINY], `${unknownSite}: [1].site: "fabric" is not the id of any site in the scenario;`],
    ["ablation, a time past the horizon", ["ablation", TINY, "--one-off"], `${pastHorizon}: interventions[0].at: "2026-06-07T00:00" is after the run ends ("2026-06-06T00:00", start + 5 days)`],
    ["sweep, not JSON", ["sweep", TINY, "--set", "demand.walkInPerDay=40"], `${notJson}: not valid JSON at line 1, column 4: `],
  ];
  for (const [what, args, message] of cases)
    it(what, async () => {
      const path = message.slice(0, message.indexOf(": "));
      const out = join(scratch("bad"), "out");
      const r = await cli(...args, "--reps", "1", "--workers", "0", "--interventions", path, "--out", out);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.startsWith(message), r.stderr).toBe(true);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
});

describe("help", () => {
  for (const command of ["compare", "ablation", "sweep"])
    it(`omnitwin ${command} --help shows --interventions and an example`, async () => {
      const r = await cli(command, "--help");
      expect(r.stdout).toContain("--interventions <file>");
      expect(r.stdout).toMatch(new RegExp(`^  omnitwin ${command} scenarios/618-promotion\\.json --interventions scenarios/interventions/surge-and-outage\\.json `, "m"));
    });
});
