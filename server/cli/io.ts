// Where the CLI writes and what its exit codes mean. Commands take an io object instead of
// touching process.stdout/stderr, so tests can run them in process and read what they printed.
import type { BatchPlan } from "../experiments/batch.ts";
import type { Writer } from "../output/writer.ts";
import type { BatchOptions } from "./batch-options.ts";

/** The CLI's two output streams. */
export interface CliIo {
  stdout: Writer;
  stderr: Writer;
}

/** Exit codes: 0 success, 1 the command failed while working (e.g. a file could not be written), 2 bad input or usage. */
export const EXIT = {
  ok: 0,
  failed: 1,
  badInput: 2,
} as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a command's action gets: where to write, and how to report its exit code to main(). */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: ExitCode): void;
  /**
   * When set, compare, ablation and sweep check their arguments, hand the batch they would run to this
   * function and stop without running it (`omnitwin cluster` plans a batch for a scheduler this way).
   */
  planOnly?: BatchPlanned;
}

/** Receives a checked batch instead of running it: its plan and the options it was given. */
export type BatchPlanned = (plan: BatchPlan, options: BatchOptions) => void;

/** The process's own stdout and stderr. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** A plain sentence for an error of unknown kind (no stack trace: the message is what a user can act on). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
