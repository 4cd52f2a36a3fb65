// What the model's internal names and numbers say, in words a room reads: lever ids as their names
// ("Data platform (L1)"), site, SKU and zone ids as the scenario's names, sim minutes as "Day 3 14:00",
// decision kinds and figure keys as words. Pure: no DOM.
import type { NetworkInfo } from "../../server/protocol.ts";
import type { Lever } from "../../sim/index.ts";
import { localTimeAt } from "./sim-time.ts";

/** Each lever's name as the page and the docs say it. */
export const LEVER_TITLES: Record<Lever, string> = {
  dataPlatform: "Data platform (L1)",
  tieredFulfilment: "Tiered fulfilment (L2)",
  capacityLinkage: "Promotion–capacity linkage (L3)",
  unifiedService: "Unified service (L4)",
};

/** "Day 3 14:00": the run's day (day 1 is the first, as in the header) and the local clock at sim minute t. */
export function dayClock(anchorLocal: string, anchorT: number, t: number): string {
  const local = localTimeAt(anchorLocal, anchorT, t);
  const clock = /\d\d:\d\d/.exec(local.slice(10))?.[0] ?? "";
  return `Day ${Math.floor(Math.max(0, t) / 1440) + 1} ${clock}`.trim();
}

/** "lever dataPlatform switched on" → "Data platform (L1) switched on"; other texts get a capital. */
export function plainMessage(message: string): string {
  const lever = /^lever (\w+) switched (on|off)$/.exec(message);
  if (lever && lever[1] in LEVER_TITLES) return `${LEVER_TITLES[lever[1] as Lever]} switched ${lever[2]}`;
  return message.length ? message[0].toUpperCase() + message.slice(1) : message;
}

const KIND_WORDS: Record<string, string> = {
  routing: "Routed",
  "pre-position": "Pre-positioned",
  rebalance: "Rebalanced",
  "pressure-match": "Promotion pressure matched",
  "saturation-line": "Saturation line",
  throttle: "Promotion throttled",
  "safety-line": "Safety line",
  "emergency-replenishment": "Emergency replenishment",
  "surge-booked": "Pick surge booked",
  "ramp-booked": "Production ramp booked",
  "campaign-review": "Campaign review",
  replenishment: "Replenishment",
  "ad-hoc-transfer": "Ad-hoc transfer",
  "factory-order": "Factory order",
  "intervention:lever": "Lever",
  "intervention:demand-surge": "Demand surge",
  "intervention:express-price-shock": "Express price shock",
  "intervention:factory-disruption": "Factory disruption",
  "intervention:campaign-change": "Campaign changed",
};

/** A decision kind in words ("ad-hoc-transfer" → "Ad-hoc transfer"). */
export function decisionKind(kind: string): string {
  return KIND_WORDS[kind] ?? plainMessage(kind.replace(/^intervention:/, "").replace(/-/g, " "));
}

const KEY_WORDS: Record<string, string> = {
  meanCostCny: "mean cost ¥",
  meanExpressCostCny: "express would cost ¥",
  cost: "cost ¥",
  utilisation: "load",
  utilisationAfter: "load after",
  extraShare: "extra capacity",
  capacityShare: "capacity",
  submittedDaysAhead: "submitted days ahead",
  lateSubmission: "late",
};
const SHARE_KEYS = new Set(["utilisation", "utilisationAfter", "extraShare", "capacityShare", "throttle", "scale"]);

/**
 * A decision's figures in words: ids become names, `fromMinute`/`toMinute` a local time span, hours of
 * the run a day and time, shares percentages, other camelCase keys plain words.
 */
export function plainFigures(figures: Readonly<Record<string, number | string>>, network: NetworkInfo | null, when: (t: number) => string): string {
  const name = (v: string) =>
    network?.sites.find((s) => s.id === v)?.name ?? network?.skus.find((s) => s.id === v)?.name ?? network?.zones.find((z) => z.id === v)?.name ?? (v in LEVER_TITLES ? LEVER_TITLES[v as Lever] : v);
  const parts: string[] = [];
  const f = { ...figures };
  if (typeof f.fromMinute === "number" && typeof f.toMinute === "number") {
    const to = when(f.toMinute);
    const from = when(f.fromMinute);
    // "Day 3 14:00–15:00" when the span stays in one day.
    parts.push(from.split(" ").slice(0, 2).join(" ") === to.split(" ").slice(0, 2).join(" ") ? `${from}–${to.split(" ").at(-1)}` : `${from} – ${to}`);
    delete f.fromMinute;
    delete f.toMinute;
  }
  for (const [key, v] of Object.entries(f)) {
    const words = KEY_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    if (typeof v === "string") parts.push(`${words} ${name(v)}`);
    else if (key === "fromHour") parts.push(`from ${when(v * 60)}`);
    else if (SHARE_KEYS.has(key)) parts.push(`${words} ${Math.round(v * 100)}%`);
    else parts.push(`${words}${words.endsWith("¥") ? "" : " "}${(+v.toFixed(2)).toLocaleString("en-US")}`);
  }
  return parts.join(", ");
}
