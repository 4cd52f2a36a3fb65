// Where labels go: every site's name (with its queue line under it) is placed beside its glyph where it
// hits no other label and no other glyph, trying positions round the glyph and then further out with a
// leader line; a selected site's label is kept inside the pane. Place names of the basemap come after
// and are dropped when they would collide. And what a label says at a zoom: a short name ("Tianhe FDC")
// while the network is small on screen, the scenario's full name when zoomed in. Pure: boxes in, boxes out.
import type { SiteType } from "./portrayal.ts";

/** Screen box, CSS pixels: top-left and size. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  /** Anchor: the site's (or place's) screen position. */
  x: number;
  y: number;
  /** The glyph's own box around the anchor (labels stand clear of it). */
  clear: Box;
  /** The label block's size. */
  w: number;
  h: number;
  /** Always shown (a site); otherwise dropped when there is no free spot (a place name). */
  required: boolean;
  /** Keep the whole label inside the view (the selected site). */
  keepInside: boolean;
}

export interface LabelPlacement {
  shown: boolean;
  /** Top-left of the label block. */
  x: number;
  y: number;
  /** Drawn away from its glyph: a leader line joins them. */
  leader: boolean;
}

/** Zoom from which sites carry their full names. */
export const FULL_NAME_ZOOM = 2.5;
const GAP = 3;
/** Extra distance of each further ring of candidate spots, px. */
const RINGS = [0, 12, 28, 48, 72];

export function boxesIntersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Candidate top-left corners round a glyph box, nearest first: right, left, below, above, then the corners. */
function candidates(r: LabelRequest): { x: number; y: number; leader: boolean }[] {
  const out: { x: number; y: number; leader: boolean }[] = [];
  const c = r.clear;
  const midY = r.y - r.h / 2;
  const midX = r.x - r.w / 2;
  for (const d of RINGS) {
    const g = GAP + d;
    const leader = d > 0;
    out.push(
      { x: c.x + c.w + g, y: midY, leader },
      { x: c.x - g - r.w, y: midY, leader },
      { x: midX, y: c.y + c.h + g, leader },
      { x: midX, y: c.y - g - r.h, leader },
      { x: c.x + c.w + g, y: c.y - g - r.h + 4, leader },
      { x: c.x + c.w + g, y: c.y + c.h + g - 4, leader },
      { x: c.x - g - r.w, y: c.y - g - r.h + 4, leader },
      { x: c.x - g - r.w, y: c.y + c.h + g - 4, leader },
    );
  }
  return out;
}

/** The part of the view labels may use: all of it less what the page lays over its top and bottom. */
export interface LabelView {
  width: number;
  height: number;
  top?: number;
  bottom?: number;
}

function inside(b: Box, v: LabelView): boolean {
  return b.x >= 0 && b.y >= (v.top ?? 0) && b.x + b.w <= v.width && b.y + b.h <= v.height - (v.bottom ?? 0);
}

/**
 * Place labels in order (earlier requests win): the first candidate spot that meets no placed label
 * and no glyph. A required label with no free spot takes the spot of least overlap; a `keepInside`
 * label is clamped into the view if no spot inside is free.
 */
export function placeLabels(requests: readonly LabelRequest[], view: LabelView): LabelPlacement[] {
  const top = view.top ?? 0;
  const bottom = view.height - (view.bottom ?? 0);
  const placed: Box[] = [];
  const glyphs = requests.map((r) => r.clear);
  return requests.map((r, index) => {
    let best: { x: number; y: number; leader: boolean } | null = null;
    let bestCost = Infinity;
    for (const c of candidates(r)) {
      const box = { x: c.x, y: c.y, w: r.w, h: r.h };
      const inView = inside(box, view);
      if (r.keepInside && !inView) continue;
      let cost = 0;
      for (const p of placed) cost += overlapArea(box, p) * 4;
      glyphs.forEach((g, i) => {
        if (i !== index) cost += overlapArea(box, g);
      });
      if (!inView) cost += 0.5; // off the pane is a last resort, not a collision
      if (cost === 0) {
        best = c;
        bestCost = 0;
        break;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    if (best === null || (bestCost >= 1 && !r.required)) {
      if (!r.required) return { shown: false, x: 0, y: 0, leader: false };
      // Required and nothing fits inside the view: beside the glyph, clamped into the view.
      const c = best ?? candidates(r)[0];
      best = { x: Math.max(0, Math.min(c.x, view.width - r.w)), y: Math.max(top, Math.min(c.y, bottom - r.h)), leader: true };
    }
    const chosen = best as { x: number; y: number; leader: boolean };
    placed.push({ x: chosen.x, y: chosen.y, w: r.w, h: r.h });
    return { shown: true, x: chosen.x, y: chosen.y, leader: chosen.leader };
  });
}

const TIER_TAG: Record<SiteType, string> = { rdc: "RDC", fdc: "FDC", store: "store", factory: "factory" };
const TYPE_WORDS = /\b(regional|forward|warehouse|store|shop|factory|supplier|plant|depot|centre|center)\b/gi;

/**
 * Short names for the sites of one network: the scenario's name less the city that several sites share
 * and the words that say the tier, then the tier's tag — "Guangzhou Tianhe forward warehouse" →
 * "Tianhe FDC", "Shunde appliance factory" → "Shunde factory", "Dongguan general supplier" → "Dongguan
 * supplier". Falls back to the full name when nothing is left.
 */
export function shortSiteNames(sites: readonly { name: string; type: SiteType }[]): string[] {
  const firstWords = new Map<string, number>();
  for (const s of sites) {
    const w = s.name.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    firstWords.set(w, (firstWords.get(w) ?? 0) + 1);
  }
  const short = sites.map((s) => {
    const words = s.name.trim().split(/\s+/);
    const tag = s.type === "factory" && /supplier\b/i.test(s.name) ? "supplier" : TIER_TAG[s.type];
    const shared = words.length > 2 && (firstWords.get(words[0].toLowerCase()) ?? 0) > 1;
    const rest = (shared ? words.slice(1) : words).join(" ").replace(TYPE_WORDS, " ").trim().split(/\s+/).filter(Boolean);
    if (rest.length === 0) return s.name;
    return `${rest[0]} ${tag}`;
  });
  // Two sites would read alike: those keep their full names.
  return short.map((name, i) => (short.indexOf(name) === short.lastIndexOf(name) ? name : sites[i].name));
}
