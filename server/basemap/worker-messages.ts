// The messages between the basemap worker (basemap-worker.ts) and the server's thread (basemap-host.ts).
// Types only; both sides import them.
import type { LonLatBox } from "./geometry.ts";

export type ToBasemapWorker = { type: "cut"; id: number; box: LonLatBox };

export type FromBasemapWorker =
  /** The basemap of a box (already normalised) as JSON text. */
  | { type: "cut"; id: number; ok: true; text: string }
  | { type: "cut"; id: number; ok: false; message: string };
