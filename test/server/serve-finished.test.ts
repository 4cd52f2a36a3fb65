// `omnitwin serve` after a demo that ran to its end: every restored session is at its horizon, so it also
// opens a fresh default session and prints its presenter and viewer links (in process, port 0).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { serveCommand } from "../../server/cli/serve.ts";
import { DEFAULT_MAX_SESSION_EVENTS, DEFAULT_MAX_SESSION_HEAP_MB } from "../../server/defaults.ts";
import { SessionStore } from "../../server/live/manifest.ts";
import { exampleScenario, harness } from "./helpers.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "omnitwin-finished-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("opens a fresh default session with labelled links when every restored session has finished", async () => {
  const scenario = exampleScenario("baseline-week");
  const manifest = harness(scenario).session.manifest();
  manifest.id = "FinishedSession0";
  manifest.position = { ...manifest.position, t: scenario.horizonDays * 1440, stateHash: null };
  new SessionStore(dataDir).create(manifest, readFileSync(join(root, "scenarios/baseline-week.json"), "utf8"));
  const out: string[] = [];
  let stop!: (signal: string) => void;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const writer = (lines: string[]) => ({ write: (text: string) => void lines.push(...text.split("\n").filter(Boolean)) });
  const running = serveCommand(
    { port: 0, host: "127.0.0.1", dataDir, scenarios: join(root, "scenarios"), maxSessions: 4, sessionTtl: 0, maxSessionEvents: DEFAULT_MAX_SESSION_EVENTS, maxSessionHeap: DEFAULT_MAX_SESSION_HEAP_MB, defaultSession: true, client: false },
    { io: { stdout: writer(out), stderr: writer([]) }, setExitCode() {} },
    stopped,
  );
  const deadline = Date.now() + 20_000;
  while (!out.some((l) => l.startsWith("viewer link")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop("SIGTERM");
  expect(await running).toBe(0);
  expect(out[1]).toMatch(/^restored 1 session\(s\) from /);
  expect(out).toContain("every restored session has finished; opening a fresh one");
  expect(out.find((l) => l.startsWith("default session"))).toMatch(/618-promotion, siloed vs coordinated/);
  expect(out.find((l) => l.startsWith("presenter link (open this one to run the demo"))).toMatch(/\?session=[\w-]{16}#token=[\w-]{32}$/);
  expect(out.find((l) => l.startsWith("viewer link (share with the room"))).toMatch(/\?session=[\w-]{16}$/);
});
