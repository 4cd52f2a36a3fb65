// One test per class of bad input: each asserts the exact JSON path of the problem and the words
// a planner needs in its message. Inputs are the small valid base with one thing broken, or a
// fixture file from test/fixtures/scenarios/.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BYTES, loadScenarioOrThrow, parseScenarioText, ScenarioError, validateScenario } from "../../sim/index.ts";
import { expectOnlyProblem, fixtureText, problemsAfter, validBase } from "./fixtures.ts";

describe("the valid base", () => {
  it("validates, so every other test here breaks exactly one thing", () => {
    expect(validateScenario(validBase()).ok).toBe(true);
  });
});

describe("references to ids", () => {
  it("an unknown site id names the field, the typo and the known ids", () => {
    const problems = problemsAfter((s) => (s.sites[3].replenishment.source = "rdx"));
    expectOnlyProblem(problems, "sites[3].replenishment.source", '"rdx" is not the id of any site', 'did you mean "rdc"?', '"factory", "rdc", "fdc", "store"');
  });

  it("an unknown SKU id in a campaign", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].skus = ["soap", "phnoe"]));
    expectOnlyProblem(problems, "campaigns[0].skus[1]", '"phnoe" is not the id of any SKU', 'did you mean "phone"?', 'SKU ids are "phone", "soap"');
  });

  it("an unknown channel id in a campaign", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].channels = ["app", "gruop"]));
    expectOnlyProblem(problems, "campaigns[0].channels[1]", '"gruop" is not the id of any channel', '"app", "group", "walk-in"');
  });

  it("an unknown SKU key in the demand mix", () => {
    const problems = problemsAfter((s) => (s.demand.skuMix = { phone: 0.2, soapp: 0.8 }));
    expectOnlyProblem(problems, "demand.skuMix.soapp", '"soapp" is not the id of any SKU', 'did you mean "soap"?');
  });

  it("an unknown SKU key in a channel's own mix", () => {
    const problems = problemsAfter((s) => (s.channels[1].skuMix = { phone: 0.5, soapp: 0.5 }));
    expectOnlyProblem(problems, "channels[1].skuMix.soapp", '"soapp" is not the id of any SKU', 'did you mean "soap"?');
  });

  it("an entry with a shape problem still has its ids checked: a bad share does not hide an unknown factory", () => {
    const problems = problemsAfter((s) => s.interventions.push({ type: "factory-disruption", at: "2026-06-06T00:00", site: "factroy", capacityShare: 2, durationHours: 24 }));
    expect(problems.map((p) => p.path)).toEqual(["interventions[1].site", "interventions[1].capacityShare"]);
    expect(problems[0].message).toContain('"factroy" is not the id of any site');
  });

  it("a campaign with a shape problem still has its channel and SKU ids checked", () => {
    const problems = problemsAfter((s) => {
      s.campaigns[0].discount = "ten percent";
      s.campaigns[0].channels = ["app", "gruop"];
      s.campaigns[0].skus = ["phnoe"];
    });
    expect(problems.map((p) => p.path)).toEqual(["campaigns[0].channels[1]", "campaigns[0].skus[0]", "campaigns[0].discount"]);
  });

  it("a duplicate id points at the first use", () => {
    const problems = problemsAfter((s) => s.zones.push({ ...s.zones[0], name: "Town again" }));
    expectOnlyProblem(problems, "zones[1].id", '"town" is already the id of zones[0]', "give each zone its own id");
  });

  it("a duplicate site id", () => {
    const problems = problemsAfter((s) => s.sites.push({ ...s.sites[0], name: "Second factory" }));
    expectOnlyProblem(problems, "sites[4].id", '"factory" is already the id of sites[0]');
  });
});

describe("the replenishment network", () => {
  it("a cycle is named site by site, from the fixture file", () => {
    const result = parseScenarioText(fixtureText("replenishment-cycle.json"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectOnlyProblem(result.problems, "sites[2].replenishment.source", "replenishment cycle fdc → store → fdc", "point one of these sites at an RDC");
  });

  it("a site that replenishes from itself", () => {
    const problems = problemsAfter((s) => (s.sites[2].replenishment.source = "fdc"));
    expectOnlyProblem(problems, "sites[2].replenishment.source", '"fdc" is this site itself');
  });

  it("a replenishment link with no lane", () => {
    const problems = problemsAfter((s) => s.lanes.pop());
    expectOnlyProblem(problems, "sites[3].replenishment.source", 'no lane from "rdc" to "store"', "add {");
  });
});

describe("the calendar", () => {
  it("a campaign that ends after the horizon", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].end = "2026-06-20T00:00"));
    expectOnlyProblem(problems, "campaigns[0].end", '"2026-06-20T00:00" is after the run ends', '"2026-06-11T00:00"', "raise horizonDays");
  });

  it("an intervention before the start", () => {
    const problems = problemsAfter((s) => (s.interventions[0].at = "2026-05-01T00:00"));
    expectOnlyProblem(problems, "interventions[0].at", '"2026-05-01T00:00" is before the run starts', '"2026-06-01T00:00"');
  });

  it("a campaign that ends before it starts", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].end = "2026-06-02T00:00"));
    expectOnlyProblem(problems, "campaigns[0].end", "is not after the campaign's start", "a campaign must end after it starts");
  });

  it("a date that does not exist", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].start = "2026-02-30T00:00"));
    expectOnlyProblem(problems, "campaigns[0].start", "is not a real date", "February 2026 has 28 days");
  });

  it("a date in the wrong format gets a corrected example", () => {
    const problems = problemsAfter((s) => (s.start = "2026/6/1 08:00"));
    expectOnlyProblem(problems, "start", "is not a local date-time", 'e.g. "2026-06-01T08:00"');
  });
});

