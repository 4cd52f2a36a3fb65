// The client's copy of a session: a snapshot replaces it, numbered deltas patch it, a gap in the
// numbering asks for a resync. Also the read-only views of it the map and panels need (stock per
// site, decisions per site). Pure data: no pixi, no DOM, no socket.
import type { CELL_FIELDS, Delta, DecisionRecord, Kpi, NetworkInfo, SessionStatus, SimSnapshot, SITE_FIELDS, Snapshot } from "../../server/protocol.ts";
import type { Lever } from "../../sim/index.ts";

/** Numbers per stock cell: on hand, in transit, backordered, target, safety line (protocol CELL_FIELDS). */
export const CELL_WIDTH: (typeof CELL_FIELDS)["length"] = 5;
/** Numbers per site: pick queue, pick capacity per day in force, orders of the last day, load share, saturated (protocol SITE_FIELDS). */
export const SITE_WIDTH: (typeof SITE_FIELDS)["length"] = 5;
/** Decisions kept per sim for the inspector. */
export const MAX_DECISIONS = 2000;

/** One sim of the session, as the client holds it. */
export interface Arm {
  label: string;
  policy: Record<Lever, boolean>;
  /** CELL_WIDTH numbers per (site, SKU) cell, site-major. */
  cells: Float64Array;
  /** SITE_WIDTH numbers per site: pick queue, capacity per day in force, orders of the last day, load, saturated. */
  sites: Float64Array;
  kpi: Kpi;
  /** The latest decisions, oldest first, unique by `n`. */
  decisions: DecisionRecord[];
  /** Decisions the server left out of frames to keep them small. */
  decisionsOmitted: number;
}

/** Stock of one site summed over its SKUs, and how many of them are short. */
export interface SiteStock {
  onHand: number;
  inTransit: number;
  backorder: number;
  /** Sum of order-up-to targets of the SKUs the site stocks. */
  target: number;
  /** Sum of the model's safety lines of the SKUs the site stocks. */
  safetyLine: number;
  /** SKUs with a target (the site stocks them). */
  stocked: number;
  /** Stocked SKUs with nothing on hand. */
  out: number;
  /** Stocked SKUs with on hand below the model's safety line. */
  belowSafety: number;
}

/** Per-SKU stock of one site. */
export interface SkuStock {
  sku: number;
  onHand: number;
  inTransit: number;
  backorder: number;
  target: number;
  /** The model's inventory safety line (0 while it has none). */
  safetyLine: number;
}

/** A site's pick/pack load as the model measures it for the saturation line. */
export interface SiteLoad {
  pickQueue: number;
  /** Orders the site can pick in a day with the capacity in force (shifts, booked surge); 0 for a factory. */
  capacityPerDay: number;
  ordersLastDay: number;
  /** ordersLastDay / capacityPerDay. */
  load: number;
  /** Over the scenario's saturation line (the model's rule, with its hysteresis). */
  saturated: boolean;
}

export type ApplyResult = "applied" | "gap" | "stale";

/** Everything the client knows about one session. */
export class TwinStore {
  sessionId = "";
  network: NetworkInfo | null = null;
  status: SessionStatus | null = null;
  /** Number of the last frame applied; deltas continue from seq + 1. */
  seq = -1;
  t = 0;
  localTime = "";
  arms: Arm[] = [];
  /** Bumped by every applied snapshot or delta. */
  version = 0;

  get skuCount(): number {
    return this.network?.skus.length ?? 0;
  }
  get siteCount(): number {
    return this.network?.sites.length ?? 0;
  }
  get ready(): boolean {
    return this.network !== null && this.status !== null;
  }

  /** Replace everything with a snapshot (join, resync, after a seek). */
  applySnapshot(s: Snapshot): void {
    const rewound = this.status !== null && s.status.t < this.t;
    this.sessionId = s.sessionId;
    this.network = s.network;
    this.status = s.status;
    this.seq = s.seq;
    this.t = s.status.t;
    this.localTime = s.status.localTime;
    const previous = this.arms;
    this.arms = s.sims.map((sim, i) => armFromSnapshot(sim, rewound ? undefined : previous[i], s.status.t));
    this.version++;
  }

