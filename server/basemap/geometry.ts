// Plane geometry in degrees for cutting public geodata down to a scenario's region: rings kept as flat
// coordinate arrays, clipping a ring or a line to a box, Douglas–Peucker simplification, and the
// distance from points to a set of segments. Pure; no I/O (sources.ts loads the data, basemap.ts composes).

/** A box in degrees. */
export interface LonLatBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** One ring or line of a source, flat [lon, lat, lon, lat, …], with its box for a quick reject. */
export interface FlatRing {
  coords: Float64Array;
  box: LonLatBox;
  /** For polygon sources: the index of the polygon the ring belongs to and whether it is its outer ring. */
  polygon: number;
  outer: boolean;
}

export type Pair = [number, number];

/** A flat ring (or line) with its box. */
export function flatRing(points: readonly (readonly number[])[], polygon = -1, outer = true): FlatRing {
  const coords = new Float64Array(points.length * 2);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  points.forEach((p, i) => {
    coords[2 * i] = p[0];
    coords[2 * i + 1] = p[1];
    if (p[0] < west) west = p[0];
    if (p[0] > east) east = p[0];
    if (p[1] < south) south = p[1];
    if (p[1] > north) north = p[1];
  });
  return { coords, box: { west, south, east, north }, polygon, outer };
}

export function boxesMeet(a: LonLatBox, b: LonLatBox): boolean {
  return a.west <= b.east && b.west <= a.east && a.south <= b.north && b.south <= a.north;
}

/** The box grown by `fraction` of its width and height on every side. */
export function growBox(b: LonLatBox, fraction: number): LonLatBox {
  const dx = (b.east - b.west) * fraction;
  const dy = (b.north - b.south) * fraction;
  return { west: b.west - dx, south: b.south - dy, east: b.east + dx, north: b.north + dy };
}

/** The box as a closed polygon ring. */
export function boxRing(b: LonLatBox): Pair[] {
  return [
    [b.west, b.south],
    [b.east, b.south],
    [b.east, b.north],
    [b.west, b.north],
    [b.west, b.south],
  ];
}

/**
 * Sutherland–Hodgman: the part of a closed ring inside the box, as a closed ring (edges along the box
 * where the ring left it), or [] when nothing is inside. Good as a cheap pre-cut before exact boolean
 * operations; a concave ring may come back with zero-width edges along the box.
 */
export function clipRing(ring: FlatRing, b: LonLatBox): Pair[] {
  if (!boxesMeet(ring.box, b)) return [];
  let pts: Pair[] = [];
  const c = ring.coords;
  for (let i = 0; i < c.length; i += 2) pts.push([c[i], c[i + 1]]);
  if (ring.box.west >= b.west && ring.box.east <= b.east && ring.box.south >= b.south && ring.box.north <= b.north) return closed(pts);
  const edges: [(p: Pair) => boolean, (p: Pair, q: Pair) => Pair][] = [
    [(p) => p[0] >= b.west, (p, q) => atX(p, q, b.west)],
    [(p) => p[0] <= b.east, (p, q) => atX(p, q, b.east)],
    [(p) => p[1] >= b.south, (p, q) => atY(p, q, b.south)],
    [(p) => p[1] <= b.north, (p, q) => atY(p, q, b.north)],
  ];
  for (const [inside, cut] of edges) {
    if (pts.length === 0) return [];
    const out: Pair[] = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i];
      const prev = pts[(i + pts.length - 1) % pts.length];
      const curIn = inside(cur);
      if (curIn) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    }
    pts = out;
  }
  return pts.length >= 3 ? closed(pts) : [];
}

function closed(pts: Pair[]): Pair[] {
  const a = pts[0];
  const z = pts[pts.length - 1];
  if (a[0] !== z[0] || a[1] !== z[1]) pts.push([a[0], a[1]]);
  return pts;
}

function atX(p: Pair, q: Pair, x: number): Pair {
  const t = (x - p[0]) / (q[0] - p[0]);
  return [x, p[1] + t * (q[1] - p[1])];
}
function atY(p: Pair, q: Pair, y: number): Pair {
  const t = (y - p[1]) / (q[1] - p[1]);
  return [p[0] + t * (q[0] - p[0]), y];
}

