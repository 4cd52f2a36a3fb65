// The protocol names every kind of decision and alert a client can receive: each decision kind a golden
// run recorded is in DECISION_KINDS, and the alert kinds the map's feed counts are ALERT_KINDS.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALERT_KINDS, DECISION_KINDS } from "../../server/protocol.ts";
import { AlertFeed } from "../../client/src/alerts.ts";

const GOLDEN = fileURLToPath(new URL("../golden/", import.meta.url));

describe("decision and alert kinds", () => {
  it("DECISION_KINDS has every kind a golden run recorded, each said in words", () => {
    const seen = new Set<string>();
    for (const f of readdirSync(GOLDEN).filter((x) => x.endsWith(".json"))) {
      const summary = JSON.parse(readFileSync(GOLDEN + f, "utf8")) as { kpis: { decisionCounts: Record<string, number> } };
      for (const kind of Object.keys(summary.kpis.decisionCounts)) seen.add(kind);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].filter((k) => !(k in DECISION_KINDS))).toEqual([]);
    for (const text of Object.values(DECISION_KINDS)) expect(text.length).toBeGreaterThan(5);
  });

  it("the feed counts exactly the protocol's alert kinds", () => {
    expect(Object.keys(new AlertFeed().counts).sort()).toEqual(Object.keys(ALERT_KINDS).sort());
  });
});
