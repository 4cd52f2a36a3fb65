// Slurm: the sbatch array script (one array task per shard, chunked to MaxArraySize, optionally
// throttled with %k), the merge script, and submitting them: the arrays first, then the merge with
// --dependency=afterany so it runs however the tasks end and names the shards that did not finish
// (afterok would leave it pending forever after one failed task). jobs.json records what was submitted.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFilesAtomically } from "../output/files.ts";
import type { ClusterPlan } from "./plan.ts";

export const ARRAY_SCRIPT = "slurm-array.sh";
export const MERGE_SCRIPT = "slurm-merge.sh";
export const JOBS_FILE = "jobs.json";
/** Slurm's default MaxArraySize: array indices run 0 … 1000. */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** What the scripts ask of Slurm beyond the plan. */
export interface SlurmOptions {
  /** At most this many array tasks of one array at once (sbatch --array=…%k). */
  throttle?: number;
  maxArraySize: number;
  partition?: string;
  time?: string;
  mem?: string;
  /** More #SBATCH lines, each "--name=value". */
  sbatch: string[];
  /** The node binary and omnitwin entry point the tasks run (the submitting machine's, on a shared file system). */
  node: string;
  omnitwin: string;
}

/** One sbatch array: shards offset+index+1 for each index. */
export interface ArrayChunk {
  offset: number;
  indices: number[];
}

/** Split shards (1-based) into arrays whose indices stay below maxArraySize. */
export function arrayChunks(shards: readonly number[], maxArraySize: number): ArrayChunk[] {
  const byOffset = new Map<number, number[]>();
  for (const k of [...shards].sort((a, b) => a - b)) {
    const offset = Math.floor((k - 1) / maxArraySize) * maxArraySize;
    byOffset.set(offset, [...(byOffset.get(offset) ?? []), k - 1 - offset]);
  }
  return [...byOffset].map(([offset, indices]) => ({ offset, indices }));
}

/** "0-3,5,7-9": the indices as sbatch --array ranges. */
export function arrayRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function header(plan: ClusterPlan, options: SlurmOptions, name: string, log: string, cpus: number): string[] {
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}`,
    `#SBATCH --chdir=${plan.cwd}`,
    `#SBATCH --output=${join(plan.workDir, "logs", log)}`,
    "#SBATCH --open-mode=append",
    `#SBATCH --cpus-per-task=${cpus}`,
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    ...(options.time ? [`#SBATCH --time=${options.time}`] : []),
    ...(options.mem ? [`#SBATCH --mem=${options.mem}`] : []),
    ...options.sbatch.map((line) => `#SBATCH ${line}`),
  ];
}

/** The array task script: argument 1 is the chunk's offset; the task runs shard offset + SLURM_ARRAY_TASK_ID + 1. */
export function arrayScript(plan: ClusterPlan, options: SlurmOptions): string {
  return [
    ...header(plan, options, `omnitwin-${plan.command}`, "task-%A_%a.log", plan.cpusPerTask),
    // A preempted or requeued task starts again and resumes from its shard's run files.
    "#SBATCH --requeue",
    "#",
    `# omnitwin ${plan.command} ${plan.args.join(" ")}: ${plan.runs} replications in ${plan.shards} shards.`,
    "# Written by omnitwin cluster slurm; submit with omnitwin cluster slurm / resubmit (they pass --array and the offset).",
    "set -euo pipefail",
    `exec ${quote(options.node)} ${quote(options.omnitwin)} cluster task ${quote(plan.workDir)} --index-offset "\${1:-0}"`,
    "",
  ].join("\n");
}

/** The merge script: merges when every shard is done, else names the unfinished ones and exits 1. */
export function mergeScript(plan: ClusterPlan, options: SlurmOptions): string {
  return [
    ...header(plan, options, `omnitwin-${plan.command}-merge`, "merge-%j.log", 1),
    "set -euo pipefail",
    `exec ${quote(options.node)} ${quote(options.omnitwin)} cluster merge ${quote(plan.workDir)}`,
    "",
  ].join("\n");
}

