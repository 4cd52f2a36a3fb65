// One running sim of a live session: a Twin, the observer that hears its shipments and parcels, and
// the bookkeeping that turns its state into snapshots and deltas (what changed since the last frame).
// It reads the model through the Twin's public fields and never changes it.
import { createHash } from "node:crypto";
import { LEVERS, Twin, type ModelObserver, type ParcelKind, type Policy, type Scenario, type ShipmentKind } from "../../sim/index.ts";
import type { Alert, DecisionRecord, Kpi, ParcelFlow, Shipment, SimDelta, SimSnapshot } from "../protocol.ts";

/** Numbers per stock cell: on hand, in transit, backordered, target, safety line (protocol CELL_FIELDS). */
const CELL_WIDTH = 5;
/** At most this many decisions and alerts per frame (the rest are counted, not sent). */
const MAX_DECISIONS_PER_FRAME = 25;
const MAX_ALERTS_PER_FRAME = 25;
const PARCEL_KINDS: readonly ParcelKind[] = ["express", "rider"];

/** Times in frames: a tenth of a sim minute is finer than any animation needs. */
function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round4(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r;
}

/** One sim of a session, with its frame state. */
export class SimRun implements ModelObserver {
  readonly twin: Twin;
  private readonly cellCount: number;
  private readonly skuCount: number;
  /** Cell values as last sent, and which stocked cells were out of stock then. */
  private readonly sentCells: Float64Array;
  private readonly sentOut: Uint8Array;
  private readonly sentPick: Float64Array;
  /** Shipments heard since the last prune; those before `shipmentsSent` went out in a frame. */
  private shipments: Shipment[] = [];
  private shipmentsSent = 0;
  private nextShipmentId = 0;
  /** Parcel flows of the current frame, keyed by (site, zone, kind). */
  private readonly flows = new Map<number, ParcelFlow>();
  private decisionsSent = 0;

  constructor(
    scenario: Scenario,
    readonly label: string,
    policy: Policy,
    seed: number,
  ) {
    this.twin = new Twin(scenario, { policy, seed });
    this.twin.world.observer = this;
    // Minute 0's own events run at once: every state a session shows is "after runUntil(t)", 0 included.
    this.twin.runUntil(0);
    const { network } = this.twin;
    this.skuCount = network.skuCount;
    this.cellCount = network.siteCount * network.skuCount;
    this.sentCells = new Float64Array(this.cellCount * CELL_WIDTH);
    this.sentOut = new Uint8Array(this.cellCount);
    this.sentPick = new Float64Array(network.siteCount);
    this.markSynced();
  }

  /** Sim time now. */
  get now(): number {
    return this.twin.sim.now;
  }

  /** Run to sim time t (no further than the horizon). */
  runUntil(t: number): void {
    this.twin.runUntil(t);
  }

  // ModelObserver: called by the model while it runs.
  shipment(kind: ShipmentKind, from: number, to: number, sku: number, units: number, departAt: number, arriveAt: number): void {
    this.shipments.push({ id: this.nextShipmentId++, kind, from, to, sku, units, departAt: round1(departAt), arriveAt: round1(arriveAt) });
  }
  parcel(kind: ParcelKind, from: number, zone: number, sku: number, units: number, departAt: number, arriveAt: number): void {
    arriveAt = round1(arriveAt);
    const key = (from * this.twin.network.zones.length + zone) * PARCEL_KINDS.length + (kind === "express" ? 0 : 1);
    const flow = this.flows.get(key);
    if (!flow) {
      this.flows.set(key, { kind, from, zone, parcels: 1, units, firstArriveAt: arriveAt, lastArriveAt: arriveAt });
      return;
    }
    flow.parcels++;
    flow.units += units;
    if (arriveAt < flow.firstArriveAt) flow.firstArriveAt = arriveAt;
    if (arriveAt > flow.lastArriveAt) flow.lastArriveAt = arriveAt;
  }

