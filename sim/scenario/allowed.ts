// What a field allows, in planner's words, read off its JSON Schema node: "a number from -90 to 90",
// "one of "rdc", "fdc"", "a local date-time like "2026-06-18T20:00"". Used by the shape messages.
import type { JsonSchemaNode } from "./json-schema.ts";
import { unionTag } from "./json-schema.ts";
import { quotedList } from "./problems.ts";

/** A string format the schema uses, recognised by what its pattern accepts. */
export interface FormatHint {
  /** "a valid id", "a local date-time", ... */
  noun: string;
  /** What to write instead. */
  fix: string;
  /** A corrected spelling of `value`, when one is obvious. */
  suggest(value: string): string | undefined;
}

const FORMATS: ReadonlyArray<{ sample: string; hint: FormatHint }> = [
  {
    sample: "2026-06-18T20:00",
    hint: {
      noun: "a local date-time",
      fix: 'write it like "2026-06-18T20:00" (or a date "2026-06-18")',
      suggest: (value) => {
        const m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(value.trim());
        if (!m) return undefined;
        const date = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
        return m[4] === undefined ? date : `${date}T${m[4].padStart(2, "0")}:${m[5]}`;
      },
    },
  },
  {
    sample: "20:00",
    hint: {
      noun: "a clock time",
      fix: 'write "HH:MM" from 00:00 to 24:00',
      suggest: (value) => (/^\d:[0-5]\d$/.test(value) ? `0${value}` : undefined),
    },
  },
  {
    sample: "rdc-1",
    hint: {
      noun: "a valid id",
      fix: "use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
      suggest: (value) => {
        const slug = value
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, "-")
          .replace(/^[^a-z0-9]+|-+$/g, "")
          .slice(0, 64);
        return slug === "" ? undefined : slug;
      },
    },
  },
];

/**
 * The format hint for a string pattern, if it is one of the scenario's formats. Takes the pattern
 * as JSON Schema writes it (`^…$`) or as a zod issue does (a regex literal, `/^…$/`).
 */
export function formatHint(pattern: string | undefined): FormatHint | undefined {
  if (pattern === undefined) return undefined;
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  const regex = literal === null ? new RegExp(pattern) : new RegExp(literal[1], literal[2]);
  return FORMATS.find((f) => regex.test(f.sample))?.hint;
}

/** What a node allows, e.g. "a whole number of 0 or more". */
export function describeAllowed(node: JsonSchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum !== undefined) return `one of ${quotedList(node.enum)}`;
  const tag = unionTag(node);
  if (tag !== undefined) return `an object whose "${tag.key}" is one of ${quotedList(tag.values)}`;
  switch (node.type) {
    case "number":
    case "integer":
      return describeRange(node);
    case "boolean":
      return "true or false";
    case "string":
      return describeText(node);
    case "array":
      return describeList(node);
    case "object":
      return describeObject(node);
    default:
      return "a value as described in docs/scenario-format.md";
  }
}

/** The range a number may take, e.g. "a number greater than 0 and at most 3660". */
export function describeRange(node: JsonSchemaNode): string {
  const noun = node.type === "integer" ? "a whole number" : "a number";
  const [lo, loIncluded] = node.exclusiveMinimum !== undefined ? [node.exclusiveMinimum, false] : [node.minimum, true];
  const [hiRaw, hiIncluded] = node.exclusiveMaximum !== undefined ? [node.exclusiveMaximum, false] : [node.maximum, true];
  const hi = hiRaw !== undefined && hiRaw >= Number.MAX_SAFE_INTEGER ? undefined : hiRaw;
  const share = lo === 0 && hi === 1 && node.type === "number" ? " (e.g. 0.25 for 25%)" : "";
  if (lo !== undefined && hi !== undefined) {
    if (loIncluded && hiIncluded) return `${noun} from ${lo} to ${hi}${share}`;
    return `${noun} ${loIncluded ? "of at least" : "greater than"} ${lo} and ${hiIncluded ? "at most" : "less than"} ${hi}`;
  }
  if (lo !== undefined) return loIncluded ? `${noun} of ${lo} or more` : `${noun} greater than ${lo}`;
  if (hi !== undefined) return hiIncluded ? `${noun} of at most ${hi}` : `${noun} less than ${hi}`;
  return noun;
}

function describeText(node: JsonSchemaNode): string {
  const hint = formatHint(node.pattern);
  if (hint !== undefined) return `${hint.noun} (${hint.fix})`;
  if (node.minLength !== undefined && node.maxLength !== undefined) return `text of ${node.minLength} to ${node.maxLength} characters`;
  if (node.maxLength !== undefined) return `text of at most ${node.maxLength} characters`;
  if (node.minLength !== undefined && node.minLength > 0) return `text of at least ${node.minLength} character${node.minLength === 1 ? "" : "s"}`;
  return "text in double quotes";
}

function describeList(node: JsonSchemaNode): string {
  const { minItems: min, maxItems: max } = node;
  const count =
    min !== undefined && min === max
      ? ` of exactly ${min} entries`
      : min !== undefined && min > 0
        ? ` of at least ${min} ${min === 1 ? "entry" : "entries"}`
        : "";
  const items = node.items;
  const scalar = items !== undefined && items.type !== "object" && items.oneOf === undefined && items.anyOf === undefined;
  return `a list [ … ]${count}${scalar ? `, each ${describeAllowed(items)}` : ""}`;
}

function describeObject(node: JsonSchemaNode): string {
  if (typeof node.additionalProperties === "object") {
    const keys = formatHint(node.propertyNames?.pattern)?.noun === "a valid id" ? "ids" : "names";
    return `an object { … } mapping ${keys} to ${describeAllowed(node.additionalProperties)}`;
  }
  const required = node.required ?? [];
  return required.length === 0 ? "an object { … }" : `an object { … } with ${required.join(", ")}`;
}

/** The field names an object node allows (for unknown-key messages). */
export function allowedKeys(node: JsonSchemaNode | undefined): string[] {
  return node?.properties === undefined ? [] : Object.keys(node.properties);
}
