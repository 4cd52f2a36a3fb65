// Lever L3 in the running model: common random numbers hold and the throttle only ever removes customers;
// campaigns are reviewed at submission with surge and ramp booked within their notice periods; the
// saturation line reacts to a factory disruption the review could not foresee; the safety line alerts on a
// crossing (not on every check) and sends an expedited van.
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenarioOrThrow, parsePolicy, SILOED, Twin, type Decision, type Policy, type Scenario } from "../../sim/index.ts";
import { exampleScenario } from "../support/runs.ts";

const L3 = parsePolicy("capacityLinkage");
const DAY = 1440;

describe("L3 capacityLinkage in the model (618-promotion, first 20 days)", () => {
  // Customers who do not react to service (satisfaction gain 0): by default they remember under every policy,
  // and L3's better service brings some back, so "the throttle only removes customers" holds with gain 0. And
  // marketing at its plan (maxPushScale 1): by default it pushes a campaign that runs behind target, and one L3
  // throttles runs behind, so marketing's push — not L3's — may add customers (sim/model/marketing.ts).
  const base = exampleScenario("618-promotion");
  const scenario: Scenario = { ...base, service: { ...base.service, satisfaction: { ...base.service.satisfaction, gain: 0 } }, marketing: { maxPushScale: 1 } };
  let siloed: Twin;
  let l3: Twin;
  let hashes: { siloed: number; l3: number };
  let surgeDuringWave1 = Number.NaN;
  let rdc = -1;
  const byKind = (kind: string) => l3.world.decisions.filter((d) => d.kind === kind);
  beforeAll(() => {
    siloed = new Twin(scenario, { policy: SILOED, seed: 3 });
    l3 = new Twin(scenario, { policy: L3, seed: 3 });
    rdc = l3.network.siteIdx("rdc-gz-huangpu");
    const firstStart = Math.min(...l3.rates.campaigns.map((c) => c.start));
    siloed.runUntil(firstStart);
    l3.runUntil(firstStart);
    hashes = { siloed: siloed.arrivalHash, l3: l3.arrivalHash };
    l3.runUntil(8.5 * DAY);
    surgeDuringWave1 = l3.fulfilment.pickSurge[rdc];
    siloed.runUntil(20 * DAY);
    l3.runUntil(20 * DAY);
  }, 120_000);

  it("sees the same candidate customers as siloed, the same accepted ones until a campaign starts, and throttling only removes customers", () => {
    expect(l3.sources.map((s) => s.candidates)).toEqual(siloed.sources.map((s) => s.candidates));
    expect(hashes.l3).toBe(hashes.siloed);
    // Every L3 pressure factor is ≤ 1, so each candidate it accepts, siloed accepts too (thinning with the same uniforms).
    l3.sources.forEach((s, i) => expect(s.accepted).toBeLessThanOrEqual(siloed.sources[i].accepted));
    for (const s of l3.sources) expect(s.boundViolations).toBe(0);
  });

  it("reviews the campaigns submitted before the run at its start, and a later one when it is submitted, flagged late", () => {
    const reviews = byKind("campaign-review");
    const at = (id: string) => reviews.find((d) => d.figures.campaign === id);
    for (const id of ["wave-1", "wave-2", "peak-618", "fridge-presale"]) expect(at(id)?.t).toBe(0);
    const flash = at("sz-community-flash")!;
    expect(flash.t).toBeGreaterThanOrEqual(l3.world.toMinutes("2026-05-28T10:00"));
    expect(flash.t).toBeLessThan(l3.world.toMinutes("2026-05-28T10:00") + 60);
    expect(flash.figures.lateSubmission).toBe("yes");
    expect(at("fridge-presale")!.figures.lateSubmission).toBe("no");
  });

  it("the pre-sale the factory cannot make: the ramp's overtime (20% of a 2,100 CNY unit cost, 420 CNY, against 300 CNY of margin at 20% off) exceeds the margin it protects, so it is declined with both figures, and the campaign throttled", () => {
    const presale = byKind("campaign-review").find((d) => d.figures.campaign === "fridge-presale")!;
    expect(presale.figures.outcome).toBe("throttle");
    expect(presale.figures.leastPressureScale as number).toBeLessThan(1);
    expect(presale.figures.stretchDaysNeeded as number).toBeGreaterThan(0);
    expect(presale.figures.declinedAsTooDear).toBe("factory-shunde-appliance");
    expect(byKind("ramp-booked").filter((d) => d.figures.campaign === "fridge-presale")).toEqual([]);
    const declined = byKind("ramp-declined").find((d) => d.figures.campaign === "fridge-presale")!;
    expect(declined.site).toBe("factory-shunde-appliance");
    expect(declined.figures.marginProtected as number).toBeGreaterThan(0);
    expect(declined.figures.rampCost as number).toBeGreaterThan(declined.figures.marginProtected as number);
  });

  it("books the same ramp, with 30 days' notice from submission, once its overtime is cheaper than the margin it protects", () => {
    const raw = structuredClone(scenario) as Scenario;
    const factory = raw.sites.find((s) => s.id === "factory-shunde-appliance")!;
    if (factory.type !== "factory" || !factory.ramp) throw new Error("the 618 appliance factory has a ramp");
    factory.ramp.overtimeCostShare = 0.05;
    const cheap = new Twin(raw, { policy: L3, seed: 3 });
    cheap.runUntil(1);
    const ramp = cheap.world.decisions.find((d) => d.kind === "ramp-booked" && d.figures.campaign === "fridge-presale")!;
    expect(ramp.site).toBe("factory-shunde-appliance");
    expect(ramp.figures.fromHour).toBe(Math.round(cheap.world.toMinutes("2026-06-04T10:00") / 60));
    expect(ramp.figures.marginProtected as number).toBeGreaterThan(ramp.figures.rampCost as number);
  });

  it("has RDC pick/pack surge booked over the peak day, each booking worth more than it costs, and the surge booked for wave 1 is in force while it runs", () => {
    const surges = byKind("surge-booked");
    const peak = l3.rates.campaigns.find((c) => c.id === "peak-618")!;
    // Booked for the peak itself, or for wave 2, whose booking runs a day past its end, over the peak.
    expect(surges.some((d) => d.site === "rdc-gz-huangpu" && (d.figures.fromHour as number) * 60 <= peak.start && (d.figures.toHour as number) * 60 >= peak.end)).toBe(true);
    for (const d of surges) expect(d.figures.marginProtected as number).toBeGreaterThan(d.figures.surgeCost as number);
    const wave1 = surges.find((d) => d.figures.campaign === "wave-1");
    if (wave1) expect(surgeDuringWave1).toBe(0.5);
    else expect(surgeDuringWave1).toBe(0);
  });

  it("records saturation-line crossings, not every hourly check", () => {
    const alerts = byKind("saturation-line");
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.length + byKind("throttle").length).toBeLessThan(20 * 24);
    for (const d of alerts) expect(d.figures).toHaveProperty("utilisation");
  });
});

