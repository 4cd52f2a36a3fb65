// The simulation kernel: a clock in minutes, a pending-event heap ordered by (time, sequence),
// and the scheduling verbs. The heap is 4-ary: half the depth of a binary heap, and a node's four
// children share a cache line or two, so a pop touches fewer lines (a model run keeps 10,000–40,000
// events pending). It knows nothing of supply chains; resources, statistics and the
// calendar live in their own modules.
import { RandomStreams } from "./random.ts";
import { SchedulingError } from "./errors.ts";
import { grown } from "./typed-arrays.ts";

export { SimulationError, SchedulingError } from "./errors.ts";

/** Handle of a scheduled event, valid for `cancel` until the event runs or is cancelled. */
export type EventId = number;

/** An event callback: called once with the argument given when it was scheduled. */
export type Handler<T = any> = (arg: T) => void;

// An EventId packs (generation, slot): slot in the low 24 bits, generation above, so an id
// stays below 2^53. The generation of a slot advances whenever the slot is freed, so an old id
// never aliases a newer event that reuses the slot (ids repeat only after 2^29 reuses of one slot).
const SLOT_SPAN = 0x1000000;
const GENERATION_MASK = 0x1fffffff;
const INITIAL_CAPACITY = 64;
// Lazy cancellation leaves dead entries in the heap; rebuild once they dominate.
const COMPACT_MIN_DEAD = 1024;

/** A discrete-event simulation: read-only clock, (time, sequence)-ordered events, named random streams. */
export class Simulation {
  /** Named random streams derived from the master seed. */
  readonly streams: RandomStreams;

  private clock: number;
  private processed = 0;
  private sequence = 0;

  // The heap, one entry per scheduled event (live or cancelled): parallel typed arrays.
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSlot: Int32Array;
  private heapSize = 0;
  private dead = 0;

  // Per-slot payload. A slot is in use from scheduling until its heap entry is popped;
  // a cancelled event keeps its slot (with handler undefined) until then.
  private handlers: (Handler | undefined)[] = [];
  private args: unknown[] = [];
  private generation: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotCount = 0;

  constructor(options: { seed?: number | string; startTime?: number } = {}) {
    const startTime = options.startTime ?? 0;
    if (!Number.isFinite(startTime)) throw new SchedulingError(`Start time must be finite, got ${startTime}`);
    this.clock = startTime;
    this.streams = new RandomStreams(options.seed ?? 1);
    this.heapTime = new Float64Array(INITIAL_CAPACITY);
    this.heapSeq = new Float64Array(INITIAL_CAPACITY);
    this.heapSlot = new Int32Array(INITIAL_CAPACITY);
    this.generation = new Int32Array(INITIAL_CAPACITY);
    this.freeSlots = new Int32Array(INITIAL_CAPACITY);
  }

  /** Current simulation time in minutes since scenario start; only the engine moves it. */
  get now(): number {
    return this.clock;
  }

  /** Number of scheduled events that are neither run nor cancelled. */
  get pending(): number {
    return this.heapSize - this.dead;
  }

  /** Number of handlers run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Schedule `handler(arg)` at absolute time `time` (minutes); same-time events run in scheduling order. */
  scheduleAt<T>(time: number, handler: Handler<T>, arg?: T): EventId {
    if (!(time >= this.clock && time < Infinity)) {
      throw new SchedulingError(
        time < this.clock ? `Time ${time} is in the past (now ${this.clock})` : `Time must be finite, got ${time}`,
      );
    }
    return this.push(time, handler, arg);
  }

