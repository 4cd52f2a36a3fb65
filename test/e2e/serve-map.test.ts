// What `npm start` does: `omnitwin serve` builds the map client if it is missing or stale, prints the URL
// and a presenter URL, serves the map page at `/` (the built client, under the server's CSP) and the
// default 618 compare session.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { SessionInfo } from "../../server/protocol.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "omnitwin-serve-map-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("serve prints its URL and a presenter URL, and serves the map client and the default compare session", async () => {
  const child = spawn(process.execPath, [join(root, "bin/omnitwin.js"), "serve", "--port", "0", "--data-dir", dataDir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed ${JSON.stringify(out)} and ${JSON.stringify(err)} in 45 s`)), 45_000);
      createInterface({ input: child.stdout }).on("line", (line) => {
        out.push(line);
        if (line.startsWith("viewer link")) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`serve exited early with ${code}: ${err}`)));
    });
    const url = out[0].match(/serving (http:\/\/127\.0\.0\.1:\d+\/)$/)![1];
    // Both links are labelled in words: the presenter's (with the token) and the room's (without).
    const linkOf = (label: string) => new URL(out.find((l) => l.startsWith(label))!.split(": ").at(-1)!);
    const present = linkOf("presenter link");
    const viewer = linkOf("viewer link");
    expect(viewer.hash).toBe("");
    expect(viewer.searchParams.get("session")).toBe(present.searchParams.get("session"));
    expect(present.origin + present.pathname).toBe(url);
    expect(present.searchParams.get("session")).toMatch(/^[\w-]{16}$/);
    expect(present.hash).toMatch(/^#token=[\w-]{32}$/);

    const page = await fetch(url);
    const html = await page.text();
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html).toContain('<div id="map">');
    expect(html).not.toContain("map client is not built");
    const script = html.match(/<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)"/)![1];
    expect((await fetch(new URL(script, url))).status).toBe(200);

    const { sessions } = (await (await fetch(`${url}api/sessions`)).json()) as { sessions: SessionInfo[] };
    expect(sessions.map((s) => [s.id, s.scenario.name, s.sims.map((x) => x.label)])).toEqual([[present.searchParams.get("session"), "618-promotion", ["siloed", "coordinated"]]]);
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
});
