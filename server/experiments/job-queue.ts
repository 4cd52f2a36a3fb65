// Which waiting replication a free worker takes next. A batch is done when its last replication is, so
// the pool starts long replications first (longest processing time first): near the end the workers then
// finish short ones at about the same moment, instead of one worker running a long replication alone
// while the others wait. How long a replication takes is learnt as the batch runs, as the mean wall time
// of the finished replications of its kind (same scenario, policy and interventions; only the seed
// differs). Kinds not started yet go first, in job order, so each is measured early; kinds started but
// not yet measured come next; a retried replication goes before everything. Within a kind, job order.
// Only the order work starts in changes: every record is the same whatever the order.
import type { RunKey } from "./spec.ts";

interface Kind<T> {
  waiting: T[];
  /** Index of the next waiting item (a queue without shifting). */
  head: number;
  started: number;
  finished: number;
  seconds: number;
}

/** Waiting replications, taken longest-expected first. */
export class JobQueue<T extends { job: { key: RunKey } }> {
  private readonly kinds = new Map<string, Kind<T>>();
  private readonly retries: T[] = [];
  private size = 0;

  constructor(items: readonly T[]) {
    for (const item of items) this.kindOf(item).waiting.push(item);
    this.size = items.length;
  }

  get length(): number {
    return this.size;
  }

  /** Put back a replication whose attempt failed: it is taken before anything else. */
  retry(item: T): void {
    this.retries.push(item);
    this.size++;
  }

  /** The next replication to start, or undefined when none waits. */
  take(): T | undefined {
    let item = this.retries.shift();
    if (item === undefined) {
      let best: Kind<T> | undefined;
      for (const kind of this.kinds.values()) {
        if (kind.head === kind.waiting.length) continue;
        if (best === undefined || rank(kind) > rank(best)) best = kind;
      }
      if (best === undefined) return undefined;
      item = best.waiting[best.head];
      best.waiting[best.head++] = undefined as unknown as T;
    }
    this.kindOf(item).started++;
    this.size--;
    return item;
  }

  /** A replication of this key finished in `seconds` of wall time. */
  finished(key: RunKey, seconds: number): void {
    const kind = this.kinds.get(kindKey(key));
    if (kind === undefined) return;
    kind.finished++;
    kind.seconds += seconds;
  }

  /** Remove and return every waiting replication (retries first, then job order within each kind). */
  drain(): T[] {
    const all = this.retries.splice(0);
    for (const kind of this.kinds.values()) {
      all.push(...kind.waiting.slice(kind.head));
      kind.head = kind.waiting.length;
    }
    this.size = 0;
    return all;
  }

  private kindOf(item: T): Kind<T> {
    const key = kindKey(item.job.key);
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      kind = { waiting: [], head: 0, started: 0, finished: 0, seconds: 0 };
      this.kinds.set(key, kind);
    }
    return kind;
  }
}

// Not started > started but unmeasured > measured, longest mean first; equal ranks keep Map (job) order.
function rank(kind: Kind<unknown>): number {
  if (kind.started === 0) return Number.MAX_VALUE;
  if (kind.finished === 0) return Number.MAX_VALUE / 2;
  return kind.seconds / kind.finished;
}

function kindKey(key: RunKey): string {
  return `${key.scenarioHash} ${key.policy} ${key.interventionsHash}`;
}
