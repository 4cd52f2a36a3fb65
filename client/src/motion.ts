// What is moving and where it is at a given sim minute: a fixed-capacity buffer of trips (origin,
// destination, depart, arrive), interpolated linearly and retired on arrival. Struct-of-arrays so
// ten thousand trips cost a few typed arrays, not ten thousand objects; slot numbers are stable, so
// the display can map slot i to particle i. Pure: no pixi.

/** Position of a trip at time t: at the origin before departure, at the destination after arrival. */
export function progressAt(departAt: number, arriveAt: number, t: number): number {
  if (!(arriveAt > departAt)) return t >= arriveAt ? 1 : 0;
  const p = (t - departAt) / (arriveAt - departAt);
  return p <= 0 ? 0 : p >= 1 ? 1 : p;
}

/** Trips in flight, in slots 0..capacity-1. */
export class MotionBuffer {
  private x0: Float64Array;
  private y0: Float64Array;
  private dx: Float64Array;
  private dy: Float64Array;
  private depart: Float64Array;
  private arrive: Float64Array;
  /** Active slots, unordered (a retired one is swapped with the last). */
  private active: Int32Array;
  private free: Int32Array;
  private freeCount: number;
  private count = 0;
  /** Slots ever used: the display needs this many particles. */
  highWater = 0;

  constructor(
    initialCapacity = 256,
    /** Hard limit: trips beyond it are dropped (counted), so a flood never stalls a frame. */
    readonly maxCapacity = 50_000,
  ) {
    const n = Math.max(1, Math.min(initialCapacity, maxCapacity));
    this.x0 = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.dx = new Float64Array(n);
    this.dy = new Float64Array(n);
    this.depart = new Float64Array(n);
    this.arrive = new Float64Array(n);
    this.active = new Int32Array(n);
    this.free = new Int32Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.freeCount = n;
  }

  /** Trips dropped because the buffer was full. */
  dropped = 0;

  get size(): number {
    return this.count;
  }
  get capacity(): number {
    return this.x0.length;
  }

  /** Start a trip; its slot, or -1 when the buffer is at its limit. */
  add(x0: number, y0: number, x1: number, y1: number, departAt: number, arriveAt: number): number {
    if (this.freeCount === 0 && !this.grow()) {
      this.dropped++;
      return -1;
    }
    const slot = this.free[--this.freeCount];
    this.x0[slot] = x0;
    this.y0[slot] = y0;
    this.dx[slot] = x1 - x0;
    this.dy[slot] = y1 - y0;
    this.depart[slot] = departAt;
    this.arrive[slot] = arriveAt;
    this.active[this.count++] = slot;
    if (slot + 1 > this.highWater) this.highWater = slot + 1;
    return slot;
  }

  /**
   * Move every trip to time t: `place(slot, x, y)` for each one still travelling (or waiting to
   * depart), `retire(slot)` for each that has arrived, which frees its slot. Returns trips left.
   */
  step(t: number, place: (slot: number, x: number, y: number) => void, retire: (slot: number) => void): number {
    const { active, x0, y0, dx, dy, depart, arrive } = this;
    let i = 0;
    while (i < this.count) {
      const slot = active[i];
      const a = arrive[slot];
      if (t >= a) {
        this.release(i);
        retire(slot);
        continue; // the last active slot moved into index i
      }
      const d = depart[slot];
      const p = t <= d ? 0 : (t - d) / (a - d);
      place(slot, x0[slot] + dx[slot] * p, y0[slot] + dy[slot] * p);
      i++;
    }
    return this.count;
  }

  /** Forget every trip (a snapshot replaced the state); `retire` is called for each. */
  clear(retire: (slot: number) => void = () => {}): void {
    while (this.count > 0) {
      const slot = this.active[this.count - 1];
      this.release(this.count - 1);
      retire(slot);
    }
  }

  private release(index: number): void {
    const slot = this.active[index];
    this.active[index] = this.active[--this.count];
    this.free[this.freeCount++] = slot;
  }

  private grow(): boolean {
    const old = this.capacity;
    if (old >= this.maxCapacity) return false;
    const n = Math.min(this.maxCapacity, old * 2);
    const widen = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.x0 = widen(this.x0);
    this.y0 = widen(this.y0);
    this.dx = widen(this.dx);
    this.dy = widen(this.dy);
    this.depart = widen(this.depart);
    this.arrive = widen(this.arrive);
    const active = new Int32Array(n);
    active.set(this.active);
    this.active = active;
    const free = new Int32Array(n);
    // New slots, lowest handed out first.
    let k = 0;
    for (let s = n - 1; s >= old; s--) free[k++] = s;
    this.free = free;
    this.freeCount = k;
    return true;
  }
}

/**
 * The sim minute the map shows at a wall-clock instant. Frames arrive ~10 a second; between them
 * the display runs on at the session's speed, but never more than `leadMs` of play past the newest
 * frame, and never backwards except on a reset (snapshot, seek). So motion is smooth at any speed
 * and a stalled server freezes the map instead of letting it run ahead.
 */
export class DisplayClock {
  private anchorT = 0;
  private anchorWall = 0;
  private frameT = 0;
  private playing = false;
  private speed = 0;

  constructor(private readonly leadMs = 250) {}

  /** Jump to t (a snapshot or a finished seek). */
  reset(t: number, wallMs: number, playing: boolean, speed: number): void {
    this.anchorT = this.frameT = t;
    this.anchorWall = wallMs;
    this.playing = playing;
    this.speed = speed;
  }

  /** A frame for sim minute t arrived at `wallMs`. */
  frame(t: number, wallMs: number, playing: boolean, speed: number): void {
    const shown = this.at(wallMs);
    this.frameT = t;
    // Fell far behind (a stalled tab, a fast-forward): catch up at once rather than crawl.
    const far = Math.max(1, speed * 0.5);
    this.anchorT = t - shown > far ? t : Math.min(shown, t + this.lead(speed));
    this.anchorWall = wallMs;
    this.playing = playing;
    this.speed = speed;
  }

  /** Sim minute to draw at `wallMs`. */
  at(wallMs: number): number {
    if (!this.playing) return Math.max(this.anchorT, this.frameT);
    const run = this.anchorT + (Math.max(0, wallMs - this.anchorWall) / 1000) * this.speed;
    return Math.max(this.anchorT, Math.min(run, this.frameT + this.lead(this.speed)));
  }

  private lead(speed: number): number {
    return (this.leadMs / 1000) * speed;
  }
}
