// A finished batch's replications, in canonical task order, and the flat rows of results.csv and
// results.json (Mesa's batch_run: one row per run, every parameter and KPI a column). Everything
// here is computed from the run records alone, so it is the same whoever ran them and in what order.
import { LEVERS, parsePolicy } from "../../sim/index.ts";
import { kpiUnion, kpiValue } from "./kpis.ts";
import type { RunRecord } from "./replicate.ts";
import type { BatchSpec, Task } from "./spec.ts";

/** The records of a whole batch, looked up by (variant, policy, replication). */
export class ResultSet {
  /** Every KPI any run has, in a stable order. */
  readonly kpis: string[];
  private readonly byTask = new Map<string, RunRecord>();

  constructor(
    readonly spec: BatchSpec,
    readonly tasks: readonly Task[],
    readonly records: readonly RunRecord[],
  ) {
    if (records.length !== tasks.length) throw new RangeError(`${records.length} records for ${tasks.length} tasks`);
    tasks.forEach((t, i) => this.byTask.set(taskId(t.variant, t.policy, t.rep), records[i]));
    this.kpis = kpiUnion(records.map((r) => r.kpis));
  }

  /** The record of one replication. */
  record(variant: number, policy: string, rep: number): RunRecord {
    const record = this.byTask.get(taskId(variant, policy, rep));
    if (record === undefined) throw new RangeError(`no replication ${rep} of ${policy} in variant ${variant}`);
    return record;
  }

  /** One KPI over the replications of a variant and policy, replication order; undefined where a run has no value. */
  series(variant: number, policy: string, kpi: string): Array<number | undefined> {
    const out: Array<number | undefined> = [];
    for (let rep = 0; rep < this.spec.reps; rep++) out.push(kpiValue(this.record(variant, policy, rep).kpis, kpi));
    return out;
  }
}

function taskId(variant: number, policy: string, rep: number): string {
  return `${variant}\u0000${policy}\u0000${rep}`;
}

/** A cell of a flat table. */
export type Cell = string | number | boolean | null;

/** results.csv / results.json: the column names and one row per replication. */
export function flatRows(results: ResultSet): { columns: string[]; rows: Cell[][] } {
  const { spec, tasks, records } = results;
  const paths = spec.variants[0]?.settings.map((s) => s.path) ?? [];
  const columns = ["run", "replication", "seed", "policy", ...LEVERS, ...paths.map((p) => `set:${p}`), "scenarioHash", "events", ...results.kpis];
  const rows = tasks.map((task, i): Cell[] => {
    const record = records[i];
    const policy = parsePolicy(task.policy);
    const variant = spec.variants[task.variant];
    return [
      task.index + 1,
      task.rep + 1,
      task.seed,
      task.policy,
      ...LEVERS.map((l) => policy[l]),
      ...variant.settings.map((s) => s.value),
      variant.scenarioHash,
      record.events,
      ...results.kpis.map((k) => kpiValue(record.kpis, k) ?? null),
    ];
  });
  return { columns, rows };
}

/** Rows as CSV: a header line, RFC 4180 quoting, null as an empty cell, "\n" line ends. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [columns, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

function csvCell(value: Cell | undefined): string {
  if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as a JSON array of objects keyed by column (what pandas.read_json and jq expect). */
export function toJsonRows(columns: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 1)}\n`;
}
