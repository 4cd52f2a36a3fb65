// `omnitwin serve` as a user starts it: prints its URL and the default session's presenter token,
// serves the map client (or the status page while none is built), saves on SIGTERM and restores on the next start
// instead of opening a second default session; --reissue-tokens gives a restored session a new presenter token.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "omnitwin-serve-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Start `omnitwin serve`, collect stdout lines until `lines` arrived, then SIGTERM it after `use`. */
async function serve(lines: number, use: (out: string[]) => Promise<void>, extra: string[] = []): Promise<{ out: string[]; code: number | null }> {
  const args = [join(root, "bin/omnitwin.js"), "serve", "--port", "0", "--data-dir", dataDir, "--no-client", ...extra];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`${why}; stdout: ${JSON.stringify(out)}; stderr: ${err}`));
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      fail(`serve printed ${out.length} of ${lines} lines in 30 s`);
    }, 30_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      out.push(line);
      if (out.length === lines) {
        clearTimeout(deadline);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(deadline);
      fail(`serve exited early with ${code}`);
    });
  });
  try {
    await use(out);
  } finally {
    child.kill("SIGTERM");
  }
  return { out, code: await exited };
}

it("serves, opens the default session once, and saves it on SIGTERM", async () => {
  const first = await serve(3, async (out) => {
    const url = out[0].match(/serving (http:\/\/127\.0\.0\.1:\d+\/)$/)![1];
    // The map client when one is built, else the status page.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    if (!existsSync(join(root, "client/dist/index.html"))) expect(await page.text()).toContain("map client is not built");
    const sessions = (await (await fetch(`${url}api/sessions`)).json()) as { sessions: { sims: { label: string }[]; scenario: { name: string } }[] };
    expect(sessions.sessions).toHaveLength(1);
    expect(sessions.sessions[0].scenario.name).toBe("618-promotion");
    expect(sessions.sessions[0].sims.map((s) => s.label)).toEqual(["siloed", "coordinated"]);
  });
  expect(first.code).toBe(0);
  expect(first.out[1]).toMatch(/^default session [\w-]{16}: 618-promotion, siloed vs coordinated, seed 1 \(paused\)$/);
  expect(first.out[2]).toMatch(/^presenter token: [\w-]{32}$/);
  const second = await serve(3, async () => {});
  expect(second.out[1]).toMatch(/^restored 1 session\(s\) from /);
  expect(second.out[2]).toMatch(/--reissue-tokens/);
  expect(second.code).toBe(0);

  // A presenter who lost the link: --reissue-tokens prints a new token, which the server then accepts
  // (as a hash, like the first), and the old one no longer works.
  const oldToken = first.out[2].slice("presenter token: ".length);
  const id = first.out[1].match(/^default session ([\w-]{16}):/)![1];
  const third = await serve(5, async (out) => {
    expect(out[2]).toMatch(new RegExp(`^session ${id}: 618-promotion, new presenter token: [\\w-]{32}$`));
    const token = out[2].split("new presenter token: ")[1];
    expect(token).not.toBe(oldToken);
    const url = out[0].match(/serving (\S+)$/)![1];
    expect(out[3]).toBe(`presenter link (open this one to run the demo; it holds the controls): ${url}?session=${id}#token=${token}`);
    expect(out[4]).toBe(`viewer link (share with the room; watch only): ${url}?session=${id}`);
  }, ["--reissue-tokens"]);
  expect(third.code).toBe(0);
  const manifests = readdirSync(dataDir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
  const stored = manifests.map((f) => readFileSync(join(dataDir, f), "utf8")).join("\n");
  const newToken = third.out[2].split("new presenter token: ")[1];
  expect(stored).toContain(createHash("sha256").update(newToken).digest("hex"));
  expect(stored).not.toContain(createHash("sha256").update(oldToken).digest("hex"));
});
