// The page asks again for a basemap the server could not cut yet (client/src/basemap.ts askForBasemap):
// a 503 or a dropped request is retried after 1, 2, 4, 8 and 16 s, a refused box is not, and a map
// removed meanwhile stops asking. Waits are recorded, not slept.
import { describe, expect, it } from "vitest";
import { askForBasemap, BASEMAP_RETRIES_MS, BasemapRefused } from "../../client/src/basemap.ts";
import type { BasemapPayload } from "../../server/protocol.ts";

const PAYLOAD = { box: { west: 0, south: 0, east: 1, north: 1 }, sea: [], rivers: [], borders: [], places: [], attribution: "test" } satisfies BasemapPayload;

function server(failures: (() => Error)[]) {
  const calls: string[] = [];
  const waits: number[] = [];
  return {
    calls,
    waits,
    fetchJson: async (url: string) => {
      calls.push(url);
      const fail = failures.shift();
      if (fail) throw fail();
      return PAYLOAD;
    },
    wait: async (ms: number) => void waits.push(ms),
  };
}

describe("asking for the basemap", () => {
  it("asks again after a 503 or a dropped request, waiting longer each time, and draws the answer", async () => {
    const s = server([() => new Error("basemap: HTTP 503"), () => new TypeError("Failed to fetch"), () => new Error("basemap: HTTP 503")]);
    expect(await askForBasemap("/api/basemap?x", s.fetchJson, s.wait)).toEqual(PAYLOAD);
    expect(s.calls).toHaveLength(4);
    expect(s.waits).toEqual([1000, 2000, 4000]);
  });

  it("gives up after the last wait", async () => {
    const s = server(Array.from({ length: 10 }, () => () => new Error("basemap: HTTP 503")));
    expect(await askForBasemap("/api/basemap?x", s.fetchJson, s.wait)).toBeNull();
    expect(s.calls).toHaveLength(BASEMAP_RETRIES_MS.length + 1);
    expect(s.waits).toEqual(BASEMAP_RETRIES_MS);
  });

  it("does not ask again for a box the server refused", async () => {
    const s = server([() => new BasemapRefused("basemap: HTTP 400")]);
    expect(await askForBasemap("/api/basemap?x", s.fetchJson, s.wait)).toBeNull();
    expect(s.calls).toHaveLength(1);
  });

  it("stops once the map is gone", async () => {
    const s = server([() => new Error("basemap: HTTP 503"), () => new Error("basemap: HTTP 503")]);
    let gone = false;
    const wait = async (ms: number) => {
      s.waits.push(ms);
      gone = true;
    };
    expect(await askForBasemap("/api/basemap?x", s.fetchJson, wait, () => gone)).toBeNull();
    expect(s.calls).toHaveLength(1);
  });
});
