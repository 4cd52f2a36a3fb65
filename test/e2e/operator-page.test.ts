// Starting a session from the page on a server that wants the operator token (as it does beyond
// loopback): opened from the `#operator=` link serve prints, the page's "Start the 618 compare" works;
// opened without it, the button's 401 reveals a field, and the pasted token starts the session. Real
// server (in process, no sessions), the built client, Debian's Chromium.
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLIENT_DIST, ensureClientBuilt } from "../../client/build.ts";
import { startServer, type RunningServer } from "../../server/server.ts";
import { launchChromium } from "./chromium.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OPERATOR = "operator-token-for-the-page-test";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startServer({ port: 0, host: "127.0.0.1", scenariosDir: `${ROOT}scenarios`, dataDir: null, clientDir: CLIENT_DIST, operatorToken: OPERATOR, log: () => {} });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function start(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Start the 618 compare/ }).click();
}

it("starts a session from the #operator= link, and asks for the token when the page has none", async () => {
  const linked = await browser.newPage();
  await linked.goto(`${server.url}#operator=${OPERATOR}`);
  // The token leaves the address bar at once, like a presenter's.
  await expect.poll(() => new URL(linked.url()).hash).toBe("");
  await start(linked);
  await linked.waitForURL(/\?session=[\w-]{16}$/, { timeout: 20_000 });
  expect(server.registry.size).toBe(1);
  const first = server.registry.list()[0].id;
  expect(server.registry.remove(first)).toBe(true);

  const bare = await browser.newPage();
  await bare.goto(server.url);
  await start(bare);
  const field = bare.locator("#operator-input");
  await field.waitFor({ state: "visible" });
  await expect.poll(() => bare.locator(".toast").first().textContent()).toContain("operator token");
  expect(server.registry.size).toBe(0);
  await field.fill(OPERATOR);
  await start(bare);
  await bare.waitForURL(/\?session=[\w-]{16}$/, { timeout: 20_000 });
  expect(server.registry.size).toBe(1);
}, 60_000);
