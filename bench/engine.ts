// Engine throughput against a bare typed-array heap (bench/baseline-heap.ts) on two workloads:
// M/M/4 at rho = 0.9 and a timer storm with 100,000 pending timers. Both sides draw from the same
// kind of RandomStream with the same calls, so the ratio measures the event queue, not the RNG.
// Run: npm run bench:engine
import { RandomStreams, Simulation } from "../sim/engine/index.ts";
import { baselineMmc, baselineTimerStorm } from "./baseline-heap.ts";
import { CUSTOMERS, engineMmcCounter, engineMmcServerQueue, MEAN_INTERARRIVAL, MEAN_SERVICE, SEED, SERVERS } from "./mmc.ts";
import { median } from "./timing.ts";

const TIMERS = 100_000;
const TIMER_EVENTS = 5_000_000;
const TIMER_MEAN_DELAY = 100;
const REPEATS = 5;

/** Timer storm on the engine: every event reschedules itself at now + exponential delay. */
function engineTimerStorm(): number {
  const sim = new Simulation({ seed: SEED });
  const rng = sim.streams.get("bench");
  let scheduled = 0;
  const tick = (): void => {
    if (scheduled < TIMER_EVENTS) {
      scheduled++;
      sim.scheduleIn(rng.exponential(TIMER_MEAN_DELAY), tick);
    }
  };
  for (; scheduled < TIMERS; scheduled++) sim.scheduleIn(rng.exponential(TIMER_MEAN_DELAY), tick);
  sim.runUntil(Infinity);
  return sim.eventsProcessed;
}

function baselineMmcRun(): number {
  return baselineMmc(new RandomStreams(SEED).get("bench"), SERVERS, MEAN_INTERARRIVAL, MEAN_SERVICE, CUSTOMERS);
}

function baselineTimerStormRun(): number {
  return baselineTimerStorm(new RandomStreams(SEED).get("bench"), TIMERS, TIMER_EVENTS, TIMER_MEAN_DELAY);
}

interface Variant {
  readonly workload: string;
  readonly name: string;
  readonly run: () => number;
  readonly rates: number[];
  events: number;
}

const variants: Variant[] = [
  { workload: "M/M/4", name: "baseline heap", run: baselineMmcRun, rates: [], events: 0 },
  { workload: "M/M/4", name: "engine, plain counter", run: engineMmcCounter, rates: [], events: 0 },
  { workload: "M/M/4", name: "engine, ServerQueue", run: engineMmcServerQueue, rates: [], events: 0 },
  { workload: "timer storm", name: "baseline heap", run: baselineTimerStormRun, rates: [], events: 0 },
  { workload: "timer storm", name: "engine", run: engineTimerStorm, rates: [], events: 0 },
];

function millions(rate: number): string {
  return `${(rate / 1e6).toFixed(1)}M`;
}

function find(workload: string, name: string): Variant {
  return variants.find((v) => v.workload === workload && v.name === name)!;
}

console.log(`omnitwin engine benchmark — node ${process.version}, ${REPEATS} timed runs after 1 warm-up, median reported`);
console.log(`M/M/4: rho 0.9, ${CUSTOMERS.toLocaleString("en-US")} customers; timer storm: ${TIMERS.toLocaleString("en-US")} pending, ${TIMER_EVENTS.toLocaleString("en-US")} events\n`);

for (const variant of variants) variant.run(); // warm-up: let every variant reach optimised code
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const variant of variants) {
    const started = performance.now();
    variant.events = variant.run();
    const seconds = (performance.now() - started) / 1000;
    variant.rates.push(variant.events / seconds);
  }
}

const rows = variants.map((v) => {
  const base = find(v.workload, "baseline heap");
  const rate = median(v.rates);
  return [v.workload, v.name, v.events.toLocaleString("en-US"), millions(rate), (rate / median(base.rates)).toFixed(2)];
});
const header = ["workload", "variant", "events", "events/s", "vs baseline"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
console.log("");

const summaries: Array<[string, string, string]> = [
  ["M/M/4", "engine, plain counter", "M/M/4 (plain counter)"],
  ["M/M/4", "engine, ServerQueue", "M/M/4 (ServerQueue)"],
  ["timer storm", "engine", "timer storm"],
];
for (const [workload, name, label] of summaries) {
  const engine = median(find(workload, name).rates);
  const base = median(find(workload, "baseline heap").rates);
  console.log(`${label}: engine ${millions(engine)} ev/s, baseline ${millions(base)} ev/s, ratio ${(engine / base).toFixed(2)} (goal >= 0.5)`);
}
