// The scenario schema: every field a scenario file may hold, with its defaults and units.
// Shape only — cross-reference checks (unknown ids, cycles, horizon) live in validate.ts.
// Units are in field names wherever a number could be read two ways (hours, km, CNY, share).
import { z } from "zod";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "an id is 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
const share = z.number().finite().min(0).max(1);

// Every number has a range (docs/scenario-format.md, "Limits"): wide enough for any real supply chain,
// narrow enough that no single value can make a run overflow, divide by ~0 or never end. How much work
// the numbers add up to is checked as a whole in check-workload.ts.
/** Longest horizon, in days (ten years). */
export const MAX_HORIZON_DAYS = 3660;
const MAX_HOURS = MAX_HORIZON_DAYS * 24;
const MAX_MINUTES = MAX_HOURS * 60;
/** Largest demand multiplier (uplift, burst, surge, period, day of week, intervention). */
export const MAX_MULTIPLIER = 1000;
/** Largest "extra" share (surge or ramp capacity, cost premium): +10 000%. */
const MAX_EXTRA_SHARE = 100;
/** Largest money amount in CNY, unit count or daily rate. */
const MAX_AMOUNT = 1e9;
/** Slowest and fastest capacity rate per hour (pick/pack, pickup counter). */
const MIN_RATE_PER_HOUR = 1e-9;
const MAX_RATE_PER_HOUR = 1e9;
/** Largest distance in km (half the Earth's circumference). */
const MAX_KM = 20_000;
/** Largest coefficient of variation of a transit time. */
const MAX_CV = 10;

/** A number from min to max, both included. */
const between = (min: number, max: number) => z.number().finite().min(min).max(max);
/** A number above 0 and at most max. */
const positiveUpTo = (max: number) => z.number().finite().positive().max(max);
const nonNegative = between(0, MAX_AMOUNT);
const positive = positiveUpTo(MAX_AMOUNT);
const multiplier = between(0, MAX_MULTIPLIER);
const extraShare = between(0, MAX_EXTRA_SHARE);
const hours = positiveUpTo(MAX_HOURS);
const hoursOrZero = between(0, MAX_HOURS);
const days = positiveUpTo(MAX_HORIZON_DAYS);
const daysOrZero = between(0, MAX_HORIZON_DAYS);
const minutes = positiveUpTo(MAX_MINUTES);
const km = positiveUpTo(MAX_KM);
const wholeUnits = z.number().int().min(0).max(MAX_AMOUNT);
const ratePerHour = between(MIN_RATE_PER_HOUR, MAX_RATE_PER_HOUR);
/** Local wall-clock time in the scenario's time zone, e.g. "2026-06-18T20:00". */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'a local date-time like "2026-06-18T20:00" (or a date "2026-06-18")');
/** Clock time of day, "HH:MM". */
const clockTime = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a clock time "HH:MM" from 00:00 to 24:00');
const latitude = z.number().finite().min(-90).max(90);
const longitude = z.number().finite().min(-180).max(180);

/** A duration distribution in hours; `never` means the wait is unbounded. */
export const durationDistributionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("never") }),
  z.strictObject({ kind: z.literal("fixed"), hours: hoursOrZero }),
  z.strictObject({ kind: z.literal("exponential"), meanHours: hours }),
  z.strictObject({ kind: z.literal("lognormal"), medianHours: hours, p90Hours: hours }),
  z.strictObject({ kind: z.literal("uniform"), minHours: hoursOrZero, maxHours: hoursOrZero }),
]);

const shift = z.strictObject({ start: clockTime, end: clockTime });

const inventoryLine = z.strictObject({
  sku: id,
  initial: wholeUnits.describe("units on hand at the start"),
  orderUpTo: wholeUnits.optional().describe("fixed base-stock level; omitted = set from the site's own demand history"),
  reorderPoint: wholeUnits.optional().describe("(s,S): order when inventory position falls to s; omitted = base-stock (order every review)"),
  safetyLine: wholeUnits.optional().describe("inventory safety line (capacityLinkage lever); omitted = derived from safetyLineDays"),
});

