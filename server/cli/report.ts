// The KPI report `omnitwin run` prints: the run summary laid out for a planner, in sections
// (orders, service, cost, by path, inventory, capacity) with units and thousands separators.
// It shows only what the summary holds, so the text is as deterministic as the summary itself.
import { policyName, type Policy, type RunSummary } from "../../sim/index.ts";
import { addedInterventionsLine } from "../output/interventions-line.ts";
import { formatNumber, formatPercent, MISSING, renderTable, section, type Column } from "../output/table.ts";

const METRIC_COLUMNS: readonly Column[] = [
  { header: "", align: "left" },
  { header: "", align: "right" },
  { header: "", align: "left" },
];

type MetricRow = readonly [label: string, value: string, unit: string];

/** The whole report as text, ending in a newline. */
export function kpiReport(summary: RunSummary): string {
  const k = summary.kpis;
  const lines = [
    `omnitwin ${summary.omnitwinVersion} · scenario ${summary.scenario.id} · policy ${policyName(summary.policy as Policy)} · seed ${summary.seed}`,
    `${formatNumber(summary.events)} events · ${formatNumber(summary.simulatedDays, 1)} days simulated · scenario hash ${summary.scenario.hash}`,
    ...(summary.interventions === undefined ? [] : [addedInterventionsLine(summary.interventions.hash, summary.interventions.added)]),
    "",
    ...section("Orders", metrics([
      ["placed (online)", formatNumber(k.ordersPlaced), "orders"],
      ["delivered", formatNumber(k.ordersDelivered), "orders"],
      ["cancelled", formatNumber(k.ordersCancelled), "orders"],
      ["open at end", formatNumber(k.ordersOpenAtEnd), "orders"],
      ["refunds", formatNumber(k.refunds), "refunds"],
      ["walk-in customers", formatNumber(k.walkInCustomers), "customers"],
      ["walk-in sold", formatNumber(k.walkInSold), "customers"],
      ["units demanded", formatNumber(k.unitsDemanded), "units"],
      ["units lost sales", formatNumber(k.unitsLostSales), "units"],
    ])),
    ...section("Service", metrics([
      ["fill rate", formatPercent(k.fillRate), "%"],
      ["on-time rate", formatPercent(k.onTimeRate), "%"],
      ["lead time, mean", formatNumber(k.orderLeadTimeHours.mean, 1), "hours"],
      ["lead time, p50", formatNumber(k.orderLeadTimeHours.p50, 1), "hours"],
      ["lead time, p95", formatNumber(k.orderLeadTimeHours.p95, 1), "hours"],
      ["lead time, max", formatNumber(k.orderLeadTimeHours.max, 1), "hours"],
      ["backlog peak", formatNumber(k.backlogPeakOrders), "orders"],
      ["satisfaction index", formatNumber(k.satisfactionIndex, 1), "of 100"],
      ...Object.entries(k.returnCycleTimeHours).map(([channel, hours]): MetricRow => [`return cycle, ${channel}`, formatNumber(hours, 1), "hours"]),
    ])),
    ...section("Cost (CNY)", metrics([
      ["fulfilment (last mile)", formatNumber(k.costs.fulfilment), ""],
      ["pick/pack", formatNumber(k.costs.pickPack), ""],
      ["transfer", formatNumber(k.costs.transfer), ""],
      ["holding", formatNumber(k.costs.holding), ""],
      ["expedite", formatNumber(k.costs.expedite), ""],
      ["production overtime", formatNumber(k.costs.production), ""],
      ["late compensation", formatNumber(k.costs.compensation), ""],
      ["returns", formatNumber(k.costs.returns), ""],
      ["total cost", formatNumber(k.costs.total), ""],
      ["revenue", formatNumber(k.revenue), ""],
      ["cost of goods sold", formatNumber(k.costOfGoodsSold), ""],
      ["gross margin", formatNumber(k.grossMargin), ""],
      ["lost margin", formatNumber(k.lostMargin), ""],
      ["fulfilment cost per order", formatNumber(k.fulfilmentCostPerOrder, 2), "per delivered order"],
    ])),
    ...section("By path", byPath(summary)),
    ...section("Inventory", [
      ...metrics([
        ["turnover", formatNumber(k.inventoryTurnover, 2), "turns over the run"],
        ["stockout while overstocked", formatPercent(k.stockoutWhileOverstocked), "% of site-SKU-hours"],
        ["bullwhip ratio", formatNumber(k.bullwhipRatio, 2), "variance upstream / demand"],
      ]),
      "",
      ...ledger(summary),
    ]),
    ...section("Capacity (pick/pack utilisation)", metrics(
      Object.entries(k.capacityUtilisation).map(([site, share]): MetricRow => [site, formatPercent(share), "%"]),
    )),
  ];
  // The last section's blank line is not needed: end with exactly one newline.
  while (lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

function metrics(rows: readonly MetricRow[]): string[] {
  return renderTable(METRIC_COLUMNS, rows);
}

function byPath(summary: RunSummary): string[] {
  const { ordersByPath, fulfilmentCostPerOrderByPath } = summary.kpis;
  const total = Object.values(ordersByPath).reduce((sum, n) => sum + n, 0);
  const rows = Object.entries(ordersByPath).map(([path, orders]) => [
    path,
    formatNumber(orders),
    total > 0 ? formatPercent(orders / total) : MISSING,
    formatNumber(fulfilmentCostPerOrderByPath[path as keyof typeof fulfilmentCostPerOrderByPath], 2),
  ]);
  return renderTable(
    [
      { header: "path", align: "left" },
      { header: "orders", align: "right" },
      { header: "% of orders", align: "right" },
      { header: "CNY per delivered order", align: "right" },
    ],
    rows,
  );
}

function ledger(summary: RunSummary): string[] {
  const rows = Object.entries(summary.ledger).map(([sku, l]) => [
    sku,
    formatNumber(l.initial),
    formatNumber(l.produced),
    formatNumber(l.shippedToCustomers),
    formatNumber(l.returnedToStock),
    formatNumber(l.scrapped),
    formatNumber(l.onHandEnd),
    formatNumber(l.inTransitEnd),
  ]);
  const number = (header: string): Column => ({ header, align: "right" });
  return renderTable(
    [{ header: "units by SKU", align: "left" }, number("initial"), number("produced"), number("shipped"), number("returned"), number("scrapped"), number("on hand at end"), number("in transit at end")],
    rows,
  );
}
