// Full-model benchmark: one 618-promotion run (seed 1) per policy — siloed, each lever alone, coordinated —
// each in a fresh child process, next to the raw engine's M/M/4 throughput measured in this process
// (bench/mmc.ts, the same code bench/engine.ts times). Goals: one 618 run ≤ 5 s and ≤ 1 GB; model events/s
// ≥ 25% of the engine's M/M/c events/s. Each goal is printed PASS or MISS as measured. Last, the siloed run's
// own schedule replayed on the bare engine (bench/schedule-replay.ts): the events/s its event list alone allows.
// Run: npm run bench:model
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { buildSummary, Calendar, loadScenarioOrThrow, parsePolicy, policyName, timeseriesCsv, Twin } from "../sim/index.ts";
import { engineMmcCounter, engineMmcServerQueue } from "./mmc.ts";
import { replaySchedule, type ScheduleReplay } from "./schedule-replay.ts";
import { eventsPerSecond } from "./timing.ts";

const SCENARIO = fileURLToPath(new URL("../scenarios/618-promotion.json", import.meta.url));
const POLICIES = ["siloed", "dataPlatform", "tieredFulfilment", "capacityLinkage", "unifiedService", "coordinated"];
const ENGINE_REPEATS = 3;
const GOAL_SECONDS = 5;
const GOAL_BYTES = 1024 ** 3;
const GOAL_ENGINE_SHARE = 0.25;
const MB = 1024 ** 2;

/** What a child process reports about its one run. */
interface ChildReport {
  policy: string;
  loadSeconds: number;
  runSeconds: number;
  events: number;
  /** RSS of the child before the scenario was loaded (node + tsx + sim code), bytes. */
  startRss: number;
  /** Peak RSS of the child over its whole life (getrusage maxrss), bytes. */
  peakRss: number;
  /** Largest V8 heapUsed seen, sampled after each simulated day and after the summary, bytes. */
  peakHeapSampled: number;
  /** heapUsed after a full GC with the finished run still referenced: the run's live data, bytes. */
  retainedHeap: number;
}

/** Child: load the scenario, run it once under one policy the way runScenario does, report as JSON. */
function child(policyText: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const startRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const scenario = loadScenarioOrThrow(readFileSync(SCENARIO, "utf8"));
  const t1 = performance.now();
  const policy = parsePolicy(policyText);
  const twin = new Twin(scenario, { policy, seed: 1 });
  let peakHeapSampled = process.memoryUsage().heapUsed;
  // Day by day, so the heap can be sampled; a paused and resumed run is byte-identical (test/model/determinism).
  for (let t = 1440; t < twin.horizon; t += 1440) {
    twin.runUntil(t);
    peakHeapSampled = Math.max(peakHeapSampled, process.memoryUsage().heapUsed);
  }
  twin.run();
  const calendar = new Calendar(scenario.start, scenario.timeZone);
  const summary = buildSummary(twin);
  const csv = timeseriesCsv(twin, (t) => calendar.format(t));
  const t2 = performance.now();
  peakHeapSampled = Math.max(peakHeapSampled, process.memoryUsage().heapUsed);
  gc?.();
  const retainedHeap = process.memoryUsage().heapUsed;
  const report: ChildReport = {
    policy: policyName(policy),
    loadSeconds: (t1 - t0) / 1000,
    runSeconds: (t2 - t1) / 1000,
    events: summary.events,
    startRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakHeapSampled,
    retainedHeap: gc ? retainedHeap : NaN,
  };
  if (csv.length === 0) throw new Error("empty time series");
  process.stdout.write(JSON.stringify(report) + "\n");
}

/** Child: record the siloed run's schedule and replay it on the bare engine (bench/schedule-replay.ts). */
function replayChild(): void {
  const scenario = loadScenarioOrThrow(readFileSync(SCENARIO, "utf8"));
  const replay = replaySchedule(() => new Twin(scenario, { policy: parsePolicy("siloed"), seed: 1 }).run().sim);
  process.stdout.write(JSON.stringify(replay) + "\n");
}

