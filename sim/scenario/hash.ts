// The scenario fingerprint: canonical JSON (keys sorted at every level) hashed with FNV-1a 64.
// Only what changes a run goes into the hash, so the editor hint `$schema` is left out.
import type { Intervention, Scenario } from "./schema.ts";

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * A short fingerprint of a validated scenario (FNV-1a 64-bit over the UTF-8 bytes of its canonical
 * JSON, as 16 hex digits). Two scenarios with the same hash describe the same run inputs, whatever
 * their key order, whitespace or `$schema` hint.
 */
export function scenarioHash(scenario: Scenario): string {
  const { $schema: _editorHint, ...inputs } = scenario;
  return fnv1a64(canonicalJson(inputs));
}

/**
 * A fingerprint of interventions added on top of a scenario's own (a run's or a batch's
 * `interventionsHash`), made the same way as the scenario hash. Order counts: interventions due at
 * the same time apply in list order. No interventions hash to interventionsHash([]).
 */
export function interventionsHash(interventions: readonly Intervention[]): string {
  return fnv1a64(canonicalJson(interventions));
}

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits (fnv1a64("a") = "af63dc4c8601ec8c").
 * The 64-bit state is kept in two unsigned 32-bit halves so the sim needs no BigInt.
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  forEachUtf8Byte(text, (byte) => {
    // `^` yields a signed 32-bit result; `>>> 0` keeps the low half unsigned for the carry below.
    lo = (lo ^ byte) >>> 0;
    // Multiply (hi, lo) by the FNV prime 2^40 + 0x1b3, modulo 2^64.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loProduct >>> 0;
  });
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

// UTF-8 by hand: sim/ compiles without the DOM or Node libraries, so TextEncoder is not available.
function forEachUtf8Byte(text: string, visit: (byte: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    if (code < 0x80) visit(code);
    else if (code < 0x800) {
      visit(0xc0 | (code >> 6));
      visit(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      visit(0xe0 | (code >> 12));
      visit(0x80 | ((code >> 6) & 0x3f));
      visit(0x80 | (code & 0x3f));
    } else {
      visit(0xf0 | (code >> 18));
      visit(0x80 | ((code >> 12) & 0x3f));
      visit(0x80 | ((code >> 6) & 0x3f));
      visit(0x80 | (code & 0x3f));
    }
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) out[key] = sortKeys(entry);
  }
  return out;
}
