// Shared resources in the style of SimPy's Resource/PriorityResource and Container: a
// capacity-limited server with a waiting line, and a stock container with waiting gets.
// Callbacks run synchronously (see each method); nothing here schedules events of its own.
import type { Handler, Simulation } from "./simulation.ts";
import { ResourceError } from "./errors.ts";
import { Tally, TimeWeighted } from "./stats.ts";
import { WaitLine } from "./wait-line.ts";
import type { GrantHandler, RequestHandle } from "./wait-line.ts";

export type { GrantHandler, RequestHandle } from "./wait-line.ts";

/** A server with `capacity` identical units and a FIFO or priority waiting line. */
export class ServerQueue {
  /** Name used in error messages and reports. */
  readonly name: string;
  /** Wait (minutes) of every granted request, zero for immediate grants. */
  readonly waits = new Tally();
  /** Time-average number of waiting requests. */
  readonly queueLengthStat: TimeWeighted;
  /** Time-average number of units in service. */
  readonly busyStat: TimeWeighted;

  private readonly sim: Simulation;
  private readonly line: WaitLine;
  private readonly capacityStat: TimeWeighted;
  private units: number;
  private inService = 0;

  constructor(sim: Simulation, options: { name: string; capacity: number; discipline?: "fifo" | "priority" }) {
    const { name, capacity, discipline = "fifo" } = options;
    if (!Number.isInteger(capacity) || capacity < 0) throw new ResourceError(`ServerQueue ${name}: capacity must be an integer >= 0, got ${capacity}`);
    if (discipline !== "fifo" && discipline !== "priority") throw new ResourceError(`ServerQueue ${name}: unknown discipline ${String(discipline)}`);
    this.sim = sim;
    this.name = name;
    this.units = capacity;
    this.line = new WaitLine(discipline === "priority");
    this.queueLengthStat = new TimeWeighted(sim, 0);
    this.busyStat = new TimeWeighted(sim, 0);
    this.capacityStat = new TimeWeighted(sim, capacity);
  }

  /** Units of capacity. */
  get capacity(): number {
    return this.units;
  }

  /** Units in service (may exceed capacity briefly after setCapacity lowers it). */
  get busy(): number {
    return this.inService;
  }

  /** Requests waiting. */
  get queueLength(): number {
    return this.line.size;
  }

  /**
   * Ask for one unit. If a unit is free and nobody waits, onGranted(0) is called synchronously
   * before request returns; otherwise the request waits and onGranted(wait) is called inside the
   * release/setCapacity that frees a unit. Lower priority values are served first (priority
   * discipline only), FIFO among equals. `arg` is passed on as onGranted's second argument, so a
   * caller with one handler for many requests need not make a closure per request.
   */
  request<T = undefined>(onGranted: GrantHandler<T>, priority = 0, arg?: T): RequestHandle {
    if (priority !== priority) throw new ResourceError(`ServerQueue ${this.name}: priority must be a number, got ${priority}`);
    const now = this.sim.now;
    if (this.inService < this.units && this.line.size === 0) {
      this.busyStat.update(now, ++this.inService);
      this.waits.add(0);
      onGranted(0, arg as T);
      return this.line.immediateHandle();
    }
    const handle = this.line.add(onGranted, now, 1, priority, arg);
    this.queueLengthStat.update(now, this.line.size);
    return handle;
  }

  /** Free one unit in service; the next waiter (if any and capacity allows) is granted synchronously. */
  release(): void {
    if (this.inService === 0) throw new ResourceError(`ServerQueue ${this.name}: release with no unit in service (busy 0)`);
    this.busyStat.update(this.sim.now, --this.inService);
    this.grantWaiting();
  }

  /** Withdraw a waiting request (renege); false if it was already granted or cancelled. */
  cancel(handle: RequestHandle): boolean {
    if (!this.line.cancel(handle)) return false;
    this.queueLengthStat.update(this.sim.now, this.line.size);
    return true;
  }

  /** Change capacity (shifts): raising grants waiters now; lowering lets units in service finish. */
  setCapacity(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new ResourceError(`ServerQueue ${this.name}: capacity must be an integer >= 0, got ${n}`);
    this.units = n;
    this.capacityStat.update(this.sim.now, n);
    this.grantWaiting();
  }

  /** Busy unit-time over capacity unit-time since the start (or resetStats); 0 if capacity was 0 throughout. */
  utilisation(now = this.sim.now): number {
    const capacity = this.capacityStat.mean(now);
    return capacity > 0 ? this.busyStat.mean(now) / capacity : 0;
  }

  /** Restart every statistic at the current time (warm-up deletion). */
  resetStats(): void {
    const now = this.sim.now;
    this.waits.reset();
    this.queueLengthStat.reset(now);
    this.busyStat.reset(now);
    this.capacityStat.reset(now);
  }

