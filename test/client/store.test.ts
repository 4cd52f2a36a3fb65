// Delta application: a snapshot replaces the state, numbered deltas patch cells, queues, KPIs and
// decisions, an old frame is ignored, a gap is reported (state untouched), lever switches are followed.
import { describe, expect, it } from "vitest";
import type { Delta, Kpi, SimDelta, Snapshot } from "../../server/protocol.ts";
import { MAX_DECISIONS, TwinStore } from "../../client/src/store.ts";

const kpi = (placed: number): Kpi => ({
  ordersPlaced: placed,
  ordersDelivered: 0,
  ordersCancelled: 0,
  backlogOrders: placed,
  unitsLostSales: 0,
  fillRate: null,
  "costs.total": 0,
  revenue: 0,
  fulfilmentCostPerOrder: null,
  onTimeRate: null,
  refunds: 0,
  satisfactionIndex: 100,
});
const policy = { dataPlatform: false, tieredFulfilment: false, capacityLinkage: false, unifiedService: false };

function snapshot(seq: number, t: number, cells = [10, 0, 0, 20, 4, 5, 1, 0, 20, 6, 0, 0, 0, 0, 0, 3, 0, 2, 10, 3]): Snapshot {
  return {
    protocol: 3,
    sessionId: "AAAAAAAAAAAAAAAA",
    seq,
    status: { t, localTime: "2026-05-13 00:00", horizon: 1440, playing: false, speed: 60, seeking: null, finished: false, markers: [], held: [] },
    network: {
      sites: [
        { id: "rdc", name: "RDC", type: "rdc", lat: 23, lon: 113, deliveryRadiusKm: null, pickOrdersPerHour: 100, pickOrdersPerDay: 2400 },
        { id: "store", name: "Store <b>", type: "store", lat: 22.9, lon: 113.1, deliveryRadiusKm: 3, pickOrdersPerHour: 10, pickOrdersPerDay: 120 },
      ],
      skus: [
        { id: "a", name: "A", category: "standard" },
        { id: "b", name: "B", category: "standard" },
      ],
      zones: [{ id: "z", name: "Zone", lat: 22.95, lon: 113.05, radiusKm: 4, weight: 1 }],
      title: "Test",
      lanes: [{ from: 0, to: 1 }],
      saturationLine: 0.9,
    },
    sims: [
      {
        label: "siloed",
        policy,
        cells,
        sites: [4, 2400, 100, 0.042, 0, 0, 120, 0, 0, 0],
        inFlight: [],
        kpi: kpi(1),
        decisions: [{ n: 7, t: 0, kind: "replenish", site: "store", reason: "below reorder point", figures: {} }],
        history: { stepMinutes: 60, points: { t: [], values: { fillRate: [], backlogOrders: [], costPerOrderDay: [], unitsLostSales: [] } }, moments: [] },
      },
    ],
    sentAt: 0,
  };
}

function delta(seq: number, t: number, sim: Partial<SimDelta> = {}): Delta {
  return {
    seq,
    t,
    localTime: "x",
    sims: [{ cells: [], sites: [], shipments: [], parcels: [], kpi: kpi(seq), alerts: [], decisions: [], decisionsOmitted: 0, ...sim }],
    sentAt: 0,
  };
}

