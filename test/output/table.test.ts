// Number formatting and column layout for the KPI table.
import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent, renderTable } from "../../server/output/table.ts";

describe("formatNumber", () => {
  it.each([
    [0, 0, "0"],
    [999, 0, "999"],
    [1000, 0, "1,000"],
    [1234567.891, 2, "1,234,567.89"],
    [-1234.5, 1, "-1,234.5"],
    [-0.0001, 2, "0.00"],
    [999.995, 2, "1,000.00"],
    [null, 0, "—"],
  ])("%s with %i decimals → %s", (value, decimals, expected) => {
    expect(formatNumber(value, decimals)).toBe(expected);
  });

  it("writes a share as a percentage", () => {
    expect(formatPercent(0.9935)).toBe("99.4");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("renderTable", () => {
  it("pads each column to its widest cell, numbers on the right, and trims line ends", () => {
    const lines = renderTable(
      [
        { header: "path", align: "left" },
        { header: "orders", align: "right" },
        { header: "", align: "left" },
      ],
      [
        ["rdcExpress", "56,640", "orders"],
        ["fdc", "7", ""],
      ],
    );
    expect(lines).toEqual(["  path        orders", "  rdcExpress  56,640  orders", "  fdc              7"]);
  });

  it("leaves out the header row when no column has one", () => {
    expect(renderTable([{ header: "", align: "left" }], [["a"], ["bb"]], 0)).toEqual(["a", "bb"]);
  });
});
