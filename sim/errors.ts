// The one base class of every error the simulator throws: the engine's (sim/engine/errors.ts), a bad policy
// text (sim/policy/policy.ts) and a bad scenario (sim/scenario/problems.ts) extend it, so a caller can
// tell the simulator's refusals from anything else with one `instanceof`. Outcomes of a run (stockouts,
// late orders) are data, never errors.

/** Base class of every error the simulator throws; the message always names the bad value. */
export class OmnitwinError extends Error {
  override name = "OmnitwinError";
}
