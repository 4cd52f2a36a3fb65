// The run as a story in a real browser (Debian's Chromium, the built client, the real server in process
// on port 0, the week-long baseline scenario so re-simulations are quick): a late viewer gets the whole
// chart history, a backward seek shows the presenter's later change and replays it when kept, a fork
// makes a pair that is identical up to the fork minute and differs after it, and the debrief at the
// horizon links downloads that return the right files.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { CLIENT_DIST, ensureClientBuilt } from "../../client/build.ts";
import type { RenderStats } from "../../client/src/stats.ts";
import type { LiveSession as Session } from "../../server/live/live-session.ts";
import type { Command } from "../../server/protocol.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import { launchChromium, pageStats, untilStats } from "./chromium.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCENARIO = "baseline-week";
let server: RunningServer;
let browser: Browser;
let session: Session;
let token: string;
let presenter: Page;
const errors: string[] = [];

const stats = pageStats;

function until(page: Page, ok: (s: RenderStats) => boolean, what: string, ms = 20_000): Promise<RenderStats> {
  return untilStats(page, ok, what, ms, (last) => `page stats: ${JSON.stringify(last && { t: last.t, state: last.state, held: last.held, markers: last.markers, chartPoints: last.chartPoints, errors: last.errors })}`);
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

/** A presenter command straight to the session (the page is not the subject of that step). */
function command(s: Session, c: Command): Promise<void> {
  return new Promise((resolve, reject) => s.command(c, (r) => (r.ok ? resolve() : reject(new Error(r.error.message)))));
}

/** Wait until the session is at minute t with no seek under way. */
async function settled(s: Session, t: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (s.seeking || s.status().t !== t)) await new Promise((r) => setTimeout(r, 50));
  expect(s.status().t).toBe(t);
}

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startServer({ port: 0, host: "127.0.0.1", scenariosDir: `${ROOT}scenarios`, dataDir: null, clientDir: CLIENT_DIST, log: () => {} });
  const entry = server.catalog.load(SCENARIO);
  if (!entry?.result.ok) throw new Error(`${SCENARIO} does not load`);
  const created = server.registry.create({ scenario: entry.result.scenario, scenarioName: entry.name, scenarioText: entry.text, compare: true, speed: 360 })!;
  session = created.session;
  token = created.presenterToken;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the story in Chromium", () => {
  it("a viewer joining on day 3 sees the charts from minute 0", async () => {
    await command(session, { type: "seek", t: 3 * 1440 });
    await settled(session, 3 * 1440);
    const viewer = await openPage(`${server.url}?session=${session.id}`);
    const s = await until(viewer, (x) => x.state === "live" && x.chartPoints.length === 2, "the viewer's charts");
    // One point per sim hour, from minute 0 to now, in both sides.
    expect(s.chartPoints).toEqual([3 * 24 + 1, 3 * 24 + 1]);
    expect(s.chartFirstT).toEqual([0, 0]);
    expect(await viewer.locator('.chart-box[data-series="costPerOrderDay"] figcaption').textContent()).toContain("¥/order");
    await viewer.close();
  });

  it("a backward seek shows the later lever switch as held; kept, it is replayed at its minute", async () => {
    presenter = await openPage(`${server.url}?session=${session.id}#token=${token}`);
    await until(presenter, (x) => x.state === "live" && x.role === "presenter" && x.sitesDrawn.length === 2, "the presenter page");
    const box = presenter.locator('.pane-header.arm-0 input[data-lever="tieredFulfilment"]');
    await box.click();
    await until(presenter, (x) => x.markers.includes(3 * 1440), "the lever switch on the timeline");
    await presenter.locator("#map").click({ position: { x: 5, y: 400 } });
    await presenter.keyboard.press("Shift+ArrowLeft"); // a day back: a seek, re-simulated
    const back = await until(presenter, (x) => x.t === 2 * 1440 && !x.seeking && x.held.length === 1, "the seek back with the change held");
    expect(back.held).toEqual([3 * 1440]);
    expect(back.markers).toEqual([]);
    expect(await box.isChecked()).toBe(false);
    expect(await presenter.locator("#held-bar").textContent()).toContain("L2 tiered fulfilment on");
    expect(await presenter.locator(".timeline-mark[data-held]").count()).toBe(1);
    await presenter.locator("#held-keep").click();
    await until(presenter, (x) => x.held.length === 0 && x.markers.includes(3 * 1440), "the kept change back on the timeline");
    expect(await box.isChecked()).toBe(false);
    await presenter.locator("#map").click({ position: { x: 5, y: 400 } });
    await presenter.keyboard.press("Shift+ArrowRight"); // a day forward: a step through the change's minute
    await until(presenter, (x) => x.t === 3 * 1440, "the step to day 4");
    await expect.poll(() => box.isChecked()).toBe(true);
    expect(session.snapshot()!.sims[0].policy.tieredFulfilment).toBe(true);
  });

  it("a fork makes a pair whose KPIs are the same up to the fork minute and differ after it", async () => {
    const forkAt = session.status().t;
    await presenter.locator("#fork").click();
    const option = presenter.locator("#fork-change option", { hasText: "L2" });
    await presenter.locator("#fork-change").selectOption((await option.getAttribute("value"))!);
    await presenter.locator('#fork-dialog button[value="ok"]').click();
    await presenter.waitForURL((url) => url.searchParams.get("session") !== session.id);
    const forkId = new URL(presenter.url()).searchParams.get("session")!;
    const s = await until(presenter, (x) => x.sessionId === forkId && x.state === "live" && x.role === "presenter" && x.t === forkAt && !x.seeking && x.chartPoints.length === 2, "the forked pair");
    expect(s.panes[1]).toMatch(/L2 tiered fulfilment off at /);
    const fork = server.registry.get(forkId)!;
    const before = fork.snapshot()!.sims.map((x) => x.history.points);
    expect(before[1]).toEqual(before[0]);
    // Equal to the source's own history up to the fork minute.
    expect(before[0]).toEqual(session.snapshot()!.sims[0].history.points);
    await command(fork, { type: "step", minutes: 1440 });
    await settled(fork, forkAt + 1440);
    const after = fork.snapshot()!.sims.map((x) => x.history.points);
    const cut = before[0].t.length;
    expect(after[1].t.slice(0, cut)).toEqual(after[0].t.slice(0, cut));
    expect(after[1].values.costPerOrderDay.slice(0, cut)).toEqual(after[0].values.costPerOrderDay.slice(0, cut));
    expect(after[1].values.costPerOrderDay.slice(cut)).not.toEqual(after[0].values.costPerOrderDay.slice(cut));
  });

  it("at the horizon the debrief opens with both sides, moments, and downloads that return the files", async () => {
    const forkId = new URL(presenter.url()).searchParams.get("session")!;
    const fork = server.registry.get(forkId)!;
    await command(fork, { type: "seek", t: fork.horizon });
    await settled(fork, fork.horizon);
    await expect.poll(() => presenter.locator("#debrief").isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await presenter.locator('[data-intervention="surge"]').isDisabled()).toBe(true);
    expect(await presenter.locator("#debrief tbody tr").count()).toBe(6);
    expect(await presenter.locator('#debrief .moments li[data-kind="intervention"]').count()).toBeGreaterThan(0);
    const hrefs = await presenter.locator("#debrief a[data-file]").evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs).toHaveLength(6);
    for (const href of hrefs) {
      const res = await fetch(href);
      expect(res.status, href).toBe(200);
      const text = await res.text();
      if (href.includes("summary.json")) expect(JSON.parse(text).scenario.id).toBe(SCENARIO);
      else if (href.includes("timeseries.csv")) {
        expect(text.split("\n")[0]).toMatch(/^hour,localTime,ordersPlaced,/);
        expect(text.trim().split("\n").length).toBeGreaterThan(7 * 24);
      } else {
        expect(text).toMatch(/^<!doctype html>/i);
        // The report says the run came from a live session and names the presenter's changes.
        expect(text).toContain("presenter&#39;s changes");
      }
    }
    expect(errors).toEqual([]);
  });
});
