// The promotion pressure table: the scale the levers put on each campaign's push per zone × channel × SKU.
// The coordination round composes it each hour; the demand rates read it at every candidate arrival. Owned
// by neither: the run builds it first and hands it to both, so each exists before the other needs it.
import type { ActiveCampaign } from "../../demand/rates.ts";
import type { Network } from "../../network/network.ts";

/** One run's promotion pressure per (campaign, zone, channel, SKU). */
export class PromotionPressure {
  /** Pressure scale in force per (campaign, zone, channel, SKU); all 1 while both levers are off. */
  readonly scale: Float64Array;

  constructor(
    private readonly network: Network,
    campaignCount: number,
  ) {
    this.scale = new Float64Array(campaignCount * network.zones.length * network.channels.length * network.skuCount).fill(1);
  }

  /** Index of (campaign, zone, channel, SKU) in the pressure tables. */
  indexOf(campaign: number, zone: number, channel: number, sku: number): number {
    const { network } = this;
    return ((campaign * network.zones.length + zone) * network.channels.length + channel) * network.skuCount + sku;
  }

  /** The DemandRates pressure hook. */
  readonly scaleOf = (c: ActiveCampaign, zone: number, channel: number, sku: number): number => this.scale[this.indexOf(c.index, zone, channel, sku)];
}
