// The engine's public surface: clock and event queue, named random streams, running statistics,
// shared resources and the calendar. Everything else in sim/engine is internal.
export { Simulation, SimulationError } from "./simulation.ts";
export type { EventId, Handler } from "./simulation.ts";
export { SchedulingError, DistributionError, ResourceError, CalendarError } from "./errors.ts";
export { RandomStream, RandomStreams, lognormalParamsFromMedianP90 } from "./random.ts";
export type { RandomStreamState } from "./random.ts";
export { Samples, Tally, TimeWeighted } from "./stats.ts";
export { ServerQueue, Container } from "./resources.ts";
export type { GrantHandler, RequestHandle } from "./resources.ts";
export { Calendar } from "./calendar.ts";
export type { LocalParts } from "./calendar.ts";
