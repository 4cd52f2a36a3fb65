// Turns zod's shape issues into planner-readable problems: the path, the bad value, what is
// allowed and the fix ("sites[2].lat: 123.4 is not a latitude; use a number from -90 to 90").
// Which checks run is the schema's business (schema.ts); this module only words the results.
import type { z } from "zod";
import { allowedKeys, describeAllowed, describeRange, formatHint } from "./allowed.ts";
import type { JsonSchemaNode } from "./json-schema.ts";
import { schemaNodeAt } from "./json-schema.ts";
import type { PathProblem, PathSegments } from "./problems.ts";
import { didYouMean, kindOf, plural, quotedList, showValue } from "./problems.ts";

type Issue = z.core.$ZodIssue;

/** Word every zod issue as a problem; at most one problem per path (the first is the most basic). */
export function describeShapeIssues(issues: readonly Issue[], document: unknown): PathProblem[] {
  const seen = new Set<string>();
  const problems: PathProblem[] = [];
  for (const issue of issues) {
    for (const problem of describeIssue(issue, document)) {
      const key = JSON.stringify(problem.path);
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describeIssue(issue: Issue, document: unknown): PathProblem[] {
  const path = issue.path.map((s) => (typeof s === "symbol" ? String(s) : s));
  const { present, value } = valueAt(document, path);
  const node = schemaNodeAt(path, document);
  const allowed = node === undefined ? undefined : describeAllowed(node);
  const use = allowed === undefined ? "" : `; use ${allowed}`;
  const last = path[path.length - 1];
  const one = (message: string): PathProblem[] => [{ path, message }];

  switch (issue.code) {
    case "invalid_type":
      if (!present) return one(missing(last, node));
      if (issue.expected === "int") return one(`${showValue(value)} is not a whole number${use}`);
      // NaN and ±Infinity are numbers to JavaScript but not to the schema (JSON text cannot hold them).
      if (typeof value === "number" && !Number.isFinite(value)) return one(`${showValue(value)} is not a finite number${use}`);
      return one(`${showValue(value)} is ${kindOf(value)}, not ${expectedNoun(issue.expected)}${use}`);
    case "too_small":
    case "too_big":
      return one(sizeMessage(issue, value, last, node));
    case "invalid_format": {
      const hint = issue.format === "regex" ? formatHint(issue.pattern) : undefined;
      if (hint === undefined) return one(`${showValue(value)} is not in the right format: ${issue.message}`);
      const suggestion = typeof value === "string" ? hint.suggest(value) : undefined;
      const example = suggestion !== undefined && suggestion !== value ? `, e.g. ${JSON.stringify(suggestion)}` : "";
      return one(`${showValue(value)} is not ${hint.noun}; ${hint.fix}${example}`);
    }
    case "invalid_value":
      return one(notOneOf(value, issue.values, String(last)));
    case "invalid_union": {
      const discriminator = issue.discriminator;
      if (discriminator === undefined) return one(`${showValue(value)} does not match any allowed form${use}`);
      // zod puts the path on the tag field already; be safe if a version does not.
      const tagPath = last === discriminator ? path : [...path, discriminator];
      const tag = valueAt(document, tagPath);
      const options = "options" in issue && issue.options !== undefined ? issue.options : [];
      if (!tag.present) return [{ path: tagPath, message: `missing; add "${discriminator}" with one of ${quotedList(options)}` }];
      return [{ path: tagPath, message: notOneOf(tag.value, options, discriminator) }];
    }
    case "unrecognized_keys": {
      const keys = allowedKeys(node);
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown field "${key}";${didYouMean(key, keys) || ""} the fields allowed here are ${keys.join(", ")}`,
      }));
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      const pattern = inner?.code === "invalid_format" && inner.format === "regex" ? inner.pattern : undefined;
      const hint = formatHint(pattern);
      if (hint === undefined) return one(`the key ${showValue(last)} is not allowed here`);
      return one(`the key ${showValue(last)} is not ${hint.noun}; ${hint.fix}`);
    }
    default:
      return one(`${showValue(value)}: ${issue.message}`);
  }
}

function missing(key: string | number | undefined, node: JsonSchemaNode | undefined): string {
  const what = node === undefined ? "" : ` with ${describeAllowed(node)}`;
  const about = node?.description === undefined ? "" : ` (${node.description})`;
  return typeof key === "string" ? `missing; add "${key}"${what}${about}` : `missing; add a value${what}${about}`;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown, key: unknown, node: JsonSchemaNode | undefined): string {
  const small = issue.code === "too_small";
  switch (issue.origin) {
    case "number":
    case "int":
    case "bigint": {
      const range = node === undefined ? "" : `; use ${describeRange(node)}`;
      if (key === "lat") return `${showValue(value)} is not a latitude${range}`;
      if (key === "lon") return `${showValue(value)} is not a longitude${range}`;
      return `${showValue(value)} is too ${small ? "small" : "large"}${range}`;
    }
    case "array": {
      const length = Array.isArray(value) ? value.length : 0;
      const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
      const wanted = issue.exact ? `exactly ${limit}` : small ? `at least ${limit}` : `at most ${limit}`;
      const about = node?.description === undefined ? "" : ` (${node.description})`;
      return `has ${plural(length, "entry", "entries")}; list ${wanted}${about}`;
    }
    case "string": {
      const text = typeof value === "string" ? value : "";
      if (small && text.length === 0) return `is empty; write ${node === undefined ? "some text" : describeAllowed(node)}`;
      const allowed = node === undefined ? "" : `; use ${describeAllowed(node)}`;
      return `${showValue(value)} is ${plural(text.length, "character")} long${allowed}`;
    }
    default:
      return `${showValue(value)}: ${issue.message}`;
  }
}

function notOneOf(value: unknown, options: readonly unknown[], field: string): string {
  const typo = typeof value === "string" ? didYouMean(value, options.filter((o): o is string => typeof o === "string")) : "";
  const what = field === "type" || field === "kind" ? `a known ${field}` : "allowed here";
  return `${showValue(value)} is not ${what};${typo} use one of ${quotedList(options)}`;
}

function expectedNoun(expected: string): string {
  switch (expected) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true/false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "an object";
    default:
      return expected;
  }
}

/** The value at `path` in the document, and whether it is there at all. */
function valueAt(document: unknown, path: PathSegments): { present: boolean; value: unknown } {
  let value = document;
  for (const segment of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return { present: false, value: undefined };
    value = (value as Record<string | number, unknown>)[segment];
  }
  return { present: value !== undefined, value };
}
