// The pool's order of work: kinds not started yet first (so each is measured early), then the kind
// whose finished replications took longest on average, retries before everything; each job exactly once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JobQueue } from "../../server/experiments/job-queue.ts";
import type { RunKey } from "../../server/experiments/spec.ts";

const key = (policy: string, seed: number, scenarioHash = "s"): RunKey => ({ scenarioHash, policy, seed, interventionsHash: "none", omnitwinVersion: "0" });
const item = (id: number, policy: string, seed: number, scenarioHash = "s") => ({ job: { id, key: key(policy, seed, scenarioHash) }, reasons: [] as string[] });
const ids = (xs: ReadonlyArray<{ job: { id: number } } | undefined>) => xs.map((x) => x?.job.id);

describe("JobQueue", () => {
  // A compare batch: seeds × (siloed, coordinated), interleaved as the planner lists them.
  const compare = () => [item(0, "siloed", 1), item(1, "coordinated", 1), item(2, "siloed", 2), item(3, "coordinated", 2), item(4, "siloed", 3), item(5, "coordinated", 3)];

  it("starts one replication of every kind first, in job order", () => {
    const queue = new JobQueue(compare());
    expect(ids([queue.take(), queue.take()])).toEqual([0, 1]);
    expect(queue.length).toBe(4);
  });

  it("then takes the kind whose finished replications took longest, seeds in order", () => {
    const queue = new JobQueue(compare());
    queue.take();
    queue.take();
    queue.finished(key("siloed", 1), 1.5);
    queue.finished(key("coordinated", 1), 2.2);
    expect(ids([queue.take(), queue.take(), queue.take(), queue.take(), queue.take()])).toEqual([3, 5, 2, 4, undefined]);
  });

  it("keeps job order while no kind is measured yet, and a measured kind waits behind an unmeasured one", () => {
    const queue = new JobQueue(compare());
    queue.take(); // siloed seed 1
    queue.take(); // coordinated seed 1
    queue.finished(key("siloed", 1), 9);
    // coordinated has started but nothing finished: it might be longer than 9 s, so it goes first.
    expect(ids([queue.take()])).toEqual([3]);
    queue.finished(key("coordinated", 1), 2);
    expect(ids([queue.take(), queue.take(), queue.take()])).toEqual([2, 4, 5]);
  });

  it("a kind is scenario × policy × interventions: sweep points are separate kinds, started in job order", () => {
    const queue = new JobQueue([item(0, "siloed", 1, "x=1"), item(1, "siloed", 2, "x=1"), item(2, "siloed", 1, "x=2"), item(3, "siloed", 2, "x=2")]);
    expect(ids([queue.take(), queue.take()])).toEqual([0, 2]);
    queue.finished(key("siloed", 1, "x=1"), 1);
    queue.finished(key("siloed", 1, "x=2"), 4);
    expect(ids([queue.take(), queue.take()])).toEqual([3, 1]);
  });

  it("gives a retried replication to the next free worker, before anything else", () => {
    const queue = new JobQueue(compare());
    const first = queue.take()!;
    queue.retry(first);
    expect(queue.length).toBe(6);
    expect(ids([queue.take(), queue.take()])).toEqual([0, 1]);
  });

  it("drain hands back everything still waiting, retries first", () => {
    const queue = new JobQueue(compare());
    const first = queue.take()!;
    queue.take();
    queue.retry(first);
    expect(ids(queue.drain())).toEqual([0, 2, 4, 3, 5]);
    expect(queue.length).toBe(0);
    expect(queue.take()).toBeUndefined();
  });

  it("hands out every job exactly once, however long replications take and whichever fail", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("p", "q")), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.boolean()), { maxLength: 60 }),
        (kinds, outcomes) => {
          const items = kinds.map(([scenario, policy], id) => item(id, policy, id, scenario));
          const queue = new JobQueue(items);
          const done: number[] = [];
          let step = 0;
          for (let next = queue.take(); next !== undefined; next = queue.take()) {
            const [seconds, fails] = outcomes[step++ % Math.max(outcomes.length, 1)] ?? [1, false];
            if (fails && next.reasons.length === 0) {
              next.reasons.push("failed");
              queue.retry(next);
            } else {
              queue.finished(next.job.key, seconds);
              done.push(next.job.id);
            }
          }
          expect(done.sort((x, y) => x - y)).toEqual(items.map((x) => x.job.id));
          expect(queue.length).toBe(0);
        },
      ),
    );
  });
});
