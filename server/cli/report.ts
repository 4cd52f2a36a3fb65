// The KPI report `omnitwin run` prints: the run summary laid out for a planner, in sections
// (orders, baskets when orders have several lines, service, cost, by path, inventory, capacity), each KPI under its registry label and unit
// (sim/observe/kpis.ts) with thousands separators.
// It shows only what the summary holds, so the text is as deterministic as the summary itself.
import { KPI_UNITS, kpiLabel, kpiSpec, policyName, type Policy, type RunSummary } from "../../sim/index.ts";
import { addedInterventionsLine } from "../output/interventions-line.ts";
import { forecastLine } from "../output/forecast-line.ts";
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
  const rows = (keys: readonly string[]) => metrics(keys.map((key) => kpiRow(key, valueAt(k, key))));
  const each = (group: string, ids: readonly string[], suffix = "") => ids.map((id) => `${group}.${id}${suffix}`);
  const lines = [
    `omnitwin ${summary.omnitwinVersion} · scenario ${summary.scenario.id} · policy ${policyName(summary.policy as Policy)} · seed ${summary.seed}`,
    `${formatNumber(summary.events)} events · ${formatNumber(summary.simulatedDays, 1)} days simulated · scenario hash ${summary.scenario.hash}`,
    ...(summary.interventions === undefined ? [] : [addedInterventionsLine(summary.interventions.hash, summary.interventions.added)]),
    forecastLine(summary.forecast),
    "",
    ...section("Orders", rows(["ordersPlaced", "ordersDelivered", "ordersCancelled", "ordersOpenAtEnd", "refunds", "walkInCustomers", "walkInSold", "unitsDemanded", "unitsLostSales", "demandShiftedByPressure.ordersSuppressed"])),
    // With multi-line orders the order KPIs count lines: say so, and give the customer orders beside them.
    ...(k.baskets.multiLineOrders > 0
      ? section("Baskets (the orders above are order lines, one SKU each)", rows(["baskets.customerOrders", "baskets.lines", "baskets.linesPerOrder", "baskets.multiLineOrders", "baskets.splitRate", "baskets.parcelsPerOrder"]))
      : []),
    ...section(
      "Service",
      rows([
        "fillRate",
        "fillRateOfPlannedDemand",
        "onTimeRate",
        "orderLeadTimeHours.mean",
        "orderLeadTimeHours.p50",
        "orderLeadTimeHours.p95",
        "orderLeadTimeHours.max",
        "backlogPeakOrders",
        "satisfactionIndex",
        ...each("returnCycleTimeHours", Object.keys(k.returnCycleTimeHours)),
      ]),
    ),
    ...section(
      "Cost (CNY)",
      rows([...each("costs", Object.keys(k.costs)), "revenue", "costOfGoodsSold", "grossMargin", "lostMargin", "fulfilmentCostPerOrder"]),
    ),
    ...section("By path", byPath(summary)),
    ...section("Inventory", [...rows(["inventoryTurnover", "stockoutWhileOverstocked", "bullwhipRatio", "forecastAccuracy.bias", "forecastAccuracy.mape", "forecastAccuracy.wape"]), "", ...ledger(summary)]),
    ...section("Capacity (pick/pack utilisation)", rows(each("capacityUtilisation", Object.keys(k.capacityUtilisation)))),
  ];
  // The last section's blank line is not needed: end with exactly one newline.
  while (lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/** A summary's KPI by its dotted registry key. */
function valueAt(kpis: RunSummary["kpis"], key: string): number | null {
  let v: unknown = kpis;
  for (const part of key.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === "number" ? v : null;
}

/** A KPI row: the registry's label, the value formatted for its unit, and the unit. */
function kpiRow(key: string, value: number | null): MetricRow {
  const spec = kpiSpec(key);
  const unit = spec?.unit;
  if (unit === KPI_UNITS.share) return [kpiLabel(key), formatPercent(value), "%"];
  const decimals = unit === KPI_UNITS.hours || unit === KPI_UNITS.index ? 1 : unit === KPI_UNITS.cnyPerOrder || unit === KPI_UNITS.ratio || unit === KPI_UNITS.turns ? 2 : 0;
  return [kpiLabel(key), formatNumber(value, decimals), unit ?? ""];
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
