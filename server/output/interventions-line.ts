// The line a report prints for the interventions added on top of a scenario's own: one run's report
// (server/cli/report.ts) and a batch's text report (server/experiments/report-text.ts) say it alike.
import type { Intervention } from "../../sim/index.ts";

/** "2 interventions added on top of the scenario's own (demand-surge, factory-disruption) · interventions hash …". */
export function addedInterventionsLine(hash: string, added: readonly Intervention[]): string {
  const count = added.length === 1 ? "1 intervention" : `${added.length} interventions`;
  return `${count} added on top of the scenario's own (${added.map((i) => i.type).join(", ")}) · interventions hash ${hash}`;
}
