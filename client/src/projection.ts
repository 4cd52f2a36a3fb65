// Where things go on the map: an equirectangular projection of lat/lon into kilometres fitted to the
// scenario's own bounds (no tiles, no network), and the camera that turns kilometres into screen
// pixels with pan and zoom. Pure: no pixi, no DOM, so it is unit-tested in Node.

/** Kilometres per degree of latitude (and of longitude at the equator). */
export const KM_PER_DEGREE = 111.32;

/** A point in map kilometres: x east, y south of the projection's top-left corner. */
export interface MapPoint {
  x: number;
  y: number;
}

export interface MapBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** A fixed projection for one scenario; every layer shares it, so positions never need re-projecting. */
export class Projection {
  /** Kilometres per degree of longitude at the reference latitude. */
  private readonly kmPerLon: number;
  readonly box: MapBox;

  private constructor(
    private readonly west: number,
    private readonly north: number,
    referenceLat: number,
    east: number,
    south: number,
  ) {
    this.kmPerLon = KM_PER_DEGREE * Math.cos((referenceLat * Math.PI) / 180);
    const corner = this.project(south, east);
    this.box = { minX: 0, minY: 0, maxX: corner.x, maxY: corner.y };
  }

  /**
   * Fit to a set of places, each with an optional radius in km that must stay on the map (a zone's
   * reach, an FDC's delivery radius); `marginKm` is added all round.
   */
  static fit(places: readonly { lat: number; lon: number; radiusKm?: number }[], marginKm = 2): Projection {
    if (places.length === 0) throw new RangeError("Projection.fit needs at least one place");
    let north = -Infinity;
    let south = Infinity;
    let west = Infinity;
    let east = -Infinity;
    for (const p of places) {
      if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) throw new RangeError(`Projection.fit got a place at ${p.lat}, ${p.lon}`);
      north = Math.max(north, p.lat);
      south = Math.min(south, p.lat);
      west = Math.min(west, p.lon);
      east = Math.max(east, p.lon);
    }
    const referenceLat = (north + south) / 2;
    const kmPerLon = KM_PER_DEGREE * Math.cos((referenceLat * Math.PI) / 180);
    let reach = marginKm;
    for (const p of places) reach = Math.max(reach, (p.radiusKm ?? 0) + marginKm);
    return new Projection(west - reach / kmPerLon, north + reach / KM_PER_DEGREE, referenceLat, east + reach / kmPerLon, south - reach / KM_PER_DEGREE);
  }

  project(lat: number, lon: number): MapPoint {
    return { x: (lon - this.west) * this.kmPerLon, y: (this.north - lat) * KM_PER_DEGREE };
  }

  unproject(p: MapPoint): { lat: number; lon: number } {
    return { lat: this.north - p.y / KM_PER_DEGREE, lon: this.west + p.x / this.kmPerLon };
  }
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 40;

/**
 * Map kilometres → pixels of one pane: a base scale that fits the projection's box into the pane,
 * times a zoom, plus a pan. In compare view both panes share one camera, so they stay aligned.
 */
export class Camera {
  width = 1;
  height = 1;
  zoom = 1;
  panX = 0;
  panY = 0;
  private baseScale = 1;
  private baseX = 0;
  private baseY = 0;
  /** Bumped on every change, so layers redraw only when the view moved. */
  version = 0;

  constructor(
    private readonly box: MapBox,
    private readonly paddingPx = 24,
  ) {}

  /** Pixels per kilometre now. */
  get scale(): number {
    return this.baseScale * this.zoom;
  }

  /** Fit the box to a pane of this size (keeps zoom and pan). */
  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    const w = this.box.maxX - this.box.minX || 1;
    const h = this.box.maxY - this.box.minY || 1;
    const pad = Math.min(this.paddingPx, this.width / 4, this.height / 4);
    this.baseScale = Math.max(1e-6, Math.min((this.width - 2 * pad) / w, (this.height - 2 * pad) / h));
    this.baseX = (this.width - w * this.baseScale) / 2 - this.box.minX * this.baseScale;
    this.baseY = (this.height - h * this.baseScale) / 2 - this.box.minY * this.baseScale;
    this.version++;
  }

  toScreenX(x: number): number {
    return (x * this.baseScale + this.baseX - this.width / 2) * this.zoom + this.width / 2 + this.panX;
  }
  toScreenY(y: number): number {
    return (y * this.baseScale + this.baseY - this.height / 2) * this.zoom + this.height / 2 + this.panY;
  }
  toScreen(p: MapPoint): MapPoint {
    return { x: this.toScreenX(p.x), y: this.toScreenY(p.y) };
  }
  toMap(sx: number, sy: number): MapPoint {
    return {
      x: ((sx - this.panX - this.width / 2) / this.zoom + this.width / 2 - this.baseX) / this.baseScale,
      y: ((sy - this.panY - this.height / 2) / this.zoom + this.height / 2 - this.baseY) / this.baseScale,
    };
  }

  panBy(dx: number, dy: number): void {
    this.panX += dx;
    this.panY += dy;
    this.version++;
  }

  /** Zoom by `factor` keeping the map point under (sx, sy) where it is. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const anchor = this.toMap(sx, sy);
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * factor));
    this.panX += sx - this.toScreenX(anchor.x);
    this.panY += sy - this.toScreenY(anchor.y);
    this.version++;
  }

  reset(): void {
    this.zoom = 1;
    this.panX = this.panY = 0;
    this.version++;
  }
}

/** Index of the point nearest (sx, sy) within `maxPx` screen pixels, or -1. */
export function nearestWithin(points: readonly MapPoint[], camera: Camera, sx: number, sy: number, maxPx: number): number {
  let best = -1;
  let bestD = maxPx * maxPx;
  points.forEach((p, i) => {
    const dx = camera.toScreenX(p.x) - sx;
    const dy = camera.toScreenY(p.y) - sy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}
