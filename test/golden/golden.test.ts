// Golden summaries: every scenario in scenarios/ × each policy in GOLDEN_POLICIES × seed 1 is run and its
// summary, as JSON.stringify(summary, null, 2), must equal test/golden/<scenario-id>.<policy>.seed1.json
// byte for byte. An intended change (a new KPI, a model fix) is re-blessed with one command:
//   OMNITWIN_BLESS=1 npx vitest run test/golden
// which rewrites the files instead of comparing; review the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioOrThrow, parsePolicy, policyName, runScenario } from "../../sim/index.ts";

/** Policies with golden files; add "coordinated" here (and bless) to pin coordinated runs too. */
const GOLDEN_POLICIES = ["siloed", "coordinated"] as const;
const SEED = 1;
const BLESS = process.env.OMNITWIN_BLESS === "1";
const RE_BLESS = "OMNITWIN_BLESS=1 npx vitest run test/golden";

const scenariosDir = new URL("../../scenarios/", import.meta.url);
const goldenDir = new URL("./", import.meta.url);
/** Scenario files: every .json in scenarios/ except the published JSON Schema. */
const scenarioFiles = readdirSync(scenariosDir)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
  .sort();

describe(`golden summaries (seed ${SEED})${BLESS ? " — BLESSING: rewriting the files" : ""}`, () => {
  it("finds the example scenarios", () => {
    expect(scenarioFiles).toContain("618-promotion.json");
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of scenarioFiles)
    for (const policyText of GOLDEN_POLICIES)
      it(`${file} × ${policyText}`, () => {
        const scenario = loadScenarioOrThrow(readFileSync(new URL(file, scenariosDir), "utf8"));
        const policy = parsePolicy(policyText);
        const name = `${scenario.id}.${policyName(policy)}.seed${SEED}.json`;
        const goldenPath = fileURLToPath(new URL(name, goldenDir));
        const actual = JSON.stringify(runScenario(scenario, { policy, seed: SEED }).summary, null, 2) + "\n";
        if (BLESS) {
          writeFileSync(goldenPath, actual);
          return;
        }
        if (!existsSync(goldenPath)) expect.fail(`no golden file test/golden/${name}; create it with: ${RE_BLESS}`);
        const expected = readFileSync(goldenPath, "utf8");
        expect(actual, `the summary of ${file} under ${policyText}, seed ${SEED}, differs from test/golden/${name}. If the change is intended, re-bless with: ${RE_BLESS}`).toBe(expected);
      });
});
