// Writes the KPI registry's table (sim/observe/kpis.ts) into docs/kpis.md between its kpi-table markers.
// A test fails while the two differ, so the doc can never drift from the code.
import { readFileSync, writeFileSync } from "node:fs";
import { kpiTableMarkdown } from "../sim/observe/kpis.ts";

const path = new URL("../docs/kpis.md", import.meta.url);
const doc = readFileSync(path, "utf8");
const [before, rest] = doc.split("<!-- kpi-table:start -->");
const after = rest?.split("<!-- kpi-table:end -->")[1];
if (after === undefined) throw new Error("docs/kpis.md has no <!-- kpi-table:start --> … <!-- kpi-table:end --> markers");
writeFileSync(path, `${before}<!-- kpi-table:start -->\n${kpiTableMarkdown()}\n<!-- kpi-table:end -->${after}`);
console.log("docs/kpis.md: KPI table written from the registry");