  /**
   * Apply a delta: "applied"; "stale" for a frame at or before the current seq (already seen);
   * "gap" when frames are missing (the caller asks the server for a snapshot; state is unchanged).
   */
  applyDelta(d: Delta): ApplyResult {
    if (!this.ready || d.seq <= this.seq) return "stale";
    if (d.seq !== this.seq + 1) return "gap";
    this.seq = d.seq;
    this.t = d.t;
    this.localTime = d.localTime;
    if (d.status) this.status = d.status;
    else if (this.status) this.status = { ...this.status, t: d.t, localTime: d.localTime, finished: d.t >= this.status.horizon };
    d.sims.forEach((sim, i) => {
      const arm = this.arms[i];
      if (!arm) return;
      const { cells } = sim;
      for (let k = 0; k + CELL_WIDTH < cells.length; k += CELL_WIDTH + 1) {
        const o = cells[k] * CELL_WIDTH;
        for (let f = 0; f < CELL_WIDTH; f++) arm.cells[o + f] = cells[k + 1 + f];
      }
      const { sites } = sim;
      for (let k = 0; k + SITE_WIDTH < sites.length; k += SITE_WIDTH + 1) {
        const o = sites[k] * SITE_WIDTH;
        for (let f = 0; f < SITE_WIDTH; f++) arm.sites[o + f] = sites[k + 1 + f];
      }
      if (sim.policy) arm.policy = { ...sim.policy };
      arm.kpi = sim.kpi;
      if (sim.decisions.length) pushDecisions(arm, sim.decisions);
      arm.decisionsOmitted += sim.decisionsOmitted;
    });
    this.version++;
    return "applied";
  }

  /** A site's pick load: queue, capacity per day in force, orders of the last day, their share of it, and the model's saturation flag. */
  siteLoad(arm: number, site: number): SiteLoad {
    const a = this.arms[arm];
    const o = site * SITE_WIDTH;
    return { pickQueue: a.sites[o], capacityPerDay: a.sites[o + 1], ordersLastDay: a.sites[o + 2], load: a.sites[o + 3], saturated: a.sites[o + 4] === 1 };
  }

  /** One SKU cell of a site. */
  sku(arm: number, site: number, sku: number): SkuStock {
    const a = this.arms[arm];
    const o = (site * this.skuCount + sku) * CELL_WIDTH;
    return { sku, onHand: a.cells[o], inTransit: a.cells[o + 1], backorder: a.cells[o + 2], target: a.cells[o + 3], safetyLine: a.cells[o + 4] };
  }

  /** A site's stock over all SKUs, against the model's safety line of each. */
  siteStock(arm: number, site: number): SiteStock {
    const a = this.arms[arm];
    const n = this.skuCount;
    const out: SiteStock = { onHand: 0, inTransit: 0, backorder: 0, target: 0, safetyLine: 0, stocked: 0, out: 0, belowSafety: 0 };
    for (let k = 0; k < n; k++) {
      const o = (site * n + k) * CELL_WIDTH;
      const onHand = a.cells[o];
      const target = a.cells[o + 3];
      const line = a.cells[o + 4];
      out.onHand += onHand;
      out.inTransit += a.cells[o + 1];
      out.backorder += a.cells[o + 2];
      if (target > 0) {
        out.target += target;
        out.safetyLine += line;
        out.stocked++;
        if (onHand < 1) out.out++;
        if (onHand < line) out.belowSafety++;
      }
    }
    return out;
  }

  /** Decisions taken at a site (by id), newest first. */
  decisionsAt(arm: number, siteId: string, limit = 50): DecisionRecord[] {
    const list = this.arms[arm]?.decisions ?? [];
    const out: DecisionRecord[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < limit; i--) if (list[i].site === siteId) out.push(list[i]);
    return out;
  }
}

function armFromSnapshot(sim: SimSnapshot, previous: Arm | undefined, t: number): Arm {
  const arm: Arm = {
    label: sim.label,
    policy: { ...sim.policy },
    cells: Float64Array.from(sim.cells),
    sites: Float64Array.from(sim.sites),
    kpi: sim.kpi,
    decisions: [],
    decisionsOmitted: previous?.decisionsOmitted ?? 0,
  };
  // A resync keeps the history the snapshot no longer carries; a seek back drops it (another timeline).
  const first = sim.decisions[0]?.n ?? Infinity;
  if (previous) arm.decisions = previous.decisions.filter((d) => d.n < first && d.t <= t);
  pushDecisions(arm, sim.decisions);
  return arm;
}

function pushDecisions(arm: Arm, fresh: readonly DecisionRecord[]): void {
  const last = arm.decisions.at(-1)?.n ?? -1;
  for (const d of fresh) if (d.n > last) arm.decisions.push(d);
  if (arm.decisions.length > MAX_DECISIONS) arm.decisions.splice(0, arm.decisions.length - MAX_DECISIONS);
}
