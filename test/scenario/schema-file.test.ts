// The published JSON Schema (scenarios/scenario.schema.json) must be exactly what the zod schema
// generates, so editors check files against the same rules the validator applies.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_ID, scenarioJsonSchemaText } from "../../sim/index.ts";

const schemaPath = fileURLToPath(new URL("../../scenarios/scenario.schema.json", import.meta.url));

describe("scenarios/scenario.schema.json", () => {
  it("equals scenarioJsonSchemaText() byte for byte", () => {
    const committed = readFileSync(schemaPath, "utf8");
    const generated = scenarioJsonSchemaText();
    // A plain boolean first, so the failure says what to do rather than printing 60 KB of diff.
    expect(committed === generated, "scenarios/scenario.schema.json is out of date: run `npm run schema` and commit the result").toBe(true);
  });

  it("accepts the $schema hint at the top and names itself", () => {
    const schema = JSON.parse(scenarioJsonSchemaText());
    expect(schema.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.$schema.type).toBe("string");
    expect(schema.required).not.toContain("$schema");
  });
});