const replenishmentTiming = {
  reviewHours: between(1, MAX_HOURS).default(24).describe("hours between reviews, at least 1"),
  coverDays: daysOrZero.default(3).describe("order-up-to covers forecast demand over lead time + review + this many days"),
  forecastWindowDays: between(1 / 24, MAX_HORIZON_DAYS).default(7).describe("moving-average window of the site's own demand history"),
  serviceLevel: between(0.5, 0.9999)
    .default(0.95)
    .describe("cycle service level the order-up-to level's safety stock is held for: z (normal quantile) x sigma of daily demand x sqrt(lead time + review)"),
  arrivalLifeWeight: between(0.01, 1)
    .default(0.2)
    .describe(
      "for a SKU with a shelf life: weight of the newest regular delivery's remaining life (its date codes) in the life the planner expects a delivery to have on arrival (exponential smoothing); 1 = the last delivery alone. An assumption",
    ),
};
/** How a forward site (FDC, store) replenishes from its parent tier. */
const replenishment = z.strictObject({
  source: id.describe("the parent site this site replenishes from (an RDC, FDC or store, never a factory)"),
  ...replenishmentTiming,
});
/** How an RDC replenishes: each SKU from that SKU's supplier factory. */
const rdcReplenishment = z.strictObject(replenishmentTiming).default({ reviewHours: 24, coverDays: 7, forecastWindowDays: 7, serviceLevel: 0.95, arrivalLifeWeight: 0.2 });

const siteBase = {
  id,
  name: z.string().min(1).max(120),
  lat: latitude,
  lon: longitude,
  inventory: z.array(inventoryLine).default([]),
};

const pickPack = z.strictObject({
  ordersPerHour: ratePerHour,
  shifts: z.array(shift).min(1).max(48).default([{ start: "00:00", end: "24:00" }]),
  surge: z
    .strictObject({
      extraShare: extraShare.describe("extra capacity as a share of normal, e.g. 0.5 = +50%"),
      noticeDays: daysOrZero.describe("days of notice operations needs to book it"),
      costPremiumShare: extraShare.describe("extra pick/pack cost per order while surging, share of normal"),
    })
    .optional(),
});

/** Parcels the express carrier collects from a site per local day; omitted = no limit (docs/scenario-format.md). */
const expressPickupsPerDay = z
  .number()
  .int()
  .min(1)
  .max(MAX_AMOUNT)
  .optional()
  .describe("parcels the express carrier collects from this site per local day; parcels past it wait for the next day's pickup; omitted = no limit");

const rdcSite = z.strictObject({
  ...siteBase,
  type: z.literal("rdc"),
  pickPack,
  expressPickupsPerDay,
  replenishment: rdcReplenishment,
});

const fdcSite = z.strictObject({
  ...siteBase,
  type: z.literal("fdc"),
  pickPack,
  expressPickupsPerDay,
  deliveryRadiusKm: km.default(3),
  riders: z.number().int().min(0).max(100_000),
  deliveryMinutes: between(0.01, MAX_MINUTES).default(25).describe("mean rider round trip per delivery"),
  replenishment,
});

const storeSite = z.strictObject({
  ...siteBase,
  type: z.literal("store"),
  pickPack,
  expressPickupsPerDay,
  pickupCounterPerHour: ratePerHour.default(60),
  riders: z.number().int().min(0).max(100_000).default(0),
  deliveryRadiusKm: km.default(3),
  deliveryMinutes: between(0.01, MAX_MINUTES).default(30),
  walkInWeight: between(0, 1e6).default(1).describe("relative share of the scenario's walk-in customers"),
  replenishment,
});

/** Days of normal output a factory may hold beyond its open orders when a production line does not say (an assumption). */
export const DEFAULT_FINISHED_GOODS_CAP_DAYS = 7;

/** Hours from a factory to an RDC for one of its production lines: the line's own lead time, else the factory's. */
export function productionLeadHours(factory: { leadTimeHours: number }, line: { leadTimeHours?: number }): number {
  return line.leadTimeHours ?? factory.leadTimeHours;
}

const factorySite = z.strictObject({
  ...siteBase,
  type: z.literal("factory"),
  production: z
    .array(
      z.strictObject({
        sku: id,
        unitsPerDay: nonNegative.describe("normal output; the day's batch is released at the end of the day"),
        leadTimeHours: hoursOrZero.optional().describe("factory to RDC for this SKU; omitted = the factory's leadTimeHours"),
        finishedGoodsCapDays: daysOrZero
          .default(DEFAULT_FINISHED_GOODS_CAP_DAYS)
          .describe("make to order: a day's output is at most the open RDC orders plus this many days of normal output, less finished goods on hand (assumption)"),
      }),
    )
    .min(1),
  leadTimeHours: hoursOrZero.default(48).describe("factory to RDC"),
  ramp: z
    .strictObject({
      extraShare,
      noticeDays: daysOrZero,
      overtimeCostShare: extraShare.describe("extra unit cost on ramped volume, share of unit cost"),
    })
    .optional(),
});

/** A site: regional warehouse, forward warehouse, store or factory. */
export const siteSchema = z.discriminatedUnion("type", [rdcSite, fdcSite, storeSite, factorySite]);

