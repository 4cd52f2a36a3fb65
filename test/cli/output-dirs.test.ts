// Output directories are checked before any work and held by one run at a time: an --out that is a
// file, read-only, full or not permitted is refused before a replication runs, naming the path and
// the error code; a second run on a held --out says who holds it and exits 1, or waits with --wait;
// a lock left by a process that is gone is taken over.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../server/output/files.ts";
import { LOCK_FILE, tryLock, unwritableReason, type DirFs } from "../../server/output/writable.ts";
import { cleanScratch, cli, scratch, TINY } from "../experiments/support.ts";

afterAll(() => cleanScratch());

const batch = (out: string, ...extra: string[]) => cli("compare", TINY, "--reps", "2", "--workers", "0", "--out", out, ...extra);

describe("an --out that cannot hold output", () => {
  it("a regular file: refused before anything runs, with the path and ENOTDIR", async () => {
    const file = join(scratch("out-file"), "results");
    writeFileSync(file, "not a directory");
    for (const r of [await batch(file), await cli("run", TINY, "--out", file)]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file} is a file, not a directory: ENOTDIR`);
      expect(r.stderr).toContain("nothing was run");
      expect(r.stderr).not.toMatch(/replications? done|ran tiny|this is a bug/);
    }
  });

  it("a path under a file: the mkdir error code and the path", async () => {
    const file = join(scratch("out-under"), "plain");
    writeFileSync(file, "x");
    const r = await batch(join(file, "sub"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot create ${join(file, "sub")}: ENOTDIR`);
  });

  // Root passes permission checks and the machine has no read-only or full file system to point at,
  // so these codes come from an injected file system; the wording is what a user sees.
  const failing = (step: keyof DirFs, code: string): DirFs => {
    const real: DirFs = { mkdirSync: () => undefined, statSync: () => ({ isDirectory: () => true }), openSync: () => 3, writeSync: () => 1, closeSync: () => {}, unlinkSync: () => {} };
    return {
      ...real,
      [step]: () => {
        throw Object.assign(new Error(`${code}: injected`), { code });
      },
    };
  };
  it.each([
    ["mkdirSync", "EROFS", "cannot create /data/out: EROFS (the file system is read-only)"],
    ["openSync", "EROFS", "cannot write in /data/out: EROFS (the file system is read-only)"],
    ["writeSync", "ENOSPC", "cannot write in /data/out: ENOSPC (no space left on the device)"],
    ["openSync", "EACCES", "cannot write in /data/out: EACCES (permission denied)"],
  ] as const)("%s failing with %s", (step, code, message) => {
    expect(unwritableReason("/data/out", failing(step, code))).toBe(message);
  });

  it("a write that fails later names the file and the code", () => {
    const file = join(scratch("out-late"), "plain");
    writeFileSync(file, "x");
    expect(() => writeFilesAtomically(join(file, "runs"), { "a.json": "{}" })).toThrow(/^cannot write .*plain\/runs: (ENOTDIR|EEXIST) \(/);
  });
});

describe("a run file that cannot be written mid-batch", () => {
  for (const workers of ["0", "2"]) {
    it(`stops the batch there, naming the file and the code (--workers ${workers})`, async () => {
      // --out itself takes files (the check passes) but its runs/ is a plain file: the first run file fails.
      const out = scratch("late-failure");
      writeFileSync(join(out, "runs"), "in the way");
      const r = await cli("compare", TINY, "--reps", "20", "--workers", workers, "--out", out);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`error: cannot write ${join(out, "runs")}: E(EXIST|NOTDIR) \\(`));
      // Stopped after the replications already under way, not after all 40.
      const done = [...r.stderr.matchAll(/(\d+)\/40/g)].map((m) => Number(m[1]));
      expect(Math.max(0, ...done)).toBeLessThan(10);
    });
  }
});

describe("one run per --out", () => {
  it("a second run on a held --out says who holds it and exits 1 without running", async () => {
    const out = scratch("locked");
    const held = tryLock(out);
    if (!held.ok) throw new Error("could not take the lock");
    try {
      const r = await batch(out);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${out} is in use by another omnitwin run (process ${process.pid}`);
      expect(r.stderr).toContain("--wait");
      expect(existsSync(join(out, "runs"))).toBe(false);
    } finally {
      held.lock.release();
    }
  });

  it("with --wait, runs once the holder is done", async () => {
    const out = scratch("waited");
    const held = tryLock(out);
    if (!held.ok) throw new Error("could not take the lock");
    setTimeout(() => held.lock.release(), 600);
    const started = Date.now();
    const r = await batch(out, "--wait");
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(r.stderr).toContain("waiting for it to finish (--wait)");
    expect(readdirSync(join(out, "runs"))).toHaveLength(4);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it("takes over a lock left by a process that is gone", async () => {
    const out = scratch("stale");
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, LOCK_FILE), `${JSON.stringify({ pid: gone, host: (await import("node:os")).hostname(), since: "2026-01-01T00:00:00.000Z" })}\n`);
    const r = await batch(out);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});
