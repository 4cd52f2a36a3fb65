// The projection and camera: lat/lon → map km → screen px and back, zoom about the cursor, picking.
import { describe, expect, it } from "vitest";
import { Camera, KM_PER_DEGREE, MAX_ZOOM, nearestWithin, Projection } from "../../client/src/projection.ts";

const places = [
  { lat: 23.106, lon: 113.459 },
  { lat: 22.533, lon: 113.944 },
  { lat: 22.805, lon: 113.293, radiusKm: 5 },
];

describe("Projection", () => {
  it("puts the north-west corner (less the margin) at 0,0 and keeps kilometres true north–south", () => {
    const p = Projection.fit(places, 2);
    const a = p.project(23.106, 113.459);
    const b = p.project(22.533, 113.944);
    expect(b.y - a.y).toBeCloseTo((23.106 - 22.533) * KM_PER_DEGREE, 6);
    // East–west kilometres shrink with the cosine of the mid latitude.
    const cos = Math.cos((((23.106 + 22.533) / 2) * Math.PI) / 180);
    expect(b.x - a.x).toBeCloseTo((113.944 - 113.459) * KM_PER_DEGREE * cos, 6);
    // The radius-5 place is 7 km (radius + margin) from the west edge; the northmost 7 km from the top.
    expect(p.project(22.805, 113.293).x).toBeCloseTo(7, 6);
    expect(a.y).toBeCloseTo(7, 6);
    expect(p.box.maxX).toBeGreaterThan(b.x);
    expect(p.box.maxY).toBeGreaterThan(b.y);
  });

  it("unprojects what it projects", () => {
    const p = Projection.fit(places);
    const q = p.unproject(p.project(22.9, 113.7));
    expect(q.lat).toBeCloseTo(22.9, 9);
    expect(q.lon).toBeCloseTo(113.7, 9);
  });

  it("refuses no places and non-numbers, naming the bad value", () => {
    expect(() => Projection.fit([])).toThrow(/at least one/);
    expect(() => Projection.fit([{ lat: Number.NaN, lon: 1 }])).toThrow(/NaN/);
  });
});

describe("Camera", () => {
  const box = { minX: 0, minY: 0, maxX: 100, maxY: 50 };

  it("fits the box into the pane, centred, inside the padding", () => {
    const c = new Camera(box, 20);
    c.resize(840, 600);
    expect(c.scale).toBeCloseTo(8, 9); // (840 − 40) / 100 = 8 < (600 − 40) / 50
    expect(c.toScreenX(0)).toBeCloseTo(20, 9);
    expect(c.toScreenX(100)).toBeCloseTo(820, 9);
    expect((c.toScreenY(0) + c.toScreenY(50)) / 2).toBeCloseTo(300, 9);
  });

  it("zooms about the cursor: the map point under it stays put", () => {
    const c = new Camera(box);
    c.resize(800, 400);
    const before = c.toMap(123, 77);
    c.zoomAt(123, 77, 3);
    expect(c.zoom).toBe(3);
    expect(c.toScreenX(before.x)).toBeCloseTo(123, 6);
    expect(c.toScreenY(before.y)).toBeCloseTo(77, 6);
    c.zoomAt(0, 0, 1e6);
    expect(c.zoom).toBe(MAX_ZOOM);
  });

  it("pans, round-trips screen ↔ map, and bumps its version on every change", () => {
    const c = new Camera(box);
    c.resize(800, 400);
    const v = c.version;
    c.panBy(30, -10);
    c.zoomAt(400, 200, 2);
    const m = c.toMap(250, 130);
    expect(c.toScreenX(m.x)).toBeCloseTo(250, 9);
    expect(c.toScreenY(m.y)).toBeCloseTo(130, 9);
    expect(c.version).toBe(v + 2);
    c.reset();
    expect([c.zoom, c.panX, c.panY]).toEqual([1, 0, 0]);
  });

  it("picks the nearest point within a pixel radius, or none", () => {
    const c = new Camera(box, 0);
    c.resize(100, 50); // 1 px per km
    const points = [
      { x: 10, y: 10 },
      { x: 14, y: 10 },
      { x: 80, y: 40 },
    ];
    expect(nearestWithin(points, c, 13, 10, 5)).toBe(1);
    expect(nearestWithin(points, c, 50, 25, 5)).toBe(-1);
  });
});
