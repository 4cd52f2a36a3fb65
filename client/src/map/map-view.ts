// The map: one pane per sim side by side (compare), each on its own canvases, one camera they share
// so pan and zoom move both alike, pointer input on the map element (drag to pan, wheel to zoom,
// click to pick a site or a zone, double-click to reset), and the per-frame loop on pixi's shared
// ticker. It is fed trips and looks from outside and never touches the session's state.
import "pixi.js/unsafe-eval"; // the server's content security policy forbids eval; pixi has no-eval paths
import { Ticker, type Texture } from "pixi.js";
import type { BasemapPayload, ParcelFlow, Shipment } from "../../../server/protocol.ts";
import { askForBasemap, basemapQuery, basemapRequestBox, projectBasemap, type BasemapBox, type BasemapOnMap } from "../basemap.ts";
import type { MapLayout } from "../layout.ts";
import { parcelsPerDot, type SiteLook } from "../portrayal.ts";
import { Camera, nearestWithin } from "../projection.ts";
import { Pane } from "./pane.ts";
import { dotTexture, glowTexture } from "./textures.ts";

export type Pick = { kind: "site"; index: number } | { kind: "zone"; index: number };

/** Dots at most per pane; parcel flows thin out (one dot for several parcels) beyond it. */
export const PARTICLE_BUDGET = 20_000;
const GAP_PX = 6;
const DRAG_THRESHOLD_PX = 4;

/**
 * Is WebGL here a software rasteriser (SwiftShader, llvmpipe)? There multisampling halves the frame
 * rate (bench/render.ts), so the map draws without it; on a GPU it is cheap and edges look better.
 */
export function softwareWebGl(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl2") ?? document.createElement("canvas").getContext("webgl");
    if (!gl) return true;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|software|softpipe/i.test(name);
  } catch {
    return true;
  }
}

export class MapView {
  readonly camera: Camera;
  panes: Pane[] = [];
  /** Picked site or zone, highlighted in every pane. */
  selected: Pick | null = null;
  onPick: (pick: Pick | null) => void = () => {};
  /** The loop every pane renders on; add per-frame work here. */
  readonly ticker = Ticker.shared;
  private readonly textures: { dot: Texture; glow: Texture };
  private readonly antialias = !softwareWebGl();
  private cameraVersion = -1;
  private paneCountWanted = 0;
  private building: Promise<void> = Promise.resolve();
  private readonly resizes = new ResizeObserver(() => this.relayout());
  /** Each pane's latest looks, to restyle at a new zoom (label detail) without waiting for a frame. */
  private readonly looks: (readonly SiteLook[] | undefined)[] = [];
  private basemap: BasemapOnMap | null = null;
  private insets = { top: 0, bottom: 0 };
  private insetsCheckedAt = -Infinity;
  /** none | loading | drawn | failed (the map then stays on the bare land colour). */
  basemapState = "none";
  private destroyed = false;
  /** The box the basemap was asked for, degrees. */
  basemapBox: BasemapBox | null = null;

  private constructor(
    private readonly host: HTMLElement,
    readonly layout: MapLayout,
  ) {
    this.camera = new Camera(layout.projection.box);
    this.textures = { dot: dotTexture(), glow: glowTexture() };
    this.bindInput();
    this.resizes.observe(host);
  }

  /** Create the map inside `host` with `paneCount` panes (WebGL; fails with a readable error when there is none). */
  static async create(host: HTMLElement, layout: MapLayout, paneCount: number): Promise<MapView> {
    const view = new MapView(host, layout);
    await view.setPaneCount(paneCount);
    return view;
  }

  /** One pane per sim. */
  setPaneCount(n: number): Promise<void> {
    this.paneCountWanted = n;
    this.building = this.building.then(async () => {
      if (this.paneCountWanted === this.panes.length) return;
      for (const p of this.panes) p.destroy();
      this.panes = [];
      const rects = this.paneRects(this.paneCountWanted);
      for (const r of rects) {
        const pane = await Pane.create(this.layout, this.textures, this.antialias, r.w, r.h);
        const [base, top] = pane.canvases;
        base.setAttribute("role", "img");
        base.setAttribute("aria-label", "map of the supply network");
        top.setAttribute("aria-hidden", "true");
        this.host.prepend(base, top);
        pane.setBasemap(this.basemap);
        pane.insets = this.insets;
        this.panes.push(pane);
      }
      this.relayout();
    });
    return this.building;
  }