/** The parts of an open line inside the box (Liang–Barsky per segment, joined while they stay inside). */
export function clipLine(line: FlatRing, b: LonLatBox): Pair[][] {
  if (!boxesMeet(line.box, b)) return [];
  const parts: Pair[][] = [];
  let current: Pair[] | null = null;
  const c = line.coords;
  for (let i = 2; i < c.length; i += 2) {
    const seg = clipSegment(c[i - 2], c[i - 1], c[i], c[i + 1], b);
    if (!seg) {
      current = null;
      continue;
    }
    const [p, q] = seg;
    const last = current?.[current.length - 1];
    if (current && last && last[0] === p[0] && last[1] === p[1]) current.push(q);
    else {
      current = [p, q];
      parts.push(current);
    }
    // A segment cut at its far end leaves the box: the next one starts a new part.
    if (q[0] !== c[i] || q[1] !== c[i + 1]) current = null;
  }
  return parts;
}

function clipSegment(x0: number, y0: number, x1: number, y1: number, b: LonLatBox): [Pair, Pair] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const checks: [number, number][] = [
    [-dx, x0 - b.west],
    [dx, b.east - x0],
    [-dy, y0 - b.south],
    [dy, b.north - y0],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  const a: Pair = t0 === 0 ? [x0, y0] : [x0 + t0 * dx, y0 + t0 * dy];
  const z: Pair = t1 === 1 ? [x1, y1] : [x0 + t1 * dx, y0 + t1 * dy];
  return [a, z];
}

/** Douglas–Peucker with tolerance `eps` (degrees); keeps the first and last point. */
export function simplify(points: Pair[], eps: number): Pair[] {
  if (points.length <= 3 || eps <= 0) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  const eps2 = eps * eps;
  while (stack.length) {
    const [a, z] = stack.pop()!;
    let worst = -1;
    let worstD = eps2;
    for (let i = a + 1; i < z; i++) {
      const d = segmentDistance2(points[i][0], points[i][1], points[a][0], points[a][1], points[z][0], points[z][1]);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, z]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Shoelace area of a closed ring, in square degrees (sign dropped). */
export function ringArea(ring: readonly Pair[]): number {
  let a = 0;
  for (let i = 1; i < ring.length; i++) a += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return Math.abs(a) / 2;
}

/**
 * Segments in a uniform grid, for "how far is this point from the nearest segment?" within a
 * small radius. Cells are `cell` degrees square.
 */
export class SegmentGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly segs: number[] = [];

  constructor(private readonly cell: number) {}

  add(ring: readonly Pair[]): void {
    for (let i = 1; i < ring.length; i++) {
      const id = this.segs.length / 4;
      const [ax, ay] = ring[i - 1];
      const [bx, by] = ring[i];
      this.segs.push(ax, ay, bx, by);
      for (let cx = Math.floor(Math.min(ax, bx) / this.cell); cx <= Math.floor(Math.max(ax, bx) / this.cell); cx++)
        for (let cy = Math.floor(Math.min(ay, by) / this.cell); cy <= Math.floor(Math.max(ay, by) / this.cell); cy++) {
          const key = cx * 100_003 + cy;
          const list = this.cells.get(key);
          if (list) list.push(id);
          else this.cells.set(key, [id]);
        }
    }
  }

  /** Is some segment within `radius` (≤ the cell size) of (x, y)? */
  near(x: number, y: number, radius: number): boolean {
    const r2 = radius * radius;
    const cx0 = Math.floor(x / this.cell);
    const cy0 = Math.floor(y / this.cell);
    for (let cx = cx0 - 1; cx <= cx0 + 1; cx++)
      for (let cy = cy0 - 1; cy <= cy0 + 1; cy++) {
        const list = this.cells.get(cx * 100_003 + cy);
        if (!list) continue;
        for (const id of list) {
          const s = this.segs;
          if (segmentDistance2(x, y, s[4 * id], s[4 * id + 1], s[4 * id + 2], s[4 * id + 3]) <= r2) return true;
        }
      }
    return false;
  }
}
