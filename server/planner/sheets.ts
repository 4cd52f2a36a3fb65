// A scenario as spreadsheet tables and back, with no file format in sight: each list (sites, lanes, SKUs…)
// is a sheet with one row per entry, each block of settings (the scenario itself, demand, costs, service,
// levers) a sheet of key/value rows, and each list of objects inside an entry (a site's inventory lines,
// a pick/pack shift list, demand periods) a child sheet whose "owner" column names the row it belongs to.
// Nested objects become dotted column keys (pickPack.ordersPerHour); lists of plain values one cell
// "a, b, c" under a key ending in []. Every value read back remembers its cell, so a validation problem
// on a JSON path can be reported by sheet, row and column.
import { formatPath } from "../../sim/scenario/index.ts";

/** A cell value a sheet holds. */
export type Scalar = string | number | boolean | null;

/** One sheet as rows of values under keys (row 2 of the workbook) and words (row 1). */
export interface Table {
  name: string;
  labels: string[];
  keys: string[];
  rows: Scalar[][];
}

/** Where a value came from: a sheet, a 1-based row and column as the workbook numbers them. */
export interface CellRef {
  sheet: string;
  row: number;
  column: number;
  key: string;
}

/** One problem with a workbook: where, which JSON path it maps to (if any), and what to do. */
export interface SheetProblem {
  sheet: string;
  row?: number;
  column?: number;
  key?: string;
  path?: string;
  message: string;
}

/** The rows of a sheet start here (row 1: words, row 2: keys). */
export const FIRST_DATA_ROW = 3;

/** Top-level lists and their sheets. */
export const LIST_SHEETS: Readonly<Record<string, string>> = {
  sites: "Sites",
  lanes: "Lanes",
  skus: "SKUs",
  channels: "Channels",
  zones: "Zones",
  campaigns: "Campaigns",
  interventions: "Interventions",
};

/** Top-level blocks of settings and their sheets; "" is the scenario's own scalar settings. */
export const SETTINGS_SHEETS: Readonly<Record<string, string>> = { "": "Scenario", demand: "Demand", costs: "Costs", service: "Service", levers: "Levers", customers: "Customers", transport: "Transport" };

/** The sheet of explanations, which import skips. */
export const README_SHEET = "README";

const SETTINGS_KEYS = ["label", "key", "value"];
const OWNER = "owner";

type Json = Scalar | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** "pickPack.ordersPerHour" → "Pick pack › orders per hour": a column key in words. */
export function keyWords(key: string): string {
  const words = key
    .replace(/\[\]$/, "")
    .split(".")
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase());
  const text = words.join(" › ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${key.endsWith("[]") ? " (list, comma-separated)" : ""}`;
}

// ---- scenario → tables ----

/** The tables of a scenario: `raw` as written, `withDefaults` (validated) for costs, service and levers so their defaults show. */
export function scenarioToTables(raw: JsonObject, withDefaults: JsonObject): Table[] {
  const tables = new Map<string, Table>();
  const settings = (sheet: string, source: JsonObject) => {
    const table = ensure(tables, sheet, SETTINGS_KEYS.map((k) => (k === "label" ? "Setting" : k === "key" ? "Key" : "Value")), SETTINGS_KEYS);
    const cells = new Map<string, Scalar>();
    flatten(source, "", cells, (path, list) => children(tables, `${sheet} ${path}`, sheet, list));
    for (const [key, value] of cells) table.rows.push([keyWords(key), key, value]);
  };
  const top: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) if (!isObject(v) && !Array.isArray(v) && k !== "$schema") top[k] = v;
  settings(SETTINGS_SHEETS[""], top);
  for (const [field, sheet] of Object.entries(LIST_SHEETS)) {
    const list = raw[field];
    if (Array.isArray(list) && list.length > 0) listTable(tables, sheet, list as JsonObject[], undefined);
  }
  for (const [field, sheet] of Object.entries(SETTINGS_SHEETS)) {
    if (field === "") continue;
    const source = field === "demand" ? raw[field] : (raw[field] ?? withDefaults[field]);
    if (isObject(source)) settings(sheet, source);
  }
  return [...tables.values()];
}

function ensure(tables: Map<string, Table>, name: string, labels: string[], keys: string[]): Table {
  let table = tables.get(name);
  if (table === undefined) {
    table = { name, labels, keys, rows: [] };
    tables.set(name, table);
  }
  return table;
}

