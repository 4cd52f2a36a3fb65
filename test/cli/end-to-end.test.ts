// The real command: `node bin/omnitwin.js` in a child process, as a user or a script would run it.
// Kept to a few runs on small scenarios, since each spawn starts Node and tsx afresh.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "omnitwin-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function omnitwin(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/omnitwin.js", ...args], { cwd: root, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("bin/omnitwin.js", () => {
  it("validates every example scenario and exits 0", () => {
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".json")).map((f) => `scenarios/${f}`);
    const { status, stdout } = omnitwin("validate", ...files);
    expect(status).toBe(0);
    expect(stdout).toContain("scenarios/618-promotion.json: ok\n");
  });

  it("exits 2 on a bad file with the problem line and no stack trace", () => {
    const { status, stdout, stderr } = omnitwin("validate", "test/fixtures/scenarios/replenishment-cycle.json");
    expect(status).toBe(2);
    expect(stdout).toBe(
      "test/fixtures/scenarios/replenishment-cycle.json: sites[2].replenishment.source: replenishment cycle fdc → store → fdc; a site's stock must come from an RDC in the end, so point one of these sites at an RDC\n",
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("prints byte-identical --json output for the same run, and --out leaves only the three result files", () => {
    const out = join(scratch, "out");
    const first = omnitwin("run", "scenarios/single-store-base-stock.json", "--json");
    const second = omnitwin("run", "scenarios/single-store-base-stock.json", "--json", "--out", out);
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout).scenario.id).toBe("single-store-base-stock");
    expect(readdirSync(out).sort()).toEqual(["report.html", "summary.json", "timeseries.csv"]);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(first.stdout);
  });
});
