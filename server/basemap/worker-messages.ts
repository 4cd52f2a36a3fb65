// The messages between the basemap worker (basemap-worker.ts) and the server's thread (basemap-host.ts).
// Types only; both sides import them.
import type { LonLatBox } from "./geometry.ts";

export type ToBasemapWorker =
  /** Cut this box (already normalised). */
  | { type: "cut"; id: number; box: LonLatBox }
  /** Load the geodata now, so the first cut does not wait for it. */
  | { type: "warm" };

export type FromBasemapWorker =
  /** The geodata is loaded (after a warm). */
  | { type: "warm"; ok: boolean }
  /** The basemap of a box (already normalised) as JSON text. */
  | { type: "cut"; id: number; ok: true; text: string }
  | { type: "cut"; id: number; ok: false; message: string };
