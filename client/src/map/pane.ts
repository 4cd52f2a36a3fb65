// One map pane (one sim of the session): demand heat, trunk lanes, FDC delivery radii, site glyphs
// with their stock gauge and saturation ring, a scale bar — and the moving trips. Everything is drawn
// in screen space from the shared camera, so glyphs and dots keep their size at any zoom. It draws
// what portrayal.ts says; it never decides a colour itself.
//
// Two stacked canvases per pane, both for frame rate under software WebGL (bench/render.ts): the base
// (everything but the trips) is redrawn only when it changed, at most ~10 times a second, and the
// trips' canvas on top every frame holds nothing but particles. A canvas per pane also clips it for
// free, where a mask would cost a full-pane stencil fill every frame.
import { Application, Container, Graphics, Sprite, Text, type Texture } from "pixi.js";
import type { MapLayout, SiteOnMap } from "../layout.ts";
import { COLORS, decay, heatAlpha, type SiteLook } from "../portrayal.ts";
import type { Camera } from "../projection.ts";
import { MotionLayer } from "./motion-layer.ts";

const LABEL_STYLE = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  fontSize: 11,
  fill: COLORS.label,
  stroke: { color: COLORS.background, width: 3 },
};
const BADGE_STYLE = { ...LABEL_STYLE, fontSize: 10, fill: 0xffb4a8 };
/** Zoom from which every site is labelled (RDCs and factories always are). */
const LABEL_ZOOM = 1.8;
/** Half-life of a zone's order pulse, wall ms. */
const HEAT_HALF_LIFE_MS = 1500;

class SiteView {
  readonly view = new Container();
  private readonly ring = new Graphics();
  private readonly glyph = new Graphics();
  private readonly gauge = new Graphics();
  private readonly label: Text;
  private readonly badge: Text;
  private key = "";
  selected = false;

  constructor(readonly site: SiteOnMap) {
    this.label = new Text({ text: site.name, style: LABEL_STYLE });
    this.badge = new Text({ text: "", style: BADGE_STYLE });
    this.label.anchor.set(0, 0.5);
    this.badge.anchor.set(0.5, 0);
    this.view.addChild(this.ring, this.glyph, this.gauge, this.label, this.badge);
  }

  /** Redraw when the look changed (most frames it has not). */
  restyle(look: SiteLook, selected: boolean, zoom: number): void {
    const alwaysLabelled = this.site.type === "rdc" || this.site.type === "factory";
    this.label.visible = alwaysLabelled || selected || zoom >= LABEL_ZOOM;
    const key = JSON.stringify([look, selected]);
    if (key === this.key) return;
    this.key = key;
    this.selected = selected;
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

    const gg = this.gauge.clear();
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
    }
    // Name to the right of the gauge, queue badge below: neighbours' badges and names rarely meet.
    this.label.x = ringR + 13;
    this.label.y = 0;
    this.badge.text = look.badge ?? "";
    // Queue numbers only where they matter (saturated), on request (selected) or with room (zoomed in).
    this.badge.visible = look.badge !== null && (look.saturated || selected || zoom >= LABEL_ZOOM);
    this.badge.y = ringR + 2;
  }
}

/** Renderer options every pane canvas (and the benchmark's baseline) uses. */
export function rendererOptions(antialias: boolean) {
  return {
    preference: "webgl" as const,
    background: COLORS.land,
    antialias,
    autoDensity: true,
    resolution: Math.min(2, window.devicePixelRatio || 1),
    // One requestAnimationFrame loop for every pane and the page's own per-frame work.
    sharedTicker: true,
  };
}

/** The base canvas is redrawn at most this often for heat and restyles (ms); camera moves redraw at once. */
const BASE_REDRAW_MS = 100;

export class Pane {
  readonly view = new Container();
  readonly motion: MotionLayer;
  private readonly heat = new Container();
  private readonly heatSprites: Sprite[];
  private readonly lanes = new Graphics();
  private readonly radii = new Graphics();
  private readonly sitesLayer = new Container();
  private readonly siteViews: SiteView[];
  private readonly scaleBar = new Graphics();
  private readonly scaleText = new Text({ text: "", style: { ...LABEL_STYLE, fontSize: 10 } });
  /** Recent orders per zone (decays), and what a busy zone sees lately. */
  private readonly recent: Float64Array;
  private typical = 1;
  /** The base needs redrawing: soon (restyle, heat) or now (camera). */
  private baseDirty = true;
  private baseUrgent = true;
  private baseDrawnAt = -Infinity;
  width = 1;
  height = 1;

  private constructor(
    /** Everything but the trips, rendered on demand. */
    private readonly base: Application,
    /** The trips, rendered every frame on the shared ticker. */
    private readonly top: Application,
    private readonly layout: MapLayout,
    textures: { dot: Texture; glow: Texture },
  ) {
    this.motion = new MotionLayer(textures.dot);
    this.heatSprites = layout.zones.map(() => {
      const sprite = new Sprite(textures.glow);
      sprite.anchor.set(0.5);
      sprite.tint = COLORS.heat;
      this.heat.addChild(sprite);
      return sprite;
    });
    this.recent = new Float64Array(layout.zones.length);
    this.siteViews = layout.sites.map((site) => {
      const v = new SiteView(site);
      this.sitesLayer.addChild(v.view);
      return v;
    });
    this.view.addChild(this.heat, this.lanes, this.radii, this.sitesLayer, this.scaleBar, this.scaleText);
    base.stage.addChild(this.view);
    top.stage.addChild(this.motion.view);
  }