/** Rows of a list of objects; `owners[i]` names each row's owner in a child sheet. */
function listTable(tables: Map<string, Table>, sheet: string, list: readonly JsonObject[], owners: readonly string[] | undefined): void {
  const table = ensure(tables, sheet, [], owners === undefined ? [] : [OWNER]);
  const rows = list.map((item, i) => {
    const cells = new Map<string, Scalar>();
    const own = ownerKey(item, i, owners?.[i]);
    flatten(item, "", cells, (path, inner) => children(tables, `${sheet} ${path}`, own, inner));
    for (const key of cells.keys()) if (!table.keys.includes(key)) table.keys.push(key);
    return { cells, owner: owners?.[i] };
  });
  table.labels = table.keys.map((k) => (k === OWNER ? "Belongs to (row of the parent sheet)" : keyWords(k)));
  for (const r of rows) table.rows.push(table.keys.map((k) => (k === OWNER ? (r.owner ?? null) : (r.cells.get(k) ?? null))));
}

function children(tables: Map<string, Table>, sheet: string, owner: string, list: readonly JsonObject[]): void {
  listTable(tables, sheet, list, list.map(() => owner));
}

/** A row's name for its children: its id, else its position ("#3"), under its own owner's name. */
function ownerKey(item: JsonObject, index: number, parent: string | undefined): string {
  const own = typeof item.id === "string" ? item.id : `#${index + 1}`;
  return parent === undefined ? own : `${parent}/${own}`;
}

/** Nested objects to dotted keys; lists of plain values to "a, b"; lists of objects handed to `child`. */
function flatten(value: JsonObject, prefix: string, out: Map<string, Scalar>, child: (path: string, list: JsonObject[]) => void): void {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (isObject(v)) flatten(v, key, out, child);
    else if (Array.isArray(v)) {
      if (v.length > 0 && v.every(isObject)) child(key, v as JsonObject[]);
      else out.set(`${key}[]`, v.length === 0 ? "[]" : v.map((x) => String(x)).join(", "));
    } else out.set(key, v);
  }
}

// ---- tables → scenario ----

/** What import builds: the scenario object, where each value came from, and the problems found on the way. */
export interface Imported {
  value: JsonObject;
  origins: Map<string, CellRef>;
  problems: SheetProblem[];
}

/** Build a scenario object from tables (already free of formulas and merged cells). */
export function tablesToScenario(tables: readonly Table[]): Imported {
  const value: JsonObject = {};
  const origins = new Map<string, CellRef>();
  const problems: SheetProblem[] = [];
  const owners = new Map<string, Map<string, Array<string | number>>>(); // sheet → owner key → path segments
  const known = (name: string) => Object.values(LIST_SHEETS).includes(name) || Object.values(SETTINGS_SHEETS).includes(name);
  const byDepth = [...tables].filter((t) => t.name !== README_SHEET).sort((a, b) => depth(a.name) - depth(b.name));
  for (const table of byDepth) {
    if (known(table.name)) {
      const field = Object.entries(LIST_SHEETS).find(([, s]) => s === table.name)?.[0];
      if (field !== undefined) readList(table, [field], undefined, value, origins, problems, owners);
      else readSettings(table, Object.entries(SETTINGS_SHEETS).find(([, s]) => s === table.name)![0], value, origins, problems, owners);
      continue;
    }
    const space = table.name.lastIndexOf(" ");
    const parent = space > 0 ? table.name.slice(0, space) : "";
    if (space <= 0 || !tables.some((t) => t.name === parent)) {
      const names = [...Object.values(SETTINGS_SHEETS), ...Object.values(LIST_SHEETS)];
      problems.push({ sheet: table.name, message: `is not a sheet omnitwin knows; sheets are ${names.join(", ")}, README, and lists inside them named "<sheet> <field>" (e.g. "Sites inventory"). Rename or delete it` });
      continue;
    }
    readList(table, table.name.slice(space + 1).split("."), parent, value, origins, problems, owners);
  }
  return { value, origins, problems };
}

function depth(name: string): number {
  return name.split(" ").length;
}

function keyIndex(table: Table, key: string): number {
  return table.keys.indexOf(key);
}

function readSettings(table: Table, field: string, root: JsonObject, origins: Map<string, CellRef>, problems: SheetProblem[], owners: Map<string, Map<string, Array<string | number>>>): void {
  const keyAt = keyIndex(table, "key");
  const valueAt = keyIndex(table, "value");
  if (keyAt < 0 || valueAt < 0) {
    problems.push({ sheet: table.name, row: 2, message: 'row 2 must hold the column keys "label", "key" and "value"' });
    return;
  }
  const base = field === "" ? [] : [field];
  // A settings sheet's child rows name the sheet itself as their owner ("Demand").
  owners.set(table.name, new Map([[table.name, base]]));
  table.rows.forEach((row, i) => {
    const key = row[keyAt];
    if (key === null || key === "") return;
    const at = { sheet: table.name, row: FIRST_DATA_ROW + i, column: valueAt + 1, key: String(key) };
    assign(root, [...base, ...keyPath(String(key))], cellValue(String(key), row[valueAt]), at, origins);
  });
}

