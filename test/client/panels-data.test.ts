// The data behind the panels and the page: KPI history for charts, the alerts feed and the
// saturation watch, which session a page opens, and the map layout read from a scenario.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NetworkInfo, SessionInfo } from "../../server/protocol.ts";
import { AlertFeed, describeAlert, SaturationWatch } from "../../client/src/alerts.ts";
import { CHART_SERIES, type KpiReading } from "../../client/src/kpis.ts";
import { buildLayout, DEFAULT_FDC_RADIUS_KM, learnLane, readScenarioExtras } from "../../client/src/layout.ts";
import { chooseSession, readPageParams, tokenKey, viewerUrl } from "../../client/src/session-choice.ts";
import { extent, KpiSeries } from "../../client/src/series.ts";

const kpi = (fillRate: number | null, backlog = 0): KpiReading => ({
  ordersPlaced: 0,
  ordersDelivered: 0,
  ordersCancelled: 0,
  backlogOrders: backlog,
  unitsLostSales: 0,
  fillRate,
  costTotal: 0,
  revenue: 0,
  fulfilmentCostPerOrder: null,
  onTimeRate: null,
  refunds: 0,
  satisfactionIndex: null,
});

describe("KpiSeries", () => {
  it("keeps points less than a resolution step apart only at the head, which the newest frame overwrites", () => {
    const s = new KpiSeries(CHART_SERIES, 60);
    for (let t = 0; t <= 180; t += 10) s.push(t, kpi(t / 1000, t));
    expect(s.t).toEqual([0, 50, 100, 150, 180]);
    expect(s.points("backlog").v).toEqual([0, 50, 100, 150, 180]);
    s.push(200, kpi(0.5, 9));
    expect(s.t).toEqual([0, 50, 100, 150, 200]);
    expect(s.points("fillRate").v.at(-1)).toBe(0.5);
    s.push(215, kpi(0.5, 9));
    expect(s.t).toEqual([0, 50, 100, 150, 200, 215]);
  });

  it("cuts back on a seek backwards and thins itself at its limit", () => {
    const s = new KpiSeries(CHART_SERIES, 1, 10);
    for (let t = 0; t < 10; t++) s.push(t, kpi(null, t));
    s.push(4.5, kpi(null, 99));
    expect(s.t).toEqual([0, 1, 2, 3, 4, 4.5]);
    expect(s.points("backlog").v.at(-1)).toBe(99);
    for (let t = 5; t < 20; t++) s.push(t, kpi(null, t));
    expect(s.length).toBeLessThanOrEqual(10);
    expect(s.t.at(-1)).toBe(19);
    expect(s.points("backlog").v.length).toBe(s.length);
    expect(() => new KpiSeries(CHART_SERIES, 0)).toThrow(/resolution/);
  });

  it("breaks the lines across a jump ahead (a seek forward), once", () => {
    const s = new KpiSeries(CHART_SERIES, 60);
    s.push(0, kpi(0.9));
    s.push(60, kpi(0.8));
    s.gap();
    s.gap();
    s.push(6000, kpi(0.5));
    s.push(6060, kpi(0.4));
    expect(s.t).toEqual([0, 60, 60, 6000, 6060]);
    expect(s.points("fillRate").v).toEqual([0.9, 0.8, null, 0.5, 0.4]);
    expect(new KpiSeries(CHART_SERIES, 60).gap()).toBeUndefined();
  });

  it("finds a padded extent over several series", () => {
    expect(extent([[1, null, 3], [2]])).toEqual({ min: 1, max: 3 });
    expect(extent([[5, 5]])).toEqual({ min: 4.75, max: 5.25 });
    expect(extent([[null], []])).toBeNull();
  });
});

