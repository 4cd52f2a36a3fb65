// --max-orders on every command that reads a scenario: the tiny scenario (about 2,000 expected
// customers over its 5 days) is refused under a limit of 1,000 with the estimate in the message, and
// runs under 3,000; a malformed limit is a usage error.
import { describe, expect, it } from "vitest";
import { cli, TINY } from "../experiments/support.ts";

describe("--max-orders", () => {
  const commands: Array<[string, string[]]> = [
    ["validate", ["validate", TINY]],
    ["run", ["run", TINY]],
    ["compare", ["compare", TINY, "--reps", "1", "--workers", "0"]],
    ["ablation", ["ablation", TINY, "--one-off", "--reps", "1", "--workers", "0"]],
    ["sweep", ["sweep", TINY, "--set", "demand.walkInPerDay=10,20", "--reps", "1", "--workers", "0"]],
  ];
  for (const [name, args] of commands) {
    it(`${name}: refuses past the limit with the estimate, runs under a higher one`, async () => {
      const refused = await cli(...args, "--max-orders", "1000");
      expect(refused.code).toBe(2);
      expect(refused.stdout + refused.stderr).toMatch(/about 2,\d{3} customers .*the limit is 1,000/);
      const ran = await cli(...args, "--max-orders", "3000");
      expect(ran.stderr).not.toContain("the limit is");
      expect(ran.code).toBe(0);
    });
  }

  it("is a whole number in plain digits", async () => {
    for (const bad of ["0", "-5", "1e6", "0x10", "2.5", "abc"]) {
      const r = await cli("validate", TINY, "--max-orders", bad);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain("--max-orders is a whole number");
    }
  });
});
