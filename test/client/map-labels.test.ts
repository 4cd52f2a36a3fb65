// Label placement, short site names, the basemap's projection and the plain words of alerts and
// decisions: the pure parts of the map as a stage (client/src/labels.ts, basemap.ts, plain-words.ts).
import { describe, expect, it } from "vitest";
import type { BasemapPayload, NetworkInfo } from "../../server/protocol.ts";
import { basemapRequestBox, insidePolygon, placesAtZoom, projectBasemap } from "../../client/src/basemap.ts";
import { boxesIntersect, placeLabels, shortSiteNames, type LabelRequest } from "../../client/src/labels.ts";
import { dayClock, decisionKind, plainFigures, plainMessage } from "../../client/src/plain-words.ts";
import { Projection } from "../../client/src/projection.ts";
import { describeAlert } from "../../client/src/alerts.ts";

const site = (x: number, y: number, w = 80, h = 14, extra: Partial<LabelRequest> = {}): LabelRequest => ({
  x,
  y,
  clear: { x: x - 10, y: y - 10, w: 24, h: 20 },
  w,
  h,
  required: true,
  keepInside: false,
  ...extra,
});

describe("placeLabels", () => {
  it("labels every site of a tight cluster with no two labels and no label and glyph meeting", () => {
    // Twelve sites within 60 px, as the Guangzhou cluster is at the fitted view of a small pane.
    const requests = Array.from({ length: 12 }, (_, i) => site(300 + (i % 4) * 20, 200 + Math.floor(i / 4) * 20, 70 + (i % 3) * 15, i % 2 ? 28 : 14));
    const placed = placeLabels(requests, { width: 800, height: 600 });
    expect(placed.every((p) => p.shown)).toBe(true);
    const boxes = placed.map((p, i) => ({ x: p.x, y: p.y, w: requests[i].w, h: requests[i].h }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(boxesIntersect(boxes[i], boxes[j]), `labels ${i} and ${j}`).toBe(false);
      requests.forEach((r, j) => j !== i && expect(boxesIntersect(boxes[i], r.clear), `label ${i} on glyph ${j}`).toBe(false));
    }
    expect(placed.some((p) => p.leader)).toBe(true); // the crowded ones moved out on a leader line
  });

  it("keeps a selected site's label inside the pane, even at its edge", () => {
    const [p] = placeLabels([site(795, 300, 200, 14, { keepInside: true })], { width: 800, height: 600, top: 40, bottom: 30 });
    expect(p.shown).toBe(true);
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x + 200).toBeLessThanOrEqual(800);
    const [corner] = placeLabels([site(2, 2, 300, 30, { keepInside: true })], { width: 250, height: 20 });
    expect(corner.x).toBeGreaterThanOrEqual(0); // no spot fits: clamped into the view
  });

  it("drops an optional label (a place name) with no free spot, never a site's", () => {
    // A site's label fills the only room beside the glyph; a place name there has nowhere to go.
    const placed = placeLabels([site(50, 20, 60, 14), { ...site(50, 20, 60, 14), required: false, keepInside: true }], { width: 140, height: 40 });
    expect(placed[0].shown).toBe(true);
    expect(placed[1].shown).toBe(false);
  });
});

describe("shortSiteNames", () => {
  it("drops the shared city and the tier words, and tags the tier", () => {
    const names = shortSiteNames([
      { name: "Guangzhou Tianhe forward warehouse", type: "fdc" },
      { name: "Guangzhou Huangpu regional warehouse", type: "rdc" },
      { name: "Shunde appliance factory", type: "factory" },
      { name: "Dongguan general supplier", type: "factory" },
      { name: "Shenzhen Nanshan store", type: "store" },
      { name: "Shenzhen Nanshan forward warehouse", type: "fdc" },
      { name: "Depot", type: "store" },
    ]);
    expect(names).toEqual(["Tianhe FDC", "Huangpu RDC", "Shunde factory", "Dongguan supplier", "Nanshan store", "Nanshan FDC", "Depot"]);
  });

  it("keeps full names where two short ones would read alike", () => {
    expect(shortSiteNames([
      { name: "Shanghai Pudong store", type: "store" },
      { name: "Shanghai Pudong East store", type: "store" },
    ])).toEqual(["Shanghai Pudong store", "Shanghai Pudong East store"]);
  });
});