describe("numbers", () => {
  it("a probability above 1", () => {
    const problems = problemsAfter((s) => (s.skus[0].returnRate = 1.5));
    expectOnlyProblem(problems, "skus[0].returnRate", "1.5 is too large", "a number from 0 to 1");
  });

  it("a probability below 0", () => {
    const problems = problemsAfter((s) => (s.campaigns[0].discount = -0.1));
    expectOnlyProblem(problems, "campaigns[0].discount", "-0.1 is too small", "a number from 0 to 1");
  });

  it("online channel shares that do not add up to 1", () => {
    const problems = problemsAfter((s) => (s.channels[0].share = 0.6));
    expectOnlyProblem(problems, "channels", "add up to 0.9", "app 0.6 + group 0.3", "make them add up to 1");
  });

  it("a SKU mix that does not add up to 1", () => {
    const problems = problemsAfter((s) => (s.demand.skuMix.soap = 0.5));
    expectOnlyProblem(problems, "demand.skuMix", "add up to 0.7", "phone 0.2 + soap 0.5");
  });

  it("a channel's own SKU mix that does not add up to 1", () => {
    const problems = problemsAfter((s) => (s.channels[0].skuMix = { phone: 0.5, soap: 0.2 }));
    expectOnlyProblem(problems, "channels[0].skuMix", "add up to 0.7", "phone 0.5 + soap 0.2");
  });

  it("an empty SKU mix", () => {
    const problems = problemsAfter((s) => (s.demand.skuMix = {}));
    expectOnlyProblem(problems, "demand.skuMix", "lists no SKUs");
  });

  it("a negative transit time", () => {
    const problems = problemsAfter((s) => (s.lanes[0].transitHours = -4));
    expectOnlyProblem(problems, "lanes[0].transitHours", "-4 is too small", "from 0.01 to 87840");
  });

  it("negative stock", () => {
    const problems = problemsAfter((s) => (s.sites[1].inventory[0].initial = -1));
    expectOnlyProblem(problems, "sites[1].inventory[0].initial", "-1 is too small", "a whole number from 0 to 1000000000");
  });

  it("a fractional unit count", () => {
    const problems = problemsAfter((s) => (s.sites[1].inventory[0].initial = 2.5));
    expectOnlyProblem(problems, "sites[1].inventory[0].initial", "2.5 is not a whole number");
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("a non-finite number (%s)", (value) => {
    const problems = problemsAfter((s) => (s.horizonDays = value));
    expectOnlyProblem(problems, "horizonDays", `${value} is not a finite number`, "greater than 0 and at most 3660");
  });

  it("a latitude off the globe", () => {
    const problems = problemsAfter((s) => (s.sites[0].lat = 123.4));
    expectOnlyProblem(problems, "sites[0].lat", "123.4 is not a latitude", "from -90 to 90");
  });

  it("a longitude off the globe", () => {
    const problems = problemsAfter((s) => (s.zones[0].lon = -190));
    expectOnlyProblem(problems, "zones[0].lon", "-190 is not a longitude", "from -180 to 180");
  });
});

describe("the text of the file", () => {
  it("text that is not JSON gets its line and column", () => {
    const result = parseScenarioText(fixtureText("not-json.json"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectOnlyProblem(result.problems, "", "not valid JSON at line 4, column 20", "a comma after the last property is not allowed");
  });

  it("single quotes", () => {
    const result = parseScenarioText(`{\n  "id": 'x'\n}`);
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "", "line 2, column 9", "double quotes");
  });

  it.each([
    ["an empty file", ""],
    ["a file of blank lines", "\n  \n"],
  ])("%s", (_, text) => {
    const result = parseScenarioText(text);
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "", "the file is empty");
  });

  it("the empty fixture file", () => {
    const result = parseScenarioText(fixtureText("empty.json"));
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "", "the file is empty");
  });

  it("a file over the size limit is refused before it is parsed", () => {
    const result = parseScenarioText(`{"id": "x"}${" ".repeat(200)}`, { maxBytes: 100 });
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "", "the file is 211 bytes", "the limit is 100 bytes");
  });

  it("the size limit counts UTF-8 bytes, not characters", () => {
    const text = JSON.stringify({ name: "仓".repeat(40) }); // 40 characters, 120 bytes
    const result = parseScenarioText(text, { maxBytes: 100 });
    if (result.ok) throw new Error("expected a problem");
    expect(result.problems[0].message).toContain(`the file is ${text.length + 80} bytes`);
  });

  it("the default limit is 5 MiB", () => {
    expect(DEFAULT_MAX_BYTES).toBe(5 * 1024 * 1024);
  });

  it("a top level that is not an object", () => {
    const result = parseScenarioText("[1, 2]");
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "", "the file holds a list, not a scenario object");
  });
});

