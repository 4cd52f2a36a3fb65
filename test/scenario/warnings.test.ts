// Warnings: settings a valid scenario runs as written but a planner most likely did not mean. Never a
// reason to refuse a file; every shipped scenario is free of them.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioOrThrow, scenarioWarnings, validateScenario } from "../../sim/index.ts";

const SCENARIOS = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** baseline-week with its fresh line's finished-goods cap and lead time set (undefined: the default). */
function freshLine(cap: number | undefined, leadTimeHours: number | undefined) {
  const document = JSON.parse(readFileSync(`${SCENARIOS}baseline-week.json`, "utf8"));
  const line = document.sites[1].production[2];
  expect(line.sku).toBe("fresh-veg");
  if (cap === undefined) delete line.finishedGoodsCapDays;
  else line.finishedGoodsCapDays = cap;
  if (leadTimeHours === undefined) delete line.leadTimeHours;
  else line.leadTimeHours = leadTimeHours;
  const result = validateScenario(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return scenarioWarnings(result.scenario);
}

describe("scenario warnings", () => {
  it("a factory that may stock a perishable until it expires on the way: warned at the line's cap", () => {
    // Default cap (7 days) and the factory's 24 h: stock can age 8 days against a 3-day life.
    expect(freshLine(undefined, undefined)).toEqual([{ path: "sites[1].production[2].finishedGoodsCapDays", message: expect.stringContaining("may stock 7 days of its output") }]);
    // At the edge: 2.5 days of stock + 12 h on the way = the 3-day life.
    expect(freshLine(2.5, 12)).toHaveLength(1);
    // Inside it: 2 days + 12 h, or made to order.
    expect(freshLine(2, 12)).toEqual([]);
    expect(freshLine(0, 12)).toEqual([]);
  });

  it("no shipped scenario has any", () => {
    for (const f of readdirSync(SCENARIOS).filter((x) => x.endsWith(".json") && !x.includes("schema")))
      expect(scenarioWarnings(loadScenarioOrThrow(readFileSync(SCENARIOS + f, "utf8"))), f).toEqual([]);
  });
});
