// Lots of a perishable SKU: units with the sim minute they expire, kept first-expiry-first-out. A list of
// lots is a flat array [expiresAt, units, expiresAt, units, ...] in ascending expiry, so a site holds a few
// numbers per delivery and a shipment carries its lots with it. Only SKUs with a shelf life have lots.

/** Flat FEFO lots: pairs (expiresAt in sim minutes, units), ascending in expiresAt. */
export type Lots = number[];

/** Units in a list of lots. */
export function lotUnits(lots: Lots): number {
  let n = 0;
  for (let j = 1; j < lots.length; j += 2) n += lots[j];
  return n;
}

/** Add `units` expiring at `expiresAt` to `lots`, keeping expiry order (a lot with the same expiry grows). */
export function addLot(lots: Lots, expiresAt: number, units: number): void {
  if (units <= 0) return;
  let j = lots.length - 2;
  // Deliveries nearly always expire after what is already there: the search starts at the end.
  while (j >= 0 && lots[j] > expiresAt) j -= 2;
  if (j >= 0 && lots[j] === expiresAt) {
    lots[j + 1] += units;
    return;
  }
  lots.splice(j + 2, 0, expiresAt, units);
}

/** Add every lot of `from` to `into`. */
export function mergeLots(into: Lots, from: Lots): void {
  for (let j = 0; j < from.length; j += 2) addLot(into, from[j], from[j + 1]);
}

/**
 * Take `units` off the front of `lots` (first expiry first out) and return them as lots of their own;
 * takes what there is if `lots` holds fewer.
 */
export function takeLots(lots: Lots, units: number): Lots {
  const taken: Lots = [];
  let left = units;
  let j = 0;
  while (left > 0 && j < lots.length) {
    const u = Math.min(left, lots[j + 1]);
    taken.push(lots[j], u);
    left -= u;
    lots[j + 1] -= u;
    if (lots[j + 1] <= 0) j += 2;
  }
  if (j > 0) lots.splice(0, j);
  return taken;
}

/** Units in `lots` expired by `now` (expiresAt ≤ now). */
export function expiredUnits(lots: Lots, now: number): number {
  let n = 0;
  for (let j = 0; j < lots.length && lots[j] <= now; j += 2) n += lots[j + 1];
  return n;
}

/**
 * Lots for `units` of opening stock of a SKU with a shelf life of `lifeMinutes`: spread evenly over ages, in
 * `count` equal lots whose remaining lives are life·1/count, life·2/count, ..., life (an assumption,
 * docs/scenario-format.md: stock on hand at the start was received steadily over one shelf life).
 */
export function openingLots(units: number, lifeMinutes: number, count: number): Lots {
  const lots: Lots = [];
  if (units <= 0) return lots;
  let given = 0;
  for (let c = 1; c <= count; c++) {
    const u = Math.round((units * c) / count) - given;
    given += u;
    if (u > 0) lots.push((lifeMinutes * c) / count, u);
  }
  return lots;
}
