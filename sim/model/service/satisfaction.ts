// Customer satisfaction per demand zone (docs/levers.md, "Customers remember"): every experience score (an
// order delivered on time or late, a cancellation, a walk-in served or facing an empty shelf, a return's
// cycle time) folds into its zone's time-decayed satisfaction, and under every policy the zone's
// repeat-purchase factor follows it and scales the zone's demand, online and at its stores. Unified service
// (L4) changes the service process, not whether customers care. The rules are pure functions in
// sim/policy/satisfaction.ts; this file holds the state and the hook into demand.
import { decayWeight, foldExperience, repeatFactor, type SatisfactionParams } from "../../policy/satisfaction.ts";
import { haversineKm } from "../../network/network.ts";
import type { World, ZoneSatisfaction } from "../world.ts";

/** The satisfaction state of one run. */
export class Satisfaction implements ZoneSatisfaction {
  private readonly score: Float64Array;
  private readonly weight: Float64Array;
  private readonly lastAt: Float64Array;
  /** The repeat factor each zone's satisfaction calls for now. */
  private readonly factor: Float64Array;
  /** ∫ applied factor dt per zone, and the time it was last brought up to date. */
  private readonly factorIntegral: Float64Array;
  private readonly integralAt: Float64Array;
  private readonly experiencesSinceLog: Float64Array;
  private loggedDay = 0;
  private readonly params: SatisfactionParams;
  /** Nearest demand zone of each site: a walk-in customer's experience counts in the store's zone. */
  readonly siteZone: Int32Array;

  constructor(private readonly w: World) {
    const { network, scenario } = w;
    // The lever's old place for these parameters is still read when a file gives it (deprecated).
    const p = scenario.levers.unifiedService.satisfaction ?? scenario.service.satisfaction;
    this.params = p;
    const n = network.zones.length;
    this.score = new Float64Array(n).fill(p.neutralScore);
    this.weight = new Float64Array(n).fill(p.priorWeight);
    this.lastAt = new Float64Array(n);
    this.factor = new Float64Array(n).fill(repeatFactor(p.neutralScore, p));
    this.factorIntegral = new Float64Array(n);
    this.integralAt = new Float64Array(n);
    this.experiencesSinceLog = new Float64Array(n);
    this.siteZone = new Int32Array(
      network.sites.map((s) => {
        let best = 0;
        let bestKm = Infinity;
        network.zones.forEach((z, i) => {
          const km = haversineKm(s.lat, s.lon, z.lat, z.lon);
          if (km < bestKm) {
            bestKm = km;
            best = i;
          }
        });
        return best;
      }),
    );
  }

  /** One customer experience in zone `zone` (or, for zone −1, the zone of site `site`), scored 0–1. */
  record(zone: number, score: number, site = -1): void {
    const z = zone >= 0 ? zone : site >= 0 ? this.siteZone[site] : -1;
    if (z < 0) return;
    const now = this.w.sim.now;
    this.logDays();
    this.integrate(z);
    // updateSatisfaction, unpacked: this runs once per order delivered, and the pair it returns was an allocation.
    const weight = decayWeight(this.weight[z], now - this.lastAt[z], this.params.halfLifeDays) + 1;
    this.score[z] = foldExperience(this.score[z], score, weight);
    this.weight[z] = weight;
    this.lastAt[z] = now;
    this.factor[z] = repeatFactor(this.score[z], this.params);
    this.experiencesSinceLog[z]++;
  }

  /** The multiplier on zone z's demand now: what its customers' satisfaction calls for, under every policy. */
  repeatFactor(zone: number): number {
    return this.factor[zone];
  }

  /** The multiplier on a store's walk-in demand now: the repeat factor of the store's zone. */
  storeRepeatFactor(store: number): number {
    return this.factor[this.siteZone[store]];
  }

  /** Current satisfaction score (0–1) of a zone. */
  zoneScore(zone: number): number {
    return this.score[zone];
  }

  /** The repeat factor applied so far, averaged over time and over zones by their demand weight. */
  meanRepeatFactor(): number {
    const { network, sim } = this.w;
    const now = sim.now;
    if (now <= 0) return 1;
    let sum = 0;
    let weights = 0;
    network.zones.forEach((zone, z) => {
      this.integrate(z);
      sum += zone.weight * (this.factorIntegral[z] / now);
      weights += zone.weight;
    });
    return weights > 0 ? sum / weights : 1;
  }

  // Both read the clock themselves: they run for every experience, and a time passed to a call V8 does not
  // inline is a heap number each time.
  private integrate(z: number): void {
    const now = this.w.sim.now;
    this.factorIntegral[z] += this.repeatFactor(z) * (now - this.integralAt[z]);
    this.integralAt[z] = now;
  }

  /** Once a day, log each zone's satisfaction and repeat factor (no events scheduled). */
  private logDays(): void {
    const now = this.w.sim.now;
    const day = this.w.clock.dayIndex(now);
    if (day <= this.loggedDay) return;
    this.loggedDay = day;
    const { network, decisions } = this.w;
    network.zones.forEach((zone, z) => {
      decisions.push({
        t: now,
        kind: "satisfaction",
        site: "",
        reason: "customers remember: zone satisfaction sets its repeat-purchase factor",
        figures: {
          zone: zone.id,
          score: Math.round(this.score[z] * 1e4) / 1e4,
          repeatFactor: Math.round(this.factor[z] * 1e4) / 1e4,
          experiences: this.experiencesSinceLog[z],
        },
      });
      this.experiencesSinceLog[z] = 0;
    });
  }
}
