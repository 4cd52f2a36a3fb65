// Debian's Chromium for the browser tests and the render benchmark, through playwright-core (which
// never downloads a browser). Software WebGL (SwiftShader) so the map draws on machines with no GPU.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import type { RenderStats } from "../../client/src/stats.ts";

export const CHROMIUM_PATH = process.env.OMNITWIN_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--use-gl=angle",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  // Keep animation frames coming in a background or headless tab.
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

/** Launch headless Chromium, or fail saying how to install it (CI installs it; never skipped). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: the browser tests need it — run \`apt-get install -y chromium\` (or set OMNITWIN_CHROMIUM to a Chromium binary)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The page's render stats (a function, not a string: the page's CSP forbids eval). */
export function pageStats(page: Page): Promise<RenderStats> {
  return page.evaluate(() => (globalThis as unknown as { __omnitwin: RenderStats }).__omnitwin);
}

/**
 * Poll the page's stats every 100 ms until `ok` holds; on time-out fail saying what was awaited and, through
 * `shown`, what the page showed last (null if it never answered).
 */
export async function untilStats(page: Page, ok: (s: RenderStats) => boolean, what: string, ms: number, shown: (last: RenderStats | null) => string): Promise<RenderStats> {
  const deadline = Date.now() + ms;
  let last: RenderStats | null = null;
  while (Date.now() < deadline) {
    last = await pageStats(page).catch(() => null);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; ${shown(last)}`);
}
