// Property: however a valid scenario is broken, validation answers — ok, or a list of problems
// with string paths and messages — and never throws. Mutations replace, delete or add values
// anywhere in the document, including values JSON cannot hold and keys that tamper with objects.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenarioText, validateScenario, type LoadResult } from "../../sim/index.ts";
import { fixtureText, validBase } from "./fixtures.ts";

type Path = Array<string | number>;

/** Every path to a value inside `value` (not the root). */
function allPaths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...allPaths((value as Record<string | number, unknown>)[key], [...prefix, key])]);
}

const base = validBase();
const paths = allPaths(base);

const oddValue = fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, -0, -1, 1e308, 2 ** 53 + 1, "", "__proto__", null, undefined, [], {}, true);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddValue);
const anyKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "prototype", "id", "type", "sku", "$schema"));

type Mutation = { kind: "set"; at: number; value: unknown } | { kind: "delete"; at: number } | { kind: "add"; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(paths.length - 1), value: anyValue }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(paths.length - 1) }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(paths.length - 1), key: anyKey, value: anyValue }),
);

// Apply a mutation to a fresh copy; defineProperty makes even "__proto__" an own key, as JSON.parse does.
function mutate(document: Record<string, unknown>, m: Mutation): void {
  const path = paths[m.at];
  let parent: unknown = document;
  for (const segment of path.slice(0, -1)) {
    if (parent === null || typeof parent !== "object") return;
    parent = (parent as Record<string | number, unknown>)[segment];
  }
  if (parent === null || typeof parent !== "object") return;
  const container = parent as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const own = (target: object, key: string | number, value: unknown): void => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  };
  if (m.kind === "set") own(container, last, m.value);
  else if (m.kind === "delete") {
    if (Array.isArray(container) && typeof last === "number") container.splice(last, 1);
    else delete container[last];
  } else {
    const target = container[last];
    if (target !== null && typeof target === "object" && !Array.isArray(target)) own(target, m.key, m.value);
    else if (Array.isArray(target)) target.push(m.value);
  }
}

function expectWellFormed(result: LoadResult): void {
  if (result.ok) {
    expect(Object.isFrozen(result.scenario)).toBe(true);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    expect(typeof problem.path).toBe("string");
    expect(typeof problem.message).toBe("string");
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

describe("validation of broken scenarios", () => {
  it("never throws, whatever is changed, removed or added", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const document = validBase();
        for (const m of mutations) mutate(document, m);
        expectWellFormed(validateScenario(document));
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on damaged text", () => {
    const text = fixtureText("valid-small.json");
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 8 }), (start, cut, insert) => {
        expectWellFormed(parseScenarioText(text.slice(0, start) + insert + text.slice(start + cut)));
      }),
      { numRuns: 300 },
    );
  });
});