/** A lane: a scheduled trunk route between two sites. */
export const laneSchema = z.strictObject({
  from: id,
  to: id,
  km: km.optional().describe("road distance; omitted = haversine x roadFactor"),
  departures: z.array(clockTime).min(1).max(96).default(["22:00"]),
  transitHours: between(0.01, MAX_HOURS),
  truckCapacityUnits: z.number().int().min(1).max(MAX_AMOUNT).default(2000),
  trucksPerDeparture: z.number().int().min(1).max(10_000).default(4),
  expediteTransitHours: between(0.01, MAX_HOURS).optional().describe("emergency lane (capacityLinkage safety line); omitted = half of transitHours"),
  transitCv: between(0, MAX_CV).optional().describe("coefficient of variation of this lane's trunk and van transit times (lognormal); omitted = transport.trunkCv / vanCv"),
});

/** Transport uncertainty: each mode's transit time is lognormal with mean the nominal time and this CV (docs/scenario-format.md). */
export const transportSchema = z.strictObject({
  trunkCv: between(0, MAX_CV).default(0.15).describe("scheduled trunk transit (domain-numbers §5: 130 km, mean 3 h, CV 0.15, an assumption)"),
  vanCv: between(0, MAX_CV).default(0.15).describe("ad-hoc van transit (assumption: as the trunk)"),
  factoryCv: between(0, MAX_CV).default(0.15).describe("factory to RDC lead time (assumption: as the trunk)"),
  expressCv: between(0, MAX_CV).default(0.47).describe("express hand-over and line haul (domain-numbers §5: lognormal mean 30 h, P90 48 h → CV 0.47)"),
  riderCv: between(0, MAX_CV).default(0.33).describe("rider trips (domain-numbers §5: instant delivery lognormal mean 30 min, SD 10 min)"),
});

export const skuCategories = ["large-appliance", "hot", "standard", "perishable"] as const;

export const skuSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  category: z.enum(skuCategories),
  price: positive.describe("list price, CNY"),
  unitCost: nonNegative.describe("CNY"),
  weightKg: positiveUpTo(1e6),
  shelfLifeDays: positiveUpTo(36_600)
    .optional()
    .describe("days from production to expiry; stock carries its age in lots and expired units are scrapped; omitted = never expires"),
  maxCoverDays: days
    .optional()
    .describe("the shelf days (review + coverDays) a delivery is ordered to last are at most this many; the lead time is always covered. A SKU with a shelf life is also held to the usable life of what each site receives (docs/scenario-format.md)"),
  urgent: z.boolean().default(false),
  returnRate: share.describe("share of delivered units returned within the window"),
  resaleableShare: share.default(0.8),
  supplier: id.describe("the factory site that makes it"),
  priceElasticity: between(-20, 0)
    .optional()
    .describe("own-price elasticity of demand to a campaign discount: demand x (1 - discount)^elasticity; omitted = by category (large-appliance -1.5, hot -2.0, standard -2.5, perishable -1.0)"),
  patience: durationDistributionSchema.describe("how long a customer waits past the promise before cancelling"),
});

export const channelSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  kind: z.enum(["online", "walk-in"]),
  share: share.describe("share of online orders (online channels' shares sum to 1); walk-in: 1"),
  returnRateMultiplier: positiveUpTo(MAX_MULTIPLIER).default(1),
  fulfilment: z
    .enum(["delivery", "pickup"])
    .default("delivery")
    .describe("what the channel's customers ask for: home delivery, or pickup at a store (community group buying)"),
  skuMix: z.record(id, share).optional().describe("this channel's share of order lines by SKU (sums to 1); omitted = demand.skuMix"),
  afterSales: z
    .strictObject({
      reviewHours: hoursOrZero.describe("review time this channel promises (its SLA); the cycle time itself comes from the reviewers' queue"),
      freePickup: z.boolean(),
      paperForm: z.boolean().default(false),
      reviewers: z
        .number()
        .int()
        .min(1)
        .max(1e5)
        .optional()
        .describe("staff reviewing this channel's returns in the siloed organisation; omitted = staffed for the channel's baseline returns (service.returnReview)"),
    })
    .describe("the channel's own after-sales process in the siloed organisation"),
});

export const zoneSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  lat: latitude,
  lon: longitude,
  weight: positive.describe("relative share of demand; weights need not sum to 1"),
  radiusKm: km.default(4).describe("customers are scattered uniformly within this radius of the zone's centre"),
});

const demandPeriod = z.strictObject({
  start: localDateTime,
  end: localDateTime,
  multiplier,
  channels: z.array(id).optional(),
});

