// A scenario's campaign as a run sees it (ActiveCampaign): local times as sim minutes, id lists as masks
// over the network's indices. Built once per run; campaign-change interventions then edit it in place.
import { idMask } from "../network/id-mask.ts";
import type { Network } from "../network/network.ts";
import { priceElasticityOf, priceResponse } from "../scenario/price.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { ActiveCampaign } from "./rates.ts";

/**
 * A campaign's price response averaged over its SKUs by the scenario's SKU mix: the factor its orders as a
 * whole rise by from the discount alone (for tools that see orders, not SKUs, such as calibration).
 */
export function campaignPriceFactor(scenario: Scenario, c: Scenario["campaigns"][number]): number {
  let weight = 0;
  let sum = 0;
  for (const sku of scenario.skus) {
    if (!c.skus.includes(sku.id)) continue;
    const w = scenario.demand.skuMix[sku.id] ?? 0;
    weight += w;
    sum += w * priceResponse(c.discount, priceElasticityOf(sku));
  }
  return weight > 0 ? sum / weight : 1;
}

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
    push: 1,
    burstMultiplier: c.burst?.multiplier ?? 1,
    burstHalfLifeMinutes: c.burst?.halfLifeMinutes ?? 1,
    discount: c.discount,
    targetUnits: c.targetUnits,
    priceFactor: Float64Array.from(network.skus, (sku) => priceResponse(c.discount, priceElasticityOf(sku))),
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
