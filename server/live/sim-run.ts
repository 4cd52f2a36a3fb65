// One running sim of a live session: a Twin, the listener that hears its shipments and parcels, and the
// bookkeeping that diffs its observations (sim/observe) into snapshots and deltas (what changed since the
// last frame). It reads the run only through its Observation and never changes it.
import { createHash } from "node:crypto";
import { CELL_WIDTH, Observation, round, SITE_FIELDS, SITE_WIDTH, Twin, type ModelObserver, type ParcelKind, type Policy, type Scenario, type ShipmentKind } from "../../sim/index.ts";
import type { Alert, DecisionRecord, Kpi, ParcelFlow, Shipment, SimDelta, SimSnapshot } from "../protocol.ts";
import { KpiHistory } from "./kpi-history.ts";

/** At most this many decisions and alerts per frame (the rest are counted, not sent). */
const MAX_DECISIONS_PER_FRAME = 25;
const MAX_ALERTS_PER_FRAME = 25;
const PARCEL_KINDS: readonly ParcelKind[] = ["express", "rider"];

/** Times in frames: a tenth of a sim minute is finer than any animation needs. */
const round1 = (x: number) => round(x, 1);

/** One sim of a session, with its frame state. */
export class SimRun implements ModelObserver {
  readonly twin: Twin;
  readonly observation: Observation;
  /** The chart history and decisive moments (sampled by the session at step boundaries). */
  readonly history: KpiHistory;
  private readonly cellCount: number;
  private readonly skuCount: number;
  private readonly siteCount: number;
  /** Cell and site values as last sent, and which stocked cells were out of stock then. */
  private readonly sentCells: Float64Array;
  private readonly sentOut: Uint8Array;
  private readonly sentSites: Float64Array;
  private sentPolicy: string;
  /** Shipments heard since the last prune; those before `shipmentsSent` went out in a frame. */
  private shipments: Shipment[] = [];
  private shipmentsSent = 0;
  private nextShipmentId = 0;
  /** Parcel flows of the current frame, keyed by (site, zone, kind). */
  private readonly flows = new Map<number, ParcelFlow>();
  private decisionsSent = 0;
  /** Scratch buffers the observation fills each frame. */
  private readonly cells: Float64Array;
  private readonly sites: Float64Array;

  constructor(
    scenario: Scenario,
    readonly label: string,
    policy: Policy,
    seed: number,
  ) {
    this.twin = new Twin(scenario, { policy, seed });
    this.observation = new Observation(this.twin, this);
    // Minute 0's own events run at once: every state a session shows is "after runUntil(t)", 0 included.
    this.twin.runUntil(0);
    this.history = new KpiHistory(this.twin, this.observation, scenario.horizonDays * 1440);
    this.history.sample();
    const o = this.observation;
    this.skuCount = o.skuCount;
    this.siteCount = o.siteCount;
    this.cellCount = o.cellCount;
    this.cells = new Float64Array(this.cellCount * CELL_WIDTH);
    this.sites = new Float64Array(this.siteCount * SITE_WIDTH);
    this.sentCells = new Float64Array(this.cellCount * CELL_WIDTH);
    this.sentOut = new Uint8Array(this.cellCount);
    this.sentSites = new Float64Array(this.siteCount * SITE_WIDTH);
    this.sentPolicy = "";
    this.markSynced();
  }

  /** Sim time now. */
  get now(): number {
    return this.observation.now;
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
    const key = (from * this.observation.network.zones.length + zone) * PARCEL_KINDS.length + (kind === "express" ? 0 : 1);
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
    const now = this.now;
    const decisions = this.observation.decisions;
    const from = Math.max(0, decisions.length - MAX_DECISIONS_PER_FRAME);
    return {
      label: this.label,
      policy: this.policy(),
      cells: Array.from(this.sentCells),
      sites: Array.from(this.sentSites),
      inFlight: this.shipments.filter((s) => s.arriveAt > now),
      kpi: this.kpi(),
      decisions: decisions.slice(from).map((d, i) => ({ ...d, n: from + i })),
      history: this.history.all(),
    };
  }

  /** Forget what is pending: the next delta is relative to now (after a broadcast snapshot, or while re-simulating). */
  markSynced(): void {
    const o = this.observation;
    this.sentCells.set(o.cells(this.cells));
    this.sentSites.set(o.sites(this.sites));
    for (let i = 0; i < this.cellCount; i++) this.sentOut[i] = o.outOfStock(i) ? 1 : 0;
    this.sentPolicy = JSON.stringify(o.policy());
    const now = this.now;
    this.shipments = this.shipments.filter((s) => s.arriveAt > now);
    this.shipmentsSent = this.shipments.length;
    this.flows.clear();
    this.decisionsSent = o.decisions.length;
    this.history.markSent();
  }