/** Most orders (or walk-ins) a day any one demand figure may ask for; check-workload.ts bounds their total. */
export const MAX_ORDERS_PER_DAY = 1e8;
/** Largest hourly-profile weight (the profile is relative: only the ratios matter). */
export const MAX_PROFILE_WEIGHT = 1e6;

export const demandSchema = z.strictObject({
  onlineOrdersPerDay: between(0, MAX_ORDERS_PER_DAY),
  walkInPerDay: between(0, MAX_ORDERS_PER_DAY).default(0),
  hourlyProfile: z.array(between(0, MAX_PROFILE_WEIGHT)).length(24).describe("relative weight of each local hour 00..23; not all 0"),
  dayOfWeek: z.array(multiplier).length(7).default([1, 1, 1, 1, 1, 1, 1]).describe("multiplier Sunday..Saturday; not all 0"),
  skuMix: z.record(id, share).describe("share of order lines by SKU; sums to 1"),
  unitsPerOrder: z.strictObject({ mean: between(1, 1000) }).default({ mean: 1 }),
  periods: z.array(demandPeriod).default([]).describe("calendar multipliers on the baseline (e.g. a post-promotion dip)"),
});

export const campaignSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  submittedAt: localDateTime.describe("when marketing submitted the plan"),
  start: localDateTime,
  end: localDateTime,
  channels: z.array(id).min(1),
  zones: z.array(id).optional().describe("omitted = every zone"),
  skus: z.array(id).min(1),
  discount: share,
  uplift: multiplier.describe("non-price demand multiplier on the campaign's SKUs x channels x zones while it runs (the discount acts through each SKU's priceElasticity on top)"),
  burst: z
    .strictObject({ multiplier: between(1, MAX_MULTIPLIER), halfLifeMinutes: between(1, MAX_MINUTES) })
    .optional()
    .describe("opening burst on top of the uplift, decaying exponentially"),
  targetUnits: wholeUnits.describe("marketing's target: units of the campaign's SKUs sold in its channels and zones while it runs; what the data platform and the capacity review plan on"),
  pressure: between(0, 100).default(1).describe("promotion pressure marketing applies (scales the uplift)"),
  presale: z
    .strictObject({
      balanceStart: localDateTime,
      balanceEnd: localDateTime,
      payFirstTwoHoursShare: share,
      neverPayShare: share,
      shipWithinDays: daysOrZero.default(3).describe("promise: shipped this many days after the balance payment"),
    })
    .optional()
    .describe("deposit during the campaign, balance payment later; an order ships only once paid"),
});

const expressCutoff = z.strictObject({ orderBy: clockTime, deliverBy: clockTime, daysLater: z.number().int().min(0).max(7) });

/**
 * The three published variants of the platform rule for late shipment (domain-numbers C10): a share of the
 * item price, at least `min`, at most `max` CNY. `30pct-max500` is the current text (C10 c, corroborated by L1).
 */
export const LATE_COMPENSATION_RULES = {
  "5pct-max30": { share: 0.05, min: 5, max: 30 },
  "10pct-max100": { share: 0.1, min: 5, max: 100 },
  "30pct-max500": { share: 0.3, min: 5, max: 500 },
} as const;
export type LateCompensationRuleName = keyof typeof LATE_COMPENSATION_RULES;
const lateCompensationRuleName = z.enum(Object.keys(LATE_COMPENSATION_RULES) as [LateCompensationRuleName, ...LateCompensationRuleName[]]);

const lateCompensationSchema = z.strictObject({
  rule: lateCompensationRuleName.default("30pct-max500").describe("which published variant of the late-shipment rule (domain-numbers C10) sets share, min and max"),
  trigger: z
    .enum(["lateDispatch", "lateDelivery"])
    .default("lateDispatch")
    .describe("what is compensated: dispatch after the promised dispatch time (the cited rule), or any delivery after the delivery promise"),
  dispatchWithinHours: hours
    .default(48)
    .describe("promised dispatch time after payment (domain-numbers K4: 48 h); a pre-sale order's is its shipWithinDays after the balance"),
  afterBreachCancel: z
    .boolean()
    .default(true)
    .describe(
      "also compensate a paid order the customer cancels after the trigger's deadline passed (never dispatched, or not delivered, by the promise): the promise was broken before the customer gave up. Otherwise a sale cancelled late costs the seller less than one delivered late. A reading of the rule, labelled as an assumption",
    ),
  share: share.optional().describe("overrides the rule's share of the order value"),
  min: nonNegative.optional().describe("overrides the rule's least payment, CNY"),
  max: nonNegative.optional().describe("overrides the rule's largest payment, CNY"),
});