  /** The whole state, for a joining client. Pure: frames continue as if it was never built. */
  snapshot(): SimSnapshot {
    const cells: number[] = new Array(this.cellCount * CELL_WIDTH);
    const values = this.cellValues();
    for (let i = 0; i < values.length; i++) cells[i] = values[i];
    const now = this.now;
    const decisions = this.twin.world.decisions;
    const from = Math.max(0, decisions.length - MAX_DECISIONS_PER_FRAME);
    return {
      label: this.label,
      policy: this.policy(),
      cells,
      pickQueues: Array.from(this.pickQueues()),
      inFlight: this.shipments.filter((s) => s.arriveAt > now),
      kpi: this.kpi(),
      decisions: decisions.slice(from).map((d, i) => ({ ...d, n: from + i })),
    };
  }

  /** Forget what is pending: the next delta is relative to now (after a broadcast snapshot, or while re-simulating). */
  markSynced(): void {
    this.sentCells.set(this.cellValues());
    this.sentPick.set(this.pickQueues());
    const { stock } = this.twin.world;
    for (let i = 0; i < this.cellCount; i++) this.sentOut[i] = stock.available[i] < 1 ? 1 : 0;
    const now = this.now;
    this.shipments = this.shipments.filter((s) => s.arriveAt > now);
    this.shipmentsSent = this.shipments.length;
    this.flows.clear();
    this.decisionsSent = this.twin.world.decisions.length;
  }

  /** What changed since the last delta (or markSynced); advances the frame state. */
  delta(): SimDelta {
    const now = this.now;
    const alerts: Alert[] = [];
    const cells: number[] = [];
    const values = this.cellValues();
    const { stock, network } = this.twin.world;
    const stocked = this.twin.replenishment.stocked;
    for (let i = 0; i < this.cellCount; i++) {
      const o = i * CELL_WIDTH;
      let changed = false;
      for (let f = 0; f < CELL_WIDTH; f++) if (values[o + f] !== this.sentCells[o + f]) changed = true;
      if (changed) {
        cells.push(i);
        for (let f = 0; f < CELL_WIDTH; f++) cells.push((this.sentCells[o + f] = values[o + f]));
      }
      const out = stock.available[i] < 1 ? 1 : 0;
      if (out !== this.sentOut[i]) {
        this.sentOut[i] = out;
        const site = Math.floor(i / this.skuCount);
        const sku = i % this.skuCount;
        if (stocked[i] && alerts.length < MAX_ALERTS_PER_FRAME)
          alerts.push({
            t: now,
            kind: out ? "stockout" : "restocked",
            site,
            sku,
            message: `${network.skus[sku].id} ${out ? "out of stock" : "back in stock"} at ${network.sites[site].id}`,
          });
      }
    }
    const pickQueues: number[] = [];
    const pick = this.pickQueues();
    for (let s = 0; s < pick.length; s++)
      if (pick[s] !== this.sentPick[s]) {
        pickQueues.push(s, pick[s]);
        this.sentPick[s] = pick[s];
      }
    const shipments = this.shipments.slice(this.shipmentsSent);
    this.shipments = this.shipments.filter((s) => s.arriveAt > now);
    this.shipmentsSent = this.shipments.length;
    const parcels = [...this.flows.values()];
    this.flows.clear();
    const all = this.twin.world.decisions;
    const fresh = all.length - this.decisionsSent;
    const decisions: DecisionRecord[] = [];
    for (let n = this.decisionsSent; n < all.length; n++) {
      const d = all[n];
      if (d.kind.startsWith("intervention:") && alerts.length < MAX_ALERTS_PER_FRAME + 5)
        alerts.push({ t: d.t, kind: "intervention", site: network.siteIndex.get(d.site) ?? -1, sku: -1, message: d.reason });
      if (decisions.length < MAX_DECISIONS_PER_FRAME) decisions.push({ ...d, n });
    }
    this.decisionsSent = all.length;
    return { cells, pickQueues, shipments, parcels, kpi: this.kpi(), alerts, decisions, decisionsOmitted: fresh - decisions.length };
  }

