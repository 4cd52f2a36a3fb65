// The map as a stage, in Chromium (issue #19, the visual half): the basemap is drawn under the network
// — pixels of land and of water where the scenario's coordinates and the served geodata say — every
// site is labelled in both panes with no two label boxes meeting, a selected site's label stays inside
// its pane, a lever switch reads as its name with a local day and time, at 1024×768 nothing
// overflows, and at 1920×1080 the KPI values are projector-sized. Screenshots go to out/e2e/ (and to docs/ with OMNITWIN_UPDATE_SCREENSHOT=1).
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_DIST, ensureClientBuilt } from "../../client/build.ts";
import { insidePolygon } from "../../client/src/basemap.ts";
import { boxesIntersect, type Box } from "../../client/src/labels.ts";
import { COLORS } from "../../client/src/portrayal.ts";
import type { RenderStats } from "../../client/src/stats.ts";
import type { BasemapPayload } from "../../server/protocol.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import { launchChromium, pageStats, untilStats } from "./chromium.ts";
import { readPng } from "./png.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = `${ROOT}out/e2e`;
const UPDATE_DOCS = process.env.OMNITWIN_UPDATE_SCREENSHOT === "1";
interface ScenarioFile {
  name: string;
  sites: { id: string; name: string; type: string; lat: number; lon: number; deliveryRadiusKm?: number }[];
  zones: { lat: number; lon: number; radiusKm: number }[];
  lanes: { from: string; to: string }[];
}
const scenario = JSON.parse(readFileSync(`${ROOT}scenarios/618-promotion.json`, "utf8")) as ScenarioFile;
let server: RunningServer;
let browser: Browser;
let url: string;
let presenter: Page;

const stats = pageStats;

function until(page: Page, ok: (s: RenderStats) => boolean, what: string, ms = 20_000): Promise<RenderStats> {
  return untilStats(page, ok, what, ms, (last) => `basemap ${JSON.stringify(last?.basemap)}, labels ${JSON.stringify(last?.labels.map((l) => l.siteTexts))}`);
}

const labelled = (s: RenderStats) => s.state === "live" && s.basemap.state === "drawn" && s.labels.length === 2 && s.labels.every((l) => l.siteTexts.length === scenario.sites.length && l.siteTexts.every((t) => t !== ""));

function shot(page: Page, name: string, docsName?: string): Promise<Buffer> {
  mkdirSync(OUT, { recursive: true });
  return page.screenshot({ path: `${OUT}/${name}` }).then((png) => {
    if (UPDATE_DOCS && docsName) copyFileSync(`${OUT}/${name}`, `${ROOT}docs/${docsName}`);
    return png;
  });
}

