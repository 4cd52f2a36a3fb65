// The presenter's changes on the timeline: lever switches and interventions as markers in words, the
// commands a backward seek holds back for the presenter to keep or drop, and the log a fork starts
// from. Pure functions of the command log (server/live/manifest.ts); the session applies them.
import type { Intervention } from "../../sim/index.ts";
import { MAX_MARKERS, type TimelineMarker } from "../protocol.ts";
import { effectiveTimeline, type LogEntry, type LoggedCommand } from "./manifest.ts";

const LEVER_WORDS: Record<string, string> = {
  dataPlatform: "L1 data platform",
  tieredFulfilment: "L2 tiered fulfilment",
  capacityLinkage: "L3 capacity linkage",
  unifiedService: "L4 unified service",
};

/** An intervention or lever switch in a few words. */
export function changeWords(intervention: Intervention): string {
  const i = intervention as Intervention & Record<string, unknown>;
  switch (i.type) {
    case "lever":
      return `${LEVER_WORDS[String(i.lever)] ?? String(i.lever)} ${i.on ? "on" : "off"}`;
    case "demand-surge":
      return `demand surge ×${String(i.multiplier)}${Array.isArray(i.zones) && i.zones.length ? ` in ${i.zones.join(", ")}` : ""}`;
    case "express-price-shock":
      return `express price ×${String(i.multiplier)}`;
    case "factory-disruption":
      return `factory ${String(i.site)} at ${Math.round(Number(i.capacityShare) * 100)}%`;
    default:
      return String(i.type);
  }
}

/** A logged inject or lever command as a timeline marker. */
export function markerOf(entry: LogEntry): TimelineMarker | null {
  const c = entry.command;
  if (c.type !== "inject" && c.type !== "lever") return null;
  return { n: entry.n, t: entry.t, kind: c.type, text: changeWords(c.intervention), sims: [...c.sims] };
}

/** The changes in force as markers, oldest first (the last MAX_MARKERS). */
export function markers(log: readonly LogEntry[]): TimelineMarker[] {
  return effectiveTimeline(log)
    .slice(-MAX_MARKERS)
    .map((e) => markerOf(e)!);
}

/** The changes a backward seek to minute `to` takes out of the future: in force now, applying after `to`. */
export function heldBySeek(log: readonly LogEntry[], to: number): LogEntry[] {
  return effectiveTimeline(log).filter((e) => e.t > to);
}

/**
 * The changes still held (neither kept nor dropped) at the end of a log: what each backward seek held, in
 * the order the presenter did it, cleared by the next `held` answer. A restarted server rebuilds the
 * presenter's undecided list from its saved log with this.
 */
export function heldAtEnd(log: readonly LogEntry[]): LogEntry[] {
  let held: LogEntry[] = [];
  log.forEach((e, i) => {
    if (e.command.type === "held") held = [];
    else if (e.command.type === "seek" && e.command.to < e.t) held = [...held, ...heldBySeek(log.slice(0, i), e.command.to)].sort((a, b) => a.t - b.t);
  });
  return held;
}

/**
 * The log a fork of sim `sim` at minute `t` starts from: that sim's changes up to `t`, applied to both
 * sims of the new pair, then `change` at `t` for the second sim only. Numbered afresh from 0.
 */
export function forkLog(log: readonly LogEntry[], sim: number, t: number, change: Intervention, kind: "inject" | "lever", wallAt: string): LogEntry[] {
  const shared = effectiveTimeline(log).filter((e) => e.t <= t && "sims" in e.command && e.command.sims.includes(sim));
  const out: LogEntry[] = shared.map((e, n) => ({ ...e, n, command: { ...(e.command as LoggedCommand & { sims: number[] }), sims: [0, 1] } as LoggedCommand }));
  out.push({ n: out.length, t, wallAt, command: { type: kind, intervention: change, sims: [1] } as LoggedCommand });
  return out;
}