const network: NetworkInfo = {
  sites: [
    { id: "rdc", name: "Huangpu RDC", type: "rdc", lat: 23.1, lon: 113.46 },
    { id: "fdc", name: "Nanshan FDC", type: "fdc", lat: 22.53, lon: 113.94 },
    { id: "store", name: "Yuexiu <img src=x>", type: "store", lat: 23.13, lon: 113.26 },
  ],
  skus: [{ id: "veg", name: "Fresh veg", category: "fresh" }],
  zones: [
    { id: "z1", name: "Tianhe", lat: 23.13, lon: 113.33 },
    { id: "z2", name: "Nanshan", lat: 22.53, lon: 113.93 },
  ],
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

  it("reports a saturation crossing once each way, with hysteresis", () => {
    const w = new SaturationWatch(0.9);
    expect(w.update(0, 1, 0.5)).toBeNull();
    expect(w.update(0, 1, 0.95)).toBe("crossed");
    expect(w.update(0, 1, 1.5)).toBeNull();
    expect(w.update(0, 1, 0.7)).toBeNull(); // inside the band
    expect(w.update(1, 1, 0.95)).toBe("crossed"); // the other arm is separate
    expect(w.update(0, 1, 0.3)).toBe("cleared");
    expect(w.update(0, 1, 0.95)).toBe("crossed"); // and can cross again
    expect(w.update(0, 2, null)).toBeNull();
  });
});

describe("which session a page opens", () => {
  const info = (id: string, compare: boolean) => ({ id, compare }) as SessionInfo;

  it("reads ?session= and #token=, ignoring malformed ones", () => {
    expect(readPageParams("?session=AAAAAAAAAAAAAAAA", "#token=abcdefgh_-123")).toEqual({ sessionId: "AAAAAAAAAAAAAAAA", token: "abcdefgh_-123" });
    expect(readPageParams("?session=../etc", "#token=<script>")).toEqual({ sessionId: null, token: null });
    expect(readPageParams("", "")).toEqual({ sessionId: null, token: null });
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
  it("places the 618 network from its scenario file: radius, capacity, weights, lanes", () => {
    const scenario = JSON.parse(readFileSync(new URL("../../scenarios/618-promotion.json", import.meta.url), "utf8"));
    const net: NetworkInfo = {
      sites: scenario.sites.map((s: any) => ({ id: s.id, name: s.name, type: s.type, lat: s.lat, lon: s.lon })),
      skus: [],
      zones: scenario.zones.map((z: any) => ({ id: z.id, name: z.name, lat: z.lat, lon: z.lon })),
    };
    const layout = buildLayout(net, readScenarioExtras(scenario));
    expect(layout.sites).toHaveLength(scenario.sites.length);
    expect(layout.lanes).toHaveLength(scenario.lanes.length);
    const rdc = layout.sites.find((s) => s.type === "rdc")!;
    expect(rdc.ordersPerHour).toBe(800);
    expect(rdc.radiusKm).toBeNull();
    expect(layout.sites.filter((s) => s.type === "fdc").every((s) => s.radiusKm === 3)).toBe(true);
    expect(Math.max(...layout.zones.map((z) => z.weightShare))).toBe(1);
    for (const s of layout.sites) {
      expect(s.p.x).toBeGreaterThan(0);
      expect(s.p.x).toBeLessThan(layout.projection.box.maxX);
    }
  });

  it("stands in for a scenario it could not fetch, and learns lanes from shipments", () => {
    const layout = buildLayout(network, null);
    expect(layout.lanes).toEqual([]);
    expect(layout.sites[1].radiusKm).toBe(DEFAULT_FDC_RADIUS_KM);
    expect(layout.sites[0].ordersPerHour).toBeNull();
    expect(learnLane(layout, 0, 1)).toBe(true);
    expect(learnLane(layout, 1, 0)).toBe(false);
    expect(learnLane(layout, 0, 0)).toBe(false);
    expect(learnLane(layout, 0, 7)).toBe(false);
    expect(layout.lanes).toEqual([{ from: 0, to: 1 }]);
  });

  it("skips fields of the wrong type rather than trusting them", () => {
    const extras = readScenarioExtras({ sites: [{ id: "fdc", deliveryRadiusKm: "9", pickPack: { ordersPerHour: 50 } }, null, { id: 4 }], zones: "no", lanes: [{ from: "rdc" }, { from: "rdc", to: "fdc" }] });
    expect(extras.sites.get("fdc")).toEqual({ radiusKm: null, ordersPerHour: 50 });
    expect(extras.sites.size).toBe(1);
    expect(extras.zones.size).toBe(0);
    expect(extras.lanes).toEqual([{ from: "rdc", to: "fdc" }]);
    expect(readScenarioExtras(null).lanes).toEqual([]);
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
