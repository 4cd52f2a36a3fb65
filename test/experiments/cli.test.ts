// The experiment commands as a user meets them, in process on the tiny scenario: --help, bad input
// (exit 2 with a sentence that says what to fix), ablation attributions that sum to the total, sweep
// rows with every parameter and KPI as a column, --json, and a report.html that needs no network
// and escapes what the scenario says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEVERS } from "../../sim/index.ts";
import { cleanScratch, cli, scratch, TINY, type CliResult } from "./support.ts";

afterAll(cleanScratch);

describe("help", () => {
  it("lists the experiment commands", async () => {
    const r = await cli("--help");
    for (const name of ["compare", "ablation", "sweep", "merge"]) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });

  for (const [command, options] of [
    ["compare", ["--a <policy>", "--b <policy>", "--reps <n>", "--seed <n>", "--workers <n>", "--json", "--out <dir>", "--shard <k/N>", "--timeout <seconds>", "--kpi <keys>"]],
    ["ablation", ["--one-off", "--reps <n>", "--workers <n>", "--out <dir>", "--shard <k/N>"]],
    ["sweep", ["--set <path=values>", "--policy <policy>", "--reps <n>", "--out <dir>"]],
    ["merge", ["<dirs...>", "--out <dir>", "--json"]],
  ] as const)
    it(`omnitwin ${command} --help shows its options and an example`, async () => {
      const r = await cli(command, "--help");
      expect(r.code).toBe(0);
      for (const option of options) expect(r.stdout).toContain(option);
      expect(r.stdout).toMatch(new RegExp(`omnitwin ${command} `));
    });
});

describe("bad input exits 2 and says what to fix", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["the same policy twice", ["compare", TINY, "--a", "coordinated", "--b", "coordinated"], /--a and --b are both coordinated; compare two different policies/],
    ["an unknown lever", ["compare", TINY, "--b", "dataPlatfrom"], /unknown lever "dataPlatfrom"/],
    ["a shard without --out", ["compare", TINY, "--shard", "1/2", "--workers", "0"], /--shard needs --out DIR/],
    ["a bad shard", ["compare", TINY, "--shard", "3/2"], /a shard is k\/N with 1 ≤ k ≤ N/],
    ["zero replications", ["compare", TINY, "--reps", "0"], /--reps is a whole number from 1 to 1000000/],
    ["seeds past the largest", ["compare", TINY, "--seed", "4294967290", "--reps", "10", "--workers", "0"], /runs past the largest seed 4294967295/],
    ["a bad scenario", ["compare", "no-such-file.json"], /no-such-file.json: no such file/],
    ["a sweep without --set", ["sweep", TINY], /required option '--set <path=values>' not specified/],
    ["a sweep path not in the scenario", ["sweep", TINY, "--set", "sites[warehouse].lat=1", "--workers", "0"], /"sites\[warehouse\]" is not in the scenario: no entry has id "warehouse"/],
    ["a sweep value the scenario cannot take", ["sweep", TINY, "--set", "horizonDays=0,5", "--workers", "0"], /the sweep point horizonDays=0 is not a valid scenario: horizonDays: /],
    ["a merge of a directory that is no batch", ["merge", ".", "--out", "x"], /\. has no manifest.json: it is not a batch run directory/],
  ];
  for (const [what, args, message] of cases)
    it(what, async () => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
});

it("an output directory that cannot be made exits 1 with the system's reason", async () => {
  const r = await cli("compare", TINY, "--reps", "2", "--workers", "0", "--out", join(TINY, "out"));
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: cannot create .*tiny\.json\/out: ENOTDIR \(a part of the path is a file, not a directory\); nothing was run\n$/);
});

