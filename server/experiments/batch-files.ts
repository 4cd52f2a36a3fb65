// Where a batch's inputs came from, as the user typed them, and the command line that re-runs it:
// the report prints the real scenario path rather than a placeholder.
import type { BatchFiles, BatchSpec } from "./spec.ts";

/** The input files of a batch command. */
export function batchFiles(scenario: string, interventions: string | undefined): BatchFiles {
  return interventions === undefined ? { scenario } : { scenario, interventions };
}

/** A word for a POSIX shell: as it is when it is safe, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The command that reproduces this batch, with the scenario path the batch was run with (SCENARIO.json if unknown). */
export function rerunCommand(spec: BatchSpec): string {
  const parts = [`omnitwin ${spec.command} ${shellWord(spec.files?.scenario ?? "SCENARIO.json")}`, `--reps ${spec.reps}`, `--seed ${spec.firstSeed}`];
  if (spec.command === "compare") parts.push(`--a ${spec.options.a}`, `--b ${spec.options.b}`);
  if (spec.command === "ablation" && spec.options.design === "one-off") parts.push("--one-off");
  if (spec.command === "sweep") {
    const paths = spec.variants[0].settings.map((s) => s.path);
    paths.forEach((p, i) => parts.push(`--set ${shellWord(`${p}=${[...new Set(spec.variants.map((v) => scalar(v.settings[i].value)))].join(",")}`)}`));
    for (const p of spec.policies) parts.push(`--policy ${shellWord(p)}`);
  }
  if (spec.kpis.length > 0) parts.push(`--kpi ${shellWord(spec.kpis.join(","))}`);
  if (spec.interventions !== undefined) parts.push(`--interventions ${shellWord(spec.files?.interventions ?? "INTERVENTIONS.json")}`);
  if (spec.timeseries !== undefined) parts.push("--timeseries");
  return parts.join(" ");
}

/** A --set value as the sweep parser reads it back: text as it is, everything else as JSON. */
function scalar(value: string | number | boolean | null): string {
  return typeof value === "string" && /^[A-Za-z][\w-]*$/.test(value) && !["true", "false", "null"].includes(value) ? value : JSON.stringify(value);
}