/** The share, min and max a scenario's late-compensation setting stands for: the named rule, with any override. */
export function lateCompensationRule(c: LateCompensation): { share: number; min: number; max: number } {
  const rule = LATE_COMPENSATION_RULES[c.rule];
  return { share: c.share ?? rule.share, min: c.min ?? rule.min, max: c.max ?? rule.max };
}

/**
 * What running each coordination lever costs while it is on (docs/levers.md, "What coordination costs"):
 * charged to `costs.coordination` by the hour, the campaign review per campaign reviewed.
 */
const coordinationCostSchema = z.strictObject({
  dataPlatform: z
    .strictObject({
      buildCny: nonNegative.default(3_000_000).describe("one-off build, amortised over lifeYears (domain-numbers G1, section 5)"),
      lifeYears: between(0.1, 100).default(5).describe("years the build is written off over (assumption)"),
      perYearCny: nonNegative.default(1_000_000).describe("running cost a year (domain-numbers G1, section 5)"),
    })
    .default({ buildCny: 3_000_000, lifeYears: 5, perYearCny: 1_000_000 }),
  tieredFulfilmentPerDay: nonNegative.default(0).describe("CNY a day beyond its per-order prices, which already carry pickup handling and riders"),
  campaignReview: z
    .strictObject({
      staff: nonNegative.default(2).describe("S&OP staff while the lever is on (assumption, section 5)"),
      staffPerCampaignWeek: nonNegative.default(0.5).describe("extra staff per week of each campaign reviewed (assumption, section 5)"),
      monthlyCostPerStaff: nonNegative.default(20_000).describe("CNY a month per staff member (assumption, section 5)"),
    })
    .default({ staff: 2, staffPerCampaignWeek: 0.5, monthlyCostPerStaff: 20_000 }),
  unifiedServicePerSitePerDay: nonNegative
    .default(164)
    .describe("CNY a day per warehouse and store for the one after-sales entry and shared records (assumption: 0.25 staff at 20,000 CNY a month)"),
});

export const costsSchema = z.strictObject({
  express: z
    .strictObject({
      perParcel: nonNegative.default(8),
      perKgAboveOne: nonNegative.default(1),
      largeAppliancePerUnit: nonNegative.default(80),
    })
    .default({ perParcel: 8, perKgAboveOne: 1, largeAppliancePerUnit: 80 }),
  instantPerOrder: nonNegative.default(8),
  storeDeliveryPerOrder: nonNegative.default(8),
  pickupHandlingPerOrder: nonNegative.default(3),
  pickPackPerOrder: z
    .strictObject({ rdc: nonNegative.default(1.5), fdc: nonNegative.default(1), store: nonNegative.default(2) })
    .default({ rdc: 1.5, fdc: 1, store: 2 }),
  transfer: z.strictObject({ perTrip: nonNegative.default(200), perKm: nonNegative.default(3.5) }).default({ perTrip: 200, perKm: 3.5 }),
  expediteMultiplier: between(1, MAX_MULTIPLIER).default(1.5),
  holdingSharePerYear: extraShare.default(0.25),
  lateCompensation: lateCompensationSchema.default(() => lateCompensationSchema.parse({})),
  returns: z.strictObject({ reversePickup: nonNegative.default(8), inspection: nonNegative.default(2) }).default({ reversePickup: 8, inspection: 2 }),
  scrapDisposalPerUnit: nonNegative.default(0).describe("CNY to dispose of one expired unit, on top of its unit cost (assumption: 0)"),
  coordination: coordinationCostSchema.default(() => coordinationCostSchema.parse({})),
});

/** Most a policy may scale promotion pressure; thinning bounds allow for it so every policy sees one candidate stream. */
export const MAX_PRESSURE_SCALE = 1.25;
/** Most the customer-satisfaction feedback may lift a zone's demand (the arrival thinning bound). */
export const MAX_REPEAT_FACTOR = 1.1;

/**
 * How marketing runs a live campaign, in every organisation (marketing is the same in both; the levers change
 * what operations and the platform do): it watches its campaign's sales against `targetUnits` and pushes
 * harder while they run behind (sim/model/marketing.ts).
 */
const marketingSchema = z.strictObject({
  maxPushScale: between(1, MAX_PRESSURE_SCALE)
    .default(MAX_PRESSURE_SCALE)
    .describe(
      "most marketing raises a running campaign's pressure while its sales run behind targetUnits pro rata (each local midnight: the target so far ÷ the units sold so far, at least 1); 1 = marketing never pushes beyond its plan. The levers' pressure scales on top, all within 1.25. An assumption",
    ),
});

/**
 * How customers react to service (sim/policy/satisfaction.ts): under every policy a zone's satisfaction moves
 * its repeat demand. The neutral score describes the market (what its customers are used to), not a run.
 */
