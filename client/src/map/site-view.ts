// One site on a pane: its glyph, saturation ring and stock gauge (`view`, at the site), and its label
// block — name over queue line, with a leader line when labels.ts moved it away (`tag`, in the labels
// layer above every glyph). It draws what portrayal.ts says and goes where labels.ts puts it.
import { Container, Graphics, Text } from "pixi.js";
import type { SiteOnMap } from "../layout.ts";
import { FULL_NAME_ZOOM, type Box, type LabelPlacement } from "../labels.ts";
import { COLORS, type SiteLook } from "../portrayal.ts";

/** Label text sizes: larger on a wide screen (a projector seen from the back of a room). */
export function labelStyles(wide: boolean) {
  const base = {
    fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
    fontSize: wide ? 15 : 12,
    fill: COLORS.label,
    stroke: { color: COLORS.background, width: 3 },
  };
  return { label: base, badge: { ...base, fontSize: wide ? 13 : 11, fill: 0xffb4a8 }, place: { ...base, fontSize: wide ? 15 : 12, fill: COLORS.placeName, fontStyle: "italic" as const } };
}
/** Zoom from which every queue figure shows (saturated and selected sites' always do). */
export const BADGE_ZOOM = 1.8;

export class SiteView {
  readonly view = new Container();
  /** The label block, placed in screen space by the pane. */
  readonly tag = new Container();
  private readonly ring = new Graphics();
  private readonly glyph = new Graphics();
  private readonly gauge = new Graphics();
  private readonly leader = new Graphics();
  private readonly label: Text;
  private readonly badge: Text;
  private key = "";
  /** Half-extent of ring and gauge round the site, px (the label keeps clear of it). */
  private reach = 10;
  private gaugeRight = 10;

  constructor(
    readonly site: SiteOnMap,
    private readonly shortName: string,
    styles: ReturnType<typeof labelStyles>,
  ) {
    this.label = new Text({ text: shortName, style: styles.label });
    this.badge = new Text({ text: "", style: styles.badge });
    this.view.addChild(this.ring, this.glyph, this.gauge);
    this.tag.addChild(this.leader, this.label, this.badge);
  }

  /** Take the label sizes for the screen now (the window crossed the wide-screen width). */
  setStyles(styles: ReturnType<typeof labelStyles>): void {
    this.label.style = styles.label;
    this.badge.style = styles.badge;
  }

  /** Redraw when the look changed; returns true when the label block's text or size changed. */
  restyle(look: SiteLook, selected: boolean, zoom: number): boolean {
    const before = `${this.label.text}|${this.badge.visible ? this.badge.text : ""}`;
    this.label.text = selected || zoom >= FULL_NAME_ZOOM ? this.site.name : this.shortName;
    this.badge.text = look.badge ?? "";
    // Queue numbers where they matter (saturated), on request (selected) or with room (zoomed in).
    this.badge.visible = look.badge !== null && (look.saturated || selected || zoom >= BADGE_ZOOM);
    const after = `${this.label.text}|${this.badge.visible ? this.badge.text : ""}`;
    const key = JSON.stringify([look, selected]);
    if (key === this.key) return before !== after;
    this.key = key;
    const s = look.size;
    const g = this.glyph.clear();
    switch (look.glyph) {
      case "square":
        g.rect(-s, -s, 2 * s, 2 * s);
        break;
      case "diamond":
        g.poly([0, -s * 1.25, s * 1.25, 0, 0, s * 1.25, -s * 1.25, 0]);
        break;
      case "triangle":
        g.poly([0, -s * 1.2, s * 1.15, s * 0.8, -s * 1.15, s * 0.8]);
        break;
      case "circle":
        g.circle(0, 0, s);
        break;
    }
    g.fill(look.fill).stroke({ width: look.stroke === COLORS.stockOut ? 2.5 : 1.5, color: look.stroke });

    const r = this.ring.clear();
    const ringR = s + 6;
    if (look.saturation !== null) {
      r.circle(0, 0, ringR).stroke({ width: 3, color: COLORS.gaugeBack, alpha: 0.9 });
      if (look.saturation > 0.005) {
        const a0 = -Math.PI / 2;
        const a1 = a0 + 2 * Math.PI * look.saturation;
        r.moveTo(Math.cos(a0) * ringR, Math.sin(a0) * ringR)
          .arc(0, 0, ringR, a0, a1)
          .stroke({ width: 3, color: look.saturated ? COLORS.saturationHigh : COLORS.saturationOk });
      }
    }
    if (selected) r.circle(0, 0, ringR + 5).stroke({ width: 2, color: COLORS.selection });
    this.reach = ringR + (selected ? 6 : 2);

    const gg = this.gauge.clear();
    this.gaugeRight = this.reach;
    if (look.gauge) {
      const h = 2 * s + 8;
      const w = 5;
      const x = ringR + 4;
      const y = -h / 2;
      gg.rect(x, y, w, h).fill(COLORS.gaugeBack);
      const filled = h * look.gauge.level;
      if (filled > 0.5) gg.rect(x, y + h - filled, w, filled).fill(look.gauge.color);
      const safetyY = y + h - h * look.gauge.safety;
      gg.moveTo(x - 2, safetyY).lineTo(x + w + 2, safetyY).stroke({ width: 1.5, color: 0xffffff, alpha: 0.9 });
      this.gaugeRight = Math.max(this.reach, x + w + 3);
    }
    return true;
  }

  /** The glyph, ring and gauge's screen box (labels stand clear of it). */
  clearBox(): Box {
    const { x, y } = this.view.position;
    return { x: x - this.reach, y: y - this.reach, w: this.reach + this.gaugeRight, h: 2 * this.reach };
  }

  /** The label block's size, px. */
  tagSize(): { w: number; h: number } {
    const badge = this.badge.visible && this.badge.text !== "";
    return { w: Math.ceil(Math.max(this.label.width, badge ? this.badge.width : 0)), h: Math.ceil(this.label.height + (badge ? this.badge.height - 2 : 0)) };
  }

  /** Put the label block where labels.ts says (screen px). */
  placeTag(p: LabelPlacement): void {
    this.tag.visible = p.shown && this.view.visible;
    this.tag.position.set(p.x, p.y);
    const { w } = this.tagSize();
    // Name and queue line left-aligned when the block sits right of the glyph, right-aligned on its left.
    const leftOfSite = p.x + w / 2 < this.view.position.x;
    this.label.x = leftOfSite ? w - this.label.width : 0;
    this.label.y = 0;
    this.badge.x = leftOfSite ? w - this.badge.width : 0;
    this.badge.y = this.label.height - 2;
    const l = this.leader.clear();
    if (p.leader) {
      const sx = this.view.position.x - p.x;
      const sy = this.view.position.y - p.y;
      const tx = Math.min(Math.max(sx, 0), w);
      const ty = Math.min(Math.max(sy, 0), this.label.height);
      const d = Math.hypot(tx - sx, ty - sy) || 1;
      l.moveTo(sx + ((tx - sx) / d) * this.reach, sy + ((ty - sy) / d) * this.reach)
        .lineTo(tx, ty)
        .stroke({ width: 1, color: COLORS.label, alpha: 0.6 });
    }
  }

  /** The label block's box as drawn (for tests), or null when hidden. */
  tagBox(): Box | null {
    if (!this.tag.visible) return null;
    const { w, h } = this.tagSize();
    return { x: this.tag.x, y: this.tag.y, w, h };
  }

  get labelText(): string {
    return this.label.text;
  }
}
