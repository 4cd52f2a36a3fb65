// Common random numbers: replication i of both arms runs on seed S + i, so for one seed both arms are
// offered the identical customers (the hash of every arrival stream's candidates, kept in each run
// file), and the paired interval of Δ costs.total is narrower than the unpaired Welch interval over
// the same runs — the reason the comparison is paired.
//
// The suite runs this on the tiny test scenario (10 replications per arm, ~30 ms a run). The issue's
// 618-promotion version (10 replications per arm, 3–9 s a run on this shared 2-core machine, minutes in
// all) and a baseline-week one run with OMNITWIN_SLOW_TESTS=1; docs/experiments.md gives the widths measured.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../../server/experiments/replicate.ts";
import { cleanScratch, cli, scratch, TINY } from "./support.ts";

afterAll(cleanScratch);

interface CompareJson {
  kpis: Array<{ kpi: string; n: number; ciLo: number; ciHi: number; welchLo: number; welchHi: number; difference: number }>;
}

async function crn(name: string, reps: number) {
  const scenario = name === "tiny" ? TINY : fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url));
  const dir = join(scratch(`crn-${name}`), "out");
  const r = await cli("compare", scenario, "--reps", String(reps), "--seed", "1", "--workers", "2", "--out", dir, "--kpi", "costs.total");
  expect(r.code, r.stderr).toBe(0);
  const compare = JSON.parse(readFileSync(join(dir, "compare.json"), "utf8")) as CompareJson;
  return { dir, compare };
}

/** Every run file of a batch directory. */
function runRecords(dir: string): RunRecord[] {
  return readdirSync(join(dir, "runs")).map((f) => JSON.parse(readFileSync(join(dir, "runs", f), "utf8")) as RunRecord);
}

function check(dir: string, compare: CompareJson, reps: number) {
  const records = runRecords(dir);
  const bySeed = new Map<number, RunRecord[]>();
  for (const r of records) bySeed.set(r.key.seed, [...(bySeed.get(r.key.seed) ?? []), r]);
  expect(bySeed.size).toBe(reps);
  for (const [seed, pair] of bySeed) {
    expect(pair.map((r) => r.key.policy).sort(), `seed ${seed}`).toEqual(["coordinated", "siloed"]);
    expect(pair[0].customers.candidatesHash, `seed ${seed}: both arms offered the same customers`).toBe(pair[1].customers.candidatesHash);
  }
  expect(new Set(records.map((r) => r.customers.candidatesHash)).size, "each seed its own customers").toBe(reps);
  const cost = compare.kpis.find((k) => k.kpi === "costs.total")!;
  const paired = (cost.ciHi - cost.ciLo) / 2;
  const welch = (cost.welchHi - cost.welchLo) / 2;
  console.info(`Δ costs.total ${cost.difference.toFixed(0)}: paired ±${paired.toFixed(0)}, Welch ±${welch.toFixed(0)} (ratio ${(welch / paired).toFixed(2)})`);
  expect(cost.n).toBe(reps);
  expect(paired).toBeLessThan(welch);
}

describe("common random numbers", () => {
  it("tiny scenario, 10 replications per arm: same customers per seed, paired Δ costs.total interval narrower than Welch's", async () => {
    const { dir, compare } = await crn("tiny", 10);
    check(dir, compare, 10);
  });

  const slow = process.env.OMNITWIN_SLOW_TESTS === "1";
  it.runIf(slow)("baseline-week, 6 replications per arm: the same", { timeout: 600_000 }, async () => {
    const { dir, compare } = await crn("baseline-week", 6);
    check(dir, compare, 6);
  });

  it.runIf(slow)("618-promotion, 10 replications per arm: the same", { timeout: 1_800_000 }, async () => {
    const { dir, compare } = await crn("618-promotion", 10);
    check(dir, compare, 10);
  });
});
