// The robustness study: assumptions parse and apply as bundles (a bad one is refused before anything
// runs), every arm is compared with siloed on the same seeds, the verdict follows the KPI's direction and
// its interval, and the command writes the same table it prints, resuming from its run files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMPENSATION_ASSUMPTIONS, parseAssumption, ROBUSTNESS_POLICIES } from "../../server/experiments/robustness.ts";
import { bundleVariants } from "../../server/experiments/sweep-grid.ts";
import { lateCompensationRule } from "../../sim/index.ts";
import { cleanScratch, cli, scratch, TINY, tinyScenario } from "./support.ts";

afterAll(cleanScratch);

describe("assumptions", () => {
  it("parse as a name and settings, values read like --set", () => {
    expect(parseAssumption("express x2: costs.express.perParcel=16; levers.capacityLinkage.saturationLine=0.8")).toEqual({
      name: "express x2",
      settings: [
        { path: "costs.express.perParcel", value: 16 },
        { path: "levers.capacityLinkage.saturationLine", value: 0.8 },
      ],
    });
    expect(() => parseAssumption("no colon")).toThrow(/name: path=value/);
    expect(() => parseAssumption("empty:")).toThrow(/sets nothing/);
    expect(() => parseAssumption("bad: costs.express.perParcel")).toThrow(/expected path=value/);
  });

  it("apply together, each bundle one validated scenario; the three compensation rules give three scenarios", () => {
    const base = tinyScenario();
    const { scenarios, variants } = bundleVariants(base, COMPENSATION_ASSUMPTIONS);
    expect(scenarios.map((s) => s.costs.lateCompensation.rule)).toEqual(["5pct-max30", "10pct-max100", "30pct-max500"]);
    expect(scenarios.map((s) => Object.values(lateCompensationRule(s.costs.lateCompensation)))).toEqual([
      [0.05, 5, 30],
      [0.1, 5, 100],
      [0.3, 5, 500],
    ]);
    expect(new Set(variants.map((v) => v.scenarioHash)).size).toBe(3);
    expect(() => bundleVariants(base, [parseAssumption("bad: costs.lateCompensation.share=2")])).toThrow(/the assumption "bad" does not give a valid/);
  });
});

describe("omnitwin robustness", () => {
  it("compares every arm with siloed under each assumption, and writes the table it prints", async () => {
    const out = scratch("robustness");
    const args = ["robustness", TINY, "--reps", "2", "--workers", "0", "--assumption", "as is: costs.lateCompensation.share=0.3", "--assumption", "cheap express: costs.express.perParcel=1", "--out", out];
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, "robustness.md"), "utf8");
    expect(r.stdout).toBe(md);
    const csv = readFileSync(join(out, "robustness.csv"), "utf8").trim().split("\n");
    // 2 assumptions × 5 arms (siloed is the baseline) × 4 KPIs.
    expect(csv).toHaveLength(1 + 2 * (ROBUSTNESS_POLICIES.length - 1) * 4);
    for (const line of csv.slice(1)) expect(line).toMatch(/,(pays|costs|no clear effect)$/);
    for (const policy of ROBUSTNESS_POLICIES.slice(1)) expect(md).toContain(`| as is | ${policy} |`);
    // Cheaper express lowers siloed's cost, so it moves the difference: the two assumptions' rows differ.
    const cost = (assumption: string) => csv.find((l) => l.includes(`,${assumption},coordinated,costs.total,`))!.split(",")[7];
    expect(cost("as is")).not.toBe(cost("cheap express"));
    // A second run resumes from the run files and prints the same table.
    const again = await cli(...args);
    expect(again.stdout).toBe(md);
    expect(again.stderr).toContain("resuming, 24 of 24 replications already done");
  });

  it("refuses options it cannot honour and a bad assumption, before running anything", async () => {
    const bad = await cli("robustness", TINY, "--shard", "1/2");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("robustness takes no --shard")]);
    const worse = await cli("robustness", TINY, "--assumption", "oops: costs.lateCompensation.share=-1", "--workers", "0");
    expect(worse.code).toBe(2);
    expect(worse.stderr).toContain('the assumption "oops" does not give a valid');
  });
});
