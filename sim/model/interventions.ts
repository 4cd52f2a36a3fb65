// Interventions (what-ifs) applied to a running twin at their time: demand surges, express price shocks,
// factory disruptions, lever switches and campaign changes. Each is data; this is the one place that acts on it.
import type { Intervention } from "../scenario/schema.ts";
import type { DemandRates } from "../demand/rates.ts";
import { idMask } from "../network/id-mask.ts";
import type { Replenishment } from "./stock/replenishment.ts";
import { decide, type World } from "./world.ts";

/** What an intervention acts on (a Twin): the world, demand rates, replenishment and the arrival streams. */
export interface InterventionTarget {
  readonly world: World;
  readonly rates: DemandRates;
  readonly replenishment: Replenishment;
  /** Restart every arrival stream from now, so a changed demand rate takes effect at once. */
  restartArrivals(): void;
}

/** Apply one intervention to the twin now. */
export function applyIntervention(twin: InterventionTarget, i: Intervention): void {
  const w = twin.world;
  const { sim, network } = w;
  const now = sim.now;
  const alert = (reason: string, figures: Record<string, number | string>, site = -1) => decide(w, `intervention:${i.type}`, site, reason, figures);
  switch (i.type) {
    case "demand-surge": {
      twin.rates.surges.push({
        start: now,
        end: now + i.durationHours * 60,
        multiplier: i.multiplier,
        zoneMask: idMask(network.zones.length, i.zones, network.zoneIndex, "none"),
        channelMask: idMask(network.channels.length, i.channels, network.channelIndex, "none"),
        skuMask: idMask(network.skuCount, i.skus, network.skuIndex, "none"),
      });
      twin.restartArrivals();
      sim.scheduleIn(i.durationHours * 60, () => twin.restartArrivals());
      alert("demand surge", { multiplier: i.multiplier, hours: i.durationHours, zones: (i.zones ?? ["all"]).join(",") });
      return;
    }
    case "express-price-shock": {
      w.expressPriceMultiplier *= i.multiplier;
      if (i.durationHours !== undefined) sim.scheduleIn(i.durationHours * 60, () => (w.expressPriceMultiplier /= i.multiplier));
      alert("express price shock", { multiplier: i.multiplier, hours: i.durationHours ?? "rest of run" });
      return;
    }
    case "factory-disruption": {
      const site = network.siteIdx(i.site);
      twin.replenishment.factoryShare[site] = i.capacityShare;
      sim.scheduleIn(i.durationHours * 60, () => (twin.replenishment.factoryShare[site] = 1));
      alert("factory disruption", { capacityShare: i.capacityShare, hours: i.durationHours }, site);
      return;
    }
    case "lever": {
      w.policy = Object.freeze({ ...w.policy, [i.lever]: i.on });
      alert(`lever ${i.lever} switched ${i.on ? "on" : "off"}`, { lever: i.lever, on: i.on ? "on" : "off" });
      twin.restartArrivals();
      return;
    }
    case "campaign-change": {
      const c = twin.rates.campaigns.find((x) => x.id === i.campaign);
      if (!c) return;
      if (i.uplift !== undefined) c.uplift = i.uplift;
      if (i.pressure !== undefined) c.pressure = i.pressure;
      if (i.end !== undefined) c.end = Math.max(now, w.toMinutes(i.end));
      twin.restartArrivals();
      alert("campaign changed", { campaign: c.id, uplift: c.uplift, pressure: c.pressure });
      return;
    }
  }
}
