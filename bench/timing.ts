// Timing helpers shared by the benchmarks.

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Events per second of `run` (which returns the events it processed): one warm-up, then the median of `repeats` timed runs. */
export function eventsPerSecond(run: () => number, repeats: number): number {
  run();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const events = run();
    rates.push(events / ((performance.now() - t) / 1000));
  }
  return median(rates);
}
