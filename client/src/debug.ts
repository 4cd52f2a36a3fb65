// Publishes the page's render stats on `window.__omnitwin`.
import { emptyStats, type RenderStats } from "./stats.ts";

declare global {
  interface Window {
    __omnitwin?: RenderStats;
  }
}

/** The stats object the page keeps up to date, published on window. */
export function publishStats(): RenderStats {
  const stats = emptyStats();
  window.__omnitwin = stats;
  return stats;
}