  /** What changed since the last delta (or markSynced); advances the frame state. */
  delta(): SimDelta {
    const now = this.now;
    const o = this.observation;
    const network = o.network;
    const alerts: Alert[] = [];
    const cells: number[] = [];
    const values = o.cells(this.cells);
    for (let i = 0; i < this.cellCount; i++) {
      if (changedRow(values, this.sentCells, i, CELL_WIDTH)) {
        cells.push(i);
        for (let f = 0; f < CELL_WIDTH; f++) cells.push((this.sentCells[i * CELL_WIDTH + f] = values[i * CELL_WIDTH + f]));
      }
      const out = o.outOfStock(i) ? 1 : 0;
      if (out !== this.sentOut[i]) {
        this.sentOut[i] = out;
        const site = Math.floor(i / this.skuCount);
        const sku = i % this.skuCount;
        if (o.stocked(i) && alerts.length < MAX_ALERTS_PER_FRAME)
          alerts.push({
            t: now,
            kind: out ? "stockout" : "restocked",
            site,
            sku,
            message: `${network.skus[sku].name} ${out ? "out of stock" : "back in stock"} at ${network.sites[site].name}`,
          });
      }
    }
    const sites: number[] = [];
    const siteValues = o.sites(this.sites);
    for (let s = 0; s < this.siteCount; s++) {
      if (!changedRow(siteValues, this.sentSites, s, SITE_WIDTH)) continue;
      const at = s * SITE_WIDTH;
      const wasSaturated = this.sentSites[at + SATURATED_FIELD];
      sites.push(s);
      for (let f = 0; f < SITE_WIDTH; f++) sites.push((this.sentSites[at + f] = siteValues[at + f]));
      const saturated = siteValues[at + SATURATED_FIELD];
      if (saturated !== wasSaturated && alerts.length < MAX_ALERTS_PER_FRAME)
        alerts.push({
          t: now,
          kind: "saturation",
          site: s,
          sku: -1,
          message: saturated
            ? `${network.sites[s].name}: orders of the last day crossed the saturation line (${Math.round(siteValues[at + LOAD_FIELD] * 100)}% of pick capacity)`
            : `${network.sites[s].name}: back under the saturation line`,
        });
    }
    const shipments = this.shipments.slice(this.shipmentsSent);
    this.shipments = this.shipments.filter((s) => s.arriveAt > now);
    this.shipmentsSent = this.shipments.length;
    const parcels = [...this.flows.values()];
    this.flows.clear();
    const all = o.decisions;
    const fresh = all.length - this.decisionsSent;
    const decisions: DecisionRecord[] = [];
    for (let n = this.decisionsSent; n < all.length; n++) {
      const d = all[n];
      if (d.kind.startsWith("intervention:") && alerts.length < MAX_ALERTS_PER_FRAME + 5)
        alerts.push({ t: d.t, kind: "intervention", site: o.siteIndex(d.site), sku: -1, message: d.reason });
      if (decisions.length < MAX_DECISIONS_PER_FRAME) decisions.push({ ...d, n });
    }
    this.decisionsSent = all.length;
    const policy = this.policy();
    const policyText = JSON.stringify(policy);
    const policyChanged = policyText !== this.sentPolicy;
    this.sentPolicy = policyText;
    const history = this.history.fresh();
    return {
      cells,
      sites,
      ...(policyChanged ? { policy } : {}),
      shipments,
      parcels,
      kpi: this.kpi(),
      alerts,
      decisions,
      decisionsOmitted: fresh - decisions.length,
      ...(history ? { history } : {}),
    };
  }

  /** The policy in force now (lever switches change it mid-run). */
  policy(): Policy {
    return this.observation.policy();
  }

  kpi(): Kpi {
    return this.observation.kpis();
  }

  /** Hash input: sim time, event counts, every stock cell, the metric counters, the policy. */
  hashInto(hash: ReturnType<typeof createHash>): void {
    for (const a of this.observation.stateWords()) hash.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
}

/** Index of the saturated flag and the load share in a site's SITE_FIELDS. */
const SATURATED_FIELD = SITE_FIELDS.indexOf("saturated");
const LOAD_FIELD = SITE_FIELDS.indexOf("pickLoad");

/** Whether row `i` (of `width` numbers) differs between two flat tables. */
function changedRow(a: Float64Array, b: Float64Array, i: number, width: number): boolean {
  const o = i * width;
  for (let f = 0; f < width; f++) if (a[o + f] !== b[o + f]) return true;
  return false;
}

/** A short, deterministic fingerprint of a set of sims' state (16 hex digits of SHA-256). */
export function stateHash(runs: readonly SimRun[]): string {
  const hash = createHash("sha256");
  for (const run of runs) run.hashInto(hash);
  return hash.digest("hex").slice(0, 16);
}
