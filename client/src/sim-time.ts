// Sim minutes as text. The server sends the local wall time of the current minute; other minutes are
// read relative to it (whole minutes of local time, so a daylight-saving change inside the span is
// not shown — the 618 zone, Asia/Shanghai, has none). The arithmetic is the sim's own (sim/engine/local-time.ts).
import { localPlusMinutes } from "../../sim/engine/local-time.ts";

/** "YYYY-MM-DD HH:mm" of sim minute t, given that `anchorT` reads `anchorLocal`. */
export function localTimeAt(anchorLocal: string, anchorT: number, t: number): string {
  return localPlusMinutes(anchorLocal, Math.round(t - anchorT), "minutes") ?? `minute ${Math.round(t)}`;
}

/** "day 8 of 44" (day 1 is the first). */
export function dayOf(t: number, horizon: number): string {
  return `day ${Math.min(Math.floor(t / 1440) + 1, Math.max(1, Math.ceil(horizon / 1440)))} of ${Math.ceil(horizon / 1440)}`;
}

/** A sim duration: "45 min", "6 h", "2.5 d". */
export function duration(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 2 * 1440) return `${+(minutes / 60).toFixed(1)} h`;
  return `${+(minutes / 1440).toFixed(1)} d`;
}
