// --timeseries: each run keeps its state at the end of every simulated day (read from its hourly time
// series), and the batch writes timeseries.csv — per policy, day and series, the mean over replications
// with its t interval. The last day agrees with the run KPIs; the file is the same whatever the workers;
// a directory of a batch without it is not resumed with it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dailySeries } from "../../server/experiments/replicate.ts";
import type { TimeseriesRow } from "../../sim/metrics/collector.ts";
import { cleanScratch, cli, scratch, snapshot, tinyScenario, TINY } from "./support.ts";

afterAll(cleanScratch);

function csvRows(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trim().split("\n");
  const columns = head.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell])));
}

describe("compare --timeseries", () => {
  it("writes one row per policy × day × series, whose last day is the runs' KPI mean", async () => {
    const dir = join(scratch("ts"), "out");
    const r = await cli("compare", TINY, "--reps", "3", "--workers", "0", "--timeseries", "--out", dir, "--json");
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(readFileSync(join(dir, "timeseries.csv"), "utf8"));
    const days = tinyScenario().horizonDays + 1;
    const series = new Set(rows.map((row) => row.series));
    expect(series.has("backlogOrders") && series.has("ordersPlaced") && series.has("costTotal")).toBe(true);
    expect(rows).toHaveLength(2 * days * series.size);
    const compare = JSON.parse(r.stdout) as { kpis: Array<{ kpi: string; meanA: number; meanB: number }> };
    const placed = compare.kpis.find((k) => k.kpi === "ordersPlaced")!;
    const lastDay = (policy: string) => rows.find((row) => row.policy === policy && row.series === "ordersPlaced" && Number(row.day) === days - 1)!;
    expect(Number(lastDay("siloed").mean)).toBeCloseTo(placed.meanA, 6);
    expect(Number(lastDay("coordinated").mean)).toBeCloseTo(placed.meanB, 6);
    expect(Number(lastDay("siloed").n)).toBe(3);
    expect(Number(rows[0].day)).toBe(0);
  });

  it("is byte-identical on 0 and 2 workers, and a batch without it has no timeseries.csv and no daily series", async () => {
    const base = scratch("ts-workers");
    const a = join(base, "w0");
    const b = join(base, "w2");
    const plain = join(base, "plain");
    expect((await cli("compare", TINY, "--reps", "2", "--workers", "0", "--timeseries", "--out", a)).code).toBe(0);
    expect((await cli("compare", TINY, "--reps", "2", "--workers", "2", "--timeseries", "--out", b)).code).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect((await cli("compare", TINY, "--reps", "2", "--workers", "0", "--out", plain)).code).toBe(0);
    const files = snapshot(plain);
    expect(Object.keys(files).some((f) => f.endsWith("timeseries.csv"))).toBe(false);
    expect(Object.values(files).some((text) => text.includes('"daily"'))).toBe(false);
    // Resuming the plain batch's directory with --timeseries would mix runs without series: refused.
    const mixed = await cli("compare", TINY, "--reps", "2", "--workers", "0", "--timeseries", "--out", plain);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/holds another batch \(timeseries: \(none\) vs "daily"\)/);
  });
});

describe("sharded --timeseries", () => {
  it("shards 1/2 and 2/2 merged write the unsharded timeseries.csv and run files", async () => {
    const root = scratch("ts-shards");
    const args = ["compare", TINY, "--reps", "2", "--workers", "0", "--timeseries"];
    expect((await cli(...args, "--out", join(root, "whole"))).code).toBe(0);
    for (const k of [1, 2]) expect((await cli(...args, "--shard", `${k}/2`, "--out", join(root, `s${k}`))).code).toBe(0);
    const merged = await cli("merge", join(root, "s2"), join(root, "s1"), "--out", join(root, "merged"));
    expect(merged.code, merged.stderr).toBe(0);
    expect(snapshot(join(root, "merged"))).toEqual(snapshot(join(root, "whole")));
  });
});

describe("dailySeries", () => {
  const row = (t: number, ordersPlaced: number): TimeseriesRow => ({
    t,
    ordersPlaced,
    ordersDelivered: 0,
    ordersCancelled: 0,
    backlogOrders: ordersPlaced / 2,
    onHandRdc: 0,
    onHandFdc: 0,
    onHandStore: 0,
    inTransit: 0,
    rdcPickQueue: 0,
    unitsLostSales: 0,
    costTotal: 0,
    revenue: 0,
  });

  it("takes, for each midnight up to the horizon, the last sample at or before it", () => {
    // Samples every 100 minutes would miss most midnights: day 1 is the sample at t = 1400.
    const rows = [0, 100, 1400, 1500, 2880].map((t) => row(t, t));
    const daily = dailySeries(rows, 2880);
    expect(daily.day).toEqual([0, 1, 2]);
    expect(daily.columns.ordersPlaced).toEqual([0, 1400, 2880]);
    expect(daily.columns.backlogOrders).toEqual([0, 700, 1440]);
    expect(Object.keys(daily.columns)).not.toContain("t");
  });
});
