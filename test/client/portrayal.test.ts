// The record → style mapping and the KPI readings: glyph per tier, stock colour against the safety
// line, saturation against capacity, particle budgets, heat, and how a compare difference reads.
import { describe, expect, it } from "vitest";
import { compareKpi, KPI_CARDS, kpiText, type KpiReading } from "../../client/src/kpis.ts";
import { COLORS, compactNumber, cssColor, decay, heatAlpha, MOTION_KINDS, MOTION_LOOK, parcelsPerDot, siteLook, stockColor, TIER_LOOK } from "../../client/src/portrayal.ts";
import type { SiteLoad, SiteStock } from "../../client/src/store.ts";

const load = (over: Partial<SiteLoad> = {}): SiteLoad => ({ pickQueue: 0, capacityPerDay: 960, ordersLastDay: 0, load: 0, saturated: false, ...over });
const stock = (over: Partial<SiteStock> = {}): SiteStock => ({ onHand: 80, inTransit: 0, backorder: 0, target: 100, safetyLine: 30, stocked: 2, out: 0, belowSafety: 0, ...over });

describe("portrayal of sites", () => {
  it("gives each tier its own glyph and colour", () => {
    const glyphs = new Set(Object.values(TIER_LOOK).map((t) => t.glyph));
    expect(glyphs.size).toBe(4);
    expect(new Set(Object.values(COLORS.tier)).size).toBe(4);
    expect(TIER_LOOK.rdc.size).toBeGreaterThan(TIER_LOOK.store.size);
  });

  it("colours stock: red when a stocked SKU is out, amber below the safety line, green otherwise", () => {
    expect(stockColor(stock())).toBe(COLORS.stockOk);
    expect(stockColor(stock({ belowSafety: 1 }))).toBe(COLORS.stockLow);
    expect(stockColor(stock({ belowSafety: 1, out: 1 }))).toBe(COLORS.stockOut);
    expect(stockColor(stock({ stocked: 0 }))).toBe(COLORS.gaugeBack);
  });

  it("draws a gauge of on-hand against target with the safety line marked; none for a site that stocks nothing", () => {
    const look = siteLook("store", stock({ onHand: 25, belowSafety: 1 }), load());
    expect(look.gauge).toEqual({ level: 0.25, safety: 0.3, color: COLORS.stockLow });
    // The marker is the model's own line as a share of the target; none yet sits at the bottom.
    expect(siteLook("store", stock({ safetyLine: 12 }), load()).gauge!.safety).toBe(0.1);
    expect(siteLook("store", stock({ safetyLine: 0 }), load()).gauge!.safety).toBe(0);
    expect(siteLook("store", stock({ onHand: 500 }), load()).gauge!.level).toBe(1);
    // In steps of 5%, but never shown empty while something is there, or full while short.
    expect(siteLook("store", stock({ onHand: 26 }), load()).gauge!.level).toBe(0.25);
    expect(siteLook("store", stock({ onHand: 0.5 }), load()).gauge!.level).toBe(0.05);
    expect(siteLook("store", stock({ onHand: 99.9 }), load()).gauge!.level).toBe(0.95);
    expect(siteLook("store", stock({ onHand: 0 }), load()).gauge!.level).toBe(0);
    expect(siteLook("factory", stock({ stocked: 0, target: 0 }), load({ capacityPerDay: 0 })).gauge).toBeNull();
    expect(siteLook("fdc", stock({ out: 1 }), load()).stroke).toBe(COLORS.stockOut);
  });

  it("draws the model's load as the ring and takes the saturation flag from the model, never its own rule", () => {
    const calm = siteLook("rdc", stock(), load({ pickQueue: 400, ordersLastDay: 480, load: 0.5 }));
    expect([calm.saturation, calm.saturated, calm.badge]).toEqual([0.5, false, "400 waiting"]);
    // Over the line by the model's measure: red, whatever the queue is.
    const busy = siteLook("rdc", stock(), load({ pickQueue: 0, ordersLastDay: 1200, load: 1.25, saturated: true }));
    expect([busy.saturation, busy.saturated]).toEqual([1, true]);
    // A load of 0.95 the model has not flagged (its hysteresis, or a higher line) is not drawn saturated.
    expect(siteLook("rdc", stock(), load({ load: 0.95, saturated: false })).saturated).toBe(false);
    expect(siteLook("rdc", stock(), load({ pickQueue: 1600 })).badge).toBe("1.6k waiting");
    expect(siteLook("store", stock({ backorder: 3 }), load()).badge).toBe("3 owed");
    expect(siteLook("factory", stock(), load({ capacityPerDay: 0 })).saturation).toBeNull();
  });
});

