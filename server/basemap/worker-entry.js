// Worker-thread entry point for the basemap worker run from the TypeScript sources: plain JavaScript so
// Node can start it; registers tsx from this package's own node_modules, then loads basemap-worker.ts.
// (Compiled, basemap-worker.js starts as it is and this file is not used.)
import { register } from "tsx/esm/api";

register();
await import(new URL("./basemap-worker.ts", import.meta.url).href);
