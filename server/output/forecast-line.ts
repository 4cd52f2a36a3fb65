// The line every output carries about what its decisions forecast demand from: the data platform's
// observed forecast, the oracle (perfect information, said loudly), or each site's own history.

/** What the run's decisions forecast demand from, in one line; the oracle, an upper bound, is said loudly. */
export function forecastLine(forecast: "observed" | "oracle" | "own-history"): string {
  if (forecast === "oracle") return "forecast: ORACLE — the data platform plans on the demand generator's own rates (perfect information, an upper bound)";
  if (forecast === "observed") return "forecast: observed — the data platform forecasts from pooled sales so far and the campaign plans it was sent";
  return "forecast: own history — each site forecasts from its own demand";
}
