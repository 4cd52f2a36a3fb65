// The page for one live session: frames in (snapshot, deltas) → the store, the trips, the KPI history
// and the alerts feed; then, on pixi's ticker, the map moves to the display time and the panels
// refresh a few times a second. The sim never waits for drawing: frames are applied as they come and
// drawing only reads what is there.
import type { Delta, Snapshot } from "../../server/protocol.ts";
import { AlertFeed } from "./alerts.ts";
import type { RenderStats } from "./stats.ts";
import { buildLayout, type MapLayout } from "./layout.ts";
import { MapView } from "./map/map-view.ts";
import { DisplayClock } from "./motion.ts";
import { siteLook } from "./portrayal.ts";
import { ChartHistory } from "./series.ts";
import { dayClock } from "./plain-words.ts";
import { TwinStore } from "./store.ts";
import { AlertsPanel } from "./ui/alerts-panel.ts";
import { Charts } from "./ui/charts.ts";
import { byId } from "./ui/dom.ts";
import { Inspector } from "./ui/inspector.ts";
import { KpiStrip } from "./ui/kpi-strip.ts";

/** Panels refresh at most this often (ms); the map itself redraws every animation frame. */
const PANEL_INTERVAL_MS = 200;
const CHART_INTERVAL_MS = 500;

export class SessionView {
  readonly store = new TwinStore();
  readonly feed = new AlertFeed();
  map: MapView | null = null;
  layout: MapLayout | null = null;
  private readonly clock = new DisplayClock();
  /** Each sim's chart history and decisive moments, as the server keeps them. */
  series: ChartHistory[] = [];
  private readonly kpiStrip = new KpiStrip(byId("kpis"));
  private readonly charts = new Charts(byId("charts"));
  private readonly alertsPanel: AlertsPanel;
  readonly inspector: Inspector;
  private creating: Promise<void> | null = null;
  private lastPanels = 0;
  private lastCharts = 0;
  private lastFrameWall = 0;
  private styledVersion = -1;
  private fpsWindow: number[] = [];
  private statsCameraVersion = -1;
  /** Called after every snapshot and a few times a second (header, controls, pane headers). */
  onRefresh: () => void = () => {};

  constructor(private readonly stats: RenderStats) {
    const when = (t: number) => dayClock(this.store.localTime, this.store.t, t);
    this.alertsPanel = new AlertsPanel(byId("alert-list"), byId("alert-count"), when);
    this.inspector = new Inspector(byId("inspector"), when);
  }

  /** A snapshot: the whole state (join, resync, after a seek). */
  async snapshot(s: Snapshot): Promise<void> {
    const rewound = this.store.ready && s.status.t < this.store.t;
    this.store.applySnapshot(s);
    await this.ensureMap();
    const map = this.map!;
    await map.setPaneCount(s.sims.length);
    if (this.series.length !== s.sims.length) {
      this.series = s.sims.map(() => new ChartHistory());
      this.kpiStrip.setArms(s.sims.map((x) => x.label));
    }
    this.clock.reset(s.status.t, performance.now(), s.status.playing, s.status.speed);
    s.sims.forEach((sim, i) => {
      map.clearMotion(i);
      for (const shipment of sim.inFlight) this.startShipment(i, shipment);
      this.series[i].reset(sim.history);
    });
    if (rewound) this.feed.truncateAfter(s.status.t);
    this.refreshPanels(true);
  }

  /** A delta; returns false when frames are missing (the caller asks for a resync). */
  delta(d: Delta): boolean {
    const previousT = this.store.t;
    const result = this.store.applyDelta(d);
    if (result === "gap") return false;
    if (result === "stale") return true;
    const status = this.store.status!;
    this.clock.frame(d.t, performance.now(), status.playing && !status.seeking, status.speed);
    const map = this.map;
    d.sims.forEach((sim, i) => {
      const label = this.store.arms[i]?.label ?? String(i);
      if (map) {
        for (const shipment of sim.shipments) this.startShipment(i, shipment);
        sim.parcels.forEach((flow, k) => {
          map.addParcels(i, flow, previousT, d.t, d.seq * 131 + k * 7 + i);
          this.stats.tripsStarted++;
        });
      }
      for (const alert of sim.alerts) this.feed.addServerAlert(i, label, alert, this.store.network);
      if (sim.history) this.series[i]?.append(sim.history.points, sim.history.moments);
    });
    return true;
  }