describe("forbidden keys", () => {
  it("__proto__ written in the file is caught from the text (JSON.parse makes it an own key)", () => {
    const result = parseScenarioText(fixtureText("proto-key.json"));
    if (result.ok) throw new Error("expected problems");
    const proto = result.problems.filter((p) => p.path === "sites[0].__proto__");
    expect(proto).toHaveLength(1);
    expect(proto[0].message).toContain('"__proto__" is not allowed as a key');
    // The key did not reach any object's prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("__proto__ at the top of the otherwise valid base", () => {
    const text = fixtureText("valid-small.json").replace('"id": "valid-small",', '"id": "valid-small", "__proto__": { "horizonDays": 1 },');
    const result = parseScenarioText(text);
    if (result.ok) throw new Error("expected a problem");
    expectOnlyProblem(result.problems, "__proto__", "not allowed as a key anywhere");
  });

  it("constructor as a key", () => {
    const problems = problemsAfter((s) => (s.demand.constructor = { x: 1 }));
    expectOnlyProblem(problems, "demand.constructor", '"constructor" is not allowed');
  });
});

describe("shape", () => {
  it("text where a number belongs", () => {
    const problems = problemsAfter((s) => (s.horizonDays = "10"));
    expectOnlyProblem(problems, "horizonDays", '"10" is text, not a number');
  });

  it("a number where an object belongs", () => {
    const problems = problemsAfter((s) => (s.sites[1].pickPack = 200));
    expectOnlyProblem(problems, "sites[1].pickPack", "200 is a number, not an object", "with ordersPerHour");
  });

  it("a missing required field", () => {
    const problems = problemsAfter((s) => delete s.skus[1].supplier);
    expectOnlyProblem(problems, "skus[1].supplier", 'missing; add "supplier"', "the factory site that makes it");
  });

  it("an unknown site type suggests the right one", () => {
    const problems = problemsAfter((s) => (s.sites[1].type = "rcd"));
    expectOnlyProblem(problems, "sites[1].type", '"rcd" is not a known type', 'did you mean "rdc"?', '"rdc", "fdc", "store", "factory"');
  });

  it("an unknown field with a did-you-mean", () => {
    const problems = problemsAfter((s) => (s.skus[0].pricee = 1));
    expectOnlyProblem(problems, "skus[0].pricee", 'unknown field "pricee"', 'did you mean "price"?', "the fields allowed here are id, name");
  });

  it("an invalid id gets a corrected example", () => {
    const problems = problemsAfter((s) => (s.id = "Valid Small"));
    expectOnlyProblem(problems, "id", '"Valid Small" is not a valid id', 'e.g. "valid-small"');
  });

  it("a top-level $schema hint is allowed", () => {
    const scenario = validBase();
    scenario.$schema = "./scenario.schema.json";
    expect(validateScenario(scenario).ok).toBe(true);
  });
});

describe("a file with many problems", () => {
  it("reports every problem at once, in the order they appear in the file", () => {
    const result = parseScenarioText(fixtureText("many-problems.json"));
    if (result.ok) throw new Error("expected problems");
    expect(result.problems.map((p) => p.path)).toEqual([
      "id",
      "seed",
      "sites[0].lat",
      "sites[2].replenishment.source",
      "skus[0].returnRate",
      "skus[1].pricee",
      "skus[1].price",
      "channels",
      "zones[0].lon",
      "demand.skuMix",
      "interventions[0].at",
    ]);
    for (const problem of result.problems) expect(problem.message).not.toMatch(/\bat \w+ \(|Error:/); // no stack traces
  });

  it("loadScenarioOrThrow throws one ScenarioError listing them all", () => {
    let error: unknown;
    try {
      loadScenarioOrThrow(fixtureText("many-problems.json"));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toHaveLength(11);
    expect((error as ScenarioError).message).toMatch(/^the scenario has 11 problems:\nid: /);
  });
});
