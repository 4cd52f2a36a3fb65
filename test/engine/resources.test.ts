// ServerQueue and Container through whole (who, when) traces: FIFO and priority service,
// reneging, capacity shifts, waiting gets and puts, and the statistics they keep.
import { describe, expect, it } from "vitest";
import { Container, ResourceError, ServerQueue, Simulation } from "../../sim/engine/index.ts";

type Trace = Array<[string, number]>;

/** Customers who arrive at given times, hold the server for `service` minutes, and log start/end. */
function serve(sim: Simulation, queue: ServerQueue, trace: Trace, who: string, at: number, service: number, priority = 0) {
  sim.scheduleAt(at, () => {
    queue.request((wait) => {
      trace.push([`${who} start (waited ${wait})`, sim.now]);
      sim.scheduleIn(service, () => {
        trace.push([`${who} end`, sim.now]);
        queue.release();
      });
    }, priority);
  });
}

describe("ServerQueue", () => {
  it("serves FIFO and ignores priorities under the fifo discipline", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "dock", capacity: 1 });
    const trace: Trace = [];
    serve(sim, queue, trace, "a", 0, 10);
    serve(sim, queue, trace, "b", 1, 5, 9);
    serve(sim, queue, trace, "c", 2, 5, -9);
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["a start (waited 0)", 0],
      ["a end", 10],
      ["b start (waited 9)", 10],
      ["b end", 15],
      ["c start (waited 13)", 15],
      ["c end", 20],
    ]);
    expect(queue.waits.count).toBe(3);
    expect(queue.waits.mean).toBeCloseTo(22 / 3, 12);
    expect(queue.waits.max).toBe(13);
  });

  it("hands each grant the argument given with its request, at once or after waiting, never a cancelled one's", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "riders", capacity: 1, discipline: "priority" });
    const granted: Array<[number, string]> = [];
    // One handler for every request: the argument says which request it is.
    const onGranted = (wait: number, who: string): void => {
      granted.push([wait, who]);
      sim.scheduleIn(4, () => queue.release());
    };
    queue.request(onGranted, 0, "first");
    sim.scheduleAt(1, () => {
      queue.request(onGranted, 5, "late");
      const gone = queue.request(onGranted, 1, "cancelled");
      queue.request(onGranted, 2, "urgent");
      queue.cancel(gone);
    });
    sim.runUntil(Infinity);
    expect(granted).toEqual([
      [0, "first"],
      [3, "urgent"],
      [7, "late"],
    ]);
  });

  it("serves lower priority values first, FIFO among equals", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "picker", capacity: 1, discipline: "priority" });
    const trace: Trace = [];
    serve(sim, queue, trace, "first", 0, 10, 5);
    serve(sim, queue, trace, "low-1", 1, 1, 3);
    serve(sim, queue, trace, "urgent", 2, 1, 0);
    serve(sim, queue, trace, "low-2", 3, 1, 3);
    serve(sim, queue, trace, "bulk", 4, 1, 8);
    serve(sim, queue, trace, "low-3", 5, 1, 3);
    sim.runUntil(Infinity);
    expect(trace.filter(([w]) => w.includes("start")).map(([w]) => w.split(" ")[0])).toEqual(["first", "urgent", "low-1", "low-2", "low-3", "bulk"]);
  });

  it.each([
    ["priority", 0.2],
    ["priority", 0.7], // enough reneges to compact the line
    ["fifo", 0.7],
  ] as const)("%s service order equals a stable sort by priority (renege rate %d)", (discipline, renegeRate) => {
    const sim = new Simulation({ seed: 8 });
    const rng = sim.streams.get("test/priority");
    const queue = new ServerQueue(sim, { name: "line", capacity: 1, discipline });
    const served: number[] = [];
    queue.request(() => undefined); // hold the server while the line builds
    const requests = Array.from({ length: 600 }, (_, id) => {
      const priority = rng.integer(0, 4);
      const handle = queue.request(() => {
        served.push(id);
        sim.scheduleIn(1, () => queue.release());
      }, priority);
      return { id, priority, handle };
    });
    const reneged = new Set(requests.filter(() => rng.bernoulli(renegeRate)).map((r) => r.id));
    for (const r of requests) if (reneged.has(r.id)) expect(queue.cancel(r.handle)).toBe(true);
    for (const r of requests) if (reneged.has(r.id)) expect(queue.cancel(r.handle)).toBe(false);
    expect(queue.queueLength).toBe(600 - reneged.size);
    queue.release();
    sim.runUntil(Infinity);
    const expected = requests
      .filter((r) => !reneged.has(r.id))
      .sort((a, b) => (discipline === "priority" ? a.priority - b.priority : 0) || a.id - b.id)
      .map((r) => r.id);
    expect(served).toEqual(expected);
  });

  it("FIFO order holds while the line wraps and grows under load", () => {
    const sim = new Simulation({ seed: 21 });
    const rng = sim.streams.get("test/fifo");
    const queue = new ServerQueue(sim, { name: "busy", capacity: 2 });
    const started: number[] = [];
    let next = 0;
    const arrive = (): void => {
      const id = next++;
      queue.request(() => {
        started.push(id);
        sim.scheduleIn(rng.exponential(2.2), () => queue.release());
      });
      if (next < 5000) sim.scheduleIn(rng.exponential(1), arrive);
    };
    sim.scheduleIn(0, arrive);
    let longest = 0;
    sim.scheduleAt(0, function watch(): void {
      longest = Math.max(longest, queue.queueLength);
      if (sim.pending > 0) sim.scheduleIn(5, watch);
    });
    sim.runUntil(Infinity);
    expect(longest).toBeGreaterThan(100); // rho 1.1: the line grows well past its initial 16 slots
    expect(started).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(queue.busy).toBe(0);
  });

  it("a cancelled (reneged) request is never served and the rest keep their order", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "desk", capacity: 1 });
    const trace: Trace = [];
    serve(sim, queue, trace, "a", 0, 10);
    let impatient = -1;
    sim.scheduleAt(1, () => {
      impatient = queue.request(() => trace.push(["impatient start", sim.now]));
    });
    serve(sim, queue, trace, "b", 2, 5);
    sim.scheduleAt(4, () => {
      expect(queue.queueLength).toBe(2);
      trace.push([`renege ${queue.cancel(impatient)}`, sim.now]);
      trace.push([`renege again ${queue.cancel(impatient)}`, sim.now]);
      expect(queue.queueLength).toBe(1);
    });
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["a start (waited 0)", 0],
      ["renege true", 4],
      ["renege again false", 4],
      ["a end", 10],
      ["b start (waited 8)", 10],
      ["b end", 15],
    ]);
    // The mean number waiting: one in [1,2), two in [2,4), one in [4,10), none after; over 15 minutes.
    expect(queue.queueLengthStat.mean(15)).toBeCloseTo((1 + 4 + 6) / 15, 12);
  });

  it("an immediately granted request cannot be cancelled", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "q", capacity: 2 });
    const granted: number[] = [];
    const h1 = queue.request((w) => granted.push(w));
    const h2 = queue.request((w) => granted.push(w));
    expect(granted).toEqual([0, 0]); // synchronous when free
    expect(h1).not.toBe(h2);
    expect(queue.cancel(h1)).toBe(false);
    expect(queue.busy).toBe(2);
  });

  it("setCapacity: raising grants waiters at once, lowering lets service finish", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "shift", capacity: 1 });
    const trace: Trace = [];
    for (const [who, at] of [["a", 0], ["b", 0], ["c", 0], ["d", 0]] as const) serve(sim, queue, trace, who, at, 10);
    sim.scheduleAt(5, () => queue.setCapacity(3));
    sim.scheduleAt(6, () => queue.setCapacity(1));
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["a start (waited 0)", 0],
      ["b start (waited 5)", 5],
      ["c start (waited 5)", 5],
      ["a end", 10],
      ["b end", 15],
      ["c end", 15],
      ["d start (waited 15)", 15], // capacity 1: d waits until busy drops below 1
      ["d end", 25],
    ]);
    expect(queue.capacity).toBe(1);
    // Busy unit-time 40 over capacity unit-time 5*1 + 1*3 + 19*1 = 27.
    expect(queue.utilisation(25)).toBeCloseTo(40 / 27, 12);
  });

  it("utilisation is busy time over capacity time, and resetStats restarts it", () => {
    const sim = new Simulation();
    const queue = new ServerQueue(sim, { name: "u", capacity: 2 });
    const trace: Trace = [];
    serve(sim, queue, trace, "a", 0, 30);
    serve(sim, queue, trace, "b", 10, 10);
    sim.runUntil(40);
    expect(queue.utilisation()).toBeCloseTo(40 / 80, 12);
    expect(queue.busyStat.mean(40)).toBeCloseTo(1, 12);
    queue.resetStats();
    sim.runUntil(50);
    expect(queue.utilisation()).toBe(0);
    expect(queue.waits.count).toBe(0);
  });

  it("rejects misuse with the bad value in the message", () => {
    const sim = new Simulation();
    expect(() => new ServerQueue(sim, { name: "x", capacity: -1 })).toThrow(/-1/);
    expect(() => new ServerQueue(sim, { name: "x", capacity: 1.5 })).toThrow(ResourceError);
    const queue = new ServerQueue(sim, { name: "x", capacity: 1 });
    expect(() => queue.release()).toThrow(/busy 0/);
    expect(() => queue.setCapacity(-2)).toThrow(/-2/);
  });
});

