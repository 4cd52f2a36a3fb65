// One map pane (one sim of the session): demand heat, trunk lanes, FDC delivery radii, site glyphs
// with their stock gauge and saturation ring, a scale bar — and the moving trips. Everything is drawn
// in screen space from the shared camera, so glyphs and dots keep their size at any zoom. It draws
// what portrayal.ts says; it never decides a colour itself.
//
// Two stacked canvases per pane, both for frame rate under software WebGL (bench/render.ts): the base
// (everything but the trips) is redrawn only when it changed, at most 5 times a second, and the
// trips' canvas on top every frame holds nothing but particles. A canvas per pane also clips it for
// free, where a mask would cost a full-pane stencil fill every frame.
import { Application, Container, Graphics, Sprite, Text, type Texture } from "pixi.js";
import type { BasemapOnMap } from "../basemap.ts";
import { placeLabels, shortSiteNames, type Box, type LabelRequest } from "../labels.ts";
import type { MapLayout } from "../layout.ts";
import { COLORS, decay, heatAlpha, type SiteLook } from "../portrayal.ts";
import type { Camera } from "../projection.ts";
import { BasemapLayer } from "./basemap-layer.ts";
import { MotionLayer } from "./motion-layer.ts";
import { labelStyles, SiteView } from "./site-view.ts";

/** Half-life of a zone's order pulse, wall ms. */
const HEAT_HALF_LIFE_MS = 1500;

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

/** A window at least this wide (CSS px) is a projector or a large screen: labels are drawn larger. */
const WIDE_SCREEN_PX = 1800;
/**
 * The base canvas is redrawn at most this often for heat and restyles (ms); camera moves redraw at once.
 * The page restyles sites every 200 ms; under software WebGL every base redraw fills the pane (basemap
 * water, heat glows), so redrawing faster than the restyles only spends frames (bench/render.ts).
 */
const BASE_REDRAW_MS = 200;

export class Pane {
  readonly view = new Container();
  readonly motion: MotionLayer;
  private readonly heat = new Container();
  private readonly heatSprites: Sprite[];
  private readonly lanes = new Graphics();
  private readonly radii = new Graphics();
  private readonly sitesLayer = new Container();
  private readonly labelsLayer = new Container();
  private readonly siteViews: SiteView[];
  private readonly basemap: BasemapLayer;
  private readonly scaleBar = new Graphics();
  private readonly scaleText: Text;
  /** Label sizes: larger once the window is as wide as a projector's (WIDE_SCREEN_PX). */
  private wide = window.innerWidth >= WIDE_SCREEN_PX;
  private styles = labelStyles(this.wide);
  private camera: Camera | null = null;
  private selected = -1;
  private placeBoxes: Box[] = [];
  /** Recent orders per zone (decays), and what a busy zone sees lately. */
  private readonly recent: Float64Array;
  private typical = 1;
  /** The base needs redrawing: soon (restyle, heat) or now (camera). */
  private baseDirty = true;
  private baseUrgent = true;
  private baseDrawnAt = -Infinity;
  width = 1;
  height = 1;
  /** Pixels at the pane's top and bottom the page covers (pane header, legend): labels kept inside stay off them. */
  insets = { top: 0, bottom: 0 };

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
    const short = shortSiteNames(layout.sites);
    this.siteViews = layout.sites.map((site, i) => {
      const v = new SiteView(site, short[i], this.styles);
      this.sitesLayer.addChild(v.view);
      this.labelsLayer.addChild(v.tag);
      return v;
    });
    this.basemap = new BasemapLayer(this.styles);
    this.scaleText = new Text({ text: "", style: { ...this.styles.label, fontSize: this.styles.badge.fontSize } });
    this.view.addChild(this.basemap.view, this.heat, this.lanes, this.radii, this.basemap.names, this.sitesLayer, this.scaleBar, this.scaleText);
    base.stage.addChild(this.view);
    // Site labels ride on the trips' canvas, above the dots, so a flood of parcels never hides a name.
    top.stage.addChild(this.motion.view, this.labelsLayer);
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