describe("portrayal of motion and heat", () => {
  it("has a distinct colour for each movement kind", () => {
    expect(new Set(MOTION_KINDS.map((k) => MOTION_LOOK[k].color)).size).toBe(MOTION_KINDS.length);
  });

  it("lets one dot stand for several parcels when a flow is large or the budget is short", () => {
    expect(parcelsPerDot(5, 1000)).toBe(1);
    expect(parcelsPerDot(240, 1000)).toBe(10); // 24 dots at most per flow
    expect(parcelsPerDot(240, 6)).toBe(40);
    expect(parcelsPerDot(10, 0)).toBe(10);
    expect(parcelsPerDot(0, 10)).toBe(1);
  });

  it("glows by zone weight and pulses with recent orders, within readable bounds", () => {
    expect(heatAlpha(0, 0, 10)).toBeCloseTo(0.08, 9);
    expect(heatAlpha(1, 0, 10)).toBeCloseTo(0.25, 9);
    expect(heatAlpha(1, 5, 10)).toBeCloseTo(0.525, 9);
    expect(heatAlpha(1, 1e9, 10)).toBe(0.8);
    expect(decay(1000, 1000)).toBe(0.5);
    expect(decay(0, 1000)).toBe(1);
  });

  it("formats numbers and colours for text", () => {
    expect([compactNumber(999), compactNumber(1234), compactNumber(25_000), compactNumber(2_500_000)]).toEqual(["999", "1.2k", "25k", "2.5M"]);
    expect(cssColor(0x0a0b0c)).toBe("#0a0b0c");
  });
});

describe("KPI readings", () => {
  const base: KpiReading = {
    ordersPlaced: 100,
    ordersDelivered: 80,
    ordersCancelled: 5,
    backlogOrders: 40,
    unitsLostSales: 10,
    fillRate: 0.8,
    "costs.total": 1000,
    revenue: 5000,
    fulfilmentCostPerOrder: 12.5,
    onTimeRate: null,
    refunds: 3,
    satisfactionIndex: 100,
  };
  const card = (key: string) => KPI_CARDS.find((c) => c.key === key)!;

  it("has the six cards of the brief", () => {
    expect(KPI_CARDS.map((c) => c.key)).toEqual(["fillRate", "onTimeRate", "fulfilmentCostPerOrder", "backlogOrders", "refunds", "satisfactionIndex"]);
  });

  it("formats values, with a dash for a KPI the server has not sent or not defined yet", () => {
    expect(kpiText(card("fillRate"), base)).toBe("80.0%");
    expect(kpiText(card("fulfilmentCostPerOrder"), base)).toBe("¥12.50");
    expect(kpiText(card("backlogOrders"), { ...base, backlogOrders: 12345 })).toBe("12,345");
    expect(kpiText(card("onTimeRate"), base)).toBe("—");
    expect(kpiText(card("refunds"), base)).toBe("3");
    expect(kpiText(card("fillRate"), { ...base, fillRate: null })).toBe("—");
    expect(kpiText(card("satisfactionIndex"), { ...base, satisfactionIndex: 87.25 })).toBe("87.3");
    expect(kpiText(card("fillRate"), undefined)).toBe("—");
  });

  it("reads a compare difference the way a room would: direction, unit, and better or worse", () => {
    expect(compareKpi(card("fillRate"), 0.8, 0.93)).toEqual({ text: "+13.0 pp", tone: "better" });
    expect(compareKpi(card("fulfilmentCostPerOrder"), 12.5, 10)).toEqual({ text: "−¥2.50 (−20%)", tone: "better" });
    expect(compareKpi(card("backlogOrders"), 400, 600)).toEqual({ text: "+200 (+50%)", tone: "worse" });
    expect(compareKpi(card("backlogOrders"), 0, 3)).toEqual({ text: "+3", tone: "worse" });
    expect(compareKpi(card("fillRate"), 0.8, 0.8002)).toEqual({ text: "same", tone: "same" });
    expect(compareKpi(card("onTimeRate"), null, 0.9)).toEqual({ text: "—", tone: "none" });
  });
});