describe("Container", () => {
  it("gets wait FIFO for the whole amount; puts fill them in order", () => {
    const sim = new Simulation();
    const stock = new Container(sim, { name: "rdc/sku-1", initial: 5 });
    const trace: Trace = [];
    const get = (who: string, at: number, amount: number) =>
      sim.scheduleAt(at, () => stock.get(amount, (wait) => trace.push([`${who} got ${amount} (waited ${wait})`, sim.now])));
    get("a", 0, 3);
    get("b", 1, 4); // 2 left: waits
    get("c", 2, 1); // 1 would fit, but b waits ahead
    sim.scheduleAt(10, () => stock.put(2));
    sim.scheduleAt(20, () => stock.put(3));
    sim.runUntil(Infinity);
    expect(trace).toEqual([
      ["a got 3 (waited 0)", 0],
      ["b got 4 (waited 9)", 10],
      ["c got 1 (waited 18)", 20],
    ]);
    expect(stock.level).toBe(2);
    expect(stock.waits.mean).toBeCloseTo(9, 12);
    // Level 5 on [0,0], 2 on [0,10), 0 on [10,20), 2 after: mean over [0,30] is (20 + 20) / 30.
    expect(stock.levelStat.mean(30)).toBeCloseTo(40 / 30, 12);
  });

  it("tryGet takes only when the level suffices and nobody waits ahead", () => {
    const sim = new Simulation();
    const stock = new Container(sim, { name: "store", initial: 4 });
    expect(stock.tryGet(3)).toBe(true);
    expect(stock.tryGet(3)).toBe(false);
    const filled: number[] = [];
    stock.get(2, (w) => filled.push(w));
    stock.put(0.5);
    expect(stock.tryGet(1)).toBe(false); // level 1.5, but the waiting get of 2 is ahead
    expect(stock.level).toBe(1.5);
    stock.put(0.5);
    expect(filled).toEqual([0]);
    expect(stock.level).toBe(0);
  });

  it("cancelling a blocking get lets the smaller gets behind it through", () => {
    const sim = new Simulation();
    const stock = new Container(sim, { name: "fdc", initial: 1 });
    const trace: string[] = [];
    const big = stock.get(10, () => trace.push("big"));
    stock.get(1, () => trace.push("small"));
    expect(trace).toEqual([]);
    expect(stock.queueLength).toBe(2);
    expect(stock.cancel(big)).toBe(true);
    expect(stock.cancel(big)).toBe(false);
    expect(trace).toEqual(["small"]);
    expect(stock.queueLength).toBe(0);
  });

  it("puts beyond capacity wait FIFO and land as gets make room", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { name: "dock", capacity: 10, initial: 8 });
    tank.put(5); // 13 > 10: waits
    tank.put(1); // would fit, but waits behind the first put
    expect(tank.level).toBe(8);
    expect(tank.pendingPuts).toBe(2);
    expect(tank.tryGet(4)).toBe(true); // 4 left: the 5 lands (9), then the 1 (10)
    expect(tank.level).toBe(10);
    expect(tank.pendingPuts).toBe(0);
  });

  it("rejects bad amounts with the value in the message", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { name: "t", capacity: 10 });
    expect(() => tank.put(-1)).toThrow(/-1/);
    expect(() => tank.get(11, () => undefined)).toThrow(/11/);
    expect(() => new Container(sim, { name: "t", capacity: 5, initial: 6 })).toThrow(/6/);
  });
});