  /** The policy in force now (lever switches change it mid-run). */
  policy(): Policy {
    const p = this.twin.world.policy;
    return Object.fromEntries(LEVERS.map((l) => [l, p[l]])) as Policy;
  }

  kpi(): Kpi {
    const m = this.twin.metrics;
    let fulfilment = 0;
    for (const c of m.costByPath) fulfilment += c;
    const served = m.unitsFulfilled + m.unitsLostSales;
    return {
      ordersPlaced: m.ordersPlaced,
      ordersDelivered: m.ordersDelivered,
      ordersCancelled: m.ordersCancelled,
      backlogOrders: m.backlog,
      unitsLostSales: round4(m.unitsLostSales),
      fillRate: served > 0 ? round4(m.unitsFulfilled / served) : null,
      costTotal: round4(m.costTotal),
      revenue: round4(m.revenue),
      fulfilmentCostPerOrder: m.ordersDelivered > 0 ? round4(fulfilment / m.ordersDelivered) : null,
      onTimeRate: m.ordersDelivered > 0 ? round4(m.ordersDeliveredOnTime / m.ordersDelivered) : null,
      refunds: m.refunds,
      satisfactionIndex: m.satisfactionCount > 0 ? round4((100 * m.satisfactionSum) / m.satisfactionCount) : null,
    };
  }

  /** Hash input: sim time, event counts, every stock cell, the metric counters, the policy. */
  hashInto(hash: ReturnType<typeof createHash>): void {
    const { sim, stock, metrics: m, decisions, policy } = this.twin.world;
    const head = [sim.now, sim.eventsProcessed, sim.pending, this.twin.arrivalHash, decisions.length, ...LEVERS.map((l) => (policy[l] ? 1 : 0))];
    const counters = [
      m.ordersPlaced,
      m.ordersPaid,
      m.ordersDelivered,
      m.ordersCancelled,
      m.ordersDeliveredOnTime,
      m.refunds,
      m.unitsDemanded,
      m.unitsFulfilled,
      m.unitsLostSales,
      m.walkInCustomers,
      m.walkInSold,
      m.backlog,
      m.backlogPeak,
      m.revenue,
      m.costOfGoodsSold,
      m.lostMargin,
      ...Object.values(m.costs),
    ];
    hash.update(Buffer.from(Float64Array.from([...head, ...counters]).buffer));
    for (const a of [stock.available, stock.reserved, stock.inTransit, stock.onOrder, stock.backorderUnits]) hash.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }

  private cellValues(): Float64Array {
    const { stock } = this.twin.world;
    const { replenishment, coordination } = this.twin;
    const out = new Float64Array(this.cellCount * CELL_WIDTH);
    for (let i = 0; i < this.cellCount; i++) {
      const o = i * CELL_WIDTH;
      out[o] = Math.round(stock.available[i] + stock.reserved[i]);
      out[o + 1] = Math.round(stock.inTransit[i]);
      out[o + 2] = Math.round(stock.backorderUnits[i]);
      if (!replenishment.stocked[i]) continue;
      const site = Math.floor(i / this.skuCount);
      const sku = i % this.skuCount;
      out[o + 3] = Math.round(replenishment.target(site, sku));
      // The model's own inventory safety line (what L3 acts on), shown whatever the policy; 0 while there is none.
      const line = coordination.safetyLineAt(site, sku);
      out[o + 4] = Number.isNaN(line) ? 0 : Math.round(line);
    }
    return out;
  }

  private pickQueues(): Float64Array {
    const n = this.twin.network.siteCount;
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) out[s] = this.twin.fulfilment.pickQueueLength(s);
    return out;
  }
}

/** A short, deterministic fingerprint of a set of sims' state (16 hex digits of SHA-256). */
export function stateHash(runs: readonly SimRun[]): string {
  const hash = createHash("sha256");
  for (const run of runs) run.hashInto(hash);
  return hash.digest("hex").slice(0, 16);
}
