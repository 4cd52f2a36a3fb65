// Shared by the model and lever tests: load an example scenario once, run it under a policy and
// seed (or share the runs several files compare against), and word a paired interval for an assertion message.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenarioOrThrow, parsePolicy, runScenario, type Policy, type RunSummary, type Scenario } from "../../sim/index.ts";
import type { Interval } from "../../sim/metrics/confidence.ts";

const cache = new Map<string, Scenario>();

/** An example scenario from scenarios/, validated and frozen (loaded once per test file). */
export function exampleScenario(name: string): Scenario {
  let scenario = cache.get(name);
  if (scenario === undefined) {
    const path = fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url));
    scenario = loadScenarioOrThrow(readFileSync(path, "utf8"));
    cache.set(name, scenario);
  }
  return scenario;
}

/** A copy of an example scenario at `ordersPerDay` online orders a day (walk-ins and marketing's targets scaled alike), changed by `edit`. */
export function scaledScenario(id: string, ordersPerDay: number, edit: (s: Scenario) => void = () => {}): Scenario {
  const s = structuredClone(exampleScenario(id)) as Scenario;
  const scale = ordersPerDay / s.demand.onlineOrdersPerDay;
  s.demand.onlineOrdersPerDay = ordersPerDay;
  s.demand.walkInPerDay = Math.round(s.demand.walkInPerDay * scale);
  for (const c of s.campaigns) c.targetUnits = Math.round(c.targetUnits * scale);
  edit(s);
  return s;
}

/** The summary of one run. */
export function summaryOf(scenario: Scenario, policy: Policy | string, seed: number): RunSummary {
  const p = typeof policy === "string" ? parsePolicy(policy) : policy;
  return runScenario(scenario, { policy: p, seed }).summary;
}

/** The model's sources and the scenario file: what a shared run's result depends on. */
function runKey(name: string, policy: string, seed: number): string {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  if (sourcesDigest === undefined) {
    const hash = createHash("sha256");
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".ts")) hash.update(path.slice(root.length)).update(readFileSync(path));
      }
    };
    walk(join(root, "sim"));
    sourcesDigest = hash.digest("hex");
  }
  const scenarioText = readFileSync(join(root, "scenarios", `${name}.json`));
  return createHash("sha256").update(sourcesDigest).update(scenarioText).update(`${policy}\0${seed}`).digest("hex").slice(0, 32);
}
let sourcesDigest: string | undefined;

/**
 * Summaries of an example scenario, unchanged, under one policy on each seed — shared between test files
 * through a cache on disk keyed by the digest of sim/'s sources, the scenario file, the policy and the seed,
 * so the 618 lever files compute the siloed arm they all compare against once per suite, not once each.
 * A file that finds another computing a seed (its lock file present) takes the next seed and comes back.
 * A stale or changed model can never be read: any edit under sim/ changes the key.
 */
export function sharedSummaries(name: string, policy: string, seeds: readonly number[]): RunSummary[] {
  const dir = fileURLToPath(new URL("../../node_modules/.cache/omnitwin-test-runs/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const out: (RunSummary | undefined)[] = seeds.map(() => undefined);
  const compute = (i: number, file: string): RunSummary => {
    const summary = summaryOf(exampleScenario(name), policy, seeds[i]);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(summary));
    renameSync(tmp, file);
    return summary;
  };
  const STALE_MS = 10 * 60_000;
  for (let pass = 0; out.some((x) => x === undefined); pass++) {
    let progressed = false;
    for (let i = 0; i < seeds.length; i++) {
      if (out[i] !== undefined) continue;
      const file = join(dir, `${runKey(name, policy, seeds[i])}.json`);
      if (existsSync(file)) {
        out[i] = JSON.parse(readFileSync(file, "utf8")) as RunSummary;
        progressed = true;
        continue;
      }
      const lock = `${file}.lock`;
      let mine = false;
      try {
        writeFileSync(lock, String(process.pid), { flag: "wx" });
        mine = true;
      } catch {
        // Another file is computing this seed; a lock left by a killed run is taken over once stale.
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held !== undefined && Date.now() - held.mtimeMs > STALE_MS) mine = true;
      }
      if (!mine) continue;
      try {
        out[i] = compute(i, file);
      } finally {
        rmSync(lock, { force: true });
      }
      progressed = true;
    }
    if (!progressed) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  return out as RunSummary[];
}

/** An interval as an assertion message: "name: mean difference …, 95% CI [lo, hi]". */
export function describeDiff(name: string, ci: Interval): string {
  return `${name}: mean difference ${ci.mean.toPrecision(4)}, 95% CI [${ci.lo.toPrecision(4)}, ${ci.hi.toPrecision(4)}]`;
}
