// Sim minutes as text. The server sends the local wall time of the current minute; other minutes are
// read relative to it (whole minutes of local time, so a daylight-saving change inside the span is
// not shown — the 618 zone, Asia/Shanghai, has none).

/** "YYYY-MM-DD HH:mm" of sim minute t, given that `anchorT` reads `anchorLocal`. */
export function localTimeAt(anchorLocal: string, anchorT: number, t: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(anchorLocal);
  if (!m) return `minute ${Math.round(t)}`;
  const base = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const d = new Date(base + Math.round(t - anchorT) * 60_000);
  return d.toISOString().slice(0, 16).replace("T", " ");
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
