// A scenario's campaign as a run sees it (ActiveCampaign): local times as sim minutes, id lists as masks
// over the network's indices. Built once per run; campaign-change interventions then edit it in place.
import { idMask } from "../network/id-mask.ts";
import type { Network } from "../network/network.ts";
import type { Scenario, Sku, SkuCategory } from "../scenario/schema.ts";
import type { ActiveCampaign } from "./rates.ts";

/**
 * Own-price elasticity by category when a SKU states none (docs/reference domain numbers §5, from §4.1):
 * FMCG −2.5 (meta-analysis mean −2.62, online −1.69 / offline −2.04), phones and electronics −2.0 and large
 * appliances −1.5 (Chinese category figures, grade C: assumptions), fresh produce −1.0 (assumption).
 */
export const DEFAULT_PRICE_ELASTICITY: Readonly<Record<SkuCategory, number>> = {
  "large-appliance": -1.5,
  hot: -2.0,
  standard: -2.5,
  perishable: -1.0,
};

/** A SKU's own-price elasticity: its own figure, else its category's default. */
export function priceElasticityOf(sku: Sku): number {
  return sku.priceElasticity ?? DEFAULT_PRICE_ELASTICITY[sku.category];
}

/** Demand multiplier of a discount under a constant elasticity: (1 − discount)^elasticity (1 without a discount). */
export function priceResponse(discount: number, elasticity: number): number {
  if (!(discount > 0)) return 1;
  return Math.pow(Math.max(1e-6, 1 - discount), elasticity);
}

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