  /** Pane rectangles in CSS pixels inside the map element (the HTML pane headers sit on them). */
  paneRects(n = this.panes.length): { x: number; y: number; w: number; h: number }[] {
    const W = Math.max(1, this.host.clientWidth);
    const H = Math.max(1, this.host.clientHeight);
    const count = Math.max(1, n);
    const w = Math.max(1, Math.floor((W - GAP_PX * (count - 1)) / count));
    return Array.from({ length: n }, (_, i) => ({ x: i * (w + GAP_PX), y: 0, w, h: H }));
  }

  relayout(): void {
    const rects = this.paneRects();
    rects.forEach((r, i) => {
      const pane = this.panes[i];
      pane.resize(r.w, r.h);
      for (const canvas of pane.canvases) {
        canvas.style.left = `${r.x}px`;
        canvas.style.top = `${r.y}px`;
      }
    });
    if (rects[0]) this.camera.resize(rects[0].w, rects[0].h);
    this.insetsCheckedAt = -Infinity;
    this.cameraVersion = -1;
  }

  /**
   * Ask the server for the basemap of the scenario's region (GET /api/basemap, cut from public geodata
   * on the server and cached there) and draw it under every pane. While the server cannot cut it yet
   * (503: its worker stopped, or no answer) it asks again after 1, 2, 4, 8 and 16 s; a refused box, or the
   * last try failing, leaves the bare land colour ("failed").
   */
  async loadBasemap(fetchJson?: (url: string) => Promise<unknown>, wait?: (ms: number) => Promise<void>): Promise<void> {
    this.basemapBox = basemapRequestBox(this.layout.projection);
    this.basemapState = "loading";
    const payload = await askForBasemap(`/api/basemap?${basemapQuery(this.basemapBox)}`, fetchJson, wait, () => this.destroyed);
    if (this.destroyed) return;
    if (payload) this.setBasemap(payload);
    else this.basemapState = "failed";
  }

  /** Draw this basemap (null: none) under every pane. */
  setBasemap(payload: BasemapPayload | null): void {
    this.basemap = payload ? projectBasemap(payload, this.layout.projection) : null;
    this.basemapState = payload ? "drawn" : "none";
    for (const p of this.panes) p.setBasemap(this.basemap);
  }

  /** Remove the map from the page. */
  destroy(): void {
    this.destroyed = true;
    this.resizes.disconnect();
    for (const p of this.panes) p.destroy();
    this.panes = [];
  }

  /** A trip between two sites (trunk, van, factory batch). */
  addShipment(pane: number, s: Shipment): void {
    const a = this.layout.sites[s.from]?.p;
    const b = this.layout.sites[s.to]?.p;
    if (!a || !b) return;
    this.panes[pane]?.motion.add(s.kind, a.x, a.y, b.x, b.y, s.departAt, s.arriveAt);
  }

  /**
   * Parcels of one frame from a site to a zone: dots leave between `departFrom` and `departTo`
   * (the frame's span) and land spread over the flow's arrival window, scattered over the zone.
   */
  addParcels(pane: number, flow: ParcelFlow, departFrom: number, departTo: number, seed: number): void {
    const p = this.panes[pane];
    const site = this.layout.sites[flow.from]?.p;
    const zone = this.layout.zones[flow.zone];
    if (!p || !site || !zone) return;
    p.pulse(flow.zone, flow.parcels);
    const dots = Math.ceil(flow.parcels / parcelsPerDot(flow.parcels, PARTICLE_BUDGET - p.motion.moving));
    // A small deterministic scatter: the same frame draws the same way on every screen.
    let r = (seed * 2654435761) >>> 0;
    const rand = () => ((r = (r * 1664525 + 1013904223) >>> 0) / 4294967296);
    for (let i = 0; i < dots; i++) {
      const f = dots === 1 ? 0.5 : i / (dots - 1);
      const angle = rand() * 2 * Math.PI;
      const dist = Math.sqrt(rand()) * zone.radiusKm;
      const depart = departFrom + (departTo - departFrom) * rand();
      const arrive = Math.max(depart + 1, flow.firstArriveAt + (flow.lastArriveAt - flow.firstArriveAt) * f);
      p.motion.add(flow.kind, site.x, site.y, zone.p.x + Math.cos(angle) * dist, zone.p.y + Math.sin(angle) * dist, depart, arrive);
    }
  }