function readList(
  table: Table,
  field: Array<string | number>,
  parent: string | undefined,
  root: JsonObject,
  origins: Map<string, CellRef>,
  problems: SheetProblem[],
  owners: Map<string, Map<string, Array<string | number>>>,
): void {
  const mine = new Map<string, Array<string | number>>();
  owners.set(table.name, mine);
  const ownerAt = keyIndex(table, OWNER);
  if (parent !== undefined && ownerAt < 0) {
    problems.push({ sheet: table.name, row: 2, message: `has no "${OWNER}" column: each row must name the row of ${parent} it belongs to` });
    return;
  }
  const counts = new Map<string, number>();
  table.rows.forEach((row, i) => {
    if (row.every((c) => c === null || c === "")) return;
    const rowNumber = FIRST_DATA_ROW + i;
    let base: Array<string | number>;
    let ownerName: string | undefined;
    if (parent === undefined) base = [...field];
    else {
      ownerName = row[ownerAt] === null ? "" : String(row[ownerAt]);
      const parentPath = owners.get(parent)?.get(ownerName);
      if (parentPath === undefined) {
        const choices = [...(owners.get(parent)?.keys() ?? [])].slice(0, 8).map((k) => JSON.stringify(k));
        problems.push({ sheet: table.name, row: rowNumber, column: ownerAt + 1, key: OWNER, message: `${JSON.stringify(ownerName)} is not a row of ${parent}; owners there are ${choices.join(", ")}${choices.length === 8 ? ", …" : ""}` });
        return;
      }
      base = [...parentPath, ...field];
    }
    const index = counts.get(ownerName ?? "") ?? 0;
    counts.set(ownerName ?? "", index + 1);
    const path = [...base, index];
    const item: JsonObject = {};
    assign(root, path, item, { sheet: table.name, row: rowNumber, column: 1, key: "" }, origins);
    table.keys.forEach((key, c) => {
      if (key === OWNER || key === "") return;
      const at = { sheet: table.name, row: rowNumber, column: c + 1, key };
      const segments = keyPath(key);
      origins.set(formatPath([...path, ...segments]), at);
      const v = cellValue(key, row[c]);
      if (v !== undefined) assign(item, segments, v, at, undefined);
    });
    const own = typeof item.id === "string" ? item.id : `#${index + 1}`;
    mine.set(ownerName === undefined ? own : `${ownerName}/${own}`, path);
  });
}

/** A column key as path segments ("pickPack.ordersPerHour" → ["pickPack", "ordersPerHour"]). */
function keyPath(key: string): string[] {
  return key.replace(/\[\]$/, "").split(".");
}

/** A cell read for its key: empty → absent; a list key → the list; otherwise as it is. */
function cellValue(key: string, cell: Scalar): Json | undefined {
  if (cell === null || cell === "") return undefined;
  if (!key.endsWith("[]")) return cell;
  if (typeof cell !== "string") return [cell];
  if (cell.trim() === "[]") return [];
  return cell.split(",").map((part) => {
    const text = part.trim();
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text === "true" ? true : text === "false" ? false : text;
  });
}

/** Set `value` at `path` under `root`, making objects and arrays on the way; remember the cell. */
function assign(root: JsonObject, path: ReadonlyArray<string | number>, value: Json | undefined, at: CellRef, origins: Map<string, CellRef> | undefined): void {
  if (origins !== undefined) origins.set(formatPath(path), at);
  if (value === undefined) return;
  let node: Json = root;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    const container = node as { [k: string]: Json } & Json[];
    if (last) container[segment as never] = value as never;
    else {
      if (container[segment as never] === undefined) container[segment as never] = (typeof path[i + 1] === "number" ? [] : {}) as never;
      node = container[segment as never];
    }
  });
}

/** The cell a validation problem's JSON path came from: the longest path prefix with a known cell. */
export function originOf(path: string, origins: ReadonlyMap<string, CellRef>): CellRef | undefined {
  let p = path;
  while (p !== "") {
    const hit = origins.get(p);
    if (hit !== undefined) return hit;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return origins.get(p);
}
