// The release package: `npm pack` (which builds dist/ and the map client first), installed into an empty
// folder with --omit=dev, runs every kind of command from its compiled JavaScript with only the runtime
// dependencies: validate, run --json (byte for byte what the sources print), a compare on worker threads,
// and serve (the prebuilt map page and its script load, and a basemap is cut on its compiled worker).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "omnitwin-package-"));
const app = join(work, "app");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let bin = "";

/** Run the installed command; stdout, or throw with stderr. */
function installed(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { cwd: app, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  execFileSync(npm, ["pack", "--pack-destination", work, "--silent"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), '{ "name": "omnitwin-package-test", "private": true }\n');
  execFileSync(npm, ["install", join(work, tarball), "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--silent"], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
  bin = join(app, "node_modules", "omnitwin", "bin", "omnitwin.js");
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm pack, installed with --omit=dev", () => {
  it("carries compiled JavaScript and the built client, not the sources or the build tools", () => {
    const pkg = join(app, "node_modules", "omnitwin");
    expect(existsSync(join(pkg, "dist", "server", "cli", "main.js"))).toBe(true);
    expect(existsSync(join(pkg, "dist", "server", "experiments", "worker.js"))).toBe(true);
    expect(existsSync(join(pkg, "dist", "server", "live", "session-worker.js"))).toBe(true);
    expect(existsSync(join(pkg, "dist", "server", "basemap", "basemap-worker.js"))).toBe(true);
    expect(existsSync(join(pkg, "client", "dist", "index.html"))).toBe(true);
    expect(existsSync(join(pkg, "server"))).toBe(false);
    expect(existsSync(join(pkg, "client", "src"))).toBe(false);
    for (const tool of ["tsx", "vite", "pixi.js", "socket.io-client", "typescript"]) expect(existsSync(join(app, "node_modules", tool)), tool).toBe(false);
  });

  it("validates and prints its version", () => {
    expect(installed("--version")).toBe("0.1.0\n");
    expect(installed("validate", "node_modules/omnitwin/scenarios/baseline-week.json")).toBe("node_modules/omnitwin/scenarios/baseline-week.json: ok\n");
  });

  it("run --json prints byte for byte what the sources print", () => {
    const fromPackage = installed("run", join(root, "scenarios", "baseline-week.json"), "--json");
    const fromSources = execFileSync(process.execPath, [join(root, "bin", "omnitwin.js"), "run", "scenarios/baseline-week.json", "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(fromPackage.length).toBeGreaterThan(1000);
    expect(fromPackage).toBe(fromSources);
  });

  it("runs a compare on worker threads from the compiled worker", () => {
    const out = installed("compare", "node_modules/omnitwin/scenarios/baseline-week.json", "--reps", "1", "--workers", "2", "--kpi", "fillRate");
    expect(out).toMatch(/fillRate\s+0\.\d+\s+0\.\d+/);
  });

  it("plans a Slurm batch whose tasks run the installed package", () => {
    const out = installed("cluster", "slurm", "--dry-run", "--shards", "2", "compare", "node_modules/omnitwin/scenarios/baseline-week.json", "--reps", "2", "--out", join(work, "bw"));
    expect(out).toContain(`exec ${process.execPath} ${bin} cluster task ${join(work, "bw.shards")}`);
    expect(out).toContain("--dependency=afterany:$ARRAY_1");
  });

  it("serve on port 0 serves the prebuilt map page and its script", async () => {
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", join(work, "sessions")], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s: ${err}`)), 30_000);
        createInterface({ input: child.stdout }).on("line", (line) => {
          const match = line.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)$/);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        void exited.then((code) => reject(new Error(`serve exited early with ${code}: ${err}`)));
      });
      const page = await fetch(url);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain('<div id="map">');
      const script = html.match(/<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)"/)![1];
      expect((await fetch(new URL(script, url))).status).toBe(200);
      // The basemap is cut on its worker thread, started from the compiled basemap-worker.js.
      const basemap = await fetch(new URL("/api/basemap?west=113.5&south=22.4&east=114.1&north=22.8", url));
      expect(basemap.status).toBe(200);
      expect(((await basemap.json()) as { sea: unknown[] }).sea.length).toBeGreaterThan(0);
      expect(err).not.toContain("building the map client");
    } finally {
      process.kill(child.pid!, "SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
