// The one rounding rule of omnitwin's outputs: to `digits` decimals, −0 read as 0, so summaries, frames
// and messages read well and compare byte for byte.

/** Round to `digits` decimals (and −0 to 0); a non-finite number is returned as it is. */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}