describe("TwinStore", () => {
  it("takes a snapshot whole", () => {
    const s = new TwinStore();
    expect(s.ready).toBe(false);
    s.applySnapshot(snapshot(3, 60));
    expect([s.ready, s.seq, s.t, s.siteCount, s.skuCount]).toEqual([true, 3, 60, 2, 2]);
    expect(s.sku(0, 1, 1)).toEqual({ sku: 1, onHand: 3, inTransit: 0, backorder: 2, target: 10, safetyLine: 3 });
    expect(s.siteLoad(0, 0)).toEqual({ pickQueue: 4, capacityPerDay: 2400, ordersLastDay: 100, load: 0.042, saturated: false });
  });

  it("patches changed cells and queues from consecutive deltas", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(3, 60));
    const v = s.version;
    expect(s.applyDelta(delta(4, 70, { cells: [2, 0, 0, 0, 0, 0, 1, 9, 1, 0, 20, 7], sites: [1, 12, 120, 130, 1.083, 1] }))).toBe("applied");
    expect(s.sku(0, 1, 0)).toEqual({ sku: 0, onHand: 0, inTransit: 0, backorder: 0, target: 0, safetyLine: 0 });
    expect(s.sku(0, 0, 1)).toEqual({ sku: 1, onHand: 9, inTransit: 1, backorder: 0, target: 20, safetyLine: 7 });
    expect(s.siteLoad(0, 1)).toEqual({ pickQueue: 12, capacityPerDay: 120, ordersLastDay: 130, load: 1.083, saturated: true });
    expect(s.siteLoad(0, 0).pickQueue).toBe(4);
    expect(s.arms[0].kpi.ordersPlaced).toBe(4);
    expect([s.seq, s.t, s.status!.t, s.version]).toEqual([4, 70, 70, v + 1]);
  });

  it("ignores a frame it has seen and reports a gap without applying it", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(3, 60));
    expect(s.applyDelta(delta(3, 65))).toBe("stale");
    expect(s.applyDelta(delta(5, 80, { sites: [0, 99, 2400, 0, 0, 0] }))).toBe("gap");
    expect([s.seq, s.t, s.siteLoad(0, 0).pickQueue]).toEqual([3, 60, 4]);
    expect(new TwinStore().applyDelta(delta(1, 1))).toBe("stale");
  });

  it("sums a site's stock and counts SKUs out and below the safety line", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(0, 0));
    // site 0: a 10/20 (line 4), b 5/20 (line 6) → below the model's line for b only
    expect(s.siteStock(0, 0)).toEqual({ onHand: 15, inTransit: 1, backorder: 0, target: 40, safetyLine: 10, stocked: 2, out: 0, belowSafety: 1 });
    // site 1: a unstocked (target 0), b 3/10 (line 3, not below it) with 2 owed
    expect(s.siteStock(0, 1)).toEqual({ onHand: 3, inTransit: 0, backorder: 2, target: 10, safetyLine: 3, stocked: 1, out: 0, belowSafety: 0 });
  });

  it("keeps decisions unique by n, finds them per site, and caps the list", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(0, 0));
    const d = (n: number, site = "rdc") => ({ n, t: n, kind: "k", site, reason: `r${n}`, figures: {} });
    s.applyDelta(delta(1, 1, { decisions: [d(7), d(8), d(9, "store")] }));
    expect(s.arms[0].decisions.map((x) => x.n)).toEqual([7, 8, 9]);
    expect(s.decisionsAt(0, "store").map((x) => x.n)).toEqual([9, 7]);
    s.applyDelta(delta(2, 2, { decisions: Array.from({ length: MAX_DECISIONS + 5 }, (_, i) => d(10 + i)), decisionsOmitted: 3 }));
    expect(s.arms[0].decisions.length).toBe(MAX_DECISIONS);
    expect(s.arms[0].decisions.at(-1)!.n).toBe(MAX_DECISIONS + 14);
    expect(s.arms[0].decisionsOmitted).toBe(3);
  });

  it("a resync snapshot keeps older decisions; a seek back drops them", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(0, 0));
    s.applyDelta(delta(1, 100, { decisions: [{ n: 8, t: 90, kind: "k", site: "rdc", reason: "", figures: {} }] }));
    const later = snapshot(9, 200);
    later.sims[0].decisions = [{ n: 20, t: 150, kind: "k", site: "rdc", reason: "", figures: {} }];
    s.applySnapshot(later);
    expect(s.arms[0].decisions.map((x) => x.n)).toEqual([7, 8, 20]);
    s.applySnapshot(snapshot(10, 30));
    expect(s.arms[0].decisions.map((x) => x.n)).toEqual([7]);
  });

  it("follows the policy a frame carries when a lever switched, and only then", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(0, 0));
    s.applyDelta(delta(1, 5, { policy: { ...policy, tieredFulfilment: true } }));
    expect(s.arms[0].policy.tieredFulfilment).toBe(true);
    // A decision that reads like a lever switch changes nothing: the client never parses decisions for state.
    s.applyDelta(delta(2, 6, { decisions: [{ n: 9, t: 6, kind: "intervention:lever", site: "", reason: "", figures: { lever: "tieredFulfilment", on: "off" } }] }));
    expect(s.arms[0].policy.tieredFulfilment).toBe(true);
    s.applyDelta(delta(3, 7, { policy }));
    expect(s.arms[0].policy.tieredFulfilment).toBe(false);
  });

  it("applies a status carried by a delta, else advances t in the one it has", () => {
    const s = new TwinStore();
    s.applySnapshot(snapshot(0, 0));
    s.applyDelta({ ...delta(1, 10), status: { ...snapshot(0, 10).status, playing: true, speed: 600 } });
    expect([s.status!.playing, s.status!.speed]).toEqual([true, 600]);
    s.applyDelta(delta(2, 1440));
    expect([s.status!.t, s.status!.finished, s.status!.playing]).toEqual([1440, true, true]);
  });
});
