// report.html as a reader meets it, in Debian's Chromium: compare (with --timeseries), ablation, sweep and
// a single run each open with a headline in words, show no KPI code key in any visible text node, fit a
// 1280 px window without sideways scrolling, keep every table inside an A4 page when printed, and end with
// the real re-run command. Also the terminal table of compare: headline KPIs first, % change only where sound.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADLINE_KPI_KEYS, LEVERS } from "../../sim/index.ts";
import { ratioProblem, verdict } from "../../server/experiments/report-words.ts";
import { launchChromium } from "../e2e/chromium.ts";
import { cleanScratch, cli, scratch, TINY, type CliResult } from "./support.ts";

/** A4 is 210 mm wide; less the print stylesheet's 12 mm margins, 186 mm = 703 CSS px at 96 px/in. */
const A4_CONTENT_PX = Math.floor((186 / 25.4) * 96);

const reports: Record<string, string> = {};
let compareOut: CliResult;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const root = scratch("report-html");
  const runs: Record<string, string[]> = {
    compare: ["compare", TINY, "--reps", "3", "--timeseries"],
    ablation: ["ablation", TINY, "--reps", "2"],
    sweep: ["sweep", TINY, "--set", "demand.walkInPerDay=40,80", "--reps", "2"],
    run: ["run", TINY, "--policy", "coordinated"],
  };
  for (const [name, args] of Object.entries(runs)) {
    const out = join(root, name);
    const r = await cli(...args, ...(name === "run" ? [] : ["--workers", "0"]), "--out", out);
    expect(r.code, r.stderr).toBe(0);
    if (name === "compare") compareOut = r;
    reports[name] = join(out, "report.html");
  }
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  cleanScratch();
});

/** Every visible text node of the page (SVG text included; style and title elements are not text a reader sees). */
async function visibleText(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    // The test's own types have no DOM; the page's objects are typed just enough here.
    type TextNode = { textContent: string | null; parentElement: { tagName: string } | null };
    const { document, NodeFilter } = globalThis as unknown as {
      document: { body: unknown; createTreeWalker(root: unknown, show: number): { nextNode(): TextNode | null } };
      NodeFilter: { SHOW_TEXT: number };
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (parent === null || ["STYLE", "SCRIPT", "TITLE"].includes(parent.tagName)) continue;
      if ((n.textContent ?? "").trim() !== "") out.push(n.textContent ?? "");
    }
    return out;
  });
}

/** KPI keys and lever names a reader should never see: those that are code (dotted or camelCase), not words. */
function codeKeys(): string[] {
  const kpis = JSON.parse(readFileSync(join(reports.compare, "..", "compare.json"), "utf8")) as { kpis: Array<{ kpi: string }> };
  return [...kpis.kpis.map((k) => k.kpi), ...LEVERS].filter((k) => /[.A-Z]/.test(k));
}

