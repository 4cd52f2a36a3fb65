// Shared by the server tests: example scenarios, sessions on a hand-driven clock, and a fresh run
// built with the public Twin API (no session code) to compare state hashes against.
import { COORDINATED, parsePolicy, scenarioHash, SILOED, type Intervention, type Policy, type Scenario } from "../../sim/index.ts";
import { ManualClock } from "../../server/live/clock.ts";
import { Session, type Reply } from "../../server/live/session.ts";
import { SimRun, stateHash } from "../../server/live/sim-run.ts";
import type { Ack, Command, Delta, ErrorPayload } from "../../server/protocol.ts";
import { exampleScenario } from "../support/runs.ts";

export { exampleScenario };

/** A session on a ManualClock that records every frame and reply it produces. */
export interface Harness {
  session: Session;
  clock: ManualClock;
  frames: Delta[];
  resets: number;
  replies: ({ ok: true; ack: Ack } | { ok: false; error: ErrorPayload })[];
  /** Send a command and tick once (no wall time passes); returns its reply. */
  send(command: Command): { ok: true; ack: Ack } | { ok: false; error: ErrorPayload };
  /** Let `ms` of wall time pass, then tick. */
  wait(ms: number): void;
}

export function harness(scenario: Scenario, options: { compare?: boolean; policy?: string; speed?: number; playing?: boolean; seed?: number } = {}): Harness {
  const clock = new ManualClock();
  const sims = options.compare
    ? [
        { label: "siloed", policy: SILOED },
        { label: "coordinated", policy: COORDINATED },
      ]
    : [{ label: options.policy ?? "siloed", policy: parsePolicy(options.policy ?? "siloed") }];
  const session = new Session(
    {
      id: "AAAAAAAAAAAAAAAA",
      scenario,
      scenarioName: scenario.id,
      scenarioHash: scenarioHash(scenario),
      seed: options.seed ?? scenario.seed,
      compare: options.compare ?? false,
      sims,
      createdAt: new Date(0).toISOString(),
      presenterTokenSha256: "0".repeat(64),
    },
    clock,
    { speed: options.speed ?? 60, playing: options.playing ?? false },
  );
  const h: Harness = {
    session,
    clock,
    frames: [],
    resets: 0,
    replies: [],
    send(command) {
      let got: Parameters<Reply>[0] | undefined;
      session.command(command, (r) => {
        got = r;
        h.replies.push(r);
      });
      session.tick(Infinity);
      if (!got) throw new Error("no reply after a tick");
      return got;
    },
    wait(ms) {
      clock.advance(ms);
      session.tick(Infinity);
    },
  };
  session.output = { delta: (f) => h.frames.push(f), reset: () => h.resets++, persist() {} };
  return h;
}

/** A change to apply at a minute, as a fresh run sees it. */
export interface TimedChange {
  t: number;
  intervention: Intervention;
  sims?: number[];
}

/**
 * The state hash of fresh runs to minute `to`, built with the Twin API directly: run to each change's
 * minute, schedule it, flush, and run on. This is what a session must equal after any seek.
 */
export function freshHash(scenario: Scenario, policies: Policy[], seed: number, changes: TimedChange[], to: number): string {
  const runs = policies.map((p, i) => new SimRun(scenario, String(i), p, seed));
  runs.forEach((run, i) => {
    for (const c of changes) {
      if (c.t > to || (c.sims && !c.sims.includes(i))) continue;
      run.twin.runUntil(c.t);
      run.twin.schedule(c.intervention);
      run.twin.runUntil(c.t);
    }
    run.twin.runUntil(to);
  });
  return stateHash(runs);
}
