// A running 32-bit fingerprint of a sequence of integers (FNV-1a over 32-bit words): cheap enough to update
// on every arrival, so tests can assert that two runs saw the same stream of customers.
// The running value is kept as a signed 32-bit integer, which V8 holds unboxed (a Smi); an unsigned value
// above 2^31 is a heap number, and the arrival streams allocated one per candidate (29 MB in a 618 run).
// Readers present it unsigned with `>>> 0`.

/** The FNV-1a 32-bit offset basis (2166136261) as a signed 32-bit integer: the fingerprint of an empty sequence. */
export const FINGERPRINT_START = 2166136261 | 0;

/** The fingerprint `h` extended by the integer `x` (taken as a 32-bit word), as a signed 32-bit integer. */
export function fingerprint(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 16777619) | 0;
}
