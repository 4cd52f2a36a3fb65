// One base class for every error the simulator throws (sim/errors.ts): the engine's, a bad policy text's and
// a bad scenario's are each an OmnitwinError, and keep their own class, name and message.
import { describe, expect, it } from "vitest";
import { OmnitwinError } from "../sim/errors.ts";
import { loadScenarioOrThrow, parsePolicy, PolicyError, ScenarioError, Simulation, SimulationError } from "../sim/index.ts";
import { SchedulingError } from "../sim/engine/index.ts";

/** The error a call throws (fails the test if it throws none). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

describe("the simulator's errors share one base class", () => {
  it("a scheduling error is a SimulationError and an OmnitwinError", () => {
    const error = thrown(() => new Simulation({ seed: 1 }).scheduleIn(-1, () => {}));
    expect(error).toBeInstanceOf(SchedulingError);
    expect(error).toBeInstanceOf(SimulationError);
    expect(error).toBeInstanceOf(OmnitwinError);
    expect((error as Error).name).toBe("SchedulingError");
  });

  it("a bad policy text is a PolicyError and an OmnitwinError, not a SimulationError", () => {
    const error = thrown(() => parsePolicy("dataPlatform,teleportation"));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(OmnitwinError);
    expect(error).not.toBeInstanceOf(SimulationError);
    expect((error as Error).name).toBe("PolicyError");
    expect((error as Error).message).toContain("teleportation");
  });

  it("a bad scenario is a ScenarioError and an OmnitwinError, with its problems", () => {
    const error = thrown(() => loadScenarioOrThrow("{}"));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error).toBeInstanceOf(OmnitwinError);
    expect((error as Error).name).toBe("ScenarioError");
    expect((error as ScenarioError).problems.length).toBeGreaterThan(0);
  });
});