  /** Label boxes as drawn, pane pixels (for tests): each site's by site index (null when hidden), then the place names'. */
  get labels(): { sites: (Box | null)[]; siteTexts: string[]; places: Box[]; placeNames: string[] } {
    return { sites: this.siteViews.map((v) => v.tagBox()), siteTexts: this.siteViews.map((v) => (v.tag.visible ? v.labelText : "")), places: this.placeBoxes.slice(), placeNames: this.basemap.shownNames() };
  }

  /** Is a basemap drawn under the network? */
  get basemapDrawn(): boolean {
    return this.basemap.drawn;
  }

  /** Draw this basemap under the network (null: the bare land colour). */
  setBasemap(map: BasemapOnMap | null): void {
    this.basemap.set(map);
    if (this.camera) this.place(this.camera);
  }

  /** Size the pane's canvas to w × h CSS pixels. */
  resize(w: number, h: number): void {
    this.width = w;
    this.height = h;
    this.base.renderer.resize(w, h);
    this.top.renderer.resize(w, h);
    this.baseDirty = this.baseUrgent = true;
    // A window dragged to the projector (or back) changes label sizes; the re-placement that follows a resize measures them anew.
    const wide = window.innerWidth >= WIDE_SCREEN_PX;
    if (wide !== this.wide) {
      this.wide = wide;
      this.styles = labelStyles(wide);
      for (const v of this.siteViews) v.setStyles(this.styles);
      this.basemap.setStyles(this.styles);
      this.scaleText.style = { ...this.styles.label, fontSize: this.styles.badge.fontSize };
    }
  }

  destroy(): void {
    this.base.destroy({ removeView: true }, { children: true });
    this.top.destroy({ removeView: true }, { children: true });
  }

  /** Re-place everything for a camera change (pan, zoom, resize) or new lanes. */
  place(camera: Camera): void {
    this.camera = camera;
    const scale = camera.scale;
    this.basemap.place(camera, this.width, this.height);
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
    this.placeLabels();
    this.baseDirty = this.baseUrgent = true;
  }

  restyle(looks: readonly SiteLook[], selected: number, zoom: number): void {
    let relabel = selected !== this.selected;
    this.selected = selected;
    this.siteViews.forEach((v, i) => {
      if (v.restyle(looks[i], i === selected, zoom)) relabel = true;
    });
    if (relabel) this.placeLabels();
    this.baseDirty = true;
  }

  /**
   * Every site's label where it meets no other label or glyph — the selected site first and kept
   * inside the pane, then RDCs and factories, FDCs, stores — then the place names that still fit.
   */
  private placeLabels(): void {
    const camera = this.camera;
    if (!camera) return;
    const tierOrder = { rdc: 0, factory: 1, fdc: 2, store: 3 } as const;
    // A site off the pane (zoomed in elsewhere) keeps no label, unless it is the selected one.
    const onPane = (i: number) => {
      const { x, y } = this.siteViews[i].view.position;
      return i === this.selected || (x >= 0 && y >= 0 && x <= this.width && y <= this.height);
    };
    for (const v of this.siteViews) if (!onPane(v.site.index)) v.placeTag({ shown: false, x: 0, y: 0, leader: false });
    const order = this.siteViews.map((_, i) => i).filter(onPane).sort((a, b) => Number(b === this.selected) - Number(a === this.selected) || tierOrder[this.siteViews[a].site.type] - tierOrder[this.siteViews[b].site.type] || a - b);
    const siteRequests: LabelRequest[] = order.map((i) => {
      const v = this.siteViews[i];
      const { x, y } = v.view.position;
      return { x, y, clear: v.clearBox(), ...v.tagSize(), required: true, keepInside: i === this.selected };
    });
    const placeRequests = this.basemap.placeRequests(camera, this.width, this.height, this.insets);
    // Glyphs of every site stay clear of place names too: they join the requests as fixed obstacles.
    const placements = placeLabels([...siteRequests, ...placeRequests], { width: this.width, height: this.height, ...this.insets });
    order.forEach((i, k) => this.siteViews[i].placeTag(placements[k]));
    this.placeBoxes = this.basemap.applyPlacements(placements.slice(order.length), camera);
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
