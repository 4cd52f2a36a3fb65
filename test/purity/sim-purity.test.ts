// The purity line of STYLE.md, held by tests: sim/ compiles under its own tsconfig (ES library only, no
// Node or DOM types) and a file that reaches for Node, the DOM or timers fails that compile with the
// expected error codes; no sim/ source reads the wall clock or Math.random; the version in every summary
// is package.json's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { OMNITWIN_VERSION } from "../../sim/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSC = join(ROOT, "node_modules/.bin/tsc");
const SIM_TSCONFIG = join(ROOT, "sim/tsconfig.json");
const FIXTURES = join(ROOT, "test/fixtures/purity");

const scratch = mkdtempSync(join(tmpdir(), "omnitwin-purity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run tsc; returns the exit code and the TS error codes it printed, in order. */
function tsc(project: string): { status: number | null; codes: string[]; output: string } {
  const r = spawnSync(TSC, ["-p", project, "--pretty", "false"], { encoding: "utf8" });
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, codes: [...output.matchAll(/error (TS\d+)/g)].map((m) => m[1]), output };
}

/** Compile one fixture under a temporary tsconfig that extends sim/tsconfig.json. */
function compileUnderSimRules(fixture: string): ReturnType<typeof tsc> {
  const project = join(scratch, `tsconfig.${fixture}.json`);
  writeFileSync(project, JSON.stringify({ extends: SIM_TSCONFIG, include: [], files: [join(FIXTURES, fixture)] }));
  return tsc(project);
}

describe("sim/ compiles without Node or DOM", () => {
  it("sim/tsconfig.json itself passes", () => {
    const r = tsc(SIM_TSCONFIG);
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("the temporary tsconfig accepts a pure file (control)", () => {
    const r = compileUnderSimRules("pure.ts");
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it('a file importing "node:fs" and reading process fails: TS2882, TS2591', () => {
    const r = compileUnderSimRules("uses-node.ts");
    expect(r.status).not.toBe(0);
    // 2882: unresolved side-effect import; 2591: Node names without Node types.
    expect(r.codes).toEqual(["TS2882", "TS2591", "TS2591"]);
  });

  it("a file using window and document fails: TS2304, TS2584", () => {
    const r = compileUnderSimRules("uses-dom.ts");
    expect(r.status).not.toBe(0);
    expect(r.codes).toEqual(["TS2304", "TS2584"]);
  });

  it("a file using setTimeout fails: TS2304", () => {
    const r = compileUnderSimRules("uses-timers.ts");
    expect(r.status).not.toBe(0);
    expect(r.codes).toEqual(["TS2304"]);
  });
});

/** Every .ts file under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Source text with comments blanked out (string literals kept), so a comment naming Math.random is no hit. */
function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ["Math.random", /\bMath\s*\.\s*random\b/],
  ["Date.now", /\bDate\s*\.\s*now\b/],
  ["new Date() without arguments", /\bnew\s+Date\s*\(\s*\)/],
  ["new Date without arguments", /\bnew\s+Date\b(?!\s*\()/],
  ["performance.now", /\bperformance\s*\.\s*now\b/],
];

describe("sim/ never reads the wall clock or Math.random", () => {
  it("the comment stripper keeps code and drops comments", () => {
    const text = 'const a = Math.random(); // Date.now\n/* performance.now */ const s = "// not a comment";';
    const clean = withoutComments(text);
    expect(clean).toContain("Math.random()");
    expect(clean).not.toContain("Date.now");
    expect(clean).not.toContain("performance.now");
    expect(clean).toContain('"// not a comment"');
  });

  it("the patterns catch each forbidden call", () => {
    const hits = (code: string) => FORBIDDEN.filter(([, re]) => re.test(code)).map(([name]) => name);
    expect(hits("x = Math.random()")).toEqual(["Math.random"]);
    expect(hits("x = Date.now()")).toEqual(["Date.now"]);
    expect(hits("x = new Date()")).toEqual(["new Date() without arguments"]);
    expect(hits("x = new Date")).toEqual(["new Date without arguments"]);
    expect(hits("x = performance.now()")).toEqual(["performance.now"]);
    expect(hits("x = new Date(Date.UTC(2026, 4, 13))")).toEqual([]);
  });

  it("no sim/**/*.ts source uses Math.random, Date.now, new Date() or performance.now", () => {
    const files = sources(join(ROOT, "sim"));
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const file of files) {
      const lines = withoutComments(readFileSync(file, "utf8")).split("\n");
      lines.forEach((line, n) => {
        for (const [name, re] of FORBIDDEN) if (re.test(line)) found.push(`${relative(ROOT, file)}:${n + 1}: ${name}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe("version", () => {
  it("OMNITWIN_VERSION (sim/version.ts) equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(OMNITWIN_VERSION).toBe(pkg.version);
  });
});
