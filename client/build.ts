// Building the map client with Vite, in process: `omnitwin serve` builds it on start when client/dist
// is missing or older than the sources (so `npm start` on a fresh clone just works), the browser
// tests and the render benchmark do the same, and `npm run build:client` forces a build. The build
// goes to a fresh directory that replaces client/dist in one rename, so a half-built client is never
// served and two processes building at once do not corrupt each other. The release package carries
// client/dist but neither the client's sources nor Vite: there the build it carries is served as it is.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "../server/package-root.ts";

export const CLIENT_ROOT = join(PACKAGE_ROOT, "client");
export const CLIENT_DIST = join(CLIENT_ROOT, "dist");
const STAMP_FILE = "build-stamp.json";
/** Builds in progress and replaced ones wait here (ignored by git, same disk as client/dist so renames work). */
const SCRATCH = join(PACKAGE_ROOT, "node_modules", ".cache", "omnitwin-client");
/** Packages whose version changes the built bundle. */
const BUNDLED = ["pixi.js", "socket.io-client", "vite"];
const SKIP = new Set(["dist", "node_modules"]);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name) || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** A hash of every client source file and the bundled packages' versions. */
export function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles(CLIENT_ROOT)) hash.update(`${relative(CLIENT_ROOT, file)}\0`).update(readFileSync(file)).update("\0");
  for (const pkg of BUNDLED) {
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version?: string };
      hash.update(`${pkg}@${manifest.version}\0`);
    } catch {
      hash.update(`${pkg}@missing\0`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** Is there a build in `outDir` made from the current sources? */
export function isClientCurrent(outDir = CLIENT_DIST): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(outDir, STAMP_FILE), "utf8")) as { sources?: string };
    return stamp.sources === sourceStamp() && existsSync(join(outDir, "index.html"));
  } catch {
    return false;
  }
}

/** Build the client into `outDir` (replaced whole when the build succeeds). */
export async function buildClient(outDir = CLIENT_DIST): Promise<void> {
  const { build } = await import("vite");
  const stamp = sourceStamp();
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  mkdirSync(SCRATCH, { recursive: true });
  const fresh = join(SCRATCH, `building-${tag}`);
  try {
    await build({
      root: CLIENT_ROOT,
      configFile: false,
      envDir: false,
      publicDir: false,
      base: "./",
      logLevel: "warn",
      build: {
        outDir: fresh,
        emptyOutDir: true,
        target: "es2022",
        sourcemap: false,
        reportCompressedSize: false,
        chunkSizeWarningLimit: 2048,
        rolldownOptions: { input: { main: join(CLIENT_ROOT, "index.html"), bench: join(CLIENT_ROOT, "bench.html") } },
      },
    });
    writeFileSync(join(fresh, STAMP_FILE), `${JSON.stringify({ sources: stamp, builtAt: new Date().toISOString() })}\n`);
    const old = join(SCRATCH, `old-${tag}`);
    if (existsSync(outDir)) renameSync(outDir, old);
    try {
      renameSync(fresh, outDir);
    } catch (error) {
      // Another process put its build in place first: theirs is as good as ours.
      if (!existsSync(join(outDir, "index.html"))) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

let building: Promise<boolean> | null = null;

/** Are the client's sources here (a clone), or only its build (the release package)? */
export function hasClientSources(): boolean {
  return existsSync(join(CLIENT_ROOT, "index.html"));
}

/**
 * Build unless `outDir` already holds a current build; true if it built. One build per process at a time.
 * Without the sources (the release package) the build that is there is used; it is an error if there is none.
 */
export function ensureClientBuilt(options: { outDir?: string; log?: (line: string) => void } = {}): Promise<boolean> {
  const outDir = options.outDir ?? CLIENT_DIST;
  if (!hasClientSources()) {
    if (existsSync(join(outDir, "index.html"))) return Promise.resolve(false);
    return Promise.reject(new Error(`no map client in ${outDir} and no client sources to build it from`));
  }
  if (isClientCurrent(outDir)) return Promise.resolve(false);
  building ??= (async () => {
    const started = Date.now();
    options.log?.(`building the map client into ${relative(process.cwd(), outDir) || outDir} (first start or changed sources)…`);
    await buildClient(outDir);
    options.log?.(`map client built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  })().finally(() => (building = null));
  return building;
}

// `tsx client/build.ts`: build now.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildClient();
  process.stdout.write(`client built into ${relative(process.cwd(), CLIENT_DIST)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
