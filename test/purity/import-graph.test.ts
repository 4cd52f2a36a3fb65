// The layering of STYLE.md, held by a test over the import graph: no import circle anywhere in sim/
// (type-only imports count: they tie the files together for the reader and the compiler alike); the
// rooms below the running model (engine, scenario, network, demand, policy, metrics) never import
// sim/model/; and server/experiments never imports the CLI above it. The graph reader is tested too.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph, importSpecifiers, type ImportGraph } from "./import-graph.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every (file, import) where a file under one of `from` imports a file under `to`, as "file → import". */
function arrows(graph: ImportGraph, from: readonly string[], to: string): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.some((dir) => file.startsWith(`${dir}/`)) ? targets.filter((t) => t.startsWith(`${to}/`)).map((t) => `${file} → ${t}`) : [],
  );
}

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe("the import graph reader", () => {
  it("reads import, import type, export from, bare and dynamic imports, over several lines", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      "import {",
      "  c,",
      "  type D,",
      '} from "./c.ts";',
      'export { e } from "./e.ts";',
      'export * from "./f.ts";',
      'export type { G } from "./g.ts";',
      'import "./side-effect.ts";',
      'const lazy = await import("./lazy.ts");',
      'import fc from "fast-check";',
      '// import { old } from "./commented.ts";',
      'const s = "from \\"./not-an-import.ts\\"";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.ts", "../b.ts", "./c.ts", "./e.ts", "./f.ts", "./g.ts", "fast-check", "./side-effect.ts", "./lazy.ts"]);
  });

  it("finds no circle in a graph without one", () => {
    expect(importCycles(graphOf({ a: ["b", "c"], b: ["c"], c: [] }))).toEqual([]);
  });

  it("finds a circle, naming its files in order, and leaves out what only hangs off it", () => {
    expect(importCycles(graphOf({ d: ["b"], b: ["c"], c: ["d", "e"], e: ["f"], f: [] }))).toEqual([["b", "c", "d"]]);
  });

  it("finds each circle, a two-file one and a file importing itself", () => {
    expect(importCycles(graphOf({ a: ["b"], b: ["a"], c: ["c", "a"] }))).toEqual([["a", "b"], ["c"]]);
  });

  it("finds the circle of a strongly connected tangle by its shortest way round", () => {
    expect(importCycles(graphOf({ a: ["b", "c"], b: ["a"], c: ["b"] }))).toEqual([["a", "b"]]);
  });
});

describe("the layering of sim/ and server/", () => {
  const sim = importGraph(ROOT, ["sim"]);

  it("reads the whole of sim/", () => {
    expect(sim.size).toBeGreaterThan(40);
    expect(sim.get("sim/model/twin.ts")).toContain("sim/engine/index.ts");
  });

  it("sim/ has no import circle", () => {
    expect(importCycles(sim)).toEqual([]);
  });

  it("nothing below the running model imports sim/model/", () => {
    const below = ["sim/engine", "sim/scenario", "sim/network", "sim/demand", "sim/policy", "sim/metrics"];
    expect(arrows(sim, below, "sim/model")).toEqual([]);
  });

  it("the model never imports the observation above it; nothing below the model imports sim/observe/", () => {
    expect(arrows(sim, ["sim/model", "sim/engine", "sim/scenario", "sim/network", "sim/demand", "sim/policy", "sim/metrics"], "sim/observe")).toEqual([]);
  });

  it("the live server, the protocol and the map client reach the model only through sim/index.ts and sim/observe/", () => {
    const outside = importGraph(ROOT, ["server", "client/src"]);
    const from = (file: string) => file.startsWith("server/live/") || file === "server/protocol.ts" || file.startsWith("client/src/");
    const targets = [...outside].flatMap(([file, to]) => (from(file) ? to.filter((t) => t.startsWith("sim/")).map((t) => `${file} → ${t}`) : []));
    expect(targets.length).toBeGreaterThan(3);
    const allowed = new Set(["sim/index.ts", "sim/observe/kpis.ts", "sim/engine/local-time.ts"]);
    expect(targets.filter((a) => !allowed.has(a.split(" → ")[1]))).toEqual([]);
  });

  it("server/experiments does not import server/cli", () => {
    const server = importGraph(ROOT, ["server"]);
    expect(arrows(server, ["server/experiments"], "server/cli")).toEqual([]);
  });
});