  /** A pane with its canvases (not yet in the page). */
  static async create(layout: MapLayout, textures: { dot: Texture; glow: Texture }, antialias: boolean, width: number, height: number): Promise<Pane> {
    const base = new Application();
    await base.init({ ...rendererOptions(antialias), sharedTicker: false, autoStart: false, width, height });
    const top = new Application();
    // Transparent black: a coloured clear at alpha 0 is not premultiplied and would brighten the base.
    await top.init({ ...rendererOptions(antialias), background: 0x000000, backgroundAlpha: 0, width, height });
    return new Pane(base, top, layout, textures);
  }

  /** The pane's canvases, bottom first. */
  get canvases(): HTMLCanvasElement[] {
    return [this.base.canvas, this.top.canvas];
  }

  /** Sites drawn in this pane (for tests: the scenario's site count). */
  get sitesDrawn(): number {
    return this.siteViews.filter((v) => v.view.visible && v.view.parent === this.sitesLayer).length;
  }
  get zonesDrawn(): number {
    return this.heatSprites.length;
  }
  get lanesDrawn(): number {
    return this.layout.lanes.length;
  }

  /** Size the pane's canvas to w × h CSS pixels. */
  resize(w: number, h: number): void {
    this.width = w;
    this.height = h;
    this.base.renderer.resize(w, h);
    this.top.renderer.resize(w, h);
    this.baseDirty = this.baseUrgent = true;
  }

  destroy(): void {
    this.base.destroy({ removeView: true }, { children: true });
    this.top.destroy({ removeView: true }, { children: true });
  }

  /** Re-place everything for a camera change (pan, zoom, resize) or new lanes. */
  place(camera: Camera): void {
    const scale = camera.scale;
    this.layout.zones.forEach((z, i) => {
      const s = this.heatSprites[i];
      s.position.set(camera.toScreenX(z.p.x), camera.toScreenY(z.p.y));
      s.width = s.height = 2 * z.radiusKm * 1.6 * scale;
    });
    const lanes = this.lanes.clear();
    for (const lane of this.layout.lanes) {
      const a = this.layout.sites[lane.from].p;
      const b = this.layout.sites[lane.to].p;
      lanes.moveTo(camera.toScreenX(a.x), camera.toScreenY(a.y)).lineTo(camera.toScreenX(b.x), camera.toScreenY(b.y));
    }
    if (this.layout.lanes.length) lanes.stroke({ width: 1.5, color: COLORS.lane, alpha: 0.7 });
    const radii = this.radii.clear();
    for (const site of this.layout.sites)
      if (site.radiusKm !== null) radii.circle(camera.toScreenX(site.p.x), camera.toScreenY(site.p.y), site.radiusKm * scale).fill({ color: COLORS.radius, alpha: 0.06 }).stroke({ width: 1, color: COLORS.radius, alpha: 0.45 });
    for (const v of this.siteViews) v.view.position.set(camera.toScreenX(v.site.p.x), camera.toScreenY(v.site.p.y));
    this.drawScaleBar(scale);
    this.baseDirty = this.baseUrgent = true;
  }

  restyle(looks: readonly SiteLook[], selected: number, zoom: number): void {
    this.siteViews.forEach((v, i) => v.restyle(looks[i], i === selected, zoom));
    this.baseDirty = true;
  }

  /** Orders arrived in a zone: the heat there flares. */
  pulse(zone: number, orders: number): void {
    if (zone >= 0 && zone < this.recent.length) this.recent[zone] += orders;
  }

  /** Per animation frame: move trips to sim minute t, let the heat decay over `elapsedMs`. */
  animate(t: number, camera: Camera, elapsedMs: number): number {
    const k = decay(elapsedMs, HEAT_HALF_LIFE_MS);
    let busiest = 0;
    for (let i = 0; i < this.recent.length; i++) {
      this.recent[i] *= k;
      if (this.recent[i] > busiest) busiest = this.recent[i];
    }
    // What counts as busy drifts towards the busiest zone lately, so the pulse stays visible at any order rate.
    this.typical = Math.max(1, this.typical * decay(elapsedMs, 20_000), busiest);
    this.layout.zones.forEach((z, i) => {
      const alpha = Math.round(heatAlpha(z.weightShare, this.recent[i], this.typical) * 50) / 50;
      if (alpha !== this.heatSprites[i].alpha) {
        this.heatSprites[i].alpha = alpha;
        this.baseDirty = true;
      }
    });
    const now = performance.now();
    if (this.baseDirty && (this.baseUrgent || now - this.baseDrawnAt >= BASE_REDRAW_MS)) {
      this.base.render();
      this.baseDirty = this.baseUrgent = false;
      this.baseDrawnAt = now;
    }
    return this.motion.step(t, camera);
  }

  clearHeat(): void {
    this.recent.fill(0);
    this.baseDirty = true;
  }

  private drawScaleBar(pxPerKm: number): void {
    const steps = [0.5, 1, 2, 5, 10, 20, 50, 100, 200];
    const km = steps.find((k) => k * pxPerKm >= 70) ?? steps[steps.length - 1];
    const len = km * pxPerKm;
    const x = 12;
    const y = this.height - 14;
    this.scaleBar
      .clear()
      .moveTo(x, y - 4)
      .lineTo(x, y)
      .lineTo(x + len, y)
      .lineTo(x + len, y - 4)
      .stroke({ width: 1.5, color: COLORS.label, alpha: 0.8 });
    this.scaleText.text = `${km} km`;
    this.scaleText.position.set(x + len + 6, y - 10);
  }
}
