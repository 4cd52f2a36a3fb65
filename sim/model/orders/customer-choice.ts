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

/**
 * Weight of SKU k as an extra line after lead SKU j on channel c, `[(c * skuCount + j) * skuCount + k]`: the
 * channel's SKU mix × the co-purchase weight of k's category after j's; 0 for k = j unless SKUs may repeat.
 */
function extraLineWeights(network: Network, scenario: Scenario): Float64Array {
  const baskets = scenario.customers?.baskets;
  const repeat = baskets?.repeatSkus ?? false;
  const n = network.skuCount;
  const weights = new Float64Array(network.channels.length * n * n);
  const mix = scenario.demand.skuMix;
  network.channels.forEach((channel, c) => {
    const own = channel.skuMix ?? mix;
    network.skus.forEach((lead, j) => {
      const co = baskets?.coPurchase[lead.category];
      network.skus.forEach((sku, k) => {
        if (k !== j || repeat) weights[(c * n + j) * n + k] = (own[sku.id] ?? 0) * (co?.[sku.category] ?? 1);
      });
    });
  });
  return weights;
}

/** Up to this many SKUs, lines drawn without repeats are followed exactly (every set of SKUs taken). */
const EXACT_LINES_MAX_SKUS = 12;

/**
 * Expected order lines of each SKU per customer order, by channel and first-line SKU:
 * `[(c * skuCount + j) * skuCount + k]` = the first line (1 when k = j) plus the expected extra lines of SKU k,
 * as basketExtras draws them — the size from the basket distribution, each extra SKU by weight among those
 * not yet taken (or all of them, when SKUs may repeat), an order running short when none is left. Null
 * without baskets: every order is its first line. What turns planned customer orders into planned lines.
 */
export function basketLineMatrix(network: Network, scenario: Scenario): Float64Array | null {
  const baskets = scenario.customers?.baskets;
  if (!baskets) return null;
  const n = network.skuCount;
  const weights = extraLineWeights(network, scenario);
  const sizes = baskets.linesPerOrder;
  const maxExtra = Math.max(...sizes.map((x) => x.lines)) - 1;
  // P(an order has more than e extra lines' worth of size), e = 0..maxExtra − 1.
  const goesOn = new Float64Array(maxExtra);
  for (let e = 0; e < maxExtra; e++) for (const x of sizes) if (x.lines - 1 > e) goesOn[e] += x.share;
  // Expected extra lines of an order's size (what each gets when lines are drawn independently).
  let extras = 0;
  for (let e = 0; e < maxExtra; e++) extras += goesOn[e];
  const out = new Float64Array(network.channels.length * n * n);
  for (let c = 0; c < network.channels.length; c++) {
    for (let j = 0; j < n; j++) {
      const row = (c * n + j) * n;
      const w = weights.subarray(row, row + n);
      const m = out.subarray(row, row + n);
      m[j] = 1;
      if (baskets.repeatSkus || n > EXACT_LINES_MAX_SKUS) {
        // Each extra line independent of the others (exact with repeats; without, an approximation for
        // catalogues too large to follow every set of SKUs taken).
        let total = 0;
        for (let k = 0; k < n; k++) total += w[k];
        if (total <= 0) continue;
        for (let k = 0; k < n; k++) m[k] += (extras * w[k]) / total;
        continue;
      }
      // Without repeats: the probability of each set of SKUs already taken, line by line.
      let states = new Map<number, number>([[0, 1]]);
      for (let e = 0; e < maxExtra; e++) {
        const stay = e === 0 ? goesOn[0] : goesOn[e] / goesOn[e - 1];
        if (!(stay > 0)) break;
        const next = new Map<number, number>();
        for (const [taken, p] of states) {
          let total = 0;
          for (let k = 0; k < n; k++) if (!(taken & (1 << k))) total += w[k];
          if (total <= 0) continue;
          for (let k = 0; k < n; k++) {
            if (taken & (1 << k) || w[k] <= 0) continue;
            const q = (p * stay * w[k]) / total;
            m[k] += q;
            next.set(taken | (1 << k), (next.get(taken | (1 << k)) ?? 0) + q);
          }
        }
        states = next;
      }
    }
  }
  return out;
}

/** Mean lines per customer order of the scenario's basket distribution (1 without baskets): what planners know of an order's size. */
export function meanLinesPerOrder(scenario: Scenario): number {
  const sizes = scenario.customers?.baskets?.linesPerOrder;
  return sizes ? sizes.reduce((a, x) => a + x.lines * x.share, 0) : 1;
}

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

    this.extraWeight = extraLineWeights(network, scenario);

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