const satisfactionSchema = z.strictObject({
  halfLifeDays: between(1 / 24, MAX_HORIZON_DAYS).default(7).describe("a zone's satisfaction weighs an experience half as much this many days later"),
  neutralScore: share
    .default(0.92)
    .describe("zone satisfaction (0-1) at which repeat demand is as the scenario says: the market's usual service (default: 84% of deliveries on time, the rest a day late)"),
  gain: between(0, 100).default(0.5).describe("change of the repeat-demand factor per unit of satisfaction above or below neutral"),
  minRepeatFactor: z.number().finite().min(0).max(1).default(0.9),
  maxRepeatFactor: z.number().finite().min(1).max(MAX_REPEAT_FACTOR).default(MAX_REPEAT_FACTOR).describe("at most MAX_REPEAT_FACTOR (1.1), the arrival thinning bound"),
  priorWeight: nonNegative.default(200).describe("experiences' worth of weight the neutral score starts with in every zone"),
});

/** Return review as work (sim/model/service/returns.ts): reviewers in shifts, a queue, minutes per unit. */
const returnReviewSchema = z.strictObject({
  minutesPerUnit: between(0.1, 1440).default(15).describe("review work per returned unit (domain-numbers R7: 12-21 min; section 5: 15)"),
  paperFormMinutes: between(0, 1440).default(15).describe("extra work per unit where the channel's own process uses a paper form (assumption)"),
  shiftStart: clockTime.default("09:00").describe("local time the reviewers start"),
  shiftHours: between(0.5, 24).default(7.5).describe("hours a reviewer works a day (section 5: 30 units a staff-day at 15 min)"),
  staffedUtilisation: between(0.05, 1)
    .default(0.85)
    .describe("a channel without `reviewers` is staffed so that its baseline returns (no campaign) keep its reviewers this busy (assumption)"),
});

export const serviceSchema = z.strictObject({
  expressCutoffs: z
    .array(expressCutoff)
    .min(1)
    .default([
      { orderBy: "11:00", deliverBy: "23:00", daysLater: 0 },
      { orderBy: "23:00", deliverBy: "15:00", daysLater: 1 },
      { orderBy: "24:00", deliverBy: "15:00", daysLater: 2 },
    ])
    .describe('the "211" promise: an order placed by orderBy is promised by deliverBy, daysLater'),
  instantPromiseMinutes: minutes.default(30),
  pickupReadyMinutes: minutes.default(120),
  storeDeliveryPromiseMinutes: minutes.default(60),
  returnWindowDays: days.default(7),
  refundAfterReturnDays: daysOrZero.default(7),
  satisfaction: satisfactionSchema.default(() => satisfactionSchema.parse({})).describe("how customers' experiences move their repeat demand, under every policy"),
  returnReview: returnReviewSchema.default(() => returnReviewSchema.parse({})).describe("the work of reviewing a return: who does it, how long it takes, when they work"),
});

/** Tiered fulfilment (L2): the paper's category rules and the path cost model's own prices (docs/levers.md). */
const tieredFulfilmentSchema = z.strictObject({
  heavyKg: positiveUpTo(1e6).default(20).describe("orders this heavy or heavier ship by regional express"),
  farKm: km.default(30).describe("customers farther than this from every FDC and store are served by regional express"),
  valuableCny: positive.default(2000).describe("orders worth this much or more ship by regional express"),
  nearKm: km.default(3).describe("store pickup reach, and the paper's 3 km rule for perishable or urgent orders"),
  lateSpreadMinutes: between(0, MAX_MINUTES).default(15).describe("how far the router trusts its time estimates: the late-probability ramp around the promise"),
  pickupCouponPerOrder: nonNegative.default(0).describe("CNY to a delivery customer asked to collect at a store instead"),
  pickupCouponPerKm: nonNegative.default(2).describe("CNY per km of that customer's trip to the store"),
  riderPerKm: nonNegative.default(0).describe("CNY per km on top of the per-order instant and store delivery prices"),
  routingLogHours: between(0.25, MAX_HOURS).default(6).describe("routing decisions are logged as counts per site, path and reason over this many hours"),
});

/** Unified service (L4): one after-sales standard for every channel. */
const unifiedServiceSchema = z.strictObject({
  reviewHours: hoursOrZero.default(24).describe("the one review time every channel promises (SLA) under unified service"),
  freePickup: z.boolean().default(true),
  satisfaction: satisfactionSchema
    .optional()
    .describe("deprecated: customers react to service under every policy; set service.satisfaction instead (read in its place when given)"),
});

