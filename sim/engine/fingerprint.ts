// A running 32-bit fingerprint of a sequence of integers (FNV-1a over 32-bit words): cheap enough to update
// on every arrival, so tests can assert that two runs saw the same stream of customers.

/** The FNV-1a 32-bit offset basis: the fingerprint of an empty sequence. */
export const FINGERPRINT_START = 2166136261;

/** The fingerprint `h` extended by the integer `x` (taken as a 32-bit word). */
export function fingerprint(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 16777619) >>> 0;
}
