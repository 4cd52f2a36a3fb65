// Progress of a batch on stderr: a bar with the ETA redrawn in place when stderr is a terminal,
// plain lines at every tenth otherwise (logs, CI, Slurm output files). Wall-clock time is read
// here and only ever written to stderr, never into a result file.
import type { Writer } from "../output/writer.ts";

const BAR_WIDTH = 24;
/** Redraw a terminal bar at most this often. */
const REDRAW_MS = 200;

/** Counts finished replications and shows it. */
export interface Progress {
  tick(): void;
  /** A message line (a failed attempt) that must not be drawn over by the bar. */
  note(text: string): void;
  finish(): void;
}

/** Start showing progress of `total` replications, `done` of which were already finished (a resumed batch). */
export function startProgress(stderr: Writer, label: string, total: number, done: number, workers: string): Progress {
  const terminal = (stderr as { isTTY?: boolean }).isTTY === true;
  const started = Date.now();
  const resumed = done;
  let count = done;
  let lastDraw = 0;
  let lastTenth = Math.floor((10 * done) / Math.max(total, 1));
  const line = () => {
    const share = total === 0 ? 1 : count / total;
    const elapsed = (Date.now() - started) / 1000;
    const fresh = count - resumed;
    const eta = fresh > 0 && count < total ? ` · ETA ${duration((elapsed / fresh) * (total - count))}` : "";
    return `${label}: ${count}/${total} replications (${Math.floor(share * 100)}%) · ${workers} · ${duration(elapsed)} elapsed${eta}`;
  };
  const draw = (force: boolean) => {
    if (terminal) {
      const now = Date.now();
      if (!force && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const filled = Math.round(BAR_WIDTH * (total === 0 ? 1 : count / total));
      stderr.write(`\r\x1b[2K[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${line()}`);
    } else {
      const tenth = Math.floor((10 * count) / Math.max(total, 1));
      if (force || tenth > lastTenth) stderr.write(`${line()}\n`);
      lastTenth = tenth;
    }
  };
  if (done > 0) stderr.write(`${label}: resuming, ${done} of ${total} replications already done\n`);
  draw(true);
  return {
    tick() {
      count++;
      draw(count === total);
    },
    note(text: string) {
      stderr.write(terminal ? `\r\x1b[2K${text}\n` : `${text}\n`);
      if (terminal) draw(true);
    },
    finish() {
      if (terminal) stderr.write("\n");
    },
  };
}

/** Seconds as "42s", "3m05s", "2h07m". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
