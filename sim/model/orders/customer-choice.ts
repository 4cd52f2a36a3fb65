// Customer choices beyond arrival (issue #17): the lines of a multi-line online order (its size from the
// scenario's empirical distribution, each extra SKU by the channel's mix weighted by co-purchase), and where a
// walk-in who finds the shelf empty goes (another store within reach, an online order, or away). Lookups built
// once per run from the scenario; the uniforms come with the customer (sim/demand/arrivals.ts), so a
// customer chooses alike under every policy. What the choices do to orders lives in checkout.ts.
import type { Network } from "../../network/network.ts";
import type { Scenario } from "../../scenario/schema.ts";

/** What a walk-in who found the shelf empty does. */
export const WALK_IN_CHOICE = { leave: 0, otherStore: 1, online: 2 } as const;
export type WalkInChoice = (typeof WALK_IN_CHOICE)[keyof typeof WALK_IN_CHOICE];

/** The customer choices of one run's scenario. */
export class CustomerChoice {
  /** The scenario has switching (`customers.switching`). */
  readonly switching: boolean;
  /** The scenario has multi-line orders (`customers.baskets`). */
  readonly baskets: boolean;
  /** Share of home-delivery customers who accept a store-pickup offer (1 without switching). */
  readonly pickupAcceptanceShare: number;
  /** CNY per extra parcel of a split order. */
  readonly splitHandlingPerParcel: number;
  /** An extra line may repeat a SKU the order holds (`customers.baskets.repeatSkus`). */
  readonly repeatSkus: boolean;
  /** Most lines an order can have. */
  readonly maxLines: number;
  /** The online channel a switching walk-in orders on, or -1. */
  readonly onlineChannel: number;
  private readonly skuCount: number;
  private readonly sizeCumulative: Float64Array;
  private readonly sizeLines: Int32Array;
  /** Weight of SKU k as an extra line after lead SKU j on channel c: `[(c * skuCount + j) * skuCount + k]`. */
  private readonly extraWeight: Float64Array;
  /** Per store: the nearest other store within the walk-in's reach, or -1. */
  private readonly otherStore: Int32Array;
  /** Per store: the demand zone nearest it (where its switching walk-ins order online from). */
  private readonly storeZone: Int32Array;
  /** Per SKU: the walk-in switching shares of its category. */
  private readonly otherStoreShare: Float64Array;
  private readonly onlineShare: Float64Array;

  constructor(network: Network, scenario: Scenario) {
    const { switching, baskets } = scenario.customers ?? {};
    const n = network.skuCount;
    this.skuCount = n;
    this.switching = switching !== undefined;
    this.baskets = baskets !== undefined;
    this.pickupAcceptanceShare = switching?.pickupAcceptanceShare ?? 1;
    this.splitHandlingPerParcel = baskets?.splitHandlingPerParcel ?? 0;
    this.repeatSkus = baskets?.repeatSkus ?? false;
    const sizes = baskets?.linesPerOrder ?? [{ lines: 1, share: 1 }];
    this.sizeLines = Int32Array.from(sizes, (s) => s.lines);
    let sum = 0;
    this.sizeCumulative = Float64Array.from(sizes, (s) => (sum += s.share));
    this.maxLines = Math.max(...this.sizeLines);

    this.extraWeight = new Float64Array(network.channels.length * n * n);
    const mix = scenario.demand.skuMix;
    network.channels.forEach((channel, c) => {
      const own = channel.skuMix ?? mix;
      network.skus.forEach((lead, j) => {
        const co = baskets?.coPurchase[lead.category];
        network.skus.forEach((sku, k) => {
          if (k !== j || this.repeatSkus) this.extraWeight[(c * n + j) * n + k] = (own[sku.id] ?? 0) * (co?.[sku.category] ?? 1);
        });
      });
    });

    const walkIn = switching?.walkIn;
    const reachKm = walkIn?.otherStoreKm ?? 0;
    this.otherStore = new Int32Array(network.siteCount).fill(-1);
    this.storeZone = new Int32Array(network.siteCount).fill(-1);
    for (const s of network.stores) {
      let best = -1;
      let bestKm = Infinity;
      for (const t of network.stores) {
        const km = network.kmBetween(s, t);
        if (t !== s && km <= reachKm && km < bestKm) {
          best = t;
          bestKm = km;
        }
      }
      this.otherStore[s] = best;
      let zone = -1;
      let zoneKm = Infinity;
      network.zones.forEach((z, i) => {
        const km = network.kmFrom(z.lat, z.lon, s);
        if (km < zoneKm) {
          zone = i;
          zoneKm = km;
        }
      });
      this.storeZone[s] = zone;
    }
    this.otherStoreShare = new Float64Array(n);
    this.onlineShare = new Float64Array(n);
    network.skus.forEach((sku, k) => {
      const shares = walkIn?.byCategory[sku.category] ?? walkIn;
      this.otherStoreShare[k] = shares?.otherStoreShare ?? 0;
      this.onlineShare[k] = shares?.onlineShare ?? 0;
    });
    const named = walkIn?.onlineChannel;
    this.onlineChannel = named !== undefined ? network.channelIndex.get(named) ?? -1 : network.channels.findIndex((c) => c.kind === "online" && c.fulfilment === "delivery");
    if (this.onlineChannel < 0 && named === undefined) this.onlineChannel = network.channels.findIndex((c) => c.kind === "online");
  }

