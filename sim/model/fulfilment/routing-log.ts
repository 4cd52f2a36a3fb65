// The routing log: how many orders (and units, and at what mean cost) each site sent along each path for
// each reason, counted over fixed windows and written as decisions so the map can show "why" without one
// record per order.
import { PATH_NAMES } from "../../network/paths.ts";
import { ROUTE_REASONS, type RouteDecision } from "../../policy/router.ts";
import type { World } from "../world.ts";

/** The routing log of one run. */
export class RoutingLog {
  // Per (site, path, reason) over the current window.
  private readonly logCount: Float64Array;
  private readonly logUnits: Float64Array;
  private readonly logCost: Float64Array;
  private readonly logExpressCost: Float64Array;
  private logWindow = 0;
  private readonly logWindowMinutes: number;

  constructor(private readonly w: World) {
    const { network, scenario } = w;
    const keys = network.siteCount * PATH_NAMES.length * ROUTE_REASONS.length;
    this.logCount = new Float64Array(keys);
    this.logUnits = new Float64Array(keys);
    this.logCost = new Float64Array(keys);
    this.logExpressCost = new Float64Array(keys);
    this.logWindowMinutes = scenario.levers.tieredFulfilment.routingLogHours * 60;
  }

  /** Count one routed order (its units, and for the tiered router its cost and the express cost) in the current window. */
  record(d: RouteDecision, units: number, cost: number, expressCost: number): void {
    const window = Math.floor(this.w.sim.now / this.logWindowMinutes);
    if (window !== this.logWindow) {
      this.flush();
      this.logWindow = window;
    }
    const key = (d.site * PATH_NAMES.length + d.path) * ROUTE_REASONS.length + d.reason;
    this.logCount[key]++;
    this.logUnits[key] += units;
    if (cost === cost) {
      this.logCost[key] += cost;
      this.logExpressCost[key] += expressCost;
    }
  }

  /** Write the current window's routing counts as decisions (one per site, path and reason) and clear them. */
  flush(): void {
    const { network, decisions, sim } = this.w;
    const nPath = PATH_NAMES.length;
    const nReason = ROUTE_REASONS.length;
    const from = this.logWindow * this.logWindowMinutes;
    const to = Math.min(sim.now, from + this.logWindowMinutes);
    for (let key = 0; key < this.logCount.length; key++) {
      const count = this.logCount[key];
      if (count === 0) continue;
      const reason = key % nReason;
      const path = Math.floor(key / nReason) % nPath;
      const site = Math.floor(key / (nReason * nPath));
      const figures: Record<string, number | string> = {
        path: PATH_NAMES[path],
        orders: count,
        units: this.logUnits[key],
        fromMinute: from,
        toMinute: to,
      };
      if (reason >= 4) {
        figures.meanCostCny = Math.round((this.logCost[key] / count) * 100) / 100;
        figures.meanExpressCostCny = Math.round((this.logExpressCost[key] / count) * 100) / 100;
      }
      decisions.push({ t: sim.now, kind: "routing", site: network.sites[site].id, reason: ROUTE_REASONS[reason], figures });
      this.logCount[key] = 0;
      this.logUnits[key] = 0;
      this.logCost[key] = 0;
      this.logExpressCost[key] = 0;
    }
  }
}
