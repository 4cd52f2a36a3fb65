// What each coordination lever costs to run, as pure functions of the policy and the scenario's
// `costs.coordination` (defaults and their sources: docs/scenario-format.md, docs/levers.md). The model
// charges them by the hour (sim/model/coordination/running-cost.ts).
import type { CoordinationCosts } from "../scenario/schema.ts";
import type { Policy } from "./policy.ts";

const DAYS_PER_YEAR = 365;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

/** The data platform's cost a day: its build written off over its life, plus its running cost. */
export function dataPlatformDailyCost(c: CoordinationCosts["dataPlatform"]): number {
  return (c.buildCny / c.lifeYears + c.perYearCny) / DAYS_PER_YEAR;
}

/** The campaign review's standing S&OP staff, CNY a day. */
export function campaignReviewDailyCost(c: CoordinationCosts["campaignReview"]): number {
  return (c.staff * c.monthlyCostPerStaff) / DAYS_PER_MONTH;
}

/** The extra staff of one campaign reviewed, CNY: `staffPerCampaignWeek` staff for each of the campaign's weeks. */
export function campaignReviewCost(c: CoordinationCosts["campaignReview"], campaignDays: number): number {
  // A staff-week costs a month's pay × 7 / days a month, and the campaign lasts campaignDays / 7 weeks.
  return (c.staffPerCampaignWeek * c.monthlyCostPerStaff * campaignDays) / DAYS_PER_MONTH;
}

/** CNY a day of every lever that is on under `policy` (the per-campaign review cost aside). */
export function coordinationDailyCost(policy: Policy, c: CoordinationCosts, sellingSites: number): number {
  let perDay = 0;
  if (policy.dataPlatform) perDay += dataPlatformDailyCost(c.dataPlatform);
  if (policy.tieredFulfilment) perDay += c.tieredFulfilmentPerDay;
  if (policy.capacityLinkage) perDay += campaignReviewDailyCost(c.campaignReview);
  if (policy.unifiedService) perDay += c.unifiedServicePerSitePerDay * sellingSites;
  return perDay;
}
