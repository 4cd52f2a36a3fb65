// Workload limits at the server edge: an inline scenario past a field's range or the workload limit is
// a 422 with the problems' paths (never a 500 or a blocked event loop), repeated keys in the inline
// scenario are refused, and `maxOrders` raises the limit for a creator who means it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/live/clock.ts";
import { startServer, type RunningServer } from "../../server/server.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const baseline = (): any => JSON.parse(readFileSync(`${scenariosDir}baseline-week.json`, "utf8"));
let server: RunningServer;

async function post(body: string): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL("/api/sessions", server.url), { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  server = await startServer({ port: 0, scenariosDir, dataDir: null, clock: new ManualClock(), tickIntervalMs: null, maxSessions: 2, log: () => {} });
});
afterAll(() => server.close());

describe("creating a session with an inline scenario", () => {
  it("answers 422 with the path for an hourly profile of 1e308 (not 500)", async () => {
    const scenario = baseline();
    scenario.demand.hourlyProfile = Array(24).fill(1e308);
    const r = await post(JSON.stringify({ scenario }));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("bad-scenario");
    expect(r.body.error.problems[0].path).toBe("demand.hourlyProfile[0]");
  });

  it("answers 422 for an all-zero hourly profile", async () => {
    const scenario = baseline();
    scenario.demand.hourlyProfile = Array(24).fill(0);
    const r = await post(JSON.stringify({ scenario }));
    expect(r.status).toBe(422);
    expect(r.body.error.problems.map((p: { path: string }) => p.path)).toEqual(["demand.hourlyProfile"]);
  });

  it("refuses work past the limit with the estimate, and takes maxOrders from a creator who means it", async () => {
    const scenario = baseline();
    scenario.demand.onlineOrdersPerDay = 400_000;
    const refused = await post(JSON.stringify({ scenario }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.problems[0].path).toBe("demand");
    expect(refused.body.error.problems[0].message).toMatch(/about 3,\d{3},\d{3} customers .* the limit is 2,000,000/);
    const created = await post(JSON.stringify({ scenario, maxOrders: 4_000_000 }));
    expect(created.status).toBe(201);
    const bad = await post(JSON.stringify({ scenario, maxOrders: 0 }));
    expect(bad.status).toBe(400);
  });

  it("refuses a key written twice in the inline scenario, naming it", async () => {
    const text = JSON.stringify({ scenario: baseline() }).replace('"walkInPerDay":5000', '"walkInPerDay":5000,"walkInPerDay":1e8');
    const r = await post(text);
    expect(r.status).toBe(422);
    expect(r.body.error.problems).toEqual([{ path: "demand.walkInPerDay", message: expect.stringContaining("written twice") }]);
  });
});
