// Every example scenario in scenarios/ validates, and a validated scenario is complete (defaults
// filled) and cannot be changed afterwards (deeply frozen).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenarioText, validateScenario, type Scenario } from "../../sim/index.ts";
import { validBase } from "./fixtures.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const exampleFiles = readdirSync(scenariosDir).filter((name) => name.endsWith(".json") && name !== "scenario.schema.json");

describe("the example scenarios", () => {
  it("are all found", () => {
    expect(exampleFiles).toContain("618-promotion.json");
    expect(exampleFiles.length).toBeGreaterThanOrEqual(5);
  });

  it.each(exampleFiles)("%s validates and points editors at the schema", (name) => {
    const text = readFileSync(`${scenariosDir}${name}`, "utf8");
    const result = parseScenarioText(text);
    expect(result.ok ? [] : result.problems).toEqual([]);
    // "$schema" is the first key, so editors pick up autocompletion from the top of the file.
    expect(Object.keys(JSON.parse(text))[0]).toBe("$schema");
    expect(JSON.parse(text).$schema).toBe("./scenario.schema.json");
  });
});

// The what-ifs README and docs describe as "the 618 scenario plus an interventions entry" must stay exactly
// that: when 618 gained issue #17's realism (fresh cover, the supplier's lead time, the RDC's carrier cap)
// these two kept the old network, and L2's express-shock comparison measured the network difference.
describe("the 618 what-if scenarios", () => {
  const read = (name: string) => JSON.parse(readFileSync(`${scenariosDir}${name}.json`, "utf8")) as Record<string, unknown>;
  const OWN = ["id", "name", "description", "interventions"];
  const without = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([k]) => !OWN.includes(k)));
  it.each(["express-price-shock", "factory-disruption"])("%s is 618-promotion plus its interventions, nothing else", (name) => {
    const whatIf = read(name);
    expect(without(whatIf)).toEqual(without(read("618-promotion")));
    expect((whatIf.interventions as unknown[]).length).toBeGreaterThan(0);
  });
});

function validated(): Scenario {
  const result = validateScenario(validBase());
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
}

describe("a validated scenario", () => {
  it("is deeply frozen", () => {
    const scenario = validated();
    expect(Object.isFrozen(scenario)).toBe(true);
    expect(Object.isFrozen(scenario.sites)).toBe(true);
    expect(Object.isFrozen(scenario.sites[1])).toBe(true);
    expect(Object.isFrozen(scenario.sites[1].inventory[0])).toBe(true);
    expect(Object.isFrozen(scenario.demand.hourlyProfile)).toBe(true);
    expect(Object.isFrozen(scenario.costs.express)).toBe(true);
    expect(() => {
      (scenario as { horizonDays: number }).horizonDays = 99;
    }).toThrow(TypeError);
    expect(() => (scenario.sites as unknown[]).push({})).toThrow(TypeError);
  });

  it("has its defaults filled in", () => {
    const scenario = validated();
    expect(scenario.seed).toBe(1);
    expect(scenario.timeZone).toBe("Asia/Shanghai");
    expect(scenario.description).toBe("");
    expect(scenario.roadFactor).toBe(1.3);
    expect(scenario.timeseriesIntervalMinutes).toBe(60);
    expect(scenario.lanes[0]).toMatchObject({ departures: ["22:00"], truckCapacityUnits: 2000, trucksPerDeparture: 4 });
    expect(scenario.demand.dayOfWeek).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(scenario.demand.unitsPerOrder).toEqual({ mean: 1 });
    expect(scenario.costs.express).toEqual({ perParcel: 8, perKgAboveOne: 1, largeAppliancePerUnit: 80 });
    expect(scenario.service.expressCutoffs).toHaveLength(3);
    expect(scenario.levers.capacityLinkage).toEqual({ saturationLine: 0.9, safetyLineDays: 1, reviewLeadDays: 15 });
    const fdc = scenario.sites.find((s) => s.id === "fdc");
    expect(fdc).toMatchObject({ deliveryRadiusKm: 3, deliveryMinutes: 25, replenishment: { source: "rdc", reviewHours: 24, coverDays: 3 } });
    expect(fdc?.type === "fdc" && fdc.pickPack.shifts).toEqual([{ start: "00:00", end: "24:00" }]);
  });

  it("does not share objects with the input", () => {
    const input = validBase();
    const result = validateScenario(input);
    if (!result.ok) throw new Error("expected the base to validate");
    input.sites[0].lat = 1;
    expect(result.scenario.sites[0].lat).toBe(23);
    expect(Object.isFrozen(input)).toBe(false);
  });
});