function verdict(ok: boolean): string {
  return ok ? "PASS" : "MISS";
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`omnitwin model benchmark — node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  console.log("618-promotion, seed 1, one run per policy, each in a fresh `node --expose-gc` child (cold JIT, as a CLI run).");
  console.log("Memory: peak RSS = the child's getrusage max RSS (whole process, node + tsx included; its RSS before loading");
  console.log("the scenario is shown as 'start'); heap peak = largest V8 heapUsed sampled after every simulated day; retained");
  console.log("= heapUsed after a full GC with the finished run still referenced (what the run itself keeps).\n");

  const mmc = eventsPerSecond(engineMmcCounter, ENGINE_REPEATS);
  const mmcQueue = eventsPerSecond(engineMmcServerQueue, ENGINE_REPEATS);
  console.log(`engine M/M/4 (plain counter, this process, median of ${ENGINE_REPEATS} after a warm-up): ${(mmc / 1e6).toFixed(2)}M events/s`);
  console.log(`engine M/M/4 (ServerQueue): ${(mmcQueue / 1e6).toFixed(2)}M events/s\n`);

  const reports: ChildReport[] = [];
  for (const policy of POLICIES) {
    const r = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", self, "--child", policy], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      console.log(`${policy}: child failed (exit ${r.status})\n${r.stderr}`);
      continue;
    }
    reports.push(JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildReport);
  }

  const header = ["policy", "run s", "load s", "events", "events/s", "vs M/M/4", "start RSS", "peak RSS", "heap peak", "retained", "≤5 s", "≤1 GB", "≥25%"];
  const rows = reports.map((r) => {
    const rate = r.events / r.runSeconds;
    return [
      r.policy,
      r.runSeconds.toFixed(2),
      r.loadSeconds.toFixed(2),
      r.events.toLocaleString("en-US"),
      `${(rate / 1e6).toFixed(2)}M`,
      `${((100 * rate) / mmc).toFixed(0)}%`,
      `${(r.startRss / MB).toFixed(0)} MB`,
      `${(r.peakRss / MB).toFixed(0)} MB`,
      `${(r.peakHeapSampled / MB).toFixed(0)} MB`,
      `${(r.retainedHeap / MB).toFixed(0)} MB`,
      verdict(r.runSeconds <= GOAL_SECONDS),
      verdict(r.peakRss <= GOAL_BYTES),
      verdict(rate >= GOAL_ENGINE_SHARE * mmc),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));

  const worstSeconds = Math.max(...reports.map((r) => r.runSeconds));
  const worstRss = Math.max(...reports.map((r) => r.peakRss));
  const worstShare = Math.min(...reports.map((r) => r.events / r.runSeconds / mmc));
  console.log("");
  console.log(`goal: one 618 run ≤ ${GOAL_SECONDS} s — slowest ${worstSeconds.toFixed(2)} s: ${verdict(worstSeconds <= GOAL_SECONDS)}`);
  console.log(`goal: one 618 run ≤ 1 GB — largest peak RSS ${(worstRss / MB).toFixed(0)} MB: ${verdict(worstRss <= GOAL_BYTES)}`);
  console.log(
    `goal: model events/s ≥ ${100 * GOAL_ENGINE_SHARE}% of the engine's M/M/4 — lowest ${(100 * worstShare).toFixed(0)}%: ${verdict(worstShare >= GOAL_ENGINE_SHARE)}`,
  );
  if (reports.length < POLICIES.length) console.log(`MISS: ${POLICIES.length - reports.length} policy run(s) failed`);

  // How much of the 25% the event list alone leaves: the siloed run's own schedule on the bare engine.
  const r = spawnSync(process.execPath, [...process.execArgv, self, "--replay"], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`schedule replay: child failed (exit ${r.status})\n${r.stderr}`);
    return;
  }
  const replay = JSON.parse(r.stdout.trim().split("\n").pop()!) as ScheduleReplay;
  const siloed = reports.find((x) => x.policy === "siloed");
  console.log("");
  console.log(
    `the engine alone on the siloed run's schedule (${(replay.pushes / 1e6).toFixed(2)}M events scheduled, ${(replay.cancels / 1e6).toFixed(2)}M cancelled, ` +
      `${Math.round(replay.meanPending).toLocaleString("en-US")} pending on average, at most ${replay.maxPending.toLocaleString("en-US")}; handlers do nothing else): ` +
      `${(replay.replayEventsPerSecond / 1e6).toFixed(2)}M events/s = ${((100 * replay.replayEventsPerSecond) / mmc).toFixed(0)}% of M/M/4`,
  );
  if (siloed) {
    const engineSeconds = replay.events / replay.replayEventsPerSecond;
    console.log(
      `  of the siloed run's ${siloed.runSeconds.toFixed(2)} s, the event list takes ${engineSeconds.toFixed(2)} s; at ${100 * GOAL_ENGINE_SHARE}% of M/M/4 the whole run would take ${(replay.events / (GOAL_ENGINE_SHARE * mmc)).toFixed(2)} s`,
    );
  }
}

const at = process.argv.indexOf("--child");
if (at >= 0) child(process.argv[at + 1]);
else if (process.argv.includes("--replay")) replayChild();
else parent();
