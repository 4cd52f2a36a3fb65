// How records look: site tier → glyph and colour, stock against the safety line → gauge colour,
// the model's pick load against its saturation line → saturation ring, movement kind → dot colour and size, orders in a
// zone → heat. A pure mapping from data to style (numbers and names only), so the rules are tested
// without pixi; the map layers only draw what this returns.
import type { NetworkInfo } from "../../server/protocol.ts";
import type { ParcelKind, ShipmentKind } from "../../sim/index.ts";
import type { SiteLoad, SiteStock } from "./store.ts";

export type SiteType = NetworkInfo["sites"][number]["type"];
export type Glyph = "square" | "diamond" | "circle" | "triangle";


export const COLORS = {
  background: 0x0d1522,
  /** Land and water of the basemap: apart by hue (grey-navy, blue) as much as by lightness, for projectors. */
  land: 0x1e2531,
  water: 0x10365f,
  border: 0x8a7fa8,
  placeName: 0x8d9bb0,
  grid: 0x1b2a40,
  lane: 0x41597a,
  laneBusy: 0x7fa6d8,
  label: 0xc9d4e3,
  tier: { rdc: 0x5b8def, fdc: 0x2bb3a3, store: 0xd9a441, factory: 0xb48ead } satisfies Record<SiteType, number>,
  stockOk: 0x3fb950,
  stockLow: 0xf0a030,
  stockOut: 0xf85149,
  gaugeBack: 0x273548,
  saturationOk: 0x6e7f96,
  saturationHigh: 0xf85149,
  radius: 0x2bb3a3,
  heat: 0xff7b3a,
  selection: 0xffffff,
} as const;

/** Glyph and size (px, half-width) per tier: bigger for what serves more customers. */
export const TIER_LOOK: Record<SiteType, { glyph: Glyph; size: number; label: string }> = {
  rdc: { glyph: "square", size: 11, label: "regional warehouse (RDC)" },
  factory: { glyph: "triangle", size: 10, label: "factory / supplier" },
  fdc: { glyph: "diamond", size: 8, label: "forward warehouse (FDC, 前置仓)" },
  store: { glyph: "circle", size: 6, label: "store" },
};

/** Colour of a stock level: `out` of a stocked SKU is red, below the safety line amber, else green. */
export function stockColor(stock: Pick<SiteStock, "stocked" | "out" | "belowSafety">): number {
  if (stock.stocked === 0) return COLORS.gaugeBack;
  if (stock.out > 0) return COLORS.stockOut;
  if (stock.belowSafety > 0) return COLORS.stockLow;
  return COLORS.stockOk;
}

/** What a site looks like on the map. */
export interface SiteLook {
  glyph: Glyph;
  size: number;
  fill: number;
  /** Outline: red when a stocked SKU ran out. */
  stroke: number;
  /**
   * Stock gauge, null for a site that stocks nothing (a factory without inventory): on hand and the
   * model's safety line, both as shares of the order-up-to target (summed over the stocked SKUs).
   */
  gauge: { level: number; safety: number; color: number } | null;
  /** Orders of the last day as a share of the day's pick capacity in force, 0..1 (the ring); null for a site that picks nothing. */
  saturation: number | null;
  /** Over the model's saturation line (sent by the server, never decided here). */
  saturated: boolean;
  /** Short text under the glyph when orders wait ("312 waiting"), else null. */
  badge: string | null;
}

export function siteLook(type: SiteType, stock: SiteStock, load: SiteLoad): SiteLook {
  const tier = TIER_LOOK[type];
  const queue = load.pickQueue;
  const picks = load.capacityPerDay > 0;
  // Levels in steps (5% of the gauge, 2.5% of the ring): finer is invisible, and each change redraws the glyph.
  const gauge =
    stock.stocked === 0 || stock.target <= 0
      ? null
      : {
          level: step(Math.min(1, stock.onHand / stock.target), 20),
          safety: step(Math.min(1, stock.safetyLine / stock.target), 20),
          color: stockColor(stock),
        };
  return {
    glyph: tier.glyph,
    size: tier.size,
    fill: COLORS.tier[type],
    stroke: stock.stocked > 0 && stock.out > 0 ? COLORS.stockOut : 0x0b111b,
    gauge,
    saturation: picks ? step(Math.min(1, load.load), 40) : null,
    saturated: picks && load.saturated,
    badge: queue >= 1 ? `${compactNumber(queue)} waiting` : stock.backorder >= 1 ? `${compactNumber(stock.backorder)} owed` : null,
  };
}

/** x in [0, 1] rounded to 1/steps, never rounded up to 1 from below or down to 0 from above. */
function step(x: number, steps: number): number {
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  return Math.min((steps - 1) / steps, Math.max(1 / steps, Math.round(x * steps) / steps));
}

export type MotionKind = ShipmentKind | ParcelKind;
export const MOTION_KINDS: readonly MotionKind[] = ["trunk", "van", "factory", "express", "rider"];

/** Dot colour, diameter (px) and legend text per movement kind. */
export const MOTION_LOOK: Record<MotionKind, { color: number; size: number; label: string }> = {
  trunk: { color: 0x9ecbff, size: 7, label: "trunk truck RDC → FDC/store" },
  factory: { color: 0xc792ea, size: 7, label: "factory batch → RDC" },
  van: { color: 0xff9e64, size: 6, label: "ad-hoc transfer van" },
  express: { color: 0xffd866, size: 3, label: "express parcel" },
  rider: { color: 0x7ee787, size: 3, label: "instant delivery rider" },
};

/** Parcels one dot stands for, so a flood of orders stays within the particle budget. */
export function parcelsPerDot(parcels: number, budgetLeft: number, maxDotsPerFlow = 24): number {
  if (parcels <= 0) return 1;
  const dots = Math.max(1, Math.min(maxDotsPerFlow, budgetLeft > 0 ? budgetLeft : 1, parcels));
  return Math.ceil(parcels / dots);
}

/**
 * Heat of a demand zone: a base glow from its weight plus a pulse from recent orders. `recent` is
 * orders in the zone lately (decayed), `typical` what a busy zone sees; alpha stays readable.
 */
export function heatAlpha(weightShare: number, recent: number, typical: number): number {
  const base = 0.08 + 0.17 * Math.max(0, Math.min(1, weightShare));
  const pulse = typical > 0 ? Math.min(1, recent / typical) : 0;
  return Math.min(0.85, base + 0.55 * pulse);
}

/** Exponential decay factor over `elapsedMs` with a half-life. */
export function decay(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.pow(0.5, elapsedMs / halfLifeMs);
}

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function compactNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(x));
}

/** "#rrggbb" for a colour number (for DOM and canvas). */
export function cssColor(c: number): string {
  return `#${c.toString(16).padStart(6, "0")}`;
}
