// Parameter recovery: draw an order history from a known scenario and seed (the 618 scenario at 2,000
// online orders a day, 44 days, five overlapping campaigns), calibrate the same scenario's demand to it,
// and find the known values inside the fitted intervals. Also the CLI on the synthetic example table.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioOrThrow, type Scenario } from "../../sim/index.ts";
import { calibrate, type Estimate } from "../../server/calibrate/fit.ts";
import { ordersCsv, parseOrdersCsv, synthesizeOrders } from "../../server/calibrate/history.ts";
import { cli } from "../cli/run-cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "omnitwin-calibrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function known(): Scenario {
  const raw = JSON.parse(readFileSync(join(ROOT, "scenarios", "618-promotion.json"), "utf8"));
  raw.demand.onlineOrdersPerDay = 2000;
  return loadScenarioOrThrow(raw);
}

describe("parameter recovery", () => {
  const scenario = known();
  const orders = synthesizeOrders(scenario, 11, scenario.horizonDays);
  const fit = calibrate(scenario, orders);
  const { demand } = scenario;
  const dowMean = demand.dayOfWeek.reduce((s, x) => s + x, 0) / 7;
  const hourTotal = demand.hourlyProfile.reduce((s, x) => s + x, 0);
  const zoneTotal = scenario.zones.reduce((s, z) => s + z.weight, 0);
  const online = scenario.channels.filter((c) => c.kind === "online");
  const truth: Array<[string, number, Estimate]> = [
    ["onlineOrdersPerDay", demand.onlineOrdersPerDay * dowMean, fit.onlineOrdersPerDay],
    ...demand.dayOfWeek.map((x, w): [string, number, Estimate] => [`dayOfWeek[${w}]`, x / dowMean, fit.dayOfWeek[w]]),
    ...demand.hourlyProfile.map((x, h): [string, number, Estimate] => [`hour ${h}`, x / hourTotal, fit.hourlyProfile[h]]),
    ...scenario.zones.map((z): [string, number, Estimate] => [`zone ${z.id}`, z.weight / zoneTotal, fit.zoneShare[z.id]]),
    ...online.map((c): [string, number, Estimate] => [`channel ${c.id}`, c.share, fit.channelShare[c.id]]),
    ...online.flatMap((c) => scenario.skus.map((s): [string, number, Estimate] => [`${c.id} mix ${s.id}`, (c.skuMix ?? demand.skuMix)[s.id] ?? 0, fit.channelSkuMix[c.id][s.id]])),
    ...scenario.campaigns.map((c): [string, number, Estimate] => [`uplift ${c.id}`, c.uplift, fit.campaignUplift[c.id]]),
  ];

  it(`draws a history of ${orders.length} orders with the scenario's ids`, () => {
    expect(orders.length).toBeGreaterThan(100_000);
    const reparsed = parseOrdersCsv(ordersCsv(orders.slice(0, 500), "test"), scenario);
    expect(reparsed.problems).toEqual([]);
    expect(reparsed.orders).toEqual(orders.slice(0, 500));
  });

  it("covers at least 90% of the known values with the 95% intervals", () => {
    const missed = truth.filter(([, value, e]) => !(e.lo <= value && value <= e.hi)).map(([name, value, e]) => `${name}: ${value} not in ${e.lo}–${e.hi}`);
    expect(truth.length).toBeGreaterThan(60);
    expect(missed.length, missed.join("\n")).toBeLessThanOrEqual(Math.floor(truth.length * 0.1));
  });

  it("has every known value within its interval widened to 99.9% (3.29 standard errors)", () => {
    const far = truth.filter(([, value, e]) => {
      const half = ((e.hi - e.lo) / 2) * (3.29 / 1.96);
      const centre = (e.hi + e.lo) / 2;
      return Math.abs(value - centre) > half;
    });
    expect(far.map(([name, value, e]) => `${name}: ${value} vs ${e.value}`)).toEqual([]);
  });

  it("the same history gives the same fit", () => {
    expect(calibrate(scenario, synthesizeOrders(scenario, 11, scenario.horizonDays)).onlineOrdersPerDay).toEqual(fit.onlineOrdersPerDay);
  });
});

describe("omnitwin calibrate", () => {
  it("fits the synthetic example table and writes a scenario the validator takes, with its fit report", async () => {
    const out = join(dir, "calibrated.json");
    const r = await cli("calibrate", join(ROOT, "scenarios", "history", "synthetic-orders.csv"), "--scenario", join(ROOT, "scenarios", "618-promotion.json"), "--out", out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^calibrated to [\d,]+ orders in .*synthetic-orders\.csv, 2026-05-13 to 2026-06-25 \(44 days\); 95% intervals/);
    expect(r.stdout).toMatch(/fit per day: Pearson χ² = [\d.,]+ on \d+ df/);
    const scenario = loadScenarioOrThrow(readFileSync(out, "utf8"));
    expect(scenario.demand.onlineOrdersPerDay).toBeGreaterThan(50);
    expect(scenario.demand.onlineOrdersPerDay).toBeLessThan(80);
    const report = JSON.parse(readFileSync(join(dir, "calibrated.fit.json"), "utf8"));
    expect(report.perDay.bins).toHaveLength(44);
  });

  it("names every bad row of the history and writes nothing (exit 2)", async () => {
    const bad = join(dir, "bad.csv");
    const { writeFileSync, existsSync } = await import("node:fs");
    writeFileSync(bad, "time,zone,channel,sku\n2026-05-13T10:00,gz-tianhe,app,phone-x\n13/05/2026,gz-tianhe,app,phone-x\n2026-05-13T11:00,atlantis,fax,phone-x\n");
    const out = join(dir, "never.json");
    const r = await cli("calibrate", bad, "--scenario", join(ROOT, "scenarios", "618-promotion.json"), "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv:3: time "13/05/2026" is not a local date-time');
    expect(r.stderr).toContain('bad.csv:4: zone "atlantis" is not a zone of the scenario; channel "fax" is not an online channel of the scenario');
    expect(existsSync(out)).toBe(false);
  });
});
