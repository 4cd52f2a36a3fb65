// Writing result files so a reader never sees a half-written one: each file is written to a
// temporary name in the target directory and renamed into place (a rename within one directory
// is atomic on POSIX file systems). Old files are replaced only once every new file is complete.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

let counter = 0;

/** Create `dir` if needed and write each `name → contents` into it atomically; returns the paths written. */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): string[] {
  mkdirSync(dir, { recursive: true });
  const staged: Array<{ temporary: string; target: string }> = [];
  try {
    for (const [name, contents] of Object.entries(files)) {
      const target = join(dir, name);
      const temporary = join(dir, `.${name}.${process.pid}.${++counter}.tmp`);
      staged.push({ temporary, target });
      writeFileSync(temporary, contents);
    }
    for (const { temporary, target } of staged) renameSync(temporary, target);
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw error;
  }
  return staged.map((s) => s.target);
}
