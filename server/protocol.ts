// The live-session protocol: every socket event name, command, error code and payload type in one
// place, shared with the browser client by `import type` (the `as const` objects are the values
// the types come from). Validation of what clients send lives in server/live/inbound.ts.
import type { Decision, Intervention, Lever, LiveKpis, NetworkDescription, ParcelKind, ShipmentKind } from "../sim/index.ts";
export { CELL_FIELDS, SITE_FIELDS } from "../sim/index.ts";

/** Bumped when a message changes shape. */
export const PROTOCOL_VERSION = 3;

/** Events a client sends. A control command from a viewer gets a `forbidden` error. */
export const CLIENT_EVENTS = {
  /** A presenter command (see `Command`). */
  command: "command",
  /** "I saw a gap in `seq`, send me a snapshot." Allowed for viewers. */
  resync: "resync",
} as const;
export type ClientEvent = (typeof CLIENT_EVENTS)[keyof typeof CLIENT_EVENTS];

/** Events the server sends. */
export const SERVER_EVENTS = {
  /** Once, right after connecting: who you are in which session. */
  welcome: "welcome",
  /** The whole state: on join, on resync, after a seek, after the client fell behind. */
  snapshot: "snapshot",
  /** What changed since the frame numbered `seq - 1`. */
  delta: "delta",
  /** A command was applied (to the presenter that sent it). */
  ack: "ack",
  /** Something the client sent was refused; the session is unchanged. */
  error: "error",
} as const;
export type ServerEvent = (typeof SERVER_EVENTS)[keyof typeof SERVER_EVENTS];

