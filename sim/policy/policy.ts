// A policy is the four coordination levers of DESIGN §1, each on or off. Siloed = all off,
// coordinated = all on; every one of the 16 combinations is valid.
import { OmnitwinError } from "../errors.ts";

/** The four levers, in their canonical order. */
export const LEVERS = ["dataPlatform", "tieredFulfilment", "capacityLinkage", "unifiedService"] as const;
export type Lever = (typeof LEVERS)[number];

/** Which levers are on. */
export type Policy = { readonly [K in Lever]: boolean };

export const SILOED: Policy = Object.freeze({ dataPlatform: false, tieredFulfilment: false, capacityLinkage: false, unifiedService: false });
export const COORDINATED: Policy = Object.freeze({ dataPlatform: true, tieredFulfilment: true, capacityLinkage: true, unifiedService: true });

/** A policy text that is not a policy. */
export class PolicyError extends OmnitwinError {
  override name = "PolicyError";
}

/** Parse "siloed", "coordinated" or a comma list of lever names ("dataPlatform,tieredFulfilment"). */
export function parsePolicy(text: string): Policy {
  const t = text.trim();
  if (t === "siloed" || t === "none" || t === "") return SILOED;
  if (t === "coordinated" || t === "all") return COORDINATED;
  const on = new Set<Lever>();
  for (const part of t.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!(LEVERS as readonly string[]).includes(part))
      throw new PolicyError(`unknown lever ${JSON.stringify(part)}; use siloed, coordinated or a comma list of ${LEVERS.join(", ")}`);
    on.add(part as Lever);
  }
  return Object.freeze(Object.fromEntries(LEVERS.map((l) => [l, on.has(l)])) as Record<Lever, boolean>);
}

/** Canonical text of a policy: "siloed", "coordinated" or the comma list of levers that are on. */
export function policyName(policy: Policy): string {
  const on = LEVERS.filter((l) => policy[l]);
  if (on.length === 0) return "siloed";
  if (on.length === LEVERS.length) return "coordinated";
  return on.join(",");
}
