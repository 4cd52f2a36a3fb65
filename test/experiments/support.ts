// Shared by the experiment tests: the tiny test scenario, scratch directories, a whole directory
// read into memory (to compare two batches byte for byte), and the CLI run in process.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenarioOrThrow, type Scenario } from "../../sim/index.ts";

export { cli, type CliResult } from "../cli/run-cli.ts";

/** valid-small cut to 5 days (~30 ms a run), with markup in its name for the escaping test. */
export const TINY = fileURLToPath(new URL("./fixtures/tiny.json", import.meta.url));

/** The tiny scenario, validated. */
export function tinyScenario(): Scenario {
  return loadScenarioOrThrow(readFileSync(TINY, "utf8"));
}

/** A faulty worker module URL (see fixtures/faulty-worker.ts for the parameters). */
export function faultyWorker(params: Record<string, string>): string {
  const url = new URL("./fixtures/faulty-worker.ts", import.meta.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

const scratchDirs: string[] = [];

/** A new empty directory, removed by cleanScratch(). */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `omnitwin-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

/** Remove every scratch directory made so far. */
export function cleanScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir` (relative path → contents), sorted by path. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}