/** Parameters of the four coordination levers (used only when a lever is on). */
export const leversSchema = z.strictObject({
  dataPlatform: z
    .strictObject({
      prepositionDaysAhead: daysOrZero.default(3),
      rebalanceIntervalHours: between(1, MAX_HOURS).default(24),
      pressureFloorShare: share.default(0.3).describe("least promotion pressure left in a region with no stock"),
      forecast: z
        .enum(["observed", "oracle"])
        .default("observed")
        .describe('"observed": the platform forecasts from pooled sales so far and the campaign plans (targetUnits) it was sent; "oracle": it knows the demand generator\'s own planned rates (an upper bound, labelled in every output)'),
      smoothingPerDay: between(0.01, 1).default(0.2).describe("exponential smoothing weight of one day's observed baseline sales in the platform's forecast"),
      campaignLearningOrders: nonNegative
        .default(200)
        .describe(
          "how firmly the platform holds to marketing's target once a campaign runs: each local midnight it corrects the campaign's planned lift by (this + orders seen in the campaign's hours) / (this + orders its plan expected there); 0 trusts the sales alone, a large number the target alone. An assumption (demand sensing; domain-numbers FC2–FC4)",
        ),
      errorClipSigmas: between(1, 1000)
        .default(3)
        .describe(
          "the platform's safety stock follows its own smoothed forecast error, each day's error winsorised at this many of its standard deviations so far (robust forecasting practice: one campaign's miss widens safety stock but does not set it for weeks); 1000 = no clipping. An assumption",
        ),
    })
    .default({ prepositionDaysAhead: 3, rebalanceIntervalHours: 24, pressureFloorShare: 0.3, forecast: "observed", smoothingPerDay: 0.2, campaignLearningOrders: 200, errorClipSigmas: 3 }),
  tieredFulfilment: tieredFulfilmentSchema.default(() => tieredFulfilmentSchema.parse({})),
  capacityLinkage: z
    .strictObject({
      saturationLine: share.default(0.9),
      safetyLineDays: daysOrZero.default(1),
      reviewLeadDays: daysOrZero.default(15),
    })
    .default({ saturationLine: 0.9, safetyLineDays: 1, reviewLeadDays: 15 }),
  unifiedService: unifiedServiceSchema.default(() => unifiedServiceSchema.parse({})),
});

const leverName = z.enum(["dataPlatform", "tieredFulfilment", "capacityLinkage", "unifiedService"]);

/** A what-if, applied at a time: data, never code. */
export const interventionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("demand-surge"),
    at: localDateTime,
    durationHours: hours,
    multiplier,
    zones: z.array(id).optional(),
    channels: z.array(id).optional(),
    skus: z.array(id).optional(),
  }),
  z.strictObject({ type: z.literal("express-price-shock"), at: localDateTime, multiplier, durationHours: hours.optional() }),
  z.strictObject({
    type: z.literal("factory-disruption"),
    at: localDateTime,
    site: id,
    capacityShare: share.describe("share of normal output left while disrupted"),
    durationHours: hours,
  }),
  z.strictObject({ type: z.literal("lever"), at: localDateTime, lever: leverName, on: z.boolean() }),
  z.strictObject({
    type: z.literal("campaign-change"),
    at: localDateTime,
    campaign: id,
    uplift: multiplier.optional(),
    pressure: between(0, 100).optional(),
    end: localDateTime.optional(),
  }),
]);

/** Shares of walk-in customers who find the shelf empty and go to another store of the chain or order online. */
const walkInSwitchShares = {
  otherStoreShare: share.describe("share who walk to the nearest other store of the chain within otherStoreKm (buys there if it has the units)"),
  onlineShare: share.describe("share who order the units online instead (home delivery, on onlineChannel)"),
};
const WALK_IN_SWITCH_DEFAULT = { otherStoreShare: 0.1, onlineShare: 0.15 };
const walkInSwitchingShape = z.strictObject({
  otherStoreShare: walkInSwitchShares.otherStoreShare.default(WALK_IN_SWITCH_DEFAULT.otherStoreShare),
  onlineShare: walkInSwitchShares.onlineShare.default(WALK_IN_SWITCH_DEFAULT.onlineShare),
  otherStoreKm: km.default(3).describe("how far (km, store to store, road distance) a walk-in will go to another store"),
  onlineChannel: id.optional().describe("the online channel a switching walk-in orders on; omitted = the first online channel with home delivery"),
  byCategory: z
    .partialRecord(z.enum(skuCategories), z.strictObject({ otherStoreShare: walkInSwitchShares.otherStoreShare, onlineShare: walkInSwitchShares.onlineShare }))
    .default({})
    .describe("shares for one SKU category (customer segment) instead of the two above"),
});
const walkInSwitching = walkInSwitchingShape.default(() => walkInSwitchingShape.parse({}));

