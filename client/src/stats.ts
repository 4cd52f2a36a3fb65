// What the page exposes on `window.__omnitwin` (debug.ts) for end-to-end tests and curious presenters:
// counts of what was actually drawn and received, never a handle to change anything. Pure, so the
// tests can import the type.
import type { KpiReading } from "./kpis.ts";

export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface RenderStats {
  /** loading | connecting | live | reconnecting | refused | ended | error */
  state: string;
  role: "presenter" | "viewer" | null;
  sessionId: string | null;
  /** Arm label per pane, left to right. */
  panes: string[];
  /** Where each site is drawn in the first pane, CSS pixels from the map element's top-left. */
  siteScreen: [number, number][];
  /** The site or zone picked for the inspector. */
  selected: string | null;
  /** Sites, demand zones and lanes drawn in each pane. */
  sitesDrawn: number[];
  zonesDrawn: number[];
  lanesDrawn: number[];
  /** The basemap: none | loading | drawn | failed, the box asked for (degrees), drawn per pane. */
  basemap: { state: string; box: { west: number; south: number; east: number; north: number } | null; drawn: boolean[] };
  /** Per pane, as drawn (pane pixels): each site's label box by site index (null when hidden) and text, the place names' boxes and names. */
  labels: { sites: (LabelBox | null)[]; siteTexts: string[]; places: LabelBox[]; placeNames: string[] }[];
  /** Sites drawn with a pick-capacity (saturation) ring in each pane, and those drawn saturated. */
  ringsDrawn: number[];
  saturatedDrawn: number[];
  /** Trips moving on the map now (all panes), and per pane. */
  movingShipments: number;
  movingByPane: number[];
  /** Trips ever started on the map. */
  tripsStarted: number;
  /** Latest KPI frame per arm. */
  kpi: KpiReading[];
  /** Alerts in the feed (ever added), and the newest few as text. */
  alerts: number;
  alertTexts: string[];
  /** Errors shown to the user. */
  errors: string[];
  seq: number;
  t: number;
  localTime: string;
  playing: boolean;
  speed: number;
  /** Chart history points per arm, and the minute of each arm's first point (0 when it has the whole run). */
  chartPoints: number[];
  chartFirstT: number[];
  /** Minutes of the presenter's changes in force, and of those a backward seek holds. */
  markers: number[];
  held: number[];
  seeking: boolean;
  /** Animation frames per second, measured over the last second. */
  fps: number;
  frames: number;
}

export function emptyStats(): RenderStats {
  return {
    state: "loading",
    role: null,
    sessionId: null,
    panes: [],
    siteScreen: [],
    selected: null,
    sitesDrawn: [],
    zonesDrawn: [],
    lanesDrawn: [],
    basemap: { state: "none", box: null, drawn: [] },
    labels: [],
    ringsDrawn: [],
    saturatedDrawn: [],
    movingShipments: 0,
    movingByPane: [],
    tripsStarted: 0,
    kpi: [],
    alerts: 0,
    alertTexts: [],
    errors: [],
    seq: -1,
    t: 0,
    localTime: "",
    playing: false,
    speed: 0,
    chartPoints: [],
    chartFirstT: [],
    markers: [],
    held: [],
    seeking: false,
    fps: 0,
    frames: 0,
  };
}
