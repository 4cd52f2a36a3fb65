// Writing result files so a reader never sees a half-written one: each file is written to a
// temporary name in the target directory and renamed into place (a rename within one directory
// is atomic on POSIX file systems). Old files are replaced only once every new file is complete.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeFsError, errorCode } from "./writable.ts";

/** A file that could not be written: its path and the file-system error code (ENOSPC, EROFS, EACCES…) are in the message. */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${describeFsError(cause)}`, { cause });
    this.name = "OutputError";
  }
}

let counter = 0;

/** Create `dir` if needed and write each `name → contents` into it atomically; returns the paths written. */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): string[] {
  // Each step names the path it works on, so a failure says which file (a failed write() carries no path).
  let current = dir;
  const staged: Array<{ temporary: string; target: string }> = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, contents] of Object.entries(files)) {
      const target = join(dir, name);
      const temporary = join(dir, `.${name}.${process.pid}.${++counter}.tmp`);
      staged.push({ temporary, target });
      current = target;
      writeFileSync(temporary, contents);
    }
    for (const { temporary, target } of staged) {
      current = target;
      renameSync(temporary, target);
    }
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw new OutputError(current, errorCode(error), error);
  }
  return staged.map((s) => s.target);
}