/** Presenter commands. */
export const COMMAND_TYPES = ["play", "pause", "speed", "step", "seek", "inject", "lever", "held"] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Every error code a client can see, from a socket `error` event or a REST `{ error }` body. */
export const ERROR_CODES = {
  badMessage: "bad-message",
  unknownEvent: "unknown-event",
  forbidden: "forbidden",
  unauthorized: "unauthorized",
  rateLimited: "rate-limited",
  originRejected: "origin-rejected",
  sessionNotFound: "session-not-found",
  sessionLimit: "session-limit",
  scenarioNotFound: "scenario-not-found",
  badScenario: "bad-scenario",
  badPolicy: "bad-policy",
  badIntervention: "bad-intervention",
  outOfRange: "out-of-range",
  busy: "busy",
  notFinished: "not-finished",
  badJson: "bad-json",
  payloadTooLarge: "payload-too-large",
  notFound: "not-found",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Limits a client should know about. */
export const LIMITS = {
  /** Fastest pace, sim minutes per wall second (a week a second). */
  maxSpeed: 10_080,
  /** Longest single step, sim minutes. */
  maxStepMinutes: 7 * 1440,
  /** Frames per second at most. */
  maxFrameRate: 10,
} as const;

/** A client's own tag for a command, echoed in its ack or error. */
export type CommandRef = string | number;

/** An intervention to inject (any kind); `at` defaults to the session's current sim time. */
export type InterventionInput = Intervention extends infer I ? (I extends Intervention ? Omit<I, "at"> & { at?: string } : never) : never;

/** What a presenter sends on `command`. `sim` picks one sim of a compare session (default: all). */
export type Command =
  | { type: "play"; ref?: CommandRef }
  | { type: "pause"; ref?: CommandRef }
  | { type: "speed"; simMinutesPerSecond: number; ref?: CommandRef }
  | { type: "step"; minutes: number; ref?: CommandRef }
  | { type: "seek"; t: number; ref?: CommandRef }
  | { type: "inject"; intervention: InterventionInput; sim?: number; ref?: CommandRef }
  | { type: "lever"; lever: Lever; on: boolean; sim?: number; ref?: CommandRef }
  /** After a backward seek: replay the held commands at their minutes (keep) or discard them. */
  | { type: "held"; keep: boolean; ref?: CommandRef };

/** The socket.io handshake `auth` object. Never put the token in a URL. */
export interface HandshakeAuth {
  sessionId: string;
  /** The presenter token from session creation; omit to watch as a viewer. */
  token?: string;
}

export type Role = "presenter" | "viewer";

export interface Welcome {
  protocol: number;
  sessionId: string;
  role: Role;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The `ref` of the command refused, if it had one. */
  ref?: CommandRef;
  /** Scenario or intervention problems, each with its JSON path. */
  problems?: { path: string; message: string }[];
}

export interface Ack {
  type: CommandType;
  ref?: CommandRef;
  /** Sim minute the command applied at. */
  t: number;
}

/** Where a session stands. */
export interface SessionStatus {
  /** Sim minutes since the scenario start. */
  t: number;
  /** t as local wall time in the scenario's zone, "YYYY-MM-DD HH:mm". */
  localTime: string;
  horizon: number;
  playing: boolean;
  /** Sim minutes per wall second. */
  speed: number;
  /** Set while the session re-simulates or fast-forwards to a seek target (no sim deltas meanwhile); progress 0..1. */
  seeking: { to: number; progress: number } | null;
  finished: boolean;
  /** Set when the session stopped for good: why ("budget spent: …", or an internal error); it then refuses play, step and seek. */
  halted?: string;
  /** The lever switches and interventions in force, oldest first (the last MAX_MARKERS): markers on the timeline. */
  markers: TimelineMarker[];
  /**
   * Commands a backward seek took out of the future, waiting for the presenter to keep (replay at their
   * minutes) or drop them with a `held` command; empty otherwise.
   */
  held: TimelineMarker[];
}

/** Markers a status carries at most. */
export const MAX_MARKERS = 200;

/** A lever switch or intervention on the timeline. */
export interface TimelineMarker {
  /** Its number in the session's command log. */
  n: number;
  /** Sim minute it applies at. */
  t: number;
  kind: "lever" | "inject";
  /** In words: "L2 tiered fulfilment on", "factory disruption at …". */
  text: string;
  /** The sims it applies to. */
  sims: number[];
}

/** The chart series a history carries: fill rate, backlog, cost per order over the last 24 h, lost units. */
export const HISTORY_SERIES = ["fillRate", "backlogOrders", "costPerOrderDay", "unitsLostSales"] as const;
export type HistorySeriesKey = (typeof HISTORY_SERIES)[number];

/** History points as parallel arrays: sim minute and each series' value (null where undefined yet). */
export interface HistoryPoints {
  t: number[];
  values: Record<HistorySeriesKey, (number | null)[]>;
}

/** A decisive moment of a run, for the debrief's timeline. */
export interface Moment {
  t: number;
  kind: "stockout" | "saturation" | "intervention";
  /** Site index, or -1. */
  site: number;
  text: string;
}

/**
 * The static network, sent once in each snapshot; frames refer to sites, SKUs and zones by index. It is the
 * model's own description (sim/observe/network.ts): radii, pick capacity, lanes, zone weights and the
 * saturation line, so a client never needs the scenario file.
 */
export type NetworkInfo = NetworkDescription;

/** "Left site `from` for site `to` at `departAt`, arrives at `arriveAt`": the client animates it. */
export interface Shipment {
  id: number;
  kind: ShipmentKind;
  from: number;
  to: number;
  sku: number;
  units: number;
  departAt: number;
  arriveAt: number;
}

/** Customer parcels of one frame, aggregated per (site, zone, kind) so frames stay small at any order volume. */
export interface ParcelFlow {
  kind: ParcelKind;
  from: number;
  zone: number;
  parcels: number;
  units: number;
  /** Earliest and latest arrival of the parcels in this flow. */
  firstArriveAt: number;
  lastArriveAt: number;
}

/** Running KPIs of one sim, keyed as in the KPI registry (sim/observe/kpis.ts); a ratio is null before it has a denominator. */
export type Kpi = LiveKpis;

/** Kinds of alert, each with what a viewer reads. */
export const ALERT_KINDS = {
  stockout: "a stocked SKU ran out at a site",
  restocked: "a stocked SKU is back in stock at a site",
  saturation: "a site's orders of the last day crossed (or fell back under) the capacity saturation line",
  intervention: "an intervention or lever switch took effect",
} as const;
export type AlertKind = keyof typeof ALERT_KINDS;

/** Kinds of decision the model records (the decision log; `intervention:*` are the interventions' own), each in plain words. */
export const DECISION_KINDS = {
  replenishment: "replenishment order placed by a site",
  "factory-order": "production order placed with a factory",
  "ad-hoc-transfer": "ad-hoc van transfer for a pickup order without stock",
  routing: "routing summary",
  satisfaction: "satisfaction update",
  "pre-position": "data platform pre-positions stock before a campaign (L1)",
  "pressure-match": "data platform matches promotion pressure to stock (L1)",
  rebalance: "data platform rebalances stock between sites (L1)",
  "marketing-push": "marketing pushes a campaign harder while its sales run behind target (every policy)",
  "campaign-review": "operations reviews a submitted campaign against capacity (L3)",
  "surge-booked": "surge pick/pack capacity booked (L3)",
  "ramp-booked": "factory ramp-up booked (L3)",
  "surge-declined": "surge not booked: it would cost more than the margin it protects (L3)",
  "ramp-declined": "ramp-up not booked: its overtime would cost more than the margin it protects (L3)",
  "saturation-line": "a capacity crossed or cleared the saturation line (L3)",
  throttle: "promotion pressure follows load (L3)",
  "safety-line": "stock fell below the inventory safety line (L3)",
  "emergency-replenishment": "emergency replenishment after a safety-line crossing (L3)",
  "intervention:demand-surge": "demand surge",
  "intervention:express-price-shock": "express price shock",
  "intervention:factory-disruption": "factory disruption",
  "intervention:lever": "lever switched",
  "intervention:campaign-change": "campaign changed",
} as const;
export type DecisionKind = keyof typeof DECISION_KINDS;

/** Something a viewer should notice: a stocked site ran out or was restocked; an intervention landed. */
export interface Alert {
  t: number;
  kind: AlertKind;
  site: number;
  sku: number;
  message: string;
}

/** A model decision with its reason; `n` is its position in the run's decision log (dedupe by it). */
export interface DecisionRecord extends Decision {
  n: number;
}

// Stock cells: cell i is site `i / skuCount | 0`, SKU `i % skuCount`, each CELL_FIELDS wide (sim/observe/observation.ts).
// Sites: site s is SITE_FIELDS wide: pick queue, pick capacity per day in force, orders of the last day, their
// share of that capacity (the saturation line's measure) and whether the site is over the line (1/0).

export interface SimSnapshot {
  label: string;
  policy: Record<Lever, boolean>;
  /** Every cell's CELL_FIELDS, flat: [cell0.onHand, cell0.inTransit, …]. */
  cells: number[];
  /** Every site's SITE_FIELDS, flat: [site0.pickQueue, site0.pickCapacityPerDay, …]. */
  sites: number[];
  /** Shipments still on the road. */
  inFlight: Shipment[];
  kpi: Kpi;
  /** The latest decisions, oldest first. */
  decisions: DecisionRecord[];
  /** The run's chart history so far, one point per `stepMinutes`, and its decisive moments. */
  history: { stepMinutes: number; points: HistoryPoints; moments: Moment[] };
}

export interface Snapshot {
  protocol: number;
  sessionId: string;
  /** Deltas continue from seq + 1. */
  seq: number;
  status: SessionStatus;
  network: NetworkInfo;
  sims: SimSnapshot[];
  /** Server wall clock (epoch ms) when the frame was built. */
  sentAt: number;
}

export interface SimDelta {
  /** Changed cells: [cellIndex, onHand, inTransit, backorder, target, safetyLine, cellIndex, …]. */
  cells: number[];
  /** Changed sites: [siteIndex, ...SITE_FIELDS, siteIndex, …]. */
  sites: number[];
  /** The policy in force, when it changed in this frame (a lever switch). */
  policy?: Record<Lever, boolean>;
  shipments: Shipment[];
  parcels: ParcelFlow[];
  kpi: Kpi;
  alerts: Alert[];
  decisions: DecisionRecord[];
  /** Decisions made in this frame but left out to keep it small. */
  decisionsOmitted: number;
  /** History points and moments recorded since the last frame, when there are any. */
  history?: { points: HistoryPoints; moments: Moment[] };
}

export interface Delta {
  seq: number;
  t: number;
  localTime: string;
  /** Present when the status changed. */
  status?: SessionStatus;
  /** One per sim; empty while seeking. */
  sims: SimDelta[];
  sentAt: number;
}

/** socket.io event maps (for typed clients). */
export interface ServerToClientEvents {
  welcome: (payload: Welcome) => void;
  snapshot: (payload: Snapshot) => void;
  delta: (payload: Delta) => void;
  ack: (payload: Ack) => void;
  error: (payload: ErrorPayload) => void;
}
export interface ClientToServerEvents {
  command: (payload: Command) => void;
  resync: () => void;
}

// REST --------------------------------------------------------------------------------------------

/** GET /api/scenarios */
export interface ScenarioListing {
  name: string;
  id: string | null;
  title: string | null;
  description: string;
  horizonDays: number | null;
  /** Problems when the file does not validate (it cannot start a session). */
  valid: boolean;
}

/** POST /api/sessions */
export interface CreateSessionRequest {
  /** A scenario name from GET /api/scenarios, or a whole scenario object. */
  scenario: string | Record<string, unknown>;
  /** "siloed", "coordinated" or a comma list of levers; not with compare. */
  policy?: string;
  /** Two sims in lockstep: siloed and coordinated, same seed. */
  compare?: boolean;
  seed?: number;
  /** Sim minutes per wall second. */
  speed?: number;
  /** Start playing at once (default false). */
  play?: boolean;
}

export interface SessionInfo {
  id: string;
  scenario: { id: string; name: string | null; hash: string };
  seed: number;
  compare: boolean;
  sims: { label: string; policy: Record<Lever, boolean> }[];
  status: SessionStatus;
  viewers: number;
  createdAt: string;
  stateHash: string;
  /** After a restart: the state hash the manifest promised and whether the rebuild matched it (null while rebuilding). */
  restoreCheck: { expected: string; matched: boolean | null } | null;
}

/** POST /api/sessions/:id/fork (presenter token as Bearer): a new pair from this session at its current minute. */
export interface ForkRequest {
  /** Which sim of a compare session to fork (default 0). */
  sim?: number;
  /** The change the second sim of the pair gets at the fork minute. */
  change: { type: "lever"; lever: Lever; on: boolean } | { type: "inject"; intervention: InterventionInput };
}

export interface CreateSessionResponse {
  session: SessionInfo;
  /** Send it in the socket.io handshake `auth.token` to present; shown once, stored only as a hash. */
  presenterToken: string;
  /** Settings of the scenario that run as written but look unintended, each with its JSON path ([] for none). */
  warnings: { path: string; message: string }[];
}

export interface RestError {
  error: ErrorPayload;
}

/**
 * GET /api/basemap?west=&south=&east=&north= (degrees): land and water, borders and place names of a
 * region, cut on the server from public geodata shipped in npm packages (server/basemap/). Every ring
 * and line is flat `[lon, lat, lon, lat, …]`; a polygon is its outer ring then its holes.
 */
export interface BasemapPayload {
  box: { west: number; south: number; east: number; north: number };
  /** Sea and estuary (OpenStreetMap coastline, 10 m): polygons of water whose holes are land. */
  sea: number[][][];
  /** Large rivers and delta channels the coastline leaves as land (Natural Earth 1:10M). */
  rivers: number[][][];
  /** Borders between countries and SARs (Natural Earth 1:10M), lines. */
  borders: number[][];
  /** Places to name, best first (rank 1): seats of government and the most populous towns. */
  places: { name: string; lon: number; lat: number; rank: number }[];
  /** Whom to credit on the map. */
  attribution: string;
}