  private grantWaiting(): void {
    const line = this.line;
    while (this.inService < this.units && line.size > 0) {
      line.shift();
      const handler = line.outHandler!;
      const arg = line.outArg;
      line.outArg = undefined;
      const now = this.sim.now;
      const wait = now - line.outTime;
      this.queueLengthStat.update(now, line.size);
      this.busyStat.update(now, ++this.inService);
      this.waits.add(wait);
      handler(wait, arg);
    }
  }
}

/**
 * A stock of units between 0 and capacity. Gets wait FIFO until the whole amount is there
 * (a waiting get blocks later ones); puts that would overflow wait FIFO and land as gets make room.
 */
export class Container {
  /** Name used in error messages and reports. */
  readonly name: string;
  /** Upper bound on the level (Infinity by default). */
  readonly capacity: number;
  /** Wait (minutes) of every filled get, zero for immediate fills. */
  readonly waits = new Tally();
  /** Time-average level. */
  readonly levelStat: TimeWeighted;

  private readonly sim: Simulation;
  private readonly gets = new WaitLine(false);
  private readonly puts: number[] = [];
  private putHead = 0;
  private stock: number;
  private settling = false;

  constructor(sim: Simulation, options: { name: string; capacity?: number; initial?: number }) {
    const { name, capacity = Infinity, initial = 0 } = options;
    if (!(capacity > 0)) throw new ResourceError(`Container ${name}: capacity must be > 0, got ${capacity}`);
    if (!(initial >= 0 && initial <= capacity)) throw new ResourceError(`Container ${name}: initial must be in [0, ${capacity}], got ${initial}`);
    this.sim = sim;
    this.name = name;
    this.capacity = capacity;
    this.stock = initial;
    this.levelStat = new TimeWeighted(sim, initial);
  }

  /** Units in the container now. */
  get level(): number {
    return this.stock;
  }

  /** Gets waiting to be filled. */
  get queueLength(): number {
    return this.gets.size;
  }

  /** Puts waiting for room. */
  get pendingPuts(): number {
    return this.puts.length - this.putHead;
  }

  /** Add `amount` units; if they do not fit (or earlier puts wait) the put waits FIFO. Waiting gets it satisfies are filled synchronously. */
  put(amount: number): void {
    this.checkAmount("put", amount);
    this.puts.push(amount);
    this.settle();
  }

  /** Take `amount` units: onFilled(0) synchronously if available and nobody waits, else onFilled(wait) when filled. */
  get(amount: number, onFilled: Handler<number>): RequestHandle {
    this.checkAmount("get", amount);
    if (this.gets.size === 0 && amount <= this.stock) {
      this.take(amount);
      this.waits.add(0);
      onFilled(0);
      this.settle();
      return this.gets.immediateHandle();
    }
    return this.gets.add(onFilled, this.sim.now, amount, 0);
  }

  /** Take `amount` now if the level suffices and no get waits ahead; false (and no change) otherwise. */
  tryGet(amount: number): boolean {
    this.checkAmount("tryGet", amount);
    if (this.gets.size > 0 || amount > this.stock) return false;
    this.take(amount);
    this.settle();
    return true;
  }

  /** Withdraw a waiting get; false if it was already filled or cancelled. */
  cancel(handle: RequestHandle): boolean {
    if (!this.gets.cancel(handle)) return false;
    this.settle(); // the cancelled get may have blocked smaller ones behind it
    return true;
  }

  /** Restart the statistics at the current time (warm-up deletion). */
  resetStats(): void {
    this.waits.reset();
    this.levelStat.reset(this.sim.now);
  }

  private checkAmount(verb: string, amount: number): void {
    if (!(amount > 0 && amount <= this.capacity)) {
      throw new ResourceError(`Container ${this.name}: ${verb} amount must be in (0, ${this.capacity}], got ${amount}`);
    }
  }

  private take(amount: number): void {
    this.stock -= amount;
    this.levelStat.update(this.sim.now, this.stock);
  }

  // Land waiting puts and fill waiting gets, FIFO each, until neither can move. Re-entrant calls
  // from callbacks return at once; the outer loop picks up whatever they changed.
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      let moved = true;
      while (moved) {
        moved = false;
        while (this.putHead < this.puts.length && this.stock + this.puts[this.putHead] <= this.capacity) {
          this.stock += this.puts[this.putHead++];
          this.levelStat.update(this.sim.now, this.stock);
          moved = true;
        }
        if (this.putHead === this.puts.length) {
          this.puts.length = 0;
          this.putHead = 0;
        }
        while (this.gets.size > 0 && this.gets.peekAmount() <= this.stock) {
          this.gets.shift();
          const handler = this.gets.outHandler!;
          const wait = this.sim.now - this.gets.outTime;
          this.take(this.gets.outAmount);
          this.waits.add(wait);
          handler(wait, undefined);
          moved = true;
        }
      }
    } finally {
      this.settling = false;
    }
  }
}
