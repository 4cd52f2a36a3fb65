// Marketing pushes a running campaign harder while its sales run behind its target (sim/model/marketing.ts),
// in every organisation — under L3 towards the plan agreed in the capacity review — within
// `marketing.maxPushScale`: checked on a cut-down 618 (2,000 online orders a
// day, to day 12, wave 1 opening on day 7 at 20:00), where customers do not react to service (satisfaction
// gain 0), so with common random numbers a harder push can only add orders, candidate by candidate.
import { describe, expect, it } from "vitest";
import { buildSummary, parsePolicy, SILOED, Twin, type Policy, type Scenario } from "../../sim/index.ts";
import { scaledScenario } from "../support/runs.ts";

const DAY = 1440;

/** 618 at 2,000 online orders a day, customers indifferent to service, with `edit` applied. */
const variant = (edit: (s: Scenario) => void = () => {}): Scenario =>
  scaledScenario("618-promotion", 2000, (s) => {
    s.service.satisfaction.gain = 0;
    edit(s);
  });

const wave1 = (s: Scenario) => s.campaigns.find((c) => c.id === "wave-1")!;

function run(s: Scenario, policy: Policy = SILOED, seed = 1) {
  const twin = new Twin(s, { policy, seed }).runUntil(12 * DAY);
  return { twin, kpis: buildSummary(twin).kpis };
}

describe("marketing's push towards its targets", () => {
  it("plans a campaign's sales over its hours: none before it opens, all by its end, the opening burst first", () => {
    const twin = new Twin(variant(), { seed: 1 });
    const c = twin.rates.campaigns.find((x) => x.id === "wave-1")!;
    const share = (t: number) => twin.marketing.plannedShare(c, t);
    expect(share(c.start)).toBe(0);
    expect(share(c.end)).toBeCloseTo(1, 12);
    let last = 0;
    for (let t = c.start; t <= c.end; t += 360) {
      expect(share(t)).toBeGreaterThanOrEqual(last);
      last = share(t);
    }
    // With a burst, the first day holds more than a day's share of the campaign's days.
    const days = (c.end - c.start) / DAY;
    expect(share(c.start + DAY)).toBeGreaterThan(1 / days);
  });

  it("pushes to its cap while a campaign runs far behind an out-of-reach target, and only adds orders", () => {
    const plain = run(variant());
    const behind = run(variant((s) => (wave1(s).targetUnits *= 10)));
    const t = behind.kpis.campaignTargets["wave-1"];
    expect(t.maxPush).toBe(1.25);
    expect(t.shareOfTarget!).toBeLessThan(0.2);
    const pushes = behind.twin.world.decisions.filter((d) => d.kind === "marketing-push" && d.figures.campaign === "wave-1");
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes[0].figures.push).toBe(1.25);
    expect(pushes[0].t).toBeGreaterThan(behind.twin.rates.campaigns.find((c) => c.id === "wave-1")!.start);
    expect(behind.kpis.ordersPlaced).toBeGreaterThan(plain.kpis.ordersPlaced);
    expect(behind.kpis.campaignTargets["wave-1"].unitsOrdered).toBeGreaterThan(plain.kpis.campaignTargets["wave-1"].unitsOrdered);
    // The same candidate customers: the push changes who is accepted, not who arrives.
    const candidates = (x: typeof plain) => x.twin.sources.map((s) => `${s.candidates}:${s.candidateHash}`).join(",");
    expect(candidates(behind)).toBe(candidates(plain));
  }, 60_000);

  it("never pushes past maxPushScale, and at 1 never pushes at all", () => {
    const capped = run(variant((s) => ((wave1(s).targetUnits *= 10), (s.marketing.maxPushScale = 1.1))));
    expect(capped.kpis.campaignTargets["wave-1"].maxPush).toBe(1.1);
    for (const d of capped.twin.world.decisions) if (d.kind === "marketing-push") expect(d.figures.push as number).toBeLessThanOrEqual(1.1);
    const off = run(variant((s) => ((wave1(s).targetUnits *= 10), (s.marketing.maxPushScale = 1))));
    expect(off.twin.world.decisions.some((d) => d.kind === "marketing-push")).toBe(false);
    for (const t of Object.values(off.kpis.campaignTargets)) expect(t.maxPush).toBe(1);
  }, 60_000);

  it("ahead of target pushes as planned: with targets of one unit the run is the run without marketing's push", () => {
    const tiny = (s: Scenario) => {
      for (const c of s.campaigns) c.targetUnits = 1;
    };
    const ahead = run(variant(tiny));
    const off = run(variant((s) => (tiny(s), (s.marketing.maxPushScale = 1))));
    expect(ahead.twin.world.decisions.some((d) => d.kind === "marketing-push")).toBe(false);
    expect(ahead.kpis).toEqual(off.kpis);
  }, 60_000);

  it("chases its target under every organisation but one with L3, where it runs the plan agreed in the capacity review", () => {
    const s = variant((x) => (wave1(x).targetUnits *= 10));
    // The data platform scales pressure too, but agrees no plan with marketing: marketing still pushes.
    const platform = run(s, parsePolicy("dataPlatform"));
    expect(platform.kpis.campaignTargets["wave-1"].maxPush).toBe(1.25);
    // L3 reviews wave 1 against capacity: a tenfold target is scaled down, and marketing keeps to that plan.
    const l3 = run(s, parsePolicy("capacityLinkage"));
    const review = l3.twin.world.decisions.find((d) => d.kind === "campaign-review" && d.figures.campaign === "wave-1")!;
    expect(review.figures.outcome).toBe("throttle");
    expect(l3.kpis.campaignTargets["wave-1"].maxPush).toBe(1);
    expect(l3.twin.world.decisions.some((d) => d.kind === "marketing-push" && d.figures.campaign === "wave-1" && (d.figures.push as number) > 1)).toBe(false);
    // The push is marketing's plan: the levers' shift is counted against it, never including it.
    const siloed = run(s);
    expect(siloed.kpis.demandShiftedByPressure.ordersAdded).toBe(0);
    expect(siloed.kpis.demandShiftedByPressure.ordersSuppressed).toBe(0);
  }, 60_000);
});
