// The basemap under a pane's network: water filled once in map kilometres and moved with the camera as
// one transform (no re-triangulation on pan or zoom), borders redrawn in screen space, place names as
// label requests the pane places after its sites', and the data's credit line. Draws what basemap.ts
// projected; decides nothing about the network.
import { Container, Graphics, Text } from "pixi.js";
import { placesAtZoom, type BasemapOnMap } from "../basemap.ts";
import type { Box, LabelPlacement, LabelRequest } from "../labels.ts";
import { COLORS } from "../portrayal.ts";
import type { Camera } from "../projection.ts";
import type { labelStyles } from "./site-view.ts";

/** The short credit drawn on the map (the full one, with licences, is in the payload and docs/map.md). */
const CREDIT = "© OpenStreetMap contributors · Natural Earth · GeoNames";

export class BasemapLayer {
  /** Water and borders: the bottom of the pane. */
  readonly view = new Container();
  /** Place names and their dots: above the network's lanes, under the site labels. */
  readonly names = new Container();
  private readonly waterHolder = new Container();
  private readonly water = new Graphics();
  private readonly borders = new Graphics();
  private readonly dots = new Graphics();
  private readonly credit: Text;
  private placeTexts: Text[] = [];
  private map: BasemapOnMap | null = null;
  /** Place names tried at the current zoom (indices into map.places). */
  private tried: number[] = [];

  constructor(private styles: ReturnType<typeof labelStyles>) {
    this.waterHolder.addChild(this.water);
    this.credit = new Text({ text: "", style: { ...styles.place, fontStyle: "normal", fontSize: 9, stroke: { width: 0, color: 0 } } });
    this.credit.alpha = 0.55;
    this.credit.anchor.set(1, 1);
    this.view.addChild(this.waterHolder, this.borders, this.credit);
    this.names.addChild(this.dots);
  }

  /** Take the label sizes for the screen now: place names are made again in them. */
  setStyles(styles: ReturnType<typeof labelStyles>): void {
    this.styles = styles;
    this.credit.style = { ...styles.place, fontStyle: "normal", fontSize: 9, stroke: { width: 0, color: 0 } };
    if (this.map) this.set(this.map);
  }

  get drawn(): boolean {
    return this.map !== null;
  }

  /** Show this basemap (null: none, the bare land colour). */
  set(map: BasemapOnMap | null): void {
    this.map = map;
    for (const t of this.placeTexts) t.destroy();
    this.placeTexts = [];
    const g = this.water.clear();
    this.credit.text = "";
    if (!map) return;
    // Each polygon's islands are cut out of its water (not painted over in the land colour: a river's
    // hole can be the sea itself, drawn by an earlier polygon).
    for (const poly of map.water) {
      if (poly[0].length < 6) continue;
      g.poly(poly[0], true).fill(COLORS.water);
      for (let i = 1; i < poly.length; i++) if (poly[i].length >= 6) g.poly(poly[i], true).cut();
    }
    this.placeTexts = map.places.map((p) => {
      const t = new Text({ text: p.name, style: p.rank <= 3 ? { ...this.styles.place, fontWeight: "600" } : this.styles.place });
      t.visible = false;
      this.names.addChild(t);
      return t;
    });
    this.credit.text = CREDIT;
  }

  /** Move with the camera: water by transform, borders redrawn, credit in the corner. */
  place(camera: Camera, width: number, height: number): void {
    this.waterHolder.scale.set(camera.scale);
    this.waterHolder.position.set(camera.toScreenX(0), camera.toScreenY(0));
    const b = this.borders.clear();
    if (this.map) {
      for (const line of this.map.borders) {
        b.moveTo(camera.toScreenX(line[0]), camera.toScreenY(line[1]));
        for (let i = 2; i < line.length; i += 2) b.lineTo(camera.toScreenX(line[i]), camera.toScreenY(line[i + 1]));
      }
      if (this.map.borders.length) b.stroke({ width: 1.5, color: COLORS.border, alpha: 0.8 });
    }
    this.credit.position.set(width - 4, height - 2);
  }

  /** Label requests for the place names worth trying at this zoom and on screen. */
  placeRequests(camera: Camera, width: number, height: number, insets: { top: number; bottom: number }): LabelRequest[] {
    this.tried = [];
    if (!this.map) return [];
    const limit = placesAtZoom(camera.zoom);
    const out: LabelRequest[] = [];
    this.map.places.forEach((p, i) => {
      const t = this.placeTexts[i];
      t.visible = false;
      if (p.rank > limit) return;
      const x = camera.toScreenX(p.x);
      const y = camera.toScreenY(p.y);
      if (x < 0 || y < insets.top || x > width || y > height - insets.bottom) return;
      this.tried.push(i);
      out.push({ x, y, clear: { x: x - 2, y: y - 2, w: 4, h: 4 }, w: Math.ceil(t.width), h: Math.ceil(t.height), required: false, keepInside: true });
    });
    return out;
  }

  /** Show the names labels.ts found room for (same order as placeRequests). */
  applyPlacements(placements: readonly LabelPlacement[], camera: Camera): Box[] {
    const d = this.dots.clear();
    const boxes: Box[] = [];
    placements.forEach((p, k) => {
      const i = this.tried[k];
      const t = this.placeTexts[i];
      t.visible = p.shown;
      if (!p.shown) return;
      t.position.set(p.x, p.y);
      const place = this.map!.places[i];
      d.circle(camera.toScreenX(place.x), camera.toScreenY(place.y), 2.5);
      boxes.push({ x: p.x, y: p.y, w: Math.ceil(t.width), h: Math.ceil(t.height) });
    });
    if (boxes.length) d.fill({ color: COLORS.placeName, alpha: 0.8 });
    return boxes;
  }

  /** Names shown now (for tests). */
  shownNames(): string[] {
    return this.placeTexts.filter((t) => t.visible).map((t) => t.text);
  }
}