/** Write both scripts into the work directory. */
export function writeSlurmScripts(plan: ClusterPlan, options: SlurmOptions): void {
  writeFilesAtomically(plan.workDir, { [ARRAY_SCRIPT]: arrayScript(plan, options), [MERGE_SCRIPT]: mergeScript(plan, options) });
}

/** One submission: its array jobs and the merge job. */
export interface Submission {
  shards: number[];
  arrays: Array<{ jobId: string; array: string; offset: number; shards: number[] }>;
  mergeJobId: string;
}

/** Runs sbatch (or, for a dry run, says what it would run) and returns the job id. */
export type Sbatch = (args: string[]) => string;

/** The real sbatch: --parsable prints "id" or "id;cluster". */
export const realSbatch: Sbatch = (args) => execFileSync("sbatch", ["--parsable", ...args], { encoding: "utf8" }).trim().split(";")[0];

/** The sbatch argument lists for `shards`: one per array chunk, then the merge (its dependency filled in by submit). */
export function sbatchCalls(
  plan: ClusterPlan,
  shards: readonly number[],
  options: SlurmOptions,
): { arrays: Array<{ args: string[]; array: string; offset: number; shards: number[] }>; merge: string[] } {
  const throttle = options.throttle === undefined ? "" : `%${options.throttle}`;
  const arrays = arrayChunks(shards, options.maxArraySize).map(({ offset, indices }) => {
    const array = `${arrayRanges(indices)}${throttle}`;
    return { args: [`--array=${array}`, join(plan.workDir, ARRAY_SCRIPT), String(offset)], array, offset, shards: indices.map((i) => offset + i + 1) };
  });
  return { arrays, merge: ["--kill-on-invalid-dep=no", join(plan.workDir, MERGE_SCRIPT)] };
}

/** Submit the arrays for `shards`, then the merge after all of them (afterany), and record it in jobs.json. */
export function submit(plan: ClusterPlan, shards: readonly number[], options: SlurmOptions, sbatch: Sbatch): Submission {
  const calls = sbatchCalls(plan, shards, options);
  const arrays = calls.arrays.map((call) => ({ jobId: sbatch(call.args), array: call.array, offset: call.offset, shards: call.shards }));
  const dependency = `--dependency=afterany:${arrays.map((a) => a.jobId).join(":")}`;
  const mergeJobId = sbatch([dependency, ...calls.merge]);
  const submission: Submission = { shards: [...shards], arrays, mergeJobId };
  writeFilesAtomically(plan.workDir, { [JOBS_FILE]: `${JSON.stringify([...submissions(plan), submission], null, 2)}\n` });
  return submission;
}

/** Every submission so far, oldest first. */
export function submissions(plan: ClusterPlan): Submission[] {
  const path = join(plan.workDir, JOBS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Submission[]) : [];
}

/**
 * The recorded jobs Slurm still has queued or running ("123_4 RUNNING"), so a resubmit does not run a shard
 * twice at once. Reads the user's whole queue: squeue --jobs fails on ids Slurm has already forgotten.
 */
export function activeJobs(plan: ClusterPlan): string[] {
  const ids = new Set(submissions(plan).flatMap((s) => [...s.arrays.map((a) => a.jobId), s.mergeJobId]));
  if (ids.size === 0) return [];
  const out = execFileSync("squeue", ["--me", "--noheader", "--array", "--format=%i %T"], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && ids.has(line.split(/[_ ]/)[0]));
}

export const SLURM_OPTIONS_FILE = "slurm.json";

/** Keep the options a resubmit needs again. */
export function writeSlurmOptions(plan: ClusterPlan, options: SlurmOptions): void {
  writeFilesAtomically(plan.workDir, { [SLURM_OPTIONS_FILE]: `${JSON.stringify(options, null, 2)}\n` });
}

/** The options the plan was submitted with. */
export function readSlurmOptions(plan: ClusterPlan): SlurmOptions {
  return JSON.parse(readFileSync(join(plan.workDir, SLURM_OPTIONS_FILE), "utf8")) as SlurmOptions;
}
