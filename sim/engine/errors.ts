// The engine's error hierarchy: one base class and a subclass per kind of misuse, under the simulator's
// OmnitwinError (sim/errors.ts). These are programmer errors (bad arguments); model outcomes such as
// stockouts are data, never errors.
import { OmnitwinError } from "../errors.ts";

/** Base class of every error the engine throws; the message always names the bad value. */
export class SimulationError extends OmnitwinError {
  override name = "SimulationError";
}

/** A bad time, delay or ordering request: scheduling in the past, a negative or NaN delay. */
export class SchedulingError extends SimulationError {
  override name = "SchedulingError";
}

/** A bad distribution parameter: negative mean, sd < 0, min > max, empty weights, ... */
export class DistributionError extends SimulationError {
  override name = "DistributionError";
}

/** A bad resource call: releasing an idle server, a negative amount, a capacity below zero. */
export class ResourceError extends SimulationError {
  override name = "ResourceError";
}

/** A bad calendar input: an unparsable local date or an unknown IANA time zone. */
export class CalendarError extends SimulationError {
  override name = "CalendarError";
}