/** Customers who switch instead of leaving: an empty shelf, or a pickup offer they did not ask for (issue #17). */
export const switchingSchema = z.strictObject({
  walkIn: walkInSwitching,
  pickupAcceptanceShare: share
    .default(0.3)
    .describe("share of home-delivery customers who accept when tiered fulfilment offers store pickup instead; the rest decline and cancel"),
});

/** One entry of the empirical distribution of lines per online order. */
const basketSize = z.strictObject({ lines: z.number().int().min(1).max(20), share });
const BASKET_SIZES_DEFAULT = [
  { lines: 1, share: 0.6 },
  { lines: 2, share: 0.25 },
  { lines: 3, share: 0.1 },
  { lines: 4, share: 0.05 },
];

/** Multi-line online orders: how many lines, which SKUs go together, and what a split costs (issue #17). */
export const basketsSchema = z.strictObject({
  linesPerOrder: z
    .array(basketSize)
    .min(1)
    .default(BASKET_SIZES_DEFAULT)
    .describe("empirical distribution of lines per online order (shares sum to 1); a line is one SKU, never repeated in an order unless repeatSkus"),
  coPurchase: z
    .partialRecord(z.enum(skuCategories), z.partialRecord(z.enum(skuCategories), between(0, MAX_MULTIPLIER)))
    .default({})
    .describe("weight of each category as an extra line, by the category of the order's first line, on top of the channel's SKU mix; omitted = 1"),
  splitHandlingPerParcel: nonNegative.default(1).describe("CNY per extra parcel when an order ships in more than one, on top of that parcel's own last mile"),
  repeatSkus: z
    .boolean()
    .default(false)
    .describe("true = an extra line may be a SKU the order already holds (for SKUs that each stand for a whole category); false = each SKU at most once an order"),
});

/** A whole scenario file. */
export const scenarioSchema = z.strictObject({
  $schema: z.string().optional().describe("path or URL of this JSON Schema, for editors (e.g. \"./scenario.schema.json\"); ignored by the simulator"),
  id,
  name: z.string().min(1).max(200),
  description: z.string().max(4000).default(""),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  start: localDateTime.describe("sim time 0, local time in timeZone"),
  timeZone: z.string().min(1).default("Asia/Shanghai"),
  horizonDays: days,
  roadFactor: z.number().finite().min(1).max(5).default(1.3),
  sites: z.array(siteSchema).min(1),
  lanes: z.array(laneSchema).default([]),
  skus: z.array(skuSchema).min(1),
  channels: z.array(channelSchema).min(1),
  zones: z.array(zoneSchema).min(1),
  demand: demandSchema,
  campaigns: z.array(campaignSchema).default([]),
  costs: costsSchema.default(() => costsSchema.parse({})),
  service: serviceSchema.default(() => serviceSchema.parse({})),
  levers: leversSchema.default(() => leversSchema.parse({})),
  marketing: marketingSchema.default(() => marketingSchema.parse({})),
  transport: transportSchema.default(() => transportSchema.parse({})),
  interventions: z.array(interventionSchema).default([]),
  customers: z
    .strictObject({
      switching: switchingSchema.optional().describe("omitted = customers never switch: an empty shelf is a lost sale, a pickup offer is always accepted"),
      baskets: basketsSchema.optional().describe("omitted = every online order is one line"),
    })
    .optional()
    .describe("customer behaviour beyond the arrival streams (issue #17); omitted, or a part omitted = that part off"),
  timeseriesIntervalMinutes: between(1, MAX_MINUTES).default(60).describe("minutes between time-series rows, at least 1"),
});

/** A scenario as written in a file (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type Site = z.output<typeof siteSchema>;
export type Lane = z.output<typeof laneSchema>;
export type Transport = z.output<typeof transportSchema>;
export type Sku = z.output<typeof skuSchema>;
export type Channel = z.output<typeof channelSchema>;
export type Zone = z.output<typeof zoneSchema>;
export type Campaign = z.output<typeof campaignSchema>;
export type Intervention = z.output<typeof interventionSchema>;
export type DurationDistribution = z.output<typeof durationDistributionSchema>;
export type LeverName = z.output<typeof leverName>;
export type LateCompensation = z.output<typeof lateCompensationSchema>;
export type CoordinationCosts = z.output<typeof coordinationCostSchema>;
export type SkuCategory = (typeof skuCategories)[number];
export type Switching = z.output<typeof switchingSchema>;
export type Baskets = z.output<typeof basketsSchema>;
