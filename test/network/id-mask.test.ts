// Id lists as masks over the network's indices: a 1 at each listed id's index; no list means every index
// ("all") or no mask ("none"); an empty list masks everything out either way.
import { describe, expect, it } from "vitest";
import { idMask } from "../../sim/network/id-mask.ts";

const index = new Map([
  ["north", 0],
  ["east", 1],
  ["south", 2],
]);

describe("idMask", () => {
  it("sets the listed ids' indices", () => {
    expect([...idMask(3, ["south", "north"], index, "all")]).toEqual([1, 0, 1]);
    expect([...idMask(3, ["east"], index, "none")!]).toEqual([0, 1, 0]);
  });

  it("without a list: all ones, or null", () => {
    expect([...idMask(3, undefined, index, "all")]).toEqual([1, 1, 1]);
    expect(idMask(3, undefined, index, "none")).toBeNull();
  });

  it("an empty list is a list: nothing set", () => {
    expect([...idMask(3, [], index, "all")]).toEqual([0, 0, 0]);
    expect([...idMask(3, [], index, "none")!]).toEqual([0, 0, 0]);
  });
});
