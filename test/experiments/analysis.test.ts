// The pure parts of the experiment commands: KPI flattening, the Welch interval, the 2^4 factorial
// effects and Shapley attribution (which must sum to coordinated − siloed), shard striping, and
// parsing sweep paths — no simulation runs here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVERS, policyName } from "../../sim/index.ts";
import { pairedInterval, welchInterval } from "../../sim/metrics/confidence.ts";
import { ablationPolicies, factorialEffects, policyOfMask } from "../../server/experiments/ablation.ts";
import { flattenKpis, kpiUnion, kpiValue, selectKpis } from "../../server/experiments/kpis.ts";
import { parsePath, parseSetOption, sweepVariants } from "../../server/experiments/sweep-grid.ts";
import { parseShard, shardTasks, taskList, type BatchSpec } from "../../server/experiments/spec.ts";
import { tinyScenario } from "./support.ts";

describe("flattening KPIs", () => {
  it("turns nested KPIs into dotted keys in the summary's order, leaving out nulls and non-numbers", () => {
    const flat = flattenKpis({ a: 1, costs: { total: 2.5, lines: { x: 3 } }, ratio: null, name: "x", ok: true, list: [1, 2], lead: { p95: 7 } });
    expect(flat).toEqual({ a: 1, "costs.total": 2.5, "costs.lines.x": 3, "lead.p95": 7 });
    expect(Object.keys(flat)).toEqual(["a", "costs.total", "costs.lines.x", "lead.p95"]);
  });

  it("counts a decision kind a run never recorded as 0, but leaves other missing KPIs missing", () => {
    expect(kpiValue({ "decisionCounts.routing": 4 }, "decisionCounts.throttle")).toBe(0);
    expect(kpiValue({}, "fulfilmentCostPerOrderByPath.fdcInstant")).toBeUndefined();
  });

  it("puts a key only later runs have beside its siblings", () => {
    const union = kpiUnion([
      { a: 1, "d.x": 1, z: 1 },
      { a: 1, "d.w": 1, "d.x": 1, "d.y": 1, z: 1 },
    ]);
    expect(union).toEqual(["a", "d.w", "d.x", "d.y", "z"]);
  });

  it("selects KPIs by key or by prefix, and names the unknown ones", () => {
    const available = ["costs.total", "costs.holding", "fillRate"];
    expect(selectKpis(["costs.", "fillRate", "nope"], available)).toEqual({ kpis: ["costs.total", "costs.holding", "fillRate"], unknown: ["nope"] });
    expect(selectKpis([], available).kpis).toEqual(["costs.total", "fillRate"]);
  });
});

describe("the Welch interval", () => {
  it("matches SciPy's ttest_ind(b, a, equal_var=False)", () => {
    // scipy.stats.ttest_ind([12,14,11,15,13,16], [10,11,9,12], equal_var=False):
    // t = 3.0, df = 7.941176470588236, 95% CI 0.6910192121122405 to 5.3089807878877595
    const w = welchInterval([10, 11, 9, 12], [12, 14, 11, 15, 13, 16]);
    expect(w.mean).toBeCloseTo(3, 12);
    expect(w.standardError).toBeCloseTo(1, 12);
    expect(w.df).toBeCloseTo(7.941176470588236, 10);
    expect(w.lo).toBeCloseTo(0.6910192121122405, 8);
    expect(w.hi).toBeCloseTo(5.3089807878877595, 8);
  });

  it("is exact (zero width) for constant arms, and undefined with one value", () => {
    expect(welchInterval([1, 1], [3, 3]).halfWidth).toBe(0);
    expect(Number.isNaN(welchInterval([1], [2, 3]).halfWidth)).toBe(true);
  });

  it("is wider than the paired interval when the arms move together (common random numbers)", () => {
    const a = [100, 140, 90, 180, 120];
    const b = a.map((x, i) => x - 10 + (i % 2));
    expect(pairedInterval(a, b).halfWidth).toBeLessThan(welchInterval(a, b).halfWidth / 10);
  });
});