for (const name of ["compare", "ablation", "sweep", "run"])
  describe(`${name} report.html`, () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: "screen" });
      await page.goto(pathToFileURL(reports[name]).href);
    });

    it("opens with a headline paragraph in words", async () => {
      const headline = await page.locator("p.headline").innerText();
      expect(headline.length).toBeGreaterThan(60);
      if (name === "compare") expect(headline).toMatch(/^Compared with siloed, coordinated /);
      if (name === "ablation") expect(headline).toMatch(/^Coordinated (compared with siloed|and siloed)/);
      if (name === "sweep") expect(headline).toMatch(/^As demand\.walkInPerDay goes from 40 to 80 \(2 points\): /);
      if (name === "run") expect(headline).toMatch(/^Coordinated operations, seed \d+, over 5 simulated days — total cost: [\d,]+ CNY; /);
    });

    it("shows no KPI code key in any visible text", async () => {
      const text = await visibleText(page);
      const keys = codeKeys();
      const seen = text.flatMap((t) => keys.filter((k) => new RegExp(`(^|[^\\w.])${k.replaceAll(".", "\\.")}($|[^\\w.])`).test(t)).map((k) => `${k} in ${JSON.stringify(t.slice(0, 80))}`));
      expect(seen).toEqual([]);
      // Keys stay reachable on hover.
      expect(await page.locator('[title="costs.total"]').count()).toBeGreaterThan(0);
    });

    it("fits a 1280 px window without scrolling sideways", async () => {
      const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(1280);
    });

    it("printed on A4, keeps every table and chart inside the page", async () => {
      await page.emulateMedia({ media: "print" });
      await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
      const widest = await page.evaluate(() => {
        type Box = { getBoundingClientRect(): { right: number } };
        const { document } = globalThis as unknown as { document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): Iterable<Box> } };
        const rights = [...document.querySelectorAll("table, svg")].map((e) => e.getBoundingClientRect().right);
        return { page: document.documentElement.scrollWidth, element: Math.max(...rights) };
      });
      expect(widest.page).toBeLessThanOrEqual(A4_CONTENT_PX);
      expect(widest.element).toBeLessThanOrEqual(A4_CONTENT_PX);
      const pdf = await page.pdf({ format: "A4" });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    });

    it("ends with the real re-run command", async () => {
      const command = await page.locator("pre.command").innerText();
      expect(command).toContain(`omnitwin ${name} ${TINY}`);
      expect(command).not.toContain("SCENARIO.json");
    });
  });

describe("colour and day-by-day bands", () => {
  it("colours a clear change by the KPI's good direction and keys the colours", () => {
    const html = readFileSync(reports.compare, "utf8");
    expect(html).toMatch(/<td class="n (better|worse)">/);
    expect(html).toContain("green is better");
  });

  it("draws a band per policy for each day-by-day series with --timeseries, and none without", () => {
    const html = readFileSync(reports.compare, "utf8");
    const section = html.slice(html.indexOf("<h2>Day by day</h2>"));
    expect(section).toContain("Backlog at day end (orders)");
    // Two policies per chart, one band each, twelve series.
    expect(section.match(/<polygon /g)?.length).toBe(24);
    expect(readFileSync(reports.ablation, "utf8")).not.toContain("Day by day");
  });
});

describe("compare's terminal table", () => {
  it("leads with the headline KPIs in the registry's order, then the others", () => {
    const lines = compareOut.stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith("  headline KPIs"));
    const keys = lines.slice(start + 1, start + 1 + HEADLINE_KPI_KEYS.length).map((l) => l.trim().split(/\s+/)[0]);
    expect(keys).toEqual(HEADLINE_KPI_KEYS.filter((k) => keys.includes(k)));
    expect(keys.slice(0, 3)).toEqual(["costs.total", "fulfilmentCostPerOrder", "fillRate"]);
    expect(lines[start + 1 + keys.length].trim()).toBe("other KPIs");
  });

  it("prints a % change interval only where a ratio to A is sound, and says why elsewhere", () => {
    const naLines = compareOut.stdout.split("\n").filter((l) => /\bn\/a\*+$/.test(l));
    expect(naLines.length).toBeGreaterThan(0);
    expect(compareOut.stdout).toMatch(/^\*+ % change left out: A's mean is /m);
  });
});

describe("the words' rules", () => {
  it("a change is better or worse by the registry's direction, unclear when its interval includes zero", () => {
    expect(verdict("costs.total", -10, -2)).toBe("better");
    expect(verdict("fillRate", -0.02, -0.01)).toBe("worse");
    expect(verdict("costs.total", -10, 2)).toBe("unclear");
    expect(verdict("ordersPlaced", 5, 9)).toBe("neutral");
  });

  it("a % change is refused when A's mean is zero, its interval spans zero, or it is uncertain past ±25%", () => {
    expect(ratioProblem({ meanA: 0, sdA: 1, n: 5 })).toMatch(/zero/);
    expect(ratioProblem({ meanA: 0.4, sdA: 0.9, n: 5 })).toMatch(/includes zero/);
    expect(ratioProblem({ meanA: 10, sdA: 4, n: 5 })).toMatch(/±25%/);
    expect(ratioProblem({ meanA: 1000, sdA: 10, n: 5 })).toBeUndefined();
  });
});
