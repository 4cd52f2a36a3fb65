// The data behind the panels and the page: KPI history for charts, the alerts feed and the
// server's alert kinds, which session a page opens, and the map layout from the model's network description.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeScenarioNetwork, validateScenario } from "../../sim/index.ts";
import type { NetworkInfo, SessionInfo } from "../../server/protocol.ts";
import { AlertFeed, describeAlert } from "../../client/src/alerts.ts";
import { CHART_SERIES } from "../../client/src/kpis.ts";
import { buildLayout } from "../../client/src/layout.ts";
import { chooseSession, createSessionRequest, OPERATOR_KEY, readOperatorToken, readPageParams, tokenKey, viewerUrl } from "../../client/src/session-choice.ts";
import { ChartHistory, dayTicks, extent } from "../../client/src/series.ts";

const emptyValues = () => ({ fillRate: [] as (number | null)[], backlogOrders: [] as (number | null)[], costPerOrderDay: [] as (number | null)[], unitsLostSales: [] as (number | null)[] });
const points = (ts: number[]) => {
  const values = emptyValues();
  for (const t of ts) {
    values.fillRate.push(t / 1000);
    values.backlogOrders.push(t);
    values.costPerOrderDay.push(t < 1440 ? null : 10);
    values.unitsLostSales.push(0);
  }
  return { t: ts, values };
};

describe("ChartHistory", () => {
  it("takes the whole history from a snapshot and only newer points from deltas", () => {
    const h = new ChartHistory();
    h.reset({ stepMinutes: 60, points: points([0, 60, 120]), moments: [{ t: 30, kind: "stockout", site: 1, text: "first stockout" }] });
    expect(h.t).toEqual([0, 60, 120]);
    // A delta built before the snapshot reached this page repeats points it already has.
    h.append(points([120, 180]), [{ t: 30, kind: "stockout", site: 1, text: "first stockout" }]);
    expect(h.t).toEqual([0, 60, 120, 180]);
    expect(h.points("backlogOrders").v).toEqual([0, 60, 120, 180]);
    expect(h.moments).toHaveLength(1);
    expect(CHART_SERIES.map((c) => c.key)).toEqual(["fillRate", "backlogOrders", "costPerOrderDay", "unitsLostSales"]);
    expect(CHART_SERIES.every((c) => c.unit.length > 0)).toBe(true);
  });

  it("ticks days on the time axis, fewer when the chart is narrow", () => {
    const wide = dayTicks(44 * 1440, 600);
    expect(wide[0]).toEqual({ t: 0, label: "d1" });
    expect(wide[1].t - wide[0].t).toBe(1440 * 5);
    const narrow = dayTicks(44 * 1440, 200);
    expect(narrow.length).toBeLessThan(wide.length);
    expect(dayTicks(7 * 1440, 300).map((t) => t.label)).toEqual(["d1", "d2", "d3", "d4", "d5", "d6", "d7"]);
  });

  it("finds a padded extent over several series", () => {
    expect(extent([[1, null, 3], [2]])).toEqual({ min: 1, max: 3 });
    expect(extent([[5, 5]])).toEqual({ min: 4.75, max: 5.25 });
    expect(extent([[null], []])).toBeNull();
  });
});

const network: NetworkInfo = {
  title: "Test network",
  sites: [
    { id: "rdc", name: "Huangpu RDC", type: "rdc", lat: 23.1, lon: 113.46, deliveryRadiusKm: null, pickOrdersPerHour: 800, pickOrdersPerDay: 19_200 },
    { id: "fdc", name: "Nanshan FDC", type: "fdc", lat: 22.53, lon: 113.94, deliveryRadiusKm: 2.5, pickOrdersPerHour: 60, pickOrdersPerDay: 960 },
    { id: "store", name: "Yuexiu <img src=x>", type: "store", lat: 23.13, lon: 113.26, deliveryRadiusKm: 3, pickOrdersPerHour: 20, pickOrdersPerDay: 240 },
  ],
  skus: [{ id: "veg", name: "Fresh veg", category: "fresh" }],
  zones: [
    { id: "z1", name: "Tianhe", lat: 23.13, lon: 113.33, radiusKm: 4, weight: 2 },
    { id: "z2", name: "Nanshan", lat: 22.53, lon: 113.93, radiusKm: 3, weight: 1 },
  ],
  lanes: [{ from: 0, to: 1 }],
  saturationLine: 0.9,
};

