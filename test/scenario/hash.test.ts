// The scenario hash: FNV-1a 64 test vectors, and a fingerprint that follows the data, not the
// way the file happens to be written.
import { describe, expect, it } from "vitest";
import { canonicalJson, fnv1a64, parseScenarioText, scenarioHash, validateScenario } from "../../sim/index.ts";
import { fixtureText, validBase } from "./fixtures.ts";

function hashOf(value: unknown): string {
  const result = validateScenario(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return scenarioHash(result.scenario);
}

// Rebuild every object with its keys in reverse order.
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).reverse().map((key) => [key, reverseKeys((value as Record<string, unknown>)[key])]));
}

describe("fnv1a64", () => {
  // Reference values of 64-bit FNV-1a (Fowler/Noll/Vo test suite).
  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
  ])("hashes %j to %s", (text, expected) => {
    expect(fnv1a64(text)).toBe(expected);
  });

  it("hashes the UTF-8 bytes of text beyond ASCII", () => {
    // "é" is the bytes c3 a9; "仓" is e4 bb 93; "😀" (a surrogate pair) is f0 9f 98 80.
    expect(fnv1a64("é")).toBe(fnv1a64Bytes([0xc3, 0xa9]));
    expect(fnv1a64("仓")).toBe(fnv1a64Bytes([0xe4, 0xbb, 0x93]));
    expect(fnv1a64("😀")).toBe(fnv1a64Bytes([0xf0, 0x9f, 0x98, 0x80]));
  });
});

// A BigInt reference implementation over bytes, independent of the one under test.
function fnv1a64Bytes(bytes: number[]): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined entries", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe("scenarioHash", () => {
  it("is 16 hex digits and the same every time", () => {
    const hash = hashOf(validBase());
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf(validBase())).toBe(hash);
  });

  it("does not change when keys are reordered or whitespace changes", () => {
    const text = fixtureText("valid-small.json");
    const compact = parseScenarioText(JSON.stringify(JSON.parse(text)));
    const reordered = parseScenarioText(JSON.stringify(reverseKeys(JSON.parse(text)), null, 4));
    if (!compact.ok || !reordered.ok) throw new Error("expected both to validate");
    expect(scenarioHash(reordered.scenario)).toBe(scenarioHash(compact.scenario));
  });

  it("does not change when a default is written out explicitly", () => {
    const explicit = validBase();
    explicit.roadFactor = 1.3;
    explicit.seed = 1;
    expect(hashOf(explicit)).toBe(hashOf(validBase()));
  });

  it("ignores the $schema editor hint", () => {
    const without = validBase();
    delete without.$schema;
    const other = validBase();
    other.$schema = "https://example.org/elsewhere.json";
    expect(hashOf(without)).toBe(hashOf(validBase()));
    expect(hashOf(other)).toBe(hashOf(validBase()));
  });

  it("changes when any value changes", () => {
    const base = hashOf(validBase());
    const changes: Array<(s: ReturnType<typeof validBase>) => void> = [
      (s) => (s.horizonDays = 11),
      (s) => (s.sites[1].inventory[0].initial = 2001),
      (s) => (s.skus[0].name = "Phone 2"),
      (s) => (s.demand.hourlyProfile[23] = 2),
    ];
    const hashes = changes.map((change) => {
      const scenario = validBase();
      change(scenario);
      return hashOf(scenario);
    });
    for (const hash of hashes) expect(hash).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