describe("ablation", () => {
  let full: CliResult;
  let dir: string;
  beforeAll(async () => {
    dir = join(scratch("ablation"), "out");
    full = await cli("ablation", TINY, "--reps", "2", "--workers", "0", "--out", dir, "--kpi", "costs.total,fillRate");
  });

  it("runs the 16 combinations and prints each lever's attribution, main effect and the interactions", () => {
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout.split("\n")[0]).toBe("omnitwin ablation · scenario tiny · all 16 lever combinations × 2 replications");
    expect(full.stdout).toMatch(/^costs\.total \(n = 2 seeds\)$/m);
    for (const lever of LEVERS) expect(full.stdout).toMatch(new RegExp(`^  ${lever} +[-+]?[\\d,.]+ `, "m"));
    expect(full.stdout).toMatch(/^  total \(coordinated − siloed\) .* 100\.0%$/m);
    expect(full.stdout).toMatch(/^  dataPlatform×tieredFulfilment /m);
  });

  it("attributions sum to the total difference for every KPI (ablation.json)", () => {
    const { effects } = JSON.parse(readFileSync(join(dir, "ablation.json"), "utf8")) as { effects: Array<{ kpi: string; effect: string; mean: number }> };
    const kpis = [...new Set(effects.map((e) => e.kpi))];
    expect(kpis.length).toBeGreaterThan(40);
    for (const kpi of kpis) {
      const total = effects.find((e) => e.kpi === kpi && e.effect === "total")!.mean;
      const sum = effects.filter((e) => e.kpi === kpi && e.effect === "shapley").reduce((s, e) => s + e.mean, 0);
      if (Number.isNaN(total)) continue;
      expect(Math.abs(sum - total), kpi).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(total)));
    }
    const csv = readFileSync(join(dir, "ablation.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("kpi,effect,levers,n,mean,ciLo,ciHi");
  });

  it("--one-off runs coordinated minus each lever and says its effects need not sum", async () => {
    const r = await cli("ablation", TINY, "--one-off", "--reps", "2", "--workers", "0", "--kpi", "costs.total");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("coordinated minus one lever each × 2 replications");
    expect(r.stdout).toContain("one-off effects need not sum to the total");
    expect(r.stderr).toContain("12/12 replications");
  });
});

describe("sweep", () => {
  it("writes one row per run with every parameter and KPI as a column, and each point's means", async () => {
    const dir = join(scratch("sweep"), "out");
    const r = await cli("sweep", TINY, "--set", "demand.walkInPerDay=40,60", "--set", "sites[rdc].pickPack.ordersPerHour=30,50", "--policy", "siloed", "--reps", "2", "--workers", "0", "--out", dir, "--kpi", "fillRate");
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, "results.csv"), "utf8").trimEnd().split("\n");
    const columns = header.split(",");
    expect(columns.slice(0, 12)).toEqual(["run", "replication", "seed", "policy", ...LEVERS, "set:demand.walkInPerDay", "set:sites[rdc].pickPack.ordersPerHour", "scenarioHash", "events"]);
    expect(columns).toContain("costs.total");
    expect(rows).toHaveLength(4 * 2);
    expect(rows[0]).toMatch(/^1,1,1,siloed,false,false,false,false,40,30,[0-9a-f]{16},\d+,/);
    expect(rows[7]).toMatch(/^8,2,2,siloed,false,false,false,false,60,50,/);
    const json = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(8);
    expect(Object.keys(json[0])).toEqual(columns);
    expect(readFileSync(join(dir, "sweep-summary.csv"), "utf8").split("\n")[0]).toBe("set:demand.walkInPerDay,set:sites[rdc].pickPack.ordersPerHour,policy,kpi,n,mean,ciLo,ciHi");
    expect(r.stdout).toMatch(/^fillRate \(mean ± 95% CI half-width\)\n  demand\.walkInPerDay +sites\[rdc\]\.pickPack\.ordersPerHour +siloed\n  40 +30 +[\d.]+ ± [\d.]+$/m);
  });
});

describe("compare --json and report.html", () => {
  let json: CliResult;
  let dir: string;
  beforeAll(async () => {
    dir = join(scratch("report"), "out");
    json = await cli("compare", TINY, "--reps", "3", "--workers", "0", "--json", "--out", dir, "--kpi", "costs.total,fillRate,nothing.here");
  });

  it("--json prints compare.json: per KPI the means, the paired difference and its interval, % change, Welch", () => {
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe(readFileSync(join(dir, "compare.json"), "utf8"));
    const parsed = JSON.parse(json.stdout) as { a: string; b: string; reps: number; kpis: Array<Record<string, unknown>> };
    expect([parsed.a, parsed.b, parsed.reps]).toEqual(["siloed", "coordinated", 3]);
    const cost = parsed.kpis.find((k) => k.kpi === "costs.total")!;
    expect(Object.keys(cost)).toEqual(["kpi", "n", "meanA", "meanB", "sdA", "sdB", "difference", "ciLo", "ciHi", "changePercent", "changeCiLo", "changeCiHi", "welchLo", "welchHi"]);
    expect(cost.ciLo as number).toBeLessThan(cost.difference as number);
  });

  it("warns about a --kpi the runs do not have", () => {
    expect(json.stderr).toContain('warning: no KPI "nothing.here" in these runs');
  });

  it("report.html is self-contained (no scripts, no links out) and escapes the scenario's name", () => {
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:/);
    expect(html).toContain("Tiny test town &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain("B − A is the mean of the per-seed differences");
  });
});
