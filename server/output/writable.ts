// Output directories checked before any work: `serve --data-dir` and the batch commands' `--out` are
// created if needed, must be directories, and must take a file (a probe is written and removed), so a
// read-only or full disk is reported before anything is computed. A batch also holds a lock file in
// its --out so two runs never write one directory. Every message names the path and the error code.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** The file-system calls the checks make; tests inject failures (EROFS, ENOSPC, EACCES) a root user cannot provoke. */
export interface DirFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  statSync(path: string): { isDirectory(): boolean };
  openSync(path: string, flags: string): number;
  writeSync(fd: number, text: string): number;
  closeSync(fd: number): void;
  unlinkSync(path: string): void;
}

const realFs: DirFs = { mkdirSync, statSync, openSync, writeSync, closeSync, unlinkSync };

const MEANINGS: Record<string, string> = {
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EEXIST: "a file of that name exists and is not a directory",
  EISDIR: "it is a directory",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

/** The error code of a file-system error ("EROFS"), or undefined for any other error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** "EROFS (the file system is read-only)", or the error's own message when it has no code. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return MEANINGS[code] === undefined ? `${code} (${error instanceof Error ? error.message : String(error)})` : `${code} (${MEANINGS[code]})`;
}

/** Why `dir` cannot hold output, or null when it can (it is created if missing). */
export function unwritableReason(dir: string, fs: DirFs = realFs): string | null {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    // mkdir on an existing regular file says EEXIST or ENOTDIR; say what the user can act on.
    if (errorCode(error) !== "EEXIST") return `cannot create ${dir}: ${describeFsError(error)}`;
  }
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a directory: ENOTDIR`;
  } catch (error) {
    return `cannot use ${dir}: ${describeFsError(error)}`;
  }
  const probe = join(dir, `.omnitwin-probe.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(probe, "w");
    // A byte, so a full disk says ENOSPC here rather than after the work.
    fs.writeSync(fd, "x");
  } catch (error) {
    return `cannot write in ${dir}: ${describeFsError(error)}`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      if (fd !== undefined) fs.unlinkSync(probe);
    } catch {
      // The probe could be written but not removed: harmless, and not what the caller asked about.
    }
  }
  return null;
}

/** The lock file a batch holds in its --out. */
export const LOCK_FILE = ".omnitwin.lock";

/** Who holds a directory's lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** A held lock; release() removes the lock file (once). */
export interface DirLock {
  release(): void;
}

/**
 * Take the lock on `dir` (an existing, writable directory): the lock, or who holds it. A lock left by
 * a process that no longer runs on this host is stale and taken over.
 */
export function tryLock(dir: string, now: () => Date = () => new Date()): { ok: true; lock: DirLock } | { ok: false; holder: LockHolder } {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname(), since: now().toISOString() })}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        ok: true,
        lock: {
          release() {
            if (released) return;
            released = true;
            rmSync(path, { force: true });
          },
        },
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    // Unreadable: its writer may be between creating and writing it, so it is held (the message names the file).
    const holder = readHolder(path) ?? { pid: 0, host: "unknown", since: "unknown" };
    if (!isStale(holder)) return { ok: false, holder };
    // Its process no longer runs on this host: take it over.
    rmSync(path, { force: true });
  }
  const holder = readHolder(path);
  return { ok: false, holder: holder ?? { pid: 0, host: "unknown", since: "unknown" } };
}

/** A sentence naming who holds the lock. */
export function describeHolder(dir: string, holder: LockHolder): string {
  return `${dir} is in use by another omnitwin run (process ${holder.pid} on ${holder.host}, since ${holder.since}; lock file ${join(dir, LOCK_FILE)})`;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.since === "string") return value as LockHolder;
  } catch {
    // Missing or half-written.
  }
  return undefined;
}

function isStale(holder: LockHolder): boolean {
  // Another host's process cannot be checked from here: trust its lock.
  if (holder.host !== hostname() || holder.pid <= 0) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === "ESRCH";
  }
}
