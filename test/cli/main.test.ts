// The program as a whole, in process: help for every command, version, usage errors (exit 2).
import { describe, expect, it } from "vitest";
import { OMNITWIN_VERSION } from "../../sim/index.ts";
import { cli } from "./run-cli.ts";

describe("omnitwin", () => {
  it.each([["--help"], ["-h"], ["help"], ["validate", "--help"], ["run", "--help"], ["help", "run"]])("%s %s prints help and exits 0", async (...args) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: omnitwin/);
    expect(stderr).toBe("");
  });

  it("documents the exit codes and the run options", async () => {
    expect((await cli("--help")).stdout).toContain("Exit codes: 0 success, 1 the command failed while working, 2 bad input or usage.");
    const run = (await cli("run", "--help")).stdout;
    for (const option of ["--policy <policy>", "--seed <n>", "--json", "--out <dir>", "(default: siloed)"]) expect(run).toContain(option);
  });

  it("prints its version", async () => {
    expect(await cli("--version")).toEqual({ code: 0, stdout: `${OMNITWIN_VERSION}\n`, stderr: "" });
  });

  it("with no command, shows help on stderr and exits 2", async () => {
    const { code, stdout, stderr } = await cli();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Usage: omnitwin/);
  });

  it("an unknown command is a usage error with a suggestion", async () => {
    const { code, stdout, stderr } = await cli("valdate", "x.json");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("error: unknown command 'valdate'\n(Did you mean validate?)\n(add --help for usage)\n");
  });

  it("an unknown option is a usage error", async () => {
    const { code, stderr } = await cli("validate", "--strict", "x.json");
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--strict'");
  });

  it("an extra argument is a usage error", async () => {
    const { code, stderr } = await cli("run", "a.json", "b.json");
    expect(code).toBe(2);
    expect(stderr).toContain("error: too many arguments for 'run'");
  });
});
