// Plain-text tables for the terminal: numbers with thousands separators, columns padded to line
// up. Formatting is done by hand rather than with Intl so the output never depends on the
// machine's locale or ICU data (the CLI's stdout must be byte-identical for the same run).

/** What a missing value (a ratio with nothing to divide by) looks like in a table. */
export const MISSING = "—";

/** `1234567.891` → `"1,234,567.89"` with `decimals` digits after the point; null → "—". */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined) return MISSING;
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  // Do not print "-0" for a value that rounds to zero.
  const negative = value < 0 && Number(fixed) !== 0;
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A share (0.9935) as a percentage with one decimal (`"99.4"`); null → "—". */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  return share === null || share === undefined ? MISSING : formatNumber(share * 100, decimals);
}

/** How a column lines up: text to the left, numbers to the right. */
export type Align = "left" | "right";

/** A column of a table; `header` may be "" for a table without a header row. */
export interface Column {
  header: string;
  align: Align;
}

/**
 * Lay out rows under their columns, each column as wide as its widest cell, two spaces apart,
 * every line indented by `indent` spaces. Trailing spaces are trimmed. The header row is printed
 * only when some column has a header.
 */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, indent = 2): string[] {
  const hasHeader = columns.some((c) => c.header !== "");
  const all = hasHeader ? [columns.map((c) => c.header), ...rows] : [...rows];
  const widths = columns.map((_, i) => Math.max(0, ...all.map((row) => width(row[i] ?? ""))));
  const pad = " ".repeat(indent);
  return all.map((row) => {
    const cells = columns.map((column, i) => align(row[i] ?? "", widths[i], column.align));
    return (pad + cells.join("  ")).trimEnd();
  });
}

/** A titled block of lines followed by a blank line. */
export function section(title: string, lines: readonly string[]): string[] {
  return [title, ...lines, ""];
}

function align(text: string, columnWidth: number, side: Align): string {
  const fill = " ".repeat(Math.max(0, columnWidth - width(text)));
  return side === "left" ? text + fill : fill + text;
}

// Width in terminal columns: code points (ids and numbers are ASCII; "—" is one column).
function width(text: string): number {
  return [...text].length;
}