beforeAll(async () => {
  await ensureClientBuilt();
  // As `serve` does: the geodata starts loading now, while Chromium starts.
  server = await startServer({ port: 0, host: "127.0.0.1", scenariosDir: `${ROOT}scenarios`, dataDir: null, clientDir: CLIENT_DIST, warmBasemap: true, log: () => {} });
  const entry = server.catalog.load("618-promotion");
  if (!entry?.result.ok) throw new Error("618-promotion does not load");
  const created = server.registry.create({ scenario: entry.result.scenario, scenarioName: entry.name, scenarioText: entry.text, compare: true, speed: 360 })!;
  url = `${server.url}?session=${created.session.id}`;
  browser = await launchChromium();
  presenter = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await presenter.goto(`${url}#token=${created.presenterToken}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the map as a stage", () => {
  it("draws the basemap: land and water pixels where the scenario's coordinates and the geodata say", async () => {
    // The basemap's worker runs at a lower priority than everything else (basemap-worker.ts): with the other
    // test files' simulations on both cores it takes its 1.5 s of loading as a tenth of a core, so the first
    // map may take tens of seconds here; on a quiet machine it is drawn within about 3 s.
    await until(presenter, (s) => labelled(s) && s.playing && s.t > 120, "the basemap, the labels and a playing session", 90_000);
    await presenter.locator("#map").click({ position: { x: 5, y: 400 } });
    await presenter.keyboard.press("Space");
    const s = await until(presenter, (x) => !x.playing, "the pause");
    const box = s.basemap.box!;
    const basemap = (await (await fetch(`${server.url}api/basemap?west=${box.west}&south=${box.south}&east=${box.east}&north=${box.north}`)).json()) as BasemapPayload;
    const water = [...basemap.sea, ...basemap.rivers];

    // Screen ↔ lon/lat of the first pane from two sites far apart (the projection is equirectangular).
    const [a, b] = [0, 1].map((k) => scenario.sites.reduce((best, site, i) => ((k ? site.lat : site.lon) < (k ? scenario.sites[best].lat : scenario.sites[best].lon) ? i : best), 0));
    const [c, d] = [0, 1].map((k) => scenario.sites.reduce((best, site, i) => ((k ? site.lat : site.lon) > (k ? scenario.sites[best].lat : scenario.sites[best].lon) ? i : best), 0));
    const pxPerLon = (s.siteScreen[c][0] - s.siteScreen[a][0]) / (scenario.sites[c].lon - scenario.sites[a].lon);
    const pxPerLat = (s.siteScreen[d][1] - s.siteScreen[b][1]) / (scenario.sites[d].lat - scenario.sites[b].lat);
    const lonAt = (x: number) => scenario.sites[a].lon + (x - s.siteScreen[a][0]) / pxPerLon;
    const latAt = (y: number) => scenario.sites[b].lat + (y - s.siteScreen[b][1]) / pxPerLat;
    const screenOf = (lat: number, lon: number) => [s.siteScreen[a][0] + (lon - scenario.sites[a].lon) * pxPerLon, s.siteScreen[b][1] + (lat - scenario.sites[b].lat) * pxPerLat];
    const pxPerKm = -pxPerLat / 111.32;

    // Keep clear of everything drawn over the basemap: glyphs, labels, heat, FDC radii, lanes and trips' routes, panel overlays.
    const mapBox = (await presenter.locator("#map").boundingBox())!;
    const paneW = Math.floor((mapBox.width - 6) / 2);
    const sites = scenario.sites.map((x) => screenOf(x.lat, x.lon));
    const discs = [
      ...sites.map(([x, y]) => ({ x, y, r: 40 })),
      ...scenario.zones.map((z) => ({ ...(([x, y]) => ({ x, y }))(screenOf(z.lat, z.lon)), r: z.radiusKm * 1.6 * pxPerKm + 6 })),
      ...scenario.sites.flatMap((x, i) => (x.deliveryRadiusKm ? [{ x: sites[i][0], y: sites[i][1], r: x.deliveryRadiusKm * pxPerKm + 6 }] : [])),
    ];
    const index = new Map(scenario.sites.map((x, i) => [x.id, i]));
    const rdcs = scenario.sites.flatMap((x, i) => (x.type === "rdc" ? [i] : []));
    const segments = [
      ...scenario.lanes.map((l) => [index.get(l.from)!, index.get(l.to)!]),
      ...scenario.sites.flatMap((x, i) => (x.type === "factory" ? rdcs.map((r) => [i, r]) : [])),
    ].map(([i, j]) => [...sites[i], ...sites[j]]);
    const labels: Box[] = [...s.labels[0].sites.filter((x): x is Box => x !== null), ...s.labels[0].places];
    const nearSegment = (x: number, y: number) =>
      segments.some(([x1, y1, x2, y2]) => {
        const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2 || 1)));
        return Math.hypot(x - x1 - t * (x2 - x1), y - y1 - t * (y2 - y1)) < 10;
      });
    const free = (x: number, y: number) =>
      !discs.some((q) => Math.hypot(x - q.x, y - q.y) < q.r) && !labels.some((l) => x > l.x - 8 && x < l.x + l.w + 8 && y > l.y - 8 && y < l.y + l.h + 8) && !nearSegment(x, y);
    const isWater = (x: number, y: number) => water.some((poly) => insidePolygon(poly, lonAt(x), latAt(y)));

    const pixels = readPng(await shot(presenter, "stage-basemap.png"));
    const rgb = (c: number) => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
    const near = (p: number[], c: number) => Math.hypot(...p.map((v, i) => v - rgb(c)[i])) < 24;
    const found = { water: [] as boolean[], land: [] as boolean[] };
    for (let y = 60; y < mapBox.height - 80; y += 14)
      for (let x = 12; x < paneW - 12; x += 14) {
        if (!free(x, y)) continue;
        const kind = isWater(x, y);
        // Away from the coast by 5 px every way, so a pixel is not half land, half water.
        if ([[5, 0], [-5, 0], [0, 5], [0, -5]].some(([dx, dy]) => isWater(x + dx, y + dy) !== kind)) continue;
        const px = pixels.at(mapBox.x + x, mapBox.y + y);
        found[kind ? "water" : "land"].push(near(px, kind ? COLORS.water : COLORS.land));
      }
    const share = (v: boolean[]) => v.filter(Boolean).length / v.length;
    if (process.env.OMNITWIN_E2E_VERBOSE) console.log(`basemap pixels: water ${found.water.length} points, ${share(found.water)} matched; land ${found.land.length}, ${share(found.land)}`);
    expect(found.water.length, "water sample points").toBeGreaterThanOrEqual(10);
    expect(found.land.length, "land sample points").toBeGreaterThanOrEqual(10);
    expect(share(found.water), `water pixels the water colour (${found.water.length} points)`).toBeGreaterThanOrEqual(0.9);
    expect(share(found.land), `land pixels the land colour (${found.land.length} points)`).toBeGreaterThanOrEqual(0.9);
    expect(s.basemap.drawn).toEqual([true, true]);
  }, 120_000);

  it("labels every site in both panes with no two label boxes meeting; a selected site's label stays in its pane", async () => {
    const s = await until(presenter, labelled, "labels");
    s.labels.forEach((pane, p) => {
      const boxes = [...pane.sites, ...pane.places];
      expect(boxes.every((x) => x !== null), `pane ${p}: every site labelled`).toBe(true);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) expect(boxesIntersect(boxes[i]!, boxes[j]!), `pane ${p}: labels ${JSON.stringify(boxes[i])} and ${JSON.stringify(boxes[j])}`).toBe(false);
      expect(pane.placeNames).toContain("Guangzhou");
    });
    // Select the site nearest the first pane's right edge: its label (now its full name) stays inside the pane.
    const mapBox = (await presenter.locator("#map").boundingBox())!;
    const paneW = Math.floor((mapBox.width - 6) / 2);
    const edge = s.siteScreen.reduce((best, p, i) => (p[0] > s.siteScreen[best][0] ? i : best), 0);
    await presenter.locator("#map").click({ position: { x: s.siteScreen[edge][0], y: s.siteScreen[edge][1] } });
    const picked = await until(presenter, (x) => x.selected === scenario.sites[edge].id && x.labels[0].siteTexts[edge] === scenario.sites[edge].name, "the edge site selected, with its full name");
    const label = picked.labels[0].sites[edge]!;
    expect(label.x).toBeGreaterThanOrEqual(0);
    expect(label.x + label.w).toBeLessThanOrEqual(paneW);
    for (const other of picked.labels[0].sites) if (other && other !== label) expect(boxesIntersect(label, other)).toBe(false);
    await shot(presenter, "stage-labels.png", "map-stage.png");

    // Zoomed to a district (Guangzhou's centre): the sites on screen carry their full names, still apart.
    const tianhe = scenario.sites.findIndex((x) => x.id.includes("tianhe"));
    await presenter.mouse.move(mapBox.x + s.siteScreen[tianhe][0], mapBox.y + s.siteScreen[tianhe][1]);
    for (let i = 0; i < 5; i++) await presenter.mouse.wheel(0, -300);
    const zoomed = await until(presenter, (x) => x.labels[0].siteTexts[tianhe] === scenario.sites[tianhe].name, "full names at district zoom");
    const onScreen = zoomed.labels[0].sites.filter((b): b is Box => b !== null && b.x >= 0 && b.x + b.w <= paneW && b.y >= 0);
    expect(onScreen.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < onScreen.length; i++) for (let j = i + 1; j < onScreen.length; j++) expect(boxesIntersect(onScreen[i], onScreen[j])).toBe(false);
    await shot(presenter, "stage-district.png", "map-district.png");
    await presenter.locator("#map").dblclick({ position: { x: 5, y: 400 } }); // back to the fitted view
  });

  it("says a lever switch by the lever's name, at the run's day and local time", async () => {
    await presenter.locator('.pane-header.arm-0 input[data-lever="dataPlatform"]').click();
    await until(presenter, (x) => x.alertTexts.some((a) => a.includes("Data platform (L1) switched on")), "the lever alert in words");
    expect(await presenter.locator('#alert-list li[data-kind="intervention"] time').first().textContent()).toMatch(/^Day \d+ \d\d:\d\d$/);
    expect((await stats(presenter)).alertTexts.join(" ")).not.toMatch(/dataPlatform|fromMinute/);
  });

  it("at 1024×768 nothing overflows: KPI values whole, the inspector's columns visible, no page scroll", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(url);
    const s = await until(page, (x) => labelled(x) && x.kpi.length === 2, "the viewer's map at 1024×768");
    const rdc = scenario.sites.findIndex((x) => x.type === "rdc");
    await page.locator("#map").click({ position: { x: s.siteScreen[rdc][0], y: s.siteScreen[rdc][1] } });
    await until(page, (x) => x.selected === scenario.sites[rdc].id, "the RDC in the inspector");
    await page.locator("#inspector table.stock").first().waitFor();
    const problems = await page.evaluate(() => {
      // The page's DOM, typed here (this project's Node-side typecheck has no DOM library).
      type Rect = { right: number; bottom: number };
      type Node = { getBoundingClientRect(): Rect; scrollWidth: number; clientWidth: number; className: string; id: string; textContent: string | null; closest(selector: string): Node | null };
      const page = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; scrollHeight: number }; querySelectorAll(selector: string): Iterable<Node>; getElementById(id: string): Node };
        innerWidth: number;
        innerHeight: number;
        getComputedStyle(node: Node): { overflow: string; textOverflow: string };
      };
      const doc = page.document.documentElement;
      const out: string[] = [];
      if (doc.scrollWidth > page.innerWidth || doc.scrollHeight > page.innerHeight) out.push(`page scrolls: ${doc.scrollWidth}×${doc.scrollHeight}`);
      for (const node of page.document.querySelectorAll(".kpi-value, .kpi-diff, .kpi-label, #top > *, #controls > *")) {
        const r = node.getBoundingClientRect();
        const card = node.closest(".kpi")?.getBoundingClientRect();
        const style = page.getComputedStyle(node);
        // A long scenario name ends in "…" on purpose (the full name is the page's title); nothing else may be cut.
        if (node.scrollWidth > node.clientWidth + 1 && style.overflow !== "visible" && style.textOverflow !== "ellipsis") out.push(`clipped: ${node.className || node.id} "${node.textContent}"`);
        if (card && (r.right > card.right + 0.5 || r.bottom > card.bottom + 0.5)) out.push(`out of its card: "${node.textContent}"`);
        if (r.right > page.innerWidth + 0.5) out.push(`off screen: ${node.id || node.className}`);
      }
      const side = page.document.getElementById("side").getBoundingClientRect();
      for (const cell of page.document.querySelectorAll("#inspector table.stock th, #inspector table.stock td"))
        if (cell.getBoundingClientRect().right > side.right + 0.5) out.push(`inspector column cut: "${cell.textContent}"`);
      return out;
    });
    await shot(page, "stage-1024x768.png", "map-1024.png");
    expect(problems).toEqual([]);

    // On a 1920×1080 projector the room reads the KPI values and the site names from the back: a window
    // made that wide takes the larger labels without a reload.
    const nameHeight = (x: RenderStats) => Math.max(...x.labels[0].sites.filter((b): b is Box => b !== null).map((b) => b.h));
    const small = nameHeight(await stats(page));
    await page.setViewportSize({ width: 1920, height: 1080 });
    await until(page, (x) => labelled(x) && nameHeight(x) > small, `larger site labels after the resize (were ${small} px high)`);
    await expect
      .poll(() => page.evaluate(() => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string }; document: { querySelector(s: string): unknown } }).getComputedStyle((globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(".kpi-values")).fontSize)))
      .toBeGreaterThanOrEqual(24);
    await shot(page, "stage-1920x1080.png");
    await page.close();
  });
});