describe("L3 capacityLinkage: the saturation line meets a factory disruption", () => {
  /** The scenario with the appliance ramp's overtime cheap enough that the review books it, as the disruption story assumes. */
  function cheapRamp(id: string): Scenario {
    const raw = structuredClone(exampleScenario(id)) as Scenario;
    const factory = raw.sites.find((s) => s.id === "factory-shunde-appliance")!;
    if (factory.type === "factory" && factory.ramp) factory.ramp.overtimeCostShare = 0.05;
    return raw;
  }
  it("raises a production alert for the appliance after the Shunde factory drops to 20%, earlier than the undisrupted run does", () => {
    // To day 20: the balance payments open on 1 June (day 19), and the alert must come before them.
    const disrupted = new Twin(cheapRamp("factory-disruption"), { policy: L3, seed: 1 }).runUntil(20 * DAY);
    const from = disrupted.world.toMinutes("2026-05-25T00:00");
    const production = (ds: readonly Decision[]) => ds.filter((d) => d.kind === "saturation-line" && d.figures.resource === "production" && d.figures.sku === "fridge-618");
    const alerts = production(disrupted.world.decisions);
    expect(alerts.length).toBeGreaterThan(0);
    for (const d of alerts) expect(d.t).toBeGreaterThan(from);
    expect(alerts[0].t).toBeLessThan(disrupted.world.toMinutes("2026-06-01T00:00"));
    // Seed 1: the disrupted run's first alert on day 14.92, with 1,962 units committed against 2,178 of supply
    // by the pre-sale's deadline; the undisrupted run's on day 17.96.
    const calm = new Twin(cheapRamp("618-promotion"), { policy: L3, seed: 1 }).runUntil(20 * DAY);
    const calmFirst = production(calm.world.decisions)[0]?.t ?? Infinity;
    expect(alerts[0].t).toBeLessThan(calmFirst);
  }, 60_000);
});

describe("L3 capacityLinkage: the inventory safety line", () => {
  /** baseline-week with a safety line of `units` on one store's fresh vegetables. */
  function withSafetyLine(units: number): Scenario {
    const raw = JSON.parse(JSON.stringify(exampleScenario("baseline-week")));
    const store = raw.sites.find((s: { id: string }) => s.id === "store-sz-luohu");
    store.inventory.find((l: { sku: string }) => l.sku === "fresh-veg").safetyLine = units;
    return loadScenarioOrThrow(JSON.stringify(raw));
  }
  const run = (policy: Policy) => new Twin(withSafetyLine(700), { policy, seed: 5 }).runUntil(3 * DAY);

  it("alerts once per crossing and sends an expedited van each time, at a premium", () => {
    const l3 = run(L3);
    const mine = (kind: string) => l3.world.decisions.filter((d) => d.kind === kind && d.site === "store-sz-luohu" && d.figures.sku === "fresh-veg");
    const alerts = mine("safety-line");
    const vans = mine("emergency-replenishment");
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.length).toBeLessThanOrEqual(6); // hourly checks over 3 days: 72; crossings only
    // A van at each crossing, unless the parent has nothing to send (fresh stock there may have expired).
    const alertTimes = alerts.map((d) => d.t);
    expect(vans.length).toBeGreaterThan(0);
    for (const v of vans) expect(alertTimes).toContain(v.t);
    for (const v of vans) expect(v.figures.units as number).toBeGreaterThan(0);
    const siloed = run(SILOED);
    expect(siloed.world.decisions.some((d) => d.kind === "safety-line")).toBe(false);
    // Vans carry the expedite premium. An emergency request rides on a van already leaving that hour for the
    // same store (siloed pickup transfers pay expedite too), so the total is not compared with siloed's.
    expect(l3.metrics.costs.expedite).toBeGreaterThan(0);
  });
});
