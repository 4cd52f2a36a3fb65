// Common random numbers: replication i of both arms runs on seed S + i, so for one seed both arms are
// offered the identical customers (the hash of every arrival stream's candidates, kept in each run
// file), and the paired interval of a difference is narrower than the unpaired Welch interval over the
// same runs — the reason the comparison is paired.
//
// The suite runs this on the tiny test scenario (10 replications per arm, ~30 ms a run), on baseline-week
// (6 per arm) and on 618-promotion (10 per arm, 20 runs of ~3 s). docs/experiments.md gives the widths
// measured, and why pairing cannot narrow Δ costs.total on 618.
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

/** Half-widths of the paired and the Welch interval of Δ `kpi`. */
function widths(compare: CompareJson, kpi: string): { paired: number; welch: number; difference: number; n: number } {
  const row = compare.kpis.find((k) => k.kpi === kpi)!;
  return { paired: (row.ciHi - row.ciLo) / 2, welch: (row.welchHi - row.welchLo) / 2, difference: row.difference, n: row.n };
}

/** Same candidate customers for both arms of each seed, different ones across seeds; paired narrower than Welch on `kpis`. */
function check(dir: string, compare: CompareJson, reps: number, kpis: readonly string[]) {
  const records = runRecords(dir);
  const bySeed = new Map<number, RunRecord[]>();
  for (const r of records) bySeed.set(r.key.seed, [...(bySeed.get(r.key.seed) ?? []), r]);
  expect(bySeed.size).toBe(reps);
  for (const [seed, pair] of bySeed) {
    expect(pair.map((r) => r.key.policy).sort(), `seed ${seed}`).toEqual(["coordinated", "siloed"]);
    expect(pair[0].customers.candidatesHash, `seed ${seed}: both arms offered the same customers`).toBe(pair[1].customers.candidatesHash);
  }
  expect(new Set(records.map((r) => r.customers.candidatesHash)).size, "each seed its own customers").toBe(reps);
  for (const kpi of ["costs.total", ...kpis.filter((k) => k !== "costs.total")]) {
    const w = widths(compare, kpi);
    console.info(`Δ ${kpi} ${w.difference.toPrecision(6)}: paired ±${w.paired.toPrecision(4)}, Welch ±${w.welch.toPrecision(4)} (Welch/paired ${(w.welch / w.paired).toFixed(2)})`);
  }
  for (const kpi of kpis) {
    const w = widths(compare, kpi);
    expect(w.n).toBe(reps);
    expect(w.paired, `Δ ${kpi}: paired half-width below Welch's`).toBeLessThan(w.welch);
  }
}

describe("common random numbers", () => {
  // costs.total on the tiny scenario is printed, not asserted: its paired/Welch margin is a few percent
  // there (late compensation, which the levers remove, dominates its variance), too thin to hold the suite
  // hostage to every model change. The demand-driven lines carry the CRN gain at every scale.
  it("tiny scenario, 10 replications per arm: same customers per seed, paired intervals narrower than Welch's", async () => {
    const { dir, compare } = await crn("tiny", 10);
    check(dir, compare, 10, ["costs.fulfilment", "costs.pickPack", "revenue"]);
  });

  it("baseline-week, 6 replications per arm: the same, and for Δ costs.total", { timeout: 600_000 }, async () => {
    const { dir, compare } = await crn("baseline-week", 6);
    check(dir, compare, 6, ["costs.total", "costs.fulfilment", "revenue"]);
  });

  // Δ costs.total is printed here, not asserted. Common random numbers narrow a paired interval only as far as
  // the two arms' results move together, and on 618 costs.total is mostly late compensation: the siloed
  // arm's (≈ 4.8 M CNY a run, from its RDC backlog) against the coordinated arm's (none). Seeds 1–30 gave
  // paired ±94,740 against Welch ±94,200 (session 11); the earlier criterion of 30 replications was for that
  // line. The lines CRN is for, those driven by the shared customers, show it with 10: seeds 1–10 gave
  // fulfilment 1.35× and revenue 1.78× narrower paired (session 11) (docs/experiments.md).
  it("618-promotion, 10 replications per arm: the same, and for the demand-driven lines", { timeout: 1_800_000 }, async () => {
    const { dir, compare } = await crn("618-promotion", 10);
    check(dir, compare, 10, ["costs.fulfilment", "revenue"]);
  });
});
