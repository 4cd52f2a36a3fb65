// Valid but doubtful: settings the model runs as written that a planner most likely did not mean. Never
// refused (a file that validates today keeps validating); `validate` and the commands that run a scenario
// print them, each with its JSON path.
import { formatPath, type Problem } from "./problems.ts";
import { DEFAULT_FINISHED_GOODS_CAP_DAYS, productionLeadHours, type Scenario } from "./schema.ts";

/** The warnings of a valid scenario, in file order ([] when nothing looks doubtful). */
export function scenarioWarnings(scenario: Scenario): Problem[] {
  const out: Problem[] = [];
  const life = new Map<string, number>();
  for (const sku of scenario.skus) if (sku.shelfLifeDays !== undefined) life.set(sku.id, sku.shelfLifeDays);
  scenario.sites.forEach((site, s) => {
    if (site.type !== "factory") return;
    site.production.forEach((line, p) => {
      const days = life.get(line.sku);
      if (days === undefined) return;
      // Stock a factory holds beyond its order book ages there and on the way; it ships its oldest first.
      const leadDays = productionLeadHours(site, line) / 24;
      if (line.finishedGoodsCapDays + leadDays < days) return;
      out.push({
        path: formatPath(["sites", s, "production", p, "finishedGoodsCapDays"]),
        message:
          `${line.sku} has a shelf life of ${days} days, but this factory may stock ${line.finishedGoodsCapDays} days of its output ` +
          `(finishedGoodsCapDays; ${DEFAULT_FINISHED_GOODS_CAP_DAYS} when not given) and its shipments take ${Math.round(leadDays * 24)} h to reach the RDC. It ships its ` +
          "oldest units first, so they can expire on the way and leave the network without fresh stock; set finishedGoodsCapDays " +
          "to 0 (make to order), or below the shelf life less the lead time",
      });
    });
  });
  return out;
}