describe("ablation: factorial effects and Shapley attribution", () => {
  const sixteen = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 16, maxLength: 16 });

  it("lists the 16 combinations from siloed to coordinated, and the one-off design", () => {
    const full = ablationPolicies("full");
    expect(full).toHaveLength(16);
    expect(new Set(full).size).toBe(16);
    expect(full[0]).toBe("siloed");
    expect(full[15]).toBe("coordinated");
    expect(full[1 + 4]).toBe(policyName(policyOfMask(5)));
    expect(ablationPolicies("one-off")).toEqual([
      "siloed",
      "coordinated",
      "tieredFulfilment,capacityLinkage,unifiedService",
      "dataPlatform,capacityLinkage,unifiedService",
      "dataPlatform,tieredFulfilment,unifiedService",
      "dataPlatform,tieredFulfilment,capacityLinkage",
    ]);
  });

  it("Shapley values sum to coordinated − siloed for any outcomes (up to rounding)", () => {
    fc.assert(
      fc.property(sixteen, (y) => {
        const e = factorialEffects(y);
        const sum = e.shapley.reduce((s, x) => s + x, 0);
        expect(Math.abs(sum - e.total)).toBeLessThanOrEqual(1e-9 * Math.max(1, ...y.map(Math.abs)));
      }),
    );
  });

  it("an additive outcome gets each lever's own effect as attribution and main effect, and no interactions", () => {
    const own = [5, -3, 2.5, 0.25];
    const y = Array.from({ length: 16 }, (_, mask) => 100 + LEVERS.reduce((s, _, j) => s + ((mask >> j) & 1) * own[j], 0));
    const e = factorialEffects(y);
    own.forEach((v, j) => {
      expect(e.shapley[j]).toBeCloseTo(v, 12);
      expect(e.main[j]).toBeCloseTo(v, 12);
    });
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(e.interaction[i][j]).toBeCloseTo(0, 12);
  });

  it("a pure two-lever synergy is split evenly between the two, and shows as their interaction", () => {
    // Only when dataPlatform (bit 0) AND tieredFulfilment (bit 1) are both on does the outcome drop by 8.
    const y = Array.from({ length: 16 }, (_, mask) => ((mask & 3) === 3 ? -8 : 0));
    const e = factorialEffects(y);
    expect(e.shapley).toEqual([-4, -4, 0, 0]);
    expect(e.total).toBe(-8);
    expect(e.interaction[0][1]).toBe(-4); // ½ [(-8 − 0) − (0 − 0)]
    expect(e.main[0]).toBe(-4);
  });
});

describe("shards", () => {
  const spec = { variants: [{ settings: [], scenarioHash: "h" }, { settings: [], scenarioHash: "i" }], policies: ["siloed", "coordinated"], reps: 7, firstSeed: 3 } as unknown as BatchSpec;

  it("lists tasks by variant, then replication, then policy, replication i on seed S + i", () => {
    const tasks = taskList(spec);
    expect(tasks).toHaveLength(28);
    expect(tasks.slice(0, 3)).toEqual([
      { index: 0, variant: 0, rep: 0, seed: 3, policy: "siloed" },
      { index: 1, variant: 0, rep: 0, seed: 3, policy: "coordinated" },
      { index: 2, variant: 0, rep: 1, seed: 4, policy: "siloed" },
    ]);
  });

  it("k/N for every N split the task list into disjoint shares that cover it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const tasks = taskList(spec);
        const shares = Array.from({ length: n }, (_, i) => shardTasks(tasks, { k: i + 1, n }).map((t) => t.index));
        expect(shares.flat().sort((a, b) => a - b)).toEqual(tasks.map((t) => t.index));
      }),
    );
  });

  it("parses k/N and refuses k outside 1..N", () => {
    expect(parseShard("2/8")).toEqual({ k: 2, n: 8 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0"]) expect(() => parseShard(bad)).toThrow(/1 ≤ k ≤ N/);
  });
});

describe("sweep grid", () => {
  it("parses paths with indices and ids, and values as JSON or text", () => {
    expect(parsePath("sites[2].pickPack.ordersPerHour")).toEqual(["sites", 2, "pickPack", "ordersPerHour"]);
    expect(parsePath("sites[rdc-gz].lat")).toEqual(["sites", "#rdc-gz", "lat"]);
    expect(parseSetOption("demand.walkInPerDay=30, 40.5").values).toEqual([30, 40.5]);
    expect(parseSetOption('a.b=true,"x",plain').values).toEqual([true, "x", "plain"]);
    for (const bad of ["noequals", "=1", "a..b=1", "a[]=1", "a=1,,2", "a=1,1"]) expect(() => parseSetOption(bad)).toThrow();
  });

  it("builds the grid first --set outermost, each point validated, with its own scenario hash", () => {
    const base = tinyScenario();
    const { variants } = sweepVariants(base, [parseSetOption("demand.walkInPerDay=40,60"), parseSetOption("sites[rdc].pickPack.ordersPerHour=30,50")]);
    expect(variants.map((v) => v.settings.map((s) => s.value))).toEqual([[40, 30], [40, 50], [60, 30], [60, 50]]);
    expect(new Set(variants.map((v) => v.scenarioHash)).size).toBe(4);
  });

  it("names a path that is not in the scenario, and a value the scenario cannot take", () => {
    const base = tinyScenario();
    expect(() => sweepVariants(base, [parseSetOption("sites[nowhere].lat=1")])).toThrow(/no entry has id "nowhere" \(ids: factory, rdc, fdc, store\)/);
    expect(() => sweepVariants(base, [parseSetOption("sites[9].lat=1")])).toThrow(/the list has 4 entries/);
    expect(() => sweepVariants(base, [parseSetOption("demand.walkInPerDy=1")])).toThrow(/demand\.walkInPerDy: unknown field "walkInPerDy"; did you mean "walkInPerDay"/);
    expect(() => sweepVariants(base, [parseSetOption("demand.walkInPerDay=-5")])).toThrow(/sweep point demand.walkInPerDay=-5 is not a valid scenario: demand\.walkInPerDay/);
  });
});