describe("alerts", () => {
  it("words server alerts with the network's names", () => {
    expect(describeAlert({ t: 1, kind: "stockout", site: 2, sku: 0, message: "veg out of stock at store" }, network)).toBe("Fresh veg out of stock at Yuexiu <img src=x>");
    expect(describeAlert({ t: 1, kind: "intervention", site: -1, sku: -1, message: "demand surge" }, network)).toBe("Demand surge");
    expect(describeAlert({ t: 1, kind: "intervention", site: 0, sku: -1, message: "factory disruption" }, network)).toBe("Factory disruption at Huangpu RDC");
    expect(describeAlert({ t: 1, kind: "restocked", site: 9, sku: 0, message: "as sent" }, network)).toBe("as sent");
  });

  it("keeps the newest first, caps the list, counts by kind, and cuts back on a seek", () => {
    const feed = new AlertFeed(3);
    for (let t = 0; t < 5; t++) feed.add({ t, arm: 0, armLabel: "siloed", kind: t % 2 ? "stockout" : "restocked", message: `m${t}` });
    expect(feed.items.map((i) => i.message)).toEqual(["m4", "m3", "m2"]);
    expect(feed.items[1].severity).toBe("alert");
    expect([feed.total, feed.counts.stockout, feed.counts.restocked]).toEqual([5, 2, 3]);
    feed.truncateAfter(2.5);
    expect(feed.items.map((i) => i.t)).toEqual([2]);
  });

  it("words a saturation alert as the server sends it", () => {
    expect(describeAlert({ t: 1, kind: "saturation", site: 0, sku: -1, message: "Huangpu RDC: orders of the last day crossed the saturation line (93% of pick capacity)" }, network)).toBe(
      "Huangpu RDC: orders of the last day crossed the saturation line (93% of pick capacity)",
    );
  });
});

describe("which session a page opens", () => {
  const info = (id: string, compare: boolean) => ({ id, compare }) as SessionInfo;

  it("reads ?session= and #token=, ignoring malformed ones", () => {
    expect(readPageParams("?session=AAAAAAAAAAAAAAAA", "#token=abcdefgh_-123")).toEqual({ sessionId: "AAAAAAAAAAAAAAAA", token: "abcdefgh_-123" });
    expect(readPageParams("?session=../etc", "#token=<script>")).toEqual({ sessionId: null, token: null });
    expect(readPageParams("", "")).toEqual({ sessionId: null, token: null });
  });

  it("reads #operator= (the link serve prints beyond loopback), ignoring malformed ones, and sends it as a bearer token", () => {
    expect(readOperatorToken("#operator=abcdefgh_-123")).toBe("abcdefgh_-123");
    expect(readOperatorToken("#token=abcdefgh&operator=ZZZZZZZZZZ")).toBe("ZZZZZZZZZZ");
    expect(readOperatorToken("#operator=<script>")).toBeNull();
    expect(readOperatorToken("")).toBeNull();
    expect(createSessionRequest({ scenario: "618-promotion" }, "abcdefgh").headers).toMatchObject({ authorization: "Bearer abcdefgh" });
    expect(createSessionRequest({ scenario: "618-promotion" }, null).headers).not.toHaveProperty("authorization");
    expect(OPERATOR_KEY).toBe("omnitwin.operator");
  });

  it("opens the one asked for, else the first compare session, else the first", () => {
    const list = [info("single", false), info("compare", true)];
    expect(chooseSession(list, null)?.id).toBe("compare");
    expect(chooseSession(list, "single")?.id).toBe("single");
    expect(chooseSession(list, "gone")).toBeNull();
    expect(chooseSession([info("single", false)], null)?.id).toBe("single");
    expect(chooseSession([], null)).toBeNull();
    expect(tokenKey("x")).toBe("omnitwin.presenter.x");
    expect(viewerUrl("http://h:1", "/", "AAAAAAAAAAAAAAAA")).toBe("http://h:1/?session=AAAAAAAAAAAAAAAA");
  });
});

