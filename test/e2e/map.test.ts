// The map in a real browser: the real server on 127.0.0.1 port 0 (in process, real clock) with the
// default compare session, Debian's Chromium through playwright-core, the built client. The presenter
// page draws the scenario's sites in both arms, KPIs move while playing and stop on pause, an injected
// surge reaches the alerts feed, a viewer follows the presenter with its controls disabled, a wrong
// token is refused in words, the timeline seeks, a click opens the inspector, and a lost server is said. A screenshot goes to out/e2e/ (and to docs/ with OMNITWIN_UPDATE_SCREENSHOT=1).
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_DIST, ensureClientBuilt } from "../../client/build.ts";
import type { RenderStats } from "../../client/src/stats.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import { launchChromium, pageStats, untilStats } from "./chromium.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCENARIO = "618-promotion";
let server: RunningServer;
let browser: Browser;
let sessionId: string;
let token: string;
let scenario: { name: string; sites: unknown[]; zones: unknown[]; lanes: unknown[] };
let presenter: Page;
/** Script errors and failed requests, per page. */
const pageErrors = new Map<Page, string[]>();

const stats = pageStats;

/** Poll the page's stats until `ok` holds; fail saying what was awaited and what the page showed. */
function until(page: Page, ok: (s: RenderStats) => boolean, what: string, ms = 15_000): Promise<RenderStats> {
  return untilStats(page, ok, what, ms, (last) => `page stats: ${JSON.stringify(last && { ...last, alertTexts: last.alertTexts.slice(0, 3) })}`);
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startServer({ port: 0, host: "127.0.0.1", scenariosDir: `${ROOT}scenarios`, dataDir: null, clientDir: CLIENT_DIST, log: () => {} });
  const entry = server.catalog.load(SCENARIO);
  if (!entry?.result.ok) throw new Error(`${SCENARIO} does not load`);
  scenario = entry.result.scenario as unknown as typeof scenario;
  // What `omnitwin serve` opens: siloed vs coordinated on one seed, paused; a quick pace for the test.
  const created = server.registry.create({ scenario: entry.result.scenario, scenarioName: entry.name, scenarioText: entry.text, compare: true, speed: 360 })!;
  sessionId = created.session.id;
  token = created.presenterToken;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the map client in Chromium", () => {
  it("opens the default session as presenter: both arms drawn with every site, zone and lane", async () => {
    presenter = await openPage(`${server.url}?session=${sessionId}#token=${token}`);
    const s = await until(presenter, (x) => x.state === "live" && x.role === "presenter" && x.sitesDrawn.length === 2, "the compare view");
    expect(s.panes).toEqual(["siloed", "coordinated"]);
    expect(s.sitesDrawn).toEqual([scenario.sites.length, scenario.sites.length]);
    expect(s.zonesDrawn).toEqual([scenario.zones.length, scenario.zones.length]);
    expect(s.lanesDrawn).toEqual([scenario.lanes.length, scenario.lanes.length]);
    // The scenario's name is on the page as text; the token left the address bar.
    expect(await presenter.locator("#scenario-name").textContent()).toBe(scenario.name);
    expect(new URL(presenter.url()).hash).toBe("");
    expect(await presenter.locator(".pane-header").count()).toBe(2);
    expect(await presenter.locator(".kpi").count()).toBe(6);
  });

  it("plays: sim time, KPIs and moving shipments advance", async () => {
    const first = await until(presenter, (x) => x.playing && x.kpi.length === 2, "the session to play (a fresh session starts for its presenter)");
    const later = await until(presenter, (x) => x.t > first.t + 240 && x.kpi[0].ordersPlaced > first.kpi[0].ordersPlaced && x.movingShipments > 0, "KPIs to change while playing");
    expect(later.kpi[1].ordersPlaced).toBeGreaterThan(first.kpi[1].ordersPlaced);
    expect(later.tripsStarted).toBeGreaterThan(0);
    expect(await presenter.locator('.kpi[data-kpi="fillRate"] .kpi-diff').textContent()).not.toBe("—");
  });

  it("pause (space) stops sim time and KPIs", async () => {
    await presenter.locator("#map").click({ position: { x: 5, y: 400 } }); // focus the page, not a control
    await presenter.keyboard.press("Space");
    const paused = await until(presenter, (x) => !x.playing, "the pause");
    await new Promise((r) => setTimeout(r, 1500));
    const after = await stats(presenter);
    expect(after.playing).toBe(false);
    expect(after.t).toBe(paused.t);
    expect(after.kpi).toEqual(paused.kpi);
    expect(await presenter.locator("#play").textContent()).toContain("Play");
  });

  it("Space still plays and pauses after a lever click, and does not flip the lever back", async () => {
    const box = presenter.locator('.pane-header.arm-0 input[data-lever="tieredFulfilment"]');
    const before = await box.isChecked();
    await box.click();
    await expect.poll(() => stats(presenter).then((x) => x.playing)).toBe(false);
    await until(presenter, () => true, "a frame");
    const flipped = !before;
    await expect.poll(() => box.isChecked()).toBe(flipped);
    await presenter.keyboard.press("Space");
    await until(presenter, (x) => x.playing, "play from Space after the lever click");
    expect(await box.isChecked()).toBe(flipped);
    await presenter.keyboard.press("Space");
    await until(presenter, (x) => !x.playing, "pause again");
    expect(await box.isChecked()).toBe(flipped);
    // Put the lever back so the rest of the run is the default compare.
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(before);
  });

  it("an injected surge raises an alert in the feed", async () => {
    const before = await stats(presenter);
    await presenter.locator('[data-intervention="surge"]').click();
    await until(presenter, (x) => x.alerts > before.alerts && x.alertTexts.some((a) => /demand surge/i.test(a)), "the surge alert");
    const feed = presenter.locator('#alert-list li[data-kind="intervention"]');
    await expect.poll(() => feed.count()).toBeGreaterThanOrEqual(2); // one per arm
    expect(await feed.first().textContent()).toMatch(/demand surge/i);
  });

  it("a viewer follows the presenter, with every control disabled", async () => {
    const viewer = await openPage(`${server.url}?session=${sessionId}`);
    const v = await until(viewer, (x) => x.state === "live" && x.role === "viewer" && x.sitesDrawn.length === 2, "the viewer's map");
    expect(v.sitesDrawn).toEqual([scenario.sites.length, scenario.sites.length]);
    for (const control of ["#play", "#step-fwd", "#timeline", '[data-intervention="surge"]']) expect(await viewer.locator(control).isDisabled()).toBe(true);
    expect(await viewer.locator(".levers input").first().isDisabled()).toBe(true);

    // The presenter steps an hour; the viewer's clock follows to the same minute.
    const from = (await stats(presenter)).t;
    await presenter.keyboard.press("ArrowRight");
    const moved = await until(presenter, (x) => x.t >= from + 60, "the presenter's step");
    await until(viewer, (x) => x.t === moved.t && x.seq === moved.seq, "the viewer to follow");
    // The presenter plays again; the viewer sees it play.
    await presenter.keyboard.press("Space");
    await until(viewer, (x) => x.playing && x.t > moved.t, "the viewer to see play");
    expect(pageErrors.get(viewer)).toEqual([]);
    await viewer.close();
    await presenter.keyboard.press("Space"); // paused again: the next pages load on a quiet machine
    await until(presenter, (x) => !x.playing, "the pause");
  });

  it("a wrong presenter token is refused in words, and the page watches instead", async () => {
    const page = await openPage(`${server.url}?session=${sessionId}#token=not-the-token-at-all`);
    const s = await until(page, (x) => x.role === "viewer" && x.state === "live", "the fallback to viewer");
    expect(s.errors.join(" ")).toMatch(/token was refused/);
    expect(await page.locator(".toast").first().textContent()).toMatch(/token was refused/);
    await page.close();
  });

  it("the timeline seeks; a click on a site opens the inspector with its stock, queue and decisions", async () => {
    // A day ahead. For the README picture: play at a day a second to wave 1 of the promotion (so the
    // charts have a history), then seek to 20 May 21:00, an hour into it.
    const picture = process.env.OMNITWIN_UPDATE_SCREENSHOT === "1";
    const now = (await stats(presenter)).t;
    const target = picture ? 7 * 1440 + 21 * 60 : Math.ceil(now / 60) * 60 + 1440;
    if (picture) {
      const blur = () => presenter.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
      await presenter.locator("#speed").selectOption("1440");
      await blur(); // space on a focused select would open it instead of playing
      await presenter.keyboard.press("Space");
      await until(presenter, (x) => x.t >= target - 90, "wave 1", 60_000);
      await presenter.keyboard.press("Space");
      await presenter.locator("#speed").selectOption("60");
      await blur();
      await until(presenter, (x) => !x.playing && x.speed === 60, "the pause at wave 1");
    } else {
      await presenter.locator("#timeline").fill(String(target));
      await until(presenter, (x) => x.t === target && !x.playing, "the seek", 30_000);
    }
    const s = await stats(presenter);
    const rdc = (scenario.sites as { id: string; type: string; name: string }[]).findIndex((site) => site.type === "rdc");
    const [x, y] = s.siteScreen[rdc];
    await presenter.locator("#map").click({ position: { x, y } });
    await until(presenter, (z) => z.selected === (scenario.sites[rdc] as { id: string }).id, "the RDC to be picked");
    const inspector = presenter.locator("#inspector");
    await expect.poll(() => inspector.locator("h3").textContent()).toBe((scenario.sites[rdc] as { name: string }).name);
    expect(await inspector.locator("section.inspect-arm").count()).toBe(2);
    expect(await inspector.locator("table.stock tbody tr").first().count()).toBe(1);
    expect(await inspector.textContent()).toMatch(/Pick queue [\d,]+ orders · last day [\d,]+ orders, \d+% of [\d,]+\/day capacity/);
  });

  it("the presenter's page ran without errors; a screenshot of it is saved", async () => {
    if (!(await stats(presenter)).playing) await presenter.keyboard.press("Space");
    await until(presenter, (x) => x.movingShipments > 50 && x.playing, "shipments on the map for the picture");
    const out = `${ROOT}out/e2e`;
    mkdirSync(out, { recursive: true });
    await presenter.screenshot({ path: `${out}/screenshot-map.png` });
    if (process.env.OMNITWIN_UPDATE_SCREENSHOT === "1") copyFileSync(`${out}/screenshot-map.png`, `${ROOT}docs/screenshot-map.png`);
    expect(pageErrors.get(presenter)).toEqual([]);
  });

  it("a session created from an inline scenario draws capacity rings from the model's own description and saturation line", async () => {
    const text = readFileSync(`${ROOT}scenarios/baseline-week.json`, "utf8");
    const inline = JSON.parse(text) as { id: string; name: string; sites: { type: string; pickPack?: { ordersPerHour: number } }[] };
    inline.id = "inline-tight-rdc";
    inline.name = "Inline: an RDC with a tenth of its pick capacity";
    const rdc = inline.sites.find((x) => x.type === "rdc")!;
    rdc.pickPack = { ...rdc.pickPack, ordersPerHour: Math.round(rdc.pickPack!.ordersPerHour / 10) };
    const res = await fetch(`${server.url}api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scenario: inline, policy: "siloed", speed: 720, play: true }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { session: { id: string; scenario: { name: string | null } }; presenterToken: string };
    expect(created.session.scenario.name).toBeNull();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}?session=${created.session.id}#token=${created.presenterToken}`);
    const picking = inline.sites.filter((x) => x.type !== "factory").length;
    const s = await until(page, (x) => x.state === "live" && x.ringsDrawn[0] === picking, "a ring on every site that picks");
    expect(s.sitesDrawn).toEqual([inline.sites.length]);
    // The RDC at a tenth of its capacity crosses the model's saturation line within the first day, and the map says so.
    await until(page, (x) => x.saturatedDrawn[0] >= 1 && x.alertTexts.some((a) => a.includes("crossed the saturation line")), "the RDC drawn saturated", 30_000);
    expect(await page.title()).toContain(inline.name);
    expect(fetched.filter((p) => p.startsWith("/api/scenarios"))).toEqual([]);
    await page.close();
  });

  it("says it is reconnecting when the server goes away", async () => {
    await server.close();
    const s = await until(presenter, (x) => x.state === "reconnecting", "the reconnecting state");
    expect(s.state).toBe("reconnecting");
    expect(await presenter.locator("#banner").textContent()).toMatch(/reconnecting|cannot reach the server/);
    expect(await presenter.locator("#play").isDisabled()).toBe(true);
  });
});
