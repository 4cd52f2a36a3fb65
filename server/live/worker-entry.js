// Worker-thread entry point for a live session run from the TypeScript sources: plain JavaScript so Node
// can start it; registers tsx from this package's own node_modules, then loads session-worker.ts.
// (Compiled, session-worker.js starts as it is and this file is not used.)
import { register } from "tsx/esm/api";

register();
await import(new URL("./session-worker.ts", import.meta.url).href);
