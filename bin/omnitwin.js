#!/usr/bin/env node
// Entry point for the `omnitwin` command. In a clone it runs the TypeScript sources as they are (tsx);
// the release package ships no sources, only their compiled JavaScript in dist/, which it runs directly.
import { existsSync } from "node:fs";

const sources = new URL("../server/cli/main.ts", import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import("../dist/server/cli/main.js"));
}
process.exitCode = await main(process.argv);
