// The benchmark's yardstick: the plainest fast event loop we know how to write — a binary heap
// over typed arrays ordered by (time, sequence), with an integer event kind dispatched by a switch.
// No handlers, no ids, no cancellation: what the engine costs on top of this is its overhead.
import type { RandomStream } from "../sim/engine/index.ts";

/** A bare (time, sequence)-ordered binary min-heap of integer event kinds. */
export class BaselineHeap {
  size = 0;
  /** Time and kind of the entry removed by the last pop. */
  topTime = 0;
  topKind = 0;
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private sequence = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
  }

  push(time: number, kind: number): void {
    if (this.size === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const kinds = this.kinds;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent] <= time) break;
      times[i] = times[parent];
      seqs[i] = seqs[parent];
      kinds[i] = kinds[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = this.sequence++;
    kinds[i] = kind;
  }

  pop(): void {
    const times = this.times;
    const seqs = this.seqs;
    const kinds = this.kinds;
    this.topTime = times[0];
    this.topKind = kinds[0];
    const last = --this.size;
    if (last === 0) return;
    const time = times[last];
    const seq = seqs[last];
    const kind = kinds[last];
    let i = 0;
    let child = 1;
    while (child < last) {
      const right = child + 1;
      if (right < last && (times[right] < times[child] || (times[right] === times[child] && seqs[right] < seqs[child]))) child = right;
      if (times[child] > time || (times[child] === time && seqs[child] > seq)) break;
      times[i] = times[child];
      seqs[i] = seqs[child];
      kinds[i] = kinds[child];
      i = child;
      child = 2 * i + 1;
    }
    times[i] = time;
    seqs[i] = seq;
    kinds[i] = kind;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
    const kinds = new Int32Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }
}

const ARRIVAL = 0;
const DEPARTURE = 1;

/** M/M/c on the bare heap; returns the number of events processed. */
export function baselineMmc(rng: RandomStream, servers: number, meanInterarrival: number, meanService: number, customers: number): number {
  const heap = new BaselineHeap(64);
  let busy = 0;
  let waiting = 0;
  let arrived = 0;
  let events = 0;
  heap.push(rng.exponential(meanInterarrival), ARRIVAL);
  while (heap.size > 0) {
    heap.pop();
    events++;
    const now = heap.topTime;
    switch (heap.topKind) {
      case ARRIVAL:
        if (++arrived < customers) heap.push(now + rng.exponential(meanInterarrival), ARRIVAL);
        if (busy < servers) {
          busy++;
          heap.push(now + rng.exponential(meanService), DEPARTURE);
        } else {
          waiting++;
        }
        break;
      case DEPARTURE:
        if (waiting > 0) {
          waiting--;
          heap.push(now + rng.exponential(meanService), DEPARTURE);
        } else {
          busy--;
        }
        break;
    }
  }
  return events;
}

/** Timer storm on the bare heap: `timers` pending, each rescheduling itself until `total` were scheduled. */
export function baselineTimerStorm(rng: RandomStream, timers: number, total: number, meanDelay: number): number {
  const heap = new BaselineHeap(timers);
  let scheduled = 0;
  let events = 0;
  for (let i = 0; i < timers; i++, scheduled++) heap.push(rng.exponential(meanDelay), 0);
  while (heap.size > 0) {
    heap.pop();
    events++;
    if (scheduled < total) {
      scheduled++;
      heap.push(heap.topTime + rng.exponential(meanDelay), 0);
    }
  }
  return events;
}
