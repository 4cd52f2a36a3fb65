// The engine's M/M/4 workload at rho = 0.9, shared by bench/engine.ts (engine vs a bare heap) and
// bench/model.ts (the 618 model vs the raw engine). Moved here unchanged from bench/engine.ts so both
// benchmarks measure exactly the same code.
import { ServerQueue, Simulation } from "../sim/engine/index.ts";

export const SEED = 20260513;
export const SERVERS = 4;
export const MEAN_SERVICE = 1; // minutes
export const MEAN_INTERARRIVAL = MEAN_SERVICE / (0.9 * SERVERS); // rho = 0.9
export const CUSTOMERS = 1_000_000;

/** M/M/c on the engine with handlers and a plain busy/waiting counter; returns events processed. */
export function engineMmcCounter(): number {
  const sim = new Simulation({ seed: SEED });
  const rng = sim.streams.get("bench");
  let busy = 0;
  let waiting = 0;
  let arrived = 0;
  const departure = (): void => {
    if (waiting > 0) {
      waiting--;
      sim.scheduleIn(rng.exponential(MEAN_SERVICE), departure);
    } else {
      busy--;
    }
  };
  const arrival = (): void => {
    if (++arrived < CUSTOMERS) sim.scheduleIn(rng.exponential(MEAN_INTERARRIVAL), arrival);
    if (busy < SERVERS) {
      busy++;
      sim.scheduleIn(rng.exponential(MEAN_SERVICE), departure);
    } else {
      waiting++;
    }
  };
  sim.scheduleIn(rng.exponential(MEAN_INTERARRIVAL), arrival);
  sim.runUntil(Infinity);
  return sim.eventsProcessed;
}

/** M/M/c on the engine with a ServerQueue (FIFO line, wait tally, time-weighted stats); returns events processed. */
export function engineMmcServerQueue(): number {
  const sim = new Simulation({ seed: SEED });
  const rng = sim.streams.get("bench");
  const servers = new ServerQueue(sim, { name: "servers", capacity: SERVERS });
  let arrived = 0;
  const departure = (): void => servers.release();
  const startService = (): void => {
    sim.scheduleIn(rng.exponential(MEAN_SERVICE), departure);
  };
  const arrival = (): void => {
    if (++arrived < CUSTOMERS) sim.scheduleIn(rng.exponential(MEAN_INTERARRIVAL), arrival);
    servers.request(startService);
  };
  sim.scheduleIn(rng.exponential(MEAN_INTERARRIVAL), arrival);
  sim.runUntil(Infinity);
  return sim.eventsProcessed;
}
