// The waiting line shared by ServerQueue and Container: requests held in typed-array slots,
// ordered FIFO (a ring) or by (priority, arrival) (a heap), with lazy cancellation and
// generation-tagged handles. Internal to the engine; only RequestHandle is public.
import { ResourceError } from "./errors.ts";
import { grown } from "./typed-arrays.ts";

/** Called when a request is granted: the wait in minutes and the argument given with the request. */
export type GrantHandler<T = any> = (wait: number, arg: T) => void;

/** Handle of a resource request, valid for `cancel` while the request waits. */
export type RequestHandle = number;

// Same packing as EventId: slot in the low 24 bits, a per-slot generation above it.
const SLOT_SPAN = 0x1000000;
const GENERATION_MASK = 0x1fffffff;

/** FIFO or priority line of waiting requests (internal). */
export class WaitLine {
  /** Handler of the request removed by the last `shift`. */
  outHandler: GrantHandler | undefined = undefined;
  /** Argument of the request removed by the last `shift`. */
  outArg: unknown = undefined;
  /** Enqueue time of the request removed by the last `shift`. */
  outTime = 0;
  /** Amount of the request removed by the last `shift`. */
  outAmount = 0;

  private handlers: (GrantHandler | undefined)[] = [];
  private args: unknown[] = [];
  private times: Float64Array = new Float64Array(16);
  private amounts: Float64Array = new Float64Array(16);
  private priorities: Float64Array = new Float64Array(16);
  private seqs: Float64Array = new Float64Array(16);
  private generation = new Int32Array(16);
  private freeSlots = new Int32Array(16);
  private freeCount = 0;
  private slotCount = 0;
  // FIFO: ring of slots starting at `head`. Priority: binary heap of slots in order[0..entries).
  private order = new Int32Array(16);
  private head = 0;
  private entries = 0;
  private live = 0;
  private sequence = 0;
  private immediate = 0;

  constructor(private readonly byPriority: boolean) {}

  /** Number of live (not cancelled) waiting requests. */
  get size(): number {
    return this.live;
  }

  /** A fresh handle for a request served at once; it never cancels anything. */
  immediateHandle(): RequestHandle {
    return -++this.immediate;
  }

  /** Append a waiting request and return its handle. */
  add(handler: GrantHandler, time: number, amount: number, priority: number, arg: unknown = undefined): RequestHandle {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount];
    } else {
      if (this.slotCount === this.generation.length) this.grow();
      slot = this.slotCount++;
    }
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    this.times[slot] = time;
    this.amounts[slot] = amount;
    this.priorities[slot] = priority;
    this.seqs[slot] = this.sequence++;
    this.live++;
    const order = this.order;
    if (!this.byPriority) {
      order[(this.head + this.entries) % order.length] = slot;
      this.entries++;
    } else {
      // The newcomer has the largest sequence, so it stops below any parent of equal priority.
      let i = this.entries++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.priorities[order[parent]] <= priority) break;
        order[i] = order[parent];
        i = parent;
      }
      order[i] = slot;
    }
    return this.generation[slot] * SLOT_SPAN + slot;
  }

  /** Withdraw a waiting request; false if it was already served, cancelled, or never waited. */
  cancel(handle: RequestHandle): boolean {
    if (!(handle >= 0) || handle !== Math.floor(handle)) return false;
    const slot = handle % SLOT_SPAN;
    if (slot >= this.slotCount || this.generation[slot] !== (handle - slot) / SLOT_SPAN) return false;
    if (this.handlers[slot] === undefined) return false;
    this.handlers[slot] = undefined;
    this.args[slot] = undefined;
    this.live--;
    const dead = this.entries - this.live;
    if (dead > 64 && dead > this.live) this.compact();
    return true;
  }

  /** Amount of the first live request (call only when size > 0). */
  peekAmount(): number {
    this.dropDeadHead();
    return this.amounts[this.order[this.byPriority ? 0 : this.head]];
  }

  /** Remove the first live request into outHandler / outTime / outAmount (call only when size > 0). */
  shift(): void {
    this.dropDeadHead();
    const slot = this.removeHead();
    this.outHandler = this.handlers[slot];
    this.outArg = this.args[slot];
    this.outTime = this.times[slot];
    this.outAmount = this.amounts[slot];
    this.live--;
    this.free(slot);
  }

  private dropDeadHead(): void {
    while (this.entries > 0 && this.handlers[this.order[this.byPriority ? 0 : this.head]] === undefined) {
      this.free(this.removeHead());
    }
  }

  private free(slot: number): void {
    this.handlers[slot] = undefined;
    this.args[slot] = undefined;
    this.generation[slot] = (this.generation[slot] + 1) & GENERATION_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private removeHead(): number {
    const order = this.order;
    if (!this.byPriority) {
      const slot = order[this.head];
      this.head = (this.head + 1) % order.length;
      this.entries--;
      return slot;
    }
    const top = order[0];
    const last = --this.entries;
    if (last > 0) {
      const moving = order[last];
      const priority = this.priorities[moving];
      const seq = this.seqs[moving];
      let i = 0;
      let child = 1;
      while (child < last) {
        const right = child + 1;
        if (right < last && this.before(order[right], order[child])) child = right;
        const c = order[child];
        const cp = this.priorities[c];
        if (cp > priority || (cp === priority && this.seqs[c] > seq)) break;
        order[i] = c;
        i = child;
        child = 2 * i + 1;
      }
      order[i] = moving;
    }
    return top;
  }

  // Drop cancelled entries, keeping the FIFO order, and re-heapify a priority line.
  private compact(): void {
    const order = this.order;
    let kept = 0;
    for (let i = 0; i < this.entries; i++) {
      const slot = order[this.byPriority ? i : (this.head + i) % order.length];
      if (this.handlers[slot] === undefined) {
        this.free(slot);
        continue;
      }
      order[this.byPriority ? kept : (this.head + kept) % order.length] = slot;
      kept++;
    }
    this.entries = kept;
    if (!this.byPriority) return;
    for (let start = (kept >> 1) - 1; start >= 0; start--) {
      let i = start;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= kept) break;
        if (child + 1 < kept && this.before(order[child + 1], order[child])) child++;
        if (!this.before(order[child], order[i])) break;
        const swap = order[i];
        order[i] = order[child];
        order[child] = swap;
        i = child;
      }
    }
  }

  private before(a: number, b: number): boolean {
    const pa = this.priorities[a];
    const pb = this.priorities[b];
    return pa < pb || (pa === pb && this.seqs[a] < this.seqs[b]);
  }

  // Entries never outnumber slots, so every array grows together; the ring is unrolled from head.
  private grow(): void {
    const capacity = this.generation.length * 2;
    if (capacity > SLOT_SPAN) throw new ResourceError(`Too many waiting requests: ${this.slotCount}`);
    const order = new Int32Array(capacity);
    for (let i = 0; i < this.entries; i++) {
      order[i] = this.order[this.byPriority ? i : (this.head + i) % this.order.length];
    }
    this.order = order;
    this.head = 0;
    this.times = grown(this.times, capacity);
    this.amounts = grown(this.amounts, capacity);
    this.priorities = grown(this.priorities, capacity);
    this.seqs = grown(this.seqs, capacity);
    this.generation = grown(this.generation, capacity);
    this.freeSlots = grown(this.freeSlots, capacity);
  }
}
