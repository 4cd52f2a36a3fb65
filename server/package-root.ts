// Where this package's own files are (scenarios/, client/, package.json), whether the code runs from
// its TypeScript sources (server/…) or from the compiled release (dist/server/…): the nearest folder
// above a module that holds a package.json.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder at or above `moduleUrl`'s folder that holds a package.json. */
export function packageRootOf(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}

/** The omnitwin package's root folder. */
export const PACKAGE_ROOT = packageRootOf(import.meta.url);

/** True when this code runs compiled (the release package's dist/), false from the TypeScript sources. */
export const COMPILED = import.meta.url.endsWith(".js");
