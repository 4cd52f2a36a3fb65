// The order columns: every column grows with the rows (a typed array drops writes past its end silently,
// so a column left out of grow() would lose data without an error), a retired row comes back reset, and a
// kept book never reuses rows.
import { describe, expect, it } from "vitest";
import { ORDER_STATE, Orders, STAGE } from "../../sim/model/orders/order.ts";
import { PATH } from "../../sim/network/paths.ts";

function columns(book: Orders): Array<[string, ArrayLike<number>]> {
  // Every typed array but the free-row stack, which grows on its own.
  return Object.entries(book).filter((e): e is [string, ArrayLike<number>] => ArrayBuffer.isView(e[1]) && e[0] !== "free");
}

describe("Orders", () => {
  it("grows every column with the rows", () => {
    const book = new Orders(true);
    for (let i = 0; i < 5000; i++) {
      const o = book.add(i % 7, i % 3, i % 5, 1 + (i % 2), -1);
      book.lat[o] = 22 + i / 1e4;
      book.stamp(o, STAGE.placed, i);
    }
    expect(book.rowCount).toBe(5000);
    const cols = columns(book);
    expect(cols.length).toBeGreaterThanOrEqual(25);
    for (const [name, col] of cols) expect(col.length, name).toBeGreaterThanOrEqual(5000);
    const last = book.views()[4999];
    expect([last.id, last.zone, last.channel, last.sku, last.quantity, last.lat, last.placedAt]).toEqual([4999, 4999 % 7, 4999 % 3, 4999 % 5, 2, 22 + 4999 / 1e4, 4999]);
  });

  it("reuses a retired row, reset, unless the book keeps its orders", () => {
    const book = new Orders(false);
    const a = book.add(1, 1, 1, 1, 0);
    const b = book.add(2, 2, 2, 2, 0);
    book.state[b] = ORDER_STATE.delivered;
    book.site[b] = 4;
    book.path[b] = PATH.fdcInstant;
    book.paidAt[b] = 10;
    book.late[b] = 1;
    book.openSlot[b] = 3;
    book.retire(b);
    const c = book.add(3, 0, 3, 1, -1);
    expect(c).toBe(b);
    expect(book.rowCount).toBe(2);
    expect([book.state[c], book.site[c], book.path[c], book.late[c], book.openSlot[c], book.campaign[c], book.id[c]]).toEqual([ORDER_STATE.awaitingPayment, -1, PATH.rdcExpress, 0, -1, -1, 2]);
    expect(Number.isNaN(book.paidAt[c])).toBe(true);
    expect(book.zone[a]).toBe(1);
    expect(() => book.views()).toThrow(/keepOrders: true/);

    const kept = new Orders(true);
    const k = kept.add(1, 1, 1, 1, 0);
    kept.retire(k);
    expect(kept.add(1, 1, 1, 1, 0)).not.toBe(k);
    expect(kept.views().map((o) => o.id)).toEqual([0, 1]);
  });
});