describe("layout", () => {
  it("places the 618 network from the model's description: radius, capacity, weights, lanes", () => {
    const text = readFileSync(new URL("../../scenarios/618-promotion.json", import.meta.url), "utf8");
    const loaded = validateScenario(JSON.parse(text));
    if (!loaded.ok) throw new Error("618 does not validate");
    const scenario = loaded.scenario;
    const layout = buildLayout(describeScenarioNetwork(scenario));
    expect(layout.sites).toHaveLength(scenario.sites.length);
    // Lanes are drawn once per pair of sites, whichever way they run.
    const pairs = new Set(scenario.lanes.map((l) => [l.from, l.to].sort().join("|")));
    expect(layout.lanes).toHaveLength(pairs.size);
    const rdc = layout.sites.find((s) => s.type === "rdc")!;
    const rdcSite = scenario.sites.find((s) => s.type === "rdc")!;
    expect(rdc.ordersPerHour).toBe(rdcSite.pickPack.ordersPerHour);
    expect(rdc.ordersPerHour).toBeGreaterThan(0);
    expect(rdc.radiusKm).toBeNull();
    const fdcs = scenario.sites.filter((s) => s.type === "fdc");
    expect(layout.sites.filter((s) => s.type === "fdc").map((s) => s.radiusKm)).toEqual(fdcs.map((s) => (s.type === "fdc" ? s.deliveryRadiusKm : null)));
    expect(Math.max(...layout.zones.map((z) => z.weightShare))).toBe(1);
    for (const s of layout.sites) {
      expect(s.p.x).toBeGreaterThan(0);
      expect(s.p.x).toBeLessThan(layout.projection.box.maxX);
    }
  });

  it("takes radii, capacity and weights from the description, never stand-ins", () => {
    const layout = buildLayout(network);
    expect(layout.lanes).toEqual([{ from: 0, to: 1 }]);
    expect(layout.sites.map((s) => s.radiusKm)).toEqual([null, 2.5, null]);
    expect(layout.sites.map((s) => s.ordersPerHour)).toEqual([800, 60, 20]);
    expect(layout.zones.map((z) => [z.radiusKm, z.weightShare])).toEqual([
      [4, 1],
      [3, 0.5],
    ]);
  });
});

describe("sim time as text", async () => {
  const { localTimeAt, dayOf, duration } = await import("../../client/src/sim-time.ts");
  it("reads minutes relative to the server's local time of the current minute", () => {
    expect(localTimeAt("2026-05-13 00:00", 0, 61)).toBe("2026-05-13 01:01");
    expect(localTimeAt("2026-05-31 23:30", 100, 130)).toBe("2026-06-01 00:00");
    expect(localTimeAt("2026-05-13 10:00", 600, 0)).toBe("2026-05-13 00:00");
    expect(localTimeAt("garbage", 0, 5)).toBe("minute 5");
  });
  it("says the day of the run and durations", () => {
    expect(dayOf(0, 44 * 1440)).toBe("day 1 of 44");
    expect(dayOf(44 * 1440, 44 * 1440)).toBe("day 44 of 44");
    expect([duration(45), duration(360), duration(3600)]).toEqual(["45 min", "6 h", "2.5 d"]);
  });
});
