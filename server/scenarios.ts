// The scenario catalogue the server offers: the .json files of one directory, by name. A name from a
// user is only ever a key looked up in the listing of that directory — it never becomes part of a
// path — so `../`, encoded variants, absolute paths and NUL bytes simply name nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_MAX_BYTES, parseScenarioText, type LoadResult } from "../sim/index.ts";
import type { ScenarioListing } from "./protocol.ts";

/** What a catalogue file name (without .json) must look like to be offered at all. */
export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const MAX_NAME_LENGTH = 64;

/** A scenario found in the catalogue: its text and the validation result. */
export interface CatalogEntry {
  name: string;
  text: string;
  result: LoadResult;
}

/** The scenarios of one directory; the listing is read afresh on each call so new files appear without a restart. */
export class ScenarioCatalog {
  private readonly cache = new Map<string, { stamp: string; entry: CatalogEntry }>();

  constructor(readonly dir: string) {}

  /** Every offered scenario, valid or not, by name. */
  list(): ScenarioListing[] {
    const out: ScenarioListing[] = [];
    for (const name of this.files().keys()) {
      const entry = this.load(name);
      if (!entry) continue;
      const r = entry.result;
      out.push(
        r.ok
          ? { name, id: r.scenario.id, title: r.scenario.name, description: r.scenario.description, horizonDays: r.scenario.horizonDays, valid: true }
          : { name, id: null, title: null, description: "", horizonDays: null, valid: false },
      );
    }
    return out;
  }

  /** The scenario called `name`, or null when the catalogue has no such name. */
  load(name: unknown): CatalogEntry | null {
    if (typeof name !== "string") return null;
    const file = this.files().get(name);
    if (file === undefined) return null;
    let stamp: string;
    try {
      const st = statSync(file);
      if (st.size > DEFAULT_MAX_BYTES) return { name, text: "", result: { ok: false, problems: [{ path: "", message: "the scenario file is too large" }] } };
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      return null;
    }
    const cached = this.cache.get(name);
    if (cached?.stamp === stamp) return cached.entry;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return null;
    }
    const entry = { name, text, result: parseScenarioText(text) };
    this.cache.set(name, { stamp, entry });
    return entry;
  }

  /** name → path, for the regular .json files of the directory whose names pass the pattern (schemas excluded). */
  private files(): Map<string, string> {
    const files = new Map<string, string>();
    let entries;
    try {
      entries = readdirSync(this.dir, { withFileTypes: true });
    } catch {
      return files;
    }
    for (const e of entries) {
      if (!e.isFile() || !e.name.endsWith(".json") || e.name.endsWith(".schema.json")) continue;
      const name = e.name.slice(0, -".json".length);
      if (name.length <= MAX_NAME_LENGTH && SCENARIO_NAME_PATTERN.test(name)) files.set(name, join(this.dir, e.name));
    }
    return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
