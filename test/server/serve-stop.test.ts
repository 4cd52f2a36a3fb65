// `omnitwin serve` fails fast and always stops: a data directory it cannot use is refused before it
// listens (exit 1, the path and the error code, nothing served); SIGINT and SIGTERM stop it. Each server
// is a child process on 127.0.0.1 port 0, signalled and killed by its PID.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "omnitwin-serve-stop-"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  stderr(): string;
  /** The first stdout line (the "serving URL" line), or null if it exited first. */
  firstLine: Promise<string | null>;
}

function serve(dataDir: string): Served {
  const args = [join(root, "bin/omnitwin.js"), "serve", "--port", "0", "--data-dir", dataDir, "--no-client", "--no-default-session"];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const firstLine = new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    void exited.then(() => resolve(null));
  });
  return { child, exited, stderr: () => err, firstLine };
}

/** Exit code within `ms`, or "still running". */
function exitWithin(served: Served, ms: number): Promise<number | null | "still running"> {
  return Promise.race([served.exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms))]);
}

describe("a data directory serve cannot use", () => {
  it("a regular file: exit 1 before listening, naming the path and ENOTDIR", async () => {
    const file = join(scratch, "sessions-file");
    writeFileSync(file, "not a directory");
    const served = serve(file);
    expect(await exitWithin(served, 30_000)).toBe(1);
    expect(await served.firstLine).toBeNull();
    expect(served.stderr()).toContain(`cannot keep sessions in the data directory: ${file} is a file, not a directory: ENOTDIR`);
    expect(served.stderr()).not.toMatch(/serving|this is a bug|unexpected error/);
  }, 40_000);

  it("a path under a regular file: exit 1 with the mkdir error", async () => {
    const file = join(scratch, "plain");
    writeFileSync(file, "x");
    const served = serve(join(file, "sessions"));
    expect(await exitWithin(served, 30_000)).toBe(1);
    expect(served.stderr()).toContain(`cannot create ${join(file, "sessions")}: ENOTDIR`);
  }, 40_000);
});

describe("stopping", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} stops a serving server, which then answers nothing`, async () => {
      const served = serve(join(scratch, `data-${signal}`));
      const line = await served.firstLine;
      const url = line?.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)$/)?.[1];
      expect(url, served.stderr()).toBeDefined();
      expect((await fetch(`${url}api/health`)).status).toBe(200);
      process.kill(served.child.pid!, signal);
      expect(await exitWithin(served, 10_000)).toBe(0);
      expect(served.stderr()).toContain(`${signal}: stopped`);
      await expect(fetch(`${url}api/health`)).rejects.toThrow();
    }, 40_000);
  }
});
