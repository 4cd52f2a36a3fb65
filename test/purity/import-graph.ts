// The import graph of a source tree, for tests that hold its layering: which files a file imports (static
// `import`/`export ... from`, `import type` included, and dynamic `import("…")`), and the import circles.
// Reads files only; knows nothing of what the files do.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** file → the files it imports (paths relative to the root the graph was read from, with "/"). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const STATIC = /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom[ \t]*["']([^"']+)["']/gm;
const BARE = /^[ \t]*import[ \t]*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The module specifiers a TypeScript source imports or re-exports, in order of appearance per kind. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(STATIC), ...source.matchAll(BARE), ...source.matchAll(DYNAMIC)].map((m) => m[1]);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The graph of relative imports between the .ts files under `dirs` (each relative to `root`). */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  const name = (path: string) => relative(root, path).split("\\").join("/");
  for (const dir of dirs)
    for (const file of tsFiles(resolve(root, dir))) {
      const targets = importSpecifiers(readFileSync(file, "utf8"))
        .filter((s) => s.startsWith("."))
        .map((s) => name(resolve(dirname(file), s)));
      graph.set(name(file), [...new Set(targets)]);
    }
  return graph;
}

/**
 * Every import circle, one per strongly connected component of more than one file (or a file importing
 * itself): the files in the order of one circle through them, starting at the alphabetically first.
 */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const edges = (v: string) => graph.get(v) ?? [];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ v: string; i: number }> = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const out = edges(top.v);
      if (top.i < out.length) {
        const w = out[top.i++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) !== index.get(top.v)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== top.v);
      if (component.length > 1 || edges(top.v).includes(top.v)) components.push(component);
    }
  }
  return components.map((c) => circleThrough(graph, new Set(c))).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** One circle through the alphabetically first file of a component, by the shortest way back to it. */
function circleThrough(graph: ImportGraph, component: ReadonlySet<string>): string[] {
  const first = [...component].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [first];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === first) {
        const circle = [v];
        while (circle[0] !== first) circle.unshift(cameFrom.get(circle[0])!);
        return circle;
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [first];
}
