// Edges of the HTTP layer: HSTS and upgrade-insecure-requests only over HTTPS (here: a declared proxy
// saying so), no benchmark page in production, strict numeric query parameters, and a strict
// handshake `auth` (an extra key is refused).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/live/clock.ts";
import type { CreateSessionResponse } from "../../server/protocol.ts";
import { startServer, type RunningServer, type ServerOptions } from "../../server/server.ts";
import { connect, waitFor } from "./live-client.ts";

const scenariosDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const clientDir = mkdtempSync(join(tmpdir(), "omnitwin-client-"));
writeFileSync(join(clientDir, "index.html"), "<!doctype html><title>map</title>");
writeFileSync(join(clientDir, "bench.html"), "<!doctype html><title>bench</title>");
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(clientDir, { recursive: true, force: true }));

async function start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  server = await startServer({ port: 0, scenariosDir, dataDir: null, clientDir, clock: new ManualClock(), tickIntervalMs: null, log: () => {}, ...options });
  return server;
}

describe("HTTPS-only headers", () => {
  it("over plain HTTP: no HSTS, no upgrade-insecure-requests", async () => {
    const s = await start();
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
  });

  it("behind a declared proxy that says HTTPS: both", async () => {
    const s = await start({ trustProxy: "loopback" });
    const res = await fetch(s.url, { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("an undeclared proxy's X-Forwarded-Proto is not believed", async () => {
    const s = await start();
    const res = await fetch(s.url, { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("the benchmark page", () => {
  it("is not served in production, but is for the render benchmark", async () => {
    const s = await start();
    expect((await fetch(s.url)).status).toBe(200);
    for (const path of ["bench.html", "bench"]) expect((await fetch(new URL(path, s.url))).status, path).toBe(404);
    await s.close();
    const bench = await start({ serveBenchPage: true });
    expect(await (await fetch(new URL("bench.html", bench.url))).text()).toContain("bench");
  });
});

describe("strict parsing", () => {
  it("?sim= takes decimal digits only", async () => {
    const s = await start();
    const created = (await (
      await fetch(new URL("/api/sessions", s.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "single-store-base-stock" }) })
    ).json()) as CreateSessionResponse;
    const download = (query: string) => fetch(new URL(`/api/sessions/${created.session.id}/summary.json${query}`, s.url));
    for (const query of ["?sim=0x1", "?sim=0x0", "?sim=1e0", "?sim=0e0", "?sim=", "?sim=%200", "?sim=0&sim=0", "?sim=-0", "?sim=00", "?sim=0.0", "?sim=1"]) {
      const res = await download(query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad-message");
    }
    // Well-formed: past parsing, refused only because the run has not finished.
    for (const query of ["", "?sim=0"]) expect((await download(query)).status, query).toBe(409);
  });

  it("the handshake auth refuses an extra key", async () => {
    const s = await start();
    const created = (await (
      await fetch(new URL("/api/sessions", s.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "single-store-base-stock" }) })
    ).json()) as CreateSessionResponse;
    await expect(connect(s.url, { sessionId: created.session.id, role: "presenter" })).rejects.toMatchObject({ code: "bad-message" });
    const plain = await connect(s.url, { sessionId: created.session.id });
    await waitFor(() => plain.snapshots.length > 0, "the first snapshot");
    plain.socket.close();
  });
});