  /** Per animation frame (pixi's ticker). */
  animate(): void {
    const now = performance.now();
    const elapsed = this.lastFrameWall ? now - this.lastFrameWall : 0;
    this.lastFrameWall = now;
    this.fpsWindow.push(now);
    while (this.fpsWindow.length && this.fpsWindow[0] < now - 1000) this.fpsWindow.shift();
    const map = this.map;
    if (!map || !this.store.ready) return;
    if (this.store.version !== this.styledVersion && now - this.lastPanels >= PANEL_INTERVAL_MS) this.refreshPanels(false);
    const moving = map.animate(this.clock.at(now), elapsed);
    const s = this.stats;
    s.movingShipments = moving;
    s.movingByPane = map.panes.map((p) => p.motion.moving);
    s.fps = this.fpsWindow.length;
    // Pan and zoom move labels while paused too (no frames, no panel refresh): keep the stats in step.
    if (map.camera.version !== this.statsCameraVersion && this.layout) {
      this.statsCameraVersion = map.camera.version;
      this.mapStats(map, this.layout);
    }
    s.frames++;
  }

  private startShipment(arm: number, shipment: Parameters<MapView["addShipment"]>[1]): void {
    const map = this.map;
    if (!map || !this.layout) return;
    map.addShipment(arm, shipment);
    this.stats.tripsStarted++;
  }

  private async ensureMap(): Promise<void> {
    if (this.map) return;
    this.creating ??= (async () => {
      this.layout = buildLayout(this.store.network!);
      this.map = await MapView.create(byId("map"), this.layout, this.store.arms.length);
      this.map.onPick = () => this.refreshPanels(true);
      void this.map.loadBasemap().then(() => this.refreshPanels(true));
      this.map.ticker.add(() => this.animate());
    })();
    await this.creating;
  }

  /** What the map drew, for the stats: sites' screen positions, basemap, labels. */
  private mapStats(map: MapView, layout: MapLayout): void {
    const s = this.stats;
    const first = map.paneRects()[0];
    s.siteScreen = first ? layout.sites.map((site) => [first.x + map.camera.toScreenX(site.p.x), first.y + map.camera.toScreenY(site.p.y)]) : [];
    s.basemap = { state: map.basemapState, box: map.basemapBox, drawn: map.panes.map((p) => p.basemapDrawn) };
    s.labels = map.panes.map((p) => p.labels);
  }

  /** Site looks, KPI cards, charts, feed, inspector, stats. */
  private refreshPanels(force: boolean): void {
    const map = this.map;
    const layout = this.layout;
    const store = this.store;
    if (!map || !layout || !store.ready) return;
    const now = performance.now();
    this.lastPanels = now;
    this.styledVersion = store.version;
    store.arms.forEach((arm, a) => {
      const looks = layout.sites.map((site) => siteLook(site.type, store.siteStock(a, site.index), store.siteLoad(a, site.index)));
      this.stats.ringsDrawn[a] = looks.filter((l) => l.saturation !== null).length;
      this.stats.saturatedDrawn[a] = looks.filter((l) => l.saturated).length;
      map.restyle(a, looks);
    });
    this.kpiStrip.update(store.arms.map((a) => a.kpi));
    if (force || now - this.lastCharts >= CHART_INTERVAL_MS) {
      this.lastCharts = now;
      const status = store.status!;
      this.charts.draw(this.series, status.horizon, store.t, status.markers, status.held);
    }
    this.alertsPanel.render(this.feed);
    this.inspector.render(map.selected, store, layout);
    const s = this.stats;
    s.panes = store.arms.map((a) => a.label);
    s.sitesDrawn = map.panes.map((p) => p.sitesDrawn);
    this.mapStats(map, layout);
    const picked = map.selected;
    s.selected = picked === null ? null : picked.kind === "site" ? (layout.sites[picked.index]?.id ?? null) : (layout.zones[picked.index]?.id ?? null);
    s.zonesDrawn = map.panes.map((p) => p.zonesDrawn);
    s.lanesDrawn = map.panes.map((p) => p.lanesDrawn);
    s.kpi = store.arms.map((a) => a.kpi);
    s.chartPoints = this.series.map((h) => h.length);
    s.chartFirstT = this.series.map((h) => h.t[0] ?? -1);
    s.held = store.status!.held.map((m) => m.t);
    s.markers = store.status!.markers.map((m) => m.t);
    s.seeking = store.status!.seeking !== null;
    s.alerts = this.feed.total;
    s.alertTexts = this.feed.items.slice(0, 20).map((i) => `${i.armLabel}: ${i.message}`);
    s.seq = store.seq;
    s.t = store.t;
    s.localTime = store.localTime;
    s.playing = store.status!.playing;
    s.speed = store.status!.speed;
    this.onRefresh();
  }
}