  /** Forget every trip and heat of a pane (snapshot, seek). */
  clearMotion(pane: number): void {
    this.panes[pane]?.motion.clear();
    this.panes[pane]?.clearHeat();
  }

  restyle(pane: number, looks: readonly SiteLook[]): void {
    this.looks[pane] = looks;
    const selected = this.selected?.kind === "site" ? this.selected.index : -1;
    this.panes[pane]?.restyle(looks, selected, this.camera.zoom);
  }

  /**
   * What the page lays over the panes (their headers on top, the legend at the bottom), measured about
   * once a second (headers wrap and appear after the map): labels kept inside the pane stay off them.
   */
  private checkInsets(): void {
    const now = performance.now();
    if (now - this.insetsCheckedAt < 1000) return;
    this.insetsCheckedAt = now;
    const headers = [...this.host.querySelectorAll<HTMLElement>(".pane-header")];
    const legend = this.host.querySelector<HTMLElement>("#legend");
    const top = Math.max(0, ...headers.map((h) => h.offsetTop + h.offsetHeight));
    const bottom = legend ? Math.max(0, this.host.clientHeight - legend.offsetTop) : 0;
    if (top === this.insets.top && bottom === this.insets.bottom) return;
    this.insets = { top, bottom };
    for (const p of this.panes) p.insets = this.insets;
    this.cameraVersion = -1;
  }

  /** Per animation frame: re-place on camera change, move trips to sim minute t. Returns trips moving. */
  animate(t: number, elapsedMs: number): number {
    this.checkInsets();
    if (this.camera.version !== this.cameraVersion) {
      this.cameraVersion = this.camera.version;
      for (const p of this.panes) p.place(this.camera);
      this.looks.forEach((looks, i) => looks && this.restyle(i, looks));
    }
    let moving = 0;
    for (const p of this.panes) moving += p.animate(t, this.camera, elapsedMs);
    return moving;
  }

  /** New lanes were learned: redraw them. */
  lanesChanged(): void {
    this.cameraVersion = -1;
  }

  private bindInput(): void {
    const canvas = this.host;
    let drag: { x: number; y: number; moved: boolean; id: number } | null = null;
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", (e) => {
      if (!(e.target instanceof HTMLCanvasElement)) return; // a lever switch or a header, not the map
      drag = { x: e.clientX, y: e.clientY, moved: false, id: e.pointerId };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      drag.moved = true;
      drag.x = e.clientX;
      drag.y = e.clientY;
      this.camera.panBy(dx, dy);
    });
    canvas.addEventListener("pointerup", (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      const wasDrag = drag.moved;
      drag = null;
      if (!wasDrag) this.pickAt(e.clientX, e.clientY);
    });
    canvas.addEventListener("pointercancel", () => (drag = null));
    canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const local = this.paneLocal(e.clientX, e.clientY);
        if (!local) return;
        this.camera.zoomAt(local.x, local.y, Math.exp(-e.deltaY * 0.0015));
      },
      { passive: false },
    );
    canvas.addEventListener("dblclick", () => this.camera.reset());
  }

  /** Client coordinates → (pane, pane-local pixels), or null between panes. */
  private paneLocal(clientX: number, clientY: number): { pane: number; x: number; y: number } | null {
    const box = this.host.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    const rects = this.paneRects();
    const pane = rects.findIndex((r) => x >= r.x && x < r.x + r.w);
    return pane < 0 ? null : { pane, x: x - rects[pane].x, y: y - rects[pane].y };
  }

  private pickAt(clientX: number, clientY: number): void {
    const local = this.paneLocal(clientX, clientY);
    let pick: Pick | null = null;
    if (local) {
      const site = nearestWithin(
        this.layout.sites.map((s) => s.p),
        this.camera,
        local.x,
        local.y,
        16,
      );
      if (site >= 0) pick = { kind: "site", index: site };
      else {
        const at = this.camera.toMap(local.x, local.y);
        let best = -1;
        let bestD = Infinity;
        this.layout.zones.forEach((z, i) => {
          const d = Math.hypot(z.p.x - at.x, z.p.y - at.y);
          if (d <= z.radiusKm * 1.2 && d < bestD) {
            bestD = d;
            best = i;
          }
        });
        if (best >= 0) pick = { kind: "zone", index: best };
      }
    }
    this.selected = pick;
    this.onPick(pick);
  }
}