  /** Schedule `handler(arg)` `delay` minutes from now. */
  scheduleIn<T>(delay: number, handler: Handler<T>, arg?: T): EventId {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new SchedulingError(delay < 0 ? `Negative delay ${delay}` : `Delay must be finite, got ${delay}`);
    }
    return this.push(this.clock + delay, handler, arg);
  }

  /** Cancel a pending event; false if it already ran, was already cancelled, or the id is unknown. */
  cancel(id: EventId): boolean {
    if (!(id >= 0) || id !== Math.floor(id)) return false;
    const slot = id % SLOT_SPAN;
    if (slot >= this.slotCount || this.generation[slot] !== (id - slot) / SLOT_SPAN) return false;
    if (this.handlers[slot] === undefined) return false;
    this.handlers[slot] = undefined;
    this.args[slot] = undefined;
    this.dead++;
    if (this.dead >= COMPACT_MIN_DEAD && this.dead * 2 > this.heapSize) this.compact();
    return true;
  }

  /** Time of the next pending event, or Infinity when none is pending. */
  peekTime(): number {
    this.dropDeadTop();
    return this.heapSize > 0 ? this.heapTime[0] : Infinity;
  }

  /** Run the next pending event; false when none is pending. */
  step(): boolean {
    this.dropDeadTop();
    if (this.heapSize === 0) return false;
    this.runTop();
    return true;
  }

  /** Run every event with time <= `time`, then set now = `time` (Infinity: run until none is pending). */
  runUntil(time: number): void {
    if (!(time >= this.clock)) throw new SchedulingError(`Cannot run until ${time}: now is ${this.clock}`);
    while (this.heapSize > 0 && this.heapTime[0] <= time) this.runTop();
    if (time < Infinity) this.clock = time;
  }

  /** Run for `duration` minutes: runUntil(now + duration). */
  runFor(duration: number): void {
    if (!(duration >= 0)) throw new SchedulingError(`Negative duration ${duration}`);
    this.runUntil(this.clock + duration);
  }

  /** Start a generator process now; each yielded number is a delay in minutes before it resumes. */
  process(generator: Generator<number, void, unknown>): void {
    this.push(this.clock, this.resume, generator);
  }

  private readonly resume = (generator: Generator<number, void, unknown>): void => {
    const step = generator.next();
    if (step.done !== true) this.scheduleIn(step.value, this.resume, generator);
  };

  // Pop the top entry, free its slot, and run its handler unless it was cancelled.
  // The slot is freed before the handler runs, so the handler may reuse it and
  // cancelling the running event's own id returns false.
  private runTop(): void {
    const time = this.heapTime[0];
    const slot = this.heapSlot[0];
    this.removeTop();
    const handler = this.handlers[slot];
    const arg = this.args[slot];
    this.handlers[slot] = undefined;
    this.args[slot] = undefined;
    this.generation[slot] = (this.generation[slot] + 1) & GENERATION_MASK;
    this.freeSlots[this.freeCount++] = slot;
    if (handler === undefined) {
      this.dead--;
      return;
    }
    this.clock = time;
    this.processed++;
    handler(arg);
  }

  private dropDeadTop(): void {
    while (this.heapSize > 0 && this.handlers[this.heapSlot[0]] === undefined) this.runTop();
  }

  private push(time: number, handler: Handler, arg: unknown): EventId {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount];
    } else {
      if (this.slotCount === this.generation.length) this.grow();
      slot = this.slotCount++;
    }
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    // Sift up. The new entry has the largest sequence number so far, so on equal
    // times it belongs below its parent: only times need comparing here.
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const slots = this.heapSlot;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const parentTime = times[parent];
      if (parentTime <= time) break;
      times[i] = parentTime;
      seqs[i] = seqs[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = this.sequence++;
    slots[i] = slot;
    return this.generation[slot] * SLOT_SPAN + slot;
  }

  // Remove the root: move the last entry into the hole and sift it down.
  private removeTop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    const slots = this.heapSlot;
    const time = this.heapTime[last];
    const seq = this.heapSeq[last];
    const slot = slots[last];
    this.siftDown(0, time, seq, slot, last);
  }

  // Place (time, seq, slot) at or below `i` in a heap of `size` entries whose hole is at `i`.
  private siftDown(i: number, time: number, seq: number, slot: number, size: number): void {
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const slots = this.heapSlot;
    let child = 4 * i + 1;
    while (child < size) {
      // The least of up to four children.
      let best = child;
      let bestTime = times[child];
      const end = Math.min(child + 4, size);
      for (let c = child + 1; c < end; c++) {
        const t = times[c];
        if (t < bestTime || (t === bestTime && seqs[c] < seqs[best])) {
          best = c;
          bestTime = t;
        }
      }
      if (bestTime > time || (bestTime === time && seqs[best] > seq)) break;
      times[i] = bestTime;
      seqs[i] = seqs[best];
      slots[i] = slots[best];
      i = best;
      child = 4 * i + 1;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  // Drop every cancelled entry and restore the heap property bottom-up (Floyd).
  private compact(): void {
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const slots = this.heapSlot;
    let kept = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = slots[i];
      if (this.handlers[slot] === undefined) {
        this.generation[slot] = (this.generation[slot] + 1) & GENERATION_MASK;
        this.freeSlots[this.freeCount++] = slot;
        continue;
      }
      times[kept] = times[i];
      seqs[kept] = seqs[i];
      slots[kept] = slot;
      kept++;
    }
    this.heapSize = kept;
    this.dead = 0;
    for (let i = (kept - 2) >> 2; i >= 0; i--) this.siftDown(i, times[i], seqs[i], slots[i], kept);
  }

  // Heap entries never outnumber slots, so heap and slot arrays grow together.
  private grow(): void {
    const capacity = this.generation.length * 2;
    if (capacity > SLOT_SPAN) throw new SchedulingError(`Too many pending events: ${this.slotCount}`);
    this.heapTime = grown(this.heapTime, capacity);
    this.heapSeq = grown(this.heapSeq, capacity);
    this.heapSlot = grown(this.heapSlot, capacity);
    this.generation = grown(this.generation, capacity);
    this.freeSlots = grown(this.freeSlots, capacity);
  }
}
