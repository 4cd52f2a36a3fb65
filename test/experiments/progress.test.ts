// Progress on stderr: a bar redrawn in place (with the ETA) on a terminal, plain lines at each tenth
// otherwise, and failed attempts printed on their own line without being drawn over.
import { describe, expect, it } from "vitest";
import { duration, startProgress } from "../../server/experiments/progress.ts";

function writer(isTTY: boolean) {
  const out = { text: "", isTTY, write: (t: string) => void (out.text += t) };
  return out;
}

describe("progress", () => {
  it("on a terminal: a bar redrawn in place, ending with a newline", () => {
    const err = writer(true);
    const progress = startProgress(err, "compare x", 4, 0, "2 worker(s)");
    for (let i = 0; i < 4; i++) progress.tick();
    progress.note("replication 3 (policy siloed, seed 3): its worker exited with code 1; retrying");
    progress.finish();
    expect(err.text.startsWith("\r\x1b[2K[........................] compare x: 0/4 replications (0%) · 2 worker(s) · 0s elapsed")).toBe(true);
    expect(err.text).toContain("\r\x1b[2K[########################] compare x: 4/4 replications (100%)");
    expect(err.text).toContain("\r\x1b[2Kreplication 3 (policy siloed, seed 3): its worker exited with code 1; retrying\n");
    expect(err.text.endsWith("\n")).toBe(true);
  });

  it("elsewhere: plain lines at each tenth, with the ETA once something has run", () => {
    const err = writer(false);
    const progress = startProgress(err, "sweep x", 20, 5, "main thread");
    for (let i = 0; i < 15; i++) progress.tick();
    progress.finish();
    const lines = err.text.trimEnd().split("\n");
    expect(lines[0]).toBe("sweep x: resuming, 5 of 20 replications already done");
    expect(lines[1]).toBe("sweep x: 5/20 replications (25%) · main thread · 0s elapsed");
    expect(lines.at(-1)).toMatch(/^sweep x: 20\/20 replications \(100%\) · main thread · \d+s elapsed$/);
    expect(lines.length).toBeLessThanOrEqual(2 + 10);
    expect(lines.slice(2, -1).every((l) => / · ETA \d/.test(l))).toBe(true);
  });

  it("writes durations as a person would", () => {
    expect([duration(4.4), duration(65), duration(7322)]).toEqual(["4s", "1m05s", "2h02m"]);
  });
});
