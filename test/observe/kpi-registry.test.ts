// The KPI registry is the one place a KPI is named: every KPI a run summary holds has a label, a unit and a
// direction there; every registry entry exists in a summary (or a live frame); docs/kpis.md carries the
// registry's own table; and a live frame's KPIs equal the summary's at the same minute.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSummary, KPI_DIRECTIONS, KPI_UNITS, KPIS, kpiLabel, kpiSpec, LIVE_KPI_KEYS, loadScenarioOrThrow, SILOED, COORDINATED } from "../../sim/index.ts";
import { kpiTableMarkdown } from "../../sim/observe/kpis.ts";
import { SimRun } from "../../server/live/sim-run.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const GOLDEN = `${ROOT}test/golden/`;

/** Every dotted key of a KPI block, nulls included (a ratio with nothing to divide by is still a KPI). */
function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const goldens = readdirSync(GOLDEN).filter((f) => f.endsWith(".json"));
const summaries = goldens.map((f) => JSON.parse(readFileSync(GOLDEN + f, "utf8")) as { kpis: Record<string, unknown> });

describe("the KPI registry", () => {
  it("has every KPI of every golden summary, each with a label, a unit and a direction", () => {
    expect(goldens.length).toBeGreaterThanOrEqual(8);
    const units = new Set<string>(Object.values(KPI_UNITS));
    const directions = new Set<string>(Object.values(KPI_DIRECTIONS));
    const missing: string[] = [];
    for (const s of summaries)
      for (const key of keys(s.kpis)) {
        const spec = kpiSpec(key);
        if (!spec) {
          missing.push(key);
          continue;
        }
        expect(spec.label.length, key).toBeGreaterThan(2);
        expect(units.has(spec.unit), key).toBe(true);
        expect(directions.has(spec.better), key).toBe(true);
        expect(spec.formula.length, key).toBeGreaterThan(10);
        expect(kpiLabel(key)).not.toContain("{id}");
      }
    expect([...new Set(missing)]).toEqual([]);
  });

  it("names nothing a summary or a live frame lacks", () => {
    const present = new Set(summaries.flatMap((s) => keys(s.kpis)));
    for (const spec of KPIS) {
      if (spec.liveOnly) {
        expect(LIVE_KPI_KEYS as readonly string[]).toContain(spec.key);
        continue;
      }
      const pattern = new RegExp(`^${spec.key.replaceAll(".", "\\.").replaceAll("*", "[^.]+")}$`);
      expect([...present].some((k) => pattern.test(k)), spec.key).toBe(true);
    }
    for (const key of LIVE_KPI_KEYS) expect(kpiSpec(key), key).toBeDefined();
  });

  it("fills the id into a family's label, and answers an unknown key with the key", () => {
    expect(kpiLabel("waitDaysBySku.fridge-618.p95")).toBe("Wait for fridge-618, p95");
    expect(kpiLabel("costs.total")).toBe("Total cost");
    expect(kpiLabel("no.such.kpi")).toBe("no.such.kpi");
    expect(kpiSpec("costs")).toBeUndefined();
  });

  it("is the table docs/kpis.md carries", () => {
    const doc = readFileSync(`${ROOT}docs/kpis.md`, "utf8");
    const between = doc.split("<!-- kpi-table:start -->")[1]?.split("<!-- kpi-table:end -->")[0]?.trim();
    expect(between, "docs/kpis.md: regenerate the table with `npm run docs:kpis`").toBe(kpiTableMarkdown());
  });
});

describe("live frames and the summary", () => {
  const scenario = loadScenarioOrThrow(readFileSync(`${ROOT}scenarios/baseline-week.json`, "utf8"));
  for (const [name, policy] of [
    ["siloed", SILOED],
    ["coordinated", COORDINATED],
  ] as const)
    it(`agree on every KPI they share at the same minute (${name}, minute 0 and three times mid-run)`, () => {
      const run = new SimRun(scenario, name, policy, 3);
      for (const t of [0, 1000, 4321, 7 * 1440]) {
        run.runUntil(t);
        const frame = run.delta().kpi as Record<string, number | null>;
        const summary = buildSummary(run.twin);
        const flat = new Map<string, unknown>();
        for (const key of keys(summary.kpis)) flat.set(key, key.split(".").reduce<unknown>((v, p) => (v as Record<string, unknown>)[p], summary.kpis));
        let shared = 0;
        for (const key of LIVE_KPI_KEYS) {
          if (kpiSpec(key)!.liveOnly) continue;
          expect(frame[key], `${key} at minute ${t}`).toBe(flat.get(key));
          shared++;
        }
        expect(shared).toBe(LIVE_KPI_KEYS.length - 1);
      }
    });
});
