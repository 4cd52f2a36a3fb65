// A batch survives what goes wrong part-way: a process killed mid-batch (SIGKILL) and re-run ends
// identical to an uninterrupted run; a worker that crashes, hangs or throws on one replication is
// retried, and if it fails again the batch finishes, reports the replication with its seed and
// exits 1 instead of hanging. Faults are injected by a test worker (fixtures/faulty-worker.ts).
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../../server/cli/io.ts";
import { baseVariant, buildSpec, runBatchCommand, type BatchOptions } from "../../server/cli/batch-options.ts";
import { cleanScratch, cli, faultyWorker, scratch, snapshot, TINY, tinyScenario } from "./support.ts";

const BIN = fileURLToPath(new URL("../../bin/omnitwin.js", import.meta.url));
afterAll(cleanScratch);

/** Run the compare batch of the tiny scenario through the command's own code, on a chosen worker module. */
async function compareWith(options: Partial<BatchOptions> & { reps: number; out: string }) {
  const base = tinyScenario();
  const variant = baseVariant(base);
  const all: BatchOptions = { seed: 11, workers: 2, timeout: 60, ...options };
  const spec = buildSpec("compare", base, [variant], ["siloed", "coordinated"], all, { a: "siloed", b: "coordinated" });
  let stdout = "";
  let stderr = "";
  const context: CommandContext = { io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } }, setExitCode() {} };
  const code = await runBatchCommand({ spec, scenarios: new Map([[variant.scenarioHash, base]]) }, all, context);
  return { code, stdout, stderr };
}

describe("killed and resumed", () => {
  it("a batch killed with SIGKILL part-way, then re-run, writes what an uninterrupted batch writes", async () => {
    const args = ["compare", TINY, "--reps", "12", "--seed", "11", "--kpi", "costs.total,fillRate"];
    const refDir = join(scratch("kill-ref"), "out");
    const ref = await cli(...args, "--workers", "0", "--out", refDir);
    expect(ref.code, ref.stderr).toBe(0);

    const dir = join(scratch("killed"), "out");
    const child = spawn(process.execPath, [BIN, ...args, "--workers", "1", "--out", dir], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_, signal) => done(signal)));
    let done = 0;
    while (done < 4) {
      await new Promise((r) => setTimeout(r, 10));
      done = existsSync(join(dir, "runs")) ? readdirSync(join(dir, "runs")).filter((f) => f.endsWith(".json")).length : 0;
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const left = readdirSync(join(dir, "runs")).filter((f) => f.endsWith(".json")).length;
    expect(left, "killed before the end").toBeLessThan(24);
    expect(existsSync(join(dir, "results.csv"))).toBe(false);

    const resumed = await cli(...args, "--workers", "2", "--out", dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming, ${left} of 24 replications already done`);
    expect(snapshot(dir)).toEqual(snapshot(refDir));
    expect(resumed.stdout).toBe(ref.stdout);
  });
});

describe("crashed, hung and failing workers", () => {
  it("a crash, a hang and a throw that happen once are retried, and the batch ends as if nothing happened", async () => {
    const refDir = join(scratch("faults-ref"), "out");
    expect((await compareWith({ reps: 3, out: refDir, workers: 0 })).code).toBe(0);
    const dir = join(scratch("faults-once"), "out");
    const markers = scratch("markers");
    const r = await compareWith({ reps: 3, out: dir, timeout: 3, workerModule: faultyWorker({ crash: "11", hang: "12", throw: "13", once: markers }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replication 1 \(policy \w+, seed 11\): its worker exited with code 70; retrying/);
    expect(r.stderr).toMatch(/replication 2 \(policy \w+, seed 12\): no result after 3 s \(hung\); its worker was stopped; retrying/);
    expect(r.stderr).toMatch(/replication 3 \(policy \w+, seed 13\): the replication threw: injected failure on seed 13; retrying/);
    expect(snapshot(dir)).toEqual(snapshot(refDir));
  });

  it("faults that happen every time are retried once, then reported with their seeds; the batch exits 1 and keeps the rest", async () => {
    const dir = join(scratch("always"), "out");
    const started = Date.now();
    const r = await compareWith({ reps: 4, out: dir, timeout: 1, workerModule: faultyWorker({ hang: "11", crash: "12", throw: "13", policy: "siloed" }) });
    expect(Date.now() - started, "finishes instead of waiting on the hung worker").toBeLessThan(40_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const hung = "no result after 1 s (hung); its worker was stopped";
    const crashed = "its worker exited with code 70";
    const threw = "the replication threw: injected failure on seed 13";
    expect(r.stderr).toContain(
      "error: 3 replication(s) failed:\n" +
        `  replication 1 (policy siloed, seed 11) failed 2 attempt(s): ${hung}; ${hung}\n` +
        `  replication 2 (policy siloed, seed 12) failed 2 attempt(s): ${crashed}; ${crashed}\n` +
        `  replication 3 (policy siloed, seed 13) failed 2 attempt(s): ${threw}; ${threw}\n`,
    );
    expect(r.stderr).toContain(`the finished replications are kept in ${dir}; re-run the same command to retry the failed ones`);
    expect(readdirSync(join(dir, "runs"))).toHaveLength(5);
    expect(existsSync(join(dir, "results.csv"))).toBe(false);
    // Once the faults are gone, the same command finishes the batch.
    const again = await compareWith({ reps: 4, out: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("resuming, 5 of 8 replications already done");
  });
});