describe("the basemap on the map", () => {
  const projection = Projection.fit([
    { lat: 22.5, lon: 113.1 },
    { lat: 23.1, lon: 114.1 },
  ]);

  it("asks for the scenario's box and as much again on every side", () => {
    const box = basemapRequestBox(projection);
    expect(box.west).toBeLessThan(113.1 - 0.9);
    expect(box.east).toBeGreaterThan(114.1 + 0.9);
    expect(box.south).toBeLessThan(22.5 - 0.5);
    expect(box.north).toBeGreaterThan(23.1 + 0.5);
  });

  it("projects rings into map km and tells inside from outside, holes included", () => {
    const payload: BasemapPayload = {
      box: { west: 113, south: 22, east: 114, north: 23 },
      sea: [[[113, 22, 114, 22, 114, 23, 113, 23, 113, 22], [113.4, 22.4, 113.6, 22.4, 113.6, 22.6, 113.4, 22.6, 113.4, 22.4]]],
      rivers: [],
      borders: [[113.9, 22.5, 114.1, 22.5]],
      places: [{ name: "Guangzhou", lon: 113.26, lat: 23.13, rank: 1 }],
      attribution: "test",
    };
    const map = projectBasemap(payload, projection);
    const at = (lat: number, lon: number) => projection.project(lat, lon);
    const sea = at(22.2, 113.2);
    const island = at(22.5, 113.5);
    expect(insidePolygon(map.water[0], sea.x, sea.y)).toBe(true);
    expect(insidePolygon(map.water[0], island.x, island.y)).toBe(false);
    expect(map.places[0]).toMatchObject({ name: "Guangzhou", ...at(23.13, 113.26) });
    expect(placesAtZoom(1)).toBeLessThan(placesAtZoom(5));
  });
});

describe("plain words", () => {
  const network = {
    sites: [{ id: "rdc-gz", name: "Huangpu RDC" }],
    skus: [{ id: "veg", name: "Fresh veg" }],
    zones: [{ id: "z-tianhe", name: "Tianhe" }],
  } as unknown as NetworkInfo;
  const when = (t: number) => dayClock("2026-05-13 00:00", 0, t);

  it("says times as the run's day and the local clock", () => {
    expect(when(0)).toBe("Day 1 00:00");
    expect(when(2 * 1440 + 14 * 60)).toBe("Day 3 14:00");
  });

  it("names levers, sites and SKUs, and reads minutes, hours and shares", () => {
    expect(plainMessage("lever dataPlatform switched on")).toBe("Data platform (L1) switched on");
    expect(describeAlert({ t: 1, kind: "intervention", site: -1, sku: -1, message: "lever capacityLinkage switched off" }, network)).toBe("Promotion–capacity linkage (L3) switched off");
    expect(decisionKind("ad-hoc-transfer")).toBe("Ad-hoc transfer");
    expect(decisionKind("intervention:lever")).toBe("Lever");
    const text = plainFigures({ path: "rdc-express", orders: 12, fromMinute: 2 * 1440 + 14 * 60, toMinute: 2 * 1440 + 15 * 60, meanCostCny: 13.456, from: "rdc-gz", sku: "veg", utilisation: 0.934 }, network, when);
    expect(text).toBe("Day 3 14:00–15:00, path rdc-express, orders 12, mean cost ¥13.46, from Huangpu RDC, sku Fresh veg, load 93%");
    expect(text).not.toMatch(/Minute|\b\d{4,}\b/);
  });
});
