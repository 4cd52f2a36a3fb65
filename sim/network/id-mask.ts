// Id lists of the scenario (a campaign's channels, a surge's zones, ...) as 0/1 masks over the network's
// dense indices. One helper for every list; what "no list" means is the caller's to say.

/** What an absent id list becomes: every index set, or no mask at all (null). */
export type NoList = "all" | "none";

/**
 * A mask over `n` indices with a 1 at the index (`index`) of each id in `ids`. Without a list: all ones for
 * `"all"`, null for `"none"` (readers then skip the test).
 */
export function idMask(n: number, ids: readonly string[] | undefined, index: ReadonlyMap<string, number>, noList: "all"): Uint8Array;
export function idMask(n: number, ids: readonly string[] | undefined, index: ReadonlyMap<string, number>, noList: "none"): Uint8Array | null;
export function idMask(n: number, ids: readonly string[] | undefined, index: ReadonlyMap<string, number>, noList: NoList): Uint8Array | null {
  if (!ids) return noList === "all" ? new Uint8Array(n).fill(1) : null;
  const m = new Uint8Array(n);
  for (const id of ids) m[index.get(id)!] = 1;
  return m;
}
