// A scenario's campaign as a run sees it (ActiveCampaign): local times as sim minutes, id lists as masks
// over the network's indices. Built once per run; campaign-change interventions then edit it in place.
import { idMask } from "../network/id-mask.ts";
import type { Network } from "../network/network.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { ActiveCampaign } from "./rates.ts";

/** Campaign `index` of the scenario as the run sees it. */
export function activeCampaign(c: Scenario["campaigns"][number], index: number, network: Network, toMinutes: (local: string) => number): ActiveCampaign {
  return {
    id: c.id,
    index,
    submittedAt: toMinutes(c.submittedAt),
    start: toMinutes(c.start),
    end: toMinutes(c.end),
    uplift: c.uplift,
    pressure: c.pressure,
    burstMultiplier: c.burst?.multiplier ?? 1,
    burstHalfLifeMinutes: c.burst?.halfLifeMinutes ?? 1,
    discount: c.discount,
    targetUnits: c.targetUnits,
    channelMask: idMask(network.channels.length, c.channels, network.channelIndex, "all"),
    zoneMask: idMask(network.zones.length, c.zones, network.zoneIndex, "all"),
    skuMask: idMask(network.skuCount, c.skus, network.skuIndex, "all"),
    presale: c.presale
      ? {
          balanceStart: toMinutes(c.presale.balanceStart),
          balanceEnd: toMinutes(c.presale.balanceEnd),
          payFirstTwoHoursShare: c.presale.payFirstTwoHoursShare,
          neverPayShare: c.presale.neverPayShare,
        }
      : null,
  };
}
