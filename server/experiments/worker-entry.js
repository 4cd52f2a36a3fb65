// Worker-thread entry point, plain JavaScript so Node can start it: registers tsx from this
// package's own node_modules (not the current directory's), then loads the TypeScript worker module
// named in workerData (default: ./worker.ts beside this file).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData?.module ?? new URL("./worker.ts", import.meta.url).href);
