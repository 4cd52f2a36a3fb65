// The annotated example in docs/scenario-format.md is a real, valid scenario, so the guide cannot
// drift from what the validator accepts.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenarioText } from "../../sim/index.ts";

describe("docs/scenario-format.md", () => {
  it("its annotated example is a valid scenario", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../docs/scenario-format.md", import.meta.url)), "utf8");
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const result = parseScenarioText(example ?? "");
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