  /** What a walk-in wanting SKU `sku` at `store`, with switching draw `u`, does on an empty shelf. */
  walkInChoice(store: number, sku: number, u: number): WalkInChoice {
    const toStore = this.otherStoreShare[sku];
    if (u < toStore) return this.otherStore[store] >= 0 ? WALK_IN_CHOICE.otherStore : WALK_IN_CHOICE.leave;
    if (u < toStore + this.onlineShare[sku]) return this.onlineChannel >= 0 && this.storeZone[store] >= 0 ? WALK_IN_CHOICE.online : WALK_IN_CHOICE.leave;
    return WALK_IN_CHOICE.leave;
  }

  /** A walk-in's switching draw `u` that chose to order online, rescaled to a fresh uniform (its place within the online share). */
  onlineDraw(sku: number, u: number): number {
    return (u - this.otherStoreShare[sku]) / this.onlineShare[sku];
  }

  /** The store a walk-in at `store` tries next, or -1. */
  otherStoreOf(store: number): number {
    return this.otherStore[store];
  }

  /** The demand zone a walk-in at `store` orders online from. */
  zoneOf(store: number): number {
    return this.storeZone[store];
  }

  /** Whether an online customer with switching draw `u` declines a store-pickup offer. */
  declinesPickup(u: number): boolean {
    return this.switching && u >= this.pickupAcceptanceShare;
  }

  /**
   * The extra lines of an order whose first line is `sku` on `channel`, from the basket draws `u` (u[0]: the
   * size, u[1..]: one per extra line's SKU): writes their SKUs to `out`, returns how many. Unless the scenario
   * lets SKUs repeat, a SKU appears once in an order and an order runs short when the channel sells no more SKUs.
   */
  basketExtras(channel: number, sku: number, u: Float64Array, out: Int32Array): number {
    if (!this.baskets) return 0;
    let size = 0;
    while (size < this.sizeCumulative.length - 1 && u[0] >= this.sizeCumulative[size]) size++;
    const lines = this.sizeLines[size];
    const n = this.skuCount;
    const row = (channel * n + sku) * n;
    let count = 0;
    for (let line = 1; line < lines; line++) {
      let total = 0;
      for (let k = 0; k < n; k++) if (!this.taken(out, count, k)) total += this.extraWeight[row + k];
      if (total <= 0) break;
      let target = u[line] * total;
      let pick = -1;
      for (let k = 0; k < n; k++) {
        if (this.taken(out, count, k)) continue;
        const w = this.extraWeight[row + k];
        if (w <= 0) continue;
        pick = k;
        if ((target -= w) < 0) break;
      }
      out[count++] = pick;
    }
    return count;
  }

  private taken(out: Int32Array, count: number, k: number): boolean {
    if (this.repeatSkus) return false;
    for (let i = 0; i < count; i++) if (out[i] === k) return true;
    return false;
  }
}
