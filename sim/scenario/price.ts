// The price response of a campaign's discount: a constant own-price elasticity per SKU, with category
// defaults. Here (not in sim/demand/) so the workload check can bound demand with it too.
import type { Sku, SkuCategory } from "./schema.ts";

/**
 * Own-price elasticity by category when a SKU states none (the domain numbers' proposed defaults, from
 * promotion-response studies): FMCG −2.5 (meta-analysis mean −2.62; online −1.69, offline −2.04), phones and
 * electronics −2.0 and large appliances −1.5 (Chinese category figures graded C: assumptions), fresh
 * produce −1.0 (assumption: perishable, short horizon).
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
