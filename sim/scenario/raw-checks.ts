// Checks on the raw input before its shape is looked at: size, emptiness, JSON syntax, keys written
// twice in one object (JSON.parse would keep the last silently), a top level
// that is not an object, and keys that could tamper with JavaScript objects (`__proto__`,
// `constructor`, `prototype`). Shape and cross-reference checks live elsewhere.
import { findDuplicateKeys, findJsonSyntaxError } from "./json-syntax.ts";
import type { PathProblem, PathSegments } from "./problems.ts";
import { kindOf } from "./problems.ts";

/** Largest scenario text accepted unless the caller says otherwise: 5 MiB. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
// A scenario is a handful of levels deep; anything far deeper is not a scenario (and would
// make the walk below recurse without bound).
const MAX_DEPTH = 64;

/** The message for a file over the size limit, e.g. "the file is 6.2 MiB; the limit is 5 MiB …". */
export function tooLargeMessage(byteCount: number, maxBytes: number): string {
  const size = byteCount >= 1024 ? `${formatBytes(byteCount)} (${byteCount} bytes)` : formatBytes(byteCount);
  return `the file is ${size}; the limit is ${formatBytes(maxBytes)}; a scenario is normally well under 1 MiB, so check that this is the right file`;
}

/** Parse scenario text into a JSON value, or say why it cannot be parsed (size, empty, syntax). */
export function parseJsonText(text: string, maxBytes: number): { ok: true; value: unknown } | { ok: false; problems: PathProblem[] } {
  const byteCount = utf8ByteLength(text);
  if (byteCount > maxBytes) return { ok: false, problems: [{ path: [], message: tooLargeMessage(byteCount, maxBytes) }] };
  // A byte-order mark is an editor artefact, not data.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") {
    return { ok: false, problems: [{ path: [], message: 'the file is empty; a scenario is one JSON object: { "id": …, "sites": […], … }' }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const where = findJsonSyntaxError(body);
    const message = where
      ? `not valid JSON at line ${where.line}, column ${where.column}: ${where.message}`
      : `not valid JSON: ${String(error instanceof Error ? error.message : error).replace(/\s+/g, " ")}`;
    return { ok: false, problems: [{ path: [], message }] };
  }
  const duplicates = findDuplicateKeys(body);
  if (duplicates.length === 0) return { ok: true, value };
  return {
    ok: false,
    problems: duplicates.map((d) => ({
      path: d.path,
      message: `is written twice in the same object (again at line ${d.line}, column ${d.column}); JSON would silently keep only the last value, so remove or rename one of them`,
    })),
  };
}

/** What the raw-value checks found, and a copy of the value without the forbidden keys. */
export interface RawInspection {
  problems: PathProblem[];
  /** True when nothing more can be checked (the top level is not an object, or nesting is absurd). */
  fatal: boolean;
  /** The value with forbidden keys removed (each removal is reported in `problems`). */
  clean: unknown;
}

/** Check an already-parsed value: top level is an object; no `__proto__`/`constructor`/`prototype` keys. */
export function inspectRawValue(value: unknown): RawInspection {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const what = kindOf(value);
    return {
      problems: [{ path: [], message: `the file holds ${what}, not a scenario object; a scenario is one JSON object: { "id": …, "sites": […], … }` }],
      fatal: true,
      clean: value,
    };
  }
  const problems: PathProblem[] = [];
  const walker = { problems, tooDeep: false };
  const clean = copyWithoutForbiddenKeys(value, [], walker);
  return { problems, fatal: walker.tooDeep, clean };
}

function copyWithoutForbiddenKeys(value: unknown, path: PathSegments, walker: { problems: PathProblem[]; tooDeep: boolean }): unknown {
  if (value === null || typeof value !== "object") return value;
  if (path.length > MAX_DEPTH) {
    if (!walker.tooDeep) {
      walker.problems.push({ path, message: `the data is nested more than ${MAX_DEPTH} levels deep here; a scenario needs only a few levels` });
    }
    walker.tooDeep = true;
    return undefined;
  }
  if (Array.isArray(value)) return value.map((entry, i) => copyWithoutForbiddenKeys(entry, [...path, i], walker));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const entry = (value as Record<string, unknown>)[key];
    if (FORBIDDEN_KEYS.has(key)) {
      walker.problems.push({ path: [...path, key], message: forbiddenKeyMessage(key) });
    } else {
      copy[key] = copyWithoutForbiddenKeys(entry, [...path, key], walker);
    }
  }
  return copy;
}

function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed as a key anywhere in a scenario (it can change how the program's objects behave); remove it or rename it`;
}

/** Number of bytes `text` takes as UTF-8. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) [bytes, i] = [bytes + 4, i + 1];
      else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${Number((bytes / mib).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
