// Cross-reference checks: every id a scenario mentions exists and is of the right kind, ids are
// unique, and the replenishment network is a tree rooted at RDCs (no cycles, a lane on every
// replenishment link). Time windows and numeric consistency are checked elsewhere.
import type { Declared, ScenarioParts } from "./parts.ts";
import { laneKey, rawIds, rawText } from "./parts.ts";
import type { PathProblem, PathSegments } from "./problems.ts";
import { didYouMean, quotedList } from "./problems.ts";
import type { Site } from "./schema.ts";

const NOUNS = { sites: "site", skus: "SKU", channels: "channel", zones: "zone", campaigns: "campaign" } as const;
type Kind = keyof typeof NOUNS;

const SITE_TYPE_NAMES: Readonly<Record<string, string>> = { rdc: "an RDC", fdc: "an FDC", store: "a store", factory: "a factory" };

/** Check every id reference, id uniqueness and the replenishment network. */
export function checkReferences(parts: ScenarioParts): PathProblem[] {
  const out: PathProblem[] = [];
  const ref = (kind: Kind, path: PathSegments, id: string): boolean => {
    if (parts.declared[kind].first.has(id)) return true;
    out.push({ path, message: unknownIdMessage(kind, id, parts.declared[kind]) });
    return false;
  };
  for (const kind of Object.keys(NOUNS) as Kind[]) checkUnique(kind, parts.declared[kind], out);
  checkSites(parts, ref, out);
  checkReplenishmentCycles(parts, out);
  checkLanes(parts, ref, out);
  checkSkus(parts, ref, out);

  // Entries with a shape problem are checked as written: their ids still count.
  parts.raw.campaigns.forEach((campaign, i) => {
    for (const kind of ["channels", "zones", "skus"] as const) for (const { id, index } of rawIds(campaign, kind)) ref(kind, ["campaigns", i, kind, index], id);
  });
  for (const id of Object.keys(parts.demand.skuMix ?? {})) ref("skus", ["demand", "skuMix", id], id);
  parts.channels.forEach((channel, i) => {
    for (const id of Object.keys(channel?.skuMix ?? {})) ref("skus", ["channels", i, "skuMix", id], id);
  });
  parts.demand.periods?.forEach((period, p) => period.channels?.forEach((id, k) => ref("channels", ["demand", "periods", p, "channels", k], id)));
  const onlineChannel = parts.customers?.switching?.walkIn.onlineChannel;
  const onlineChannelPath = ["customers", "switching", "walkIn", "onlineChannel"];
  if (onlineChannel !== undefined && ref("channels", onlineChannelPath, onlineChannel)) {
    const channel = parts.channels.find((c) => c?.id === onlineChannel);
    if (channel && channel.kind !== "online") out.push({ path: onlineChannelPath, message: `"${onlineChannel}" is a ${channel.kind} channel; a walk-in who switches orders on an online channel` });
  }
  parts.raw.interventions.forEach((intervention, i) => {
    const at = (...rest: Array<string | number>): PathSegments => ["interventions", i, ...rest];
    const type = rawText(intervention, "type");
    if (type === "demand-surge") {
      for (const kind of ["zones", "channels", "skus"] as const) for (const { id, index } of rawIds(intervention, kind)) ref(kind, at(kind, index), id);
    } else if (type === "factory-disruption") {
      const site = rawText(intervention, "site");
      if (site !== undefined && ref("sites", at("site"), site)) expectSiteType(parts, at("site"), site, "factory", "a factory disruption needs a factory site", out);
    } else if (type === "campaign-change") {
      const campaign = rawText(intervention, "campaign");
      if (campaign !== undefined) ref("campaigns", at("campaign"), campaign);
    }
  });
  return out;
}

function unknownIdMessage(kind: Kind, id: string, declared: Declared): string {
  const noun = NOUNS[kind];
  const known = [...declared.first.keys()];
  const list = known.length === 0 ? `the scenario declares no ${kind === "skus" ? "SKUs" : kind}` : `${noun} ids are ${quotedList(known)}`;
  return `"${id}" is not the id of any ${noun} in the scenario;${didYouMean(id, known)} ${list}`;
}

function checkUnique(kind: Kind, declared: Declared, out: PathProblem[]): void {
  declared.ids.forEach((id, index) => {
    const first = id === undefined ? index : (declared.first.get(id) ?? index);
    if (first !== index) {
      out.push({ path: [kind, index, "id"], message: `"${id}" is already the id of ${kind}[${first}]; give each ${NOUNS[kind]} its own id` });
    }
  });
}

type Ref = (kind: Kind, path: PathSegments, id: string) => boolean;

function checkSites(parts: ScenarioParts, ref: Ref, out: PathProblem[]): void {
  parts.sites.forEach((site, i) => {
    if (site === undefined) return;
    const listed = new Map<string, number>();
    site.inventory.forEach((line, j) => {
      const path: PathSegments = ["sites", i, "inventory", j, "sku"];
      if (!ref("skus", path, line.sku)) return;
      const earlier = listed.get(line.sku);
      if (earlier === undefined) listed.set(line.sku, j);
      else out.push({ path, message: `"${line.sku}" is already stocked at sites[${i}].inventory[${earlier}]; a site lists each SKU once, so merge the two lines` });
    });
    if (site.type === "factory") {
      const made = new Map<string, number>();
      site.production.forEach((line, j) => {
        const path: PathSegments = ["sites", i, "production", j, "sku"];
        if (!ref("skus", path, line.sku)) return;
        const earlier = made.get(line.sku);
        if (earlier === undefined) made.set(line.sku, j);
        else out.push({ path, message: `"${line.sku}" already has a production line at sites[${i}].production[${earlier}]; merge the two lines` });
      });
    }
    if (site.type === "fdc" || site.type === "store") checkSource(parts, site, i, ref, out);
  });
}

function checkSource(parts: ScenarioParts, site: Site & { type: "fdc" | "store" }, i: number, ref: Ref, out: PathProblem[]): void {
  const path: PathSegments = ["sites", i, "replenishment", "source"];
  const source = site.replenishment.source;
  if (source === site.id) {
    out.push({ path, message: `"${source}" is this site itself; a site replenishes from another site (an RDC, FDC or store)` });
    return;
  }
  if (!ref("sites", path, source)) return;
  if (parts.siteTypes.get(source) === "factory") {
    out.push({ path, message: `"${source}" is a factory; forward sites replenish from an RDC, FDC or store (factories ship only to RDCs)` });
    return;
  }
  if (!parts.laneKeys.has(laneKey(source, site.id))) {
    out.push({
      path,
      message: `no lane from "${source}" to "${site.id}", so stock cannot reach this site; add { "from": "${source}", "to": "${site.id}", "transitHours": … } to lanes`,
    });
  }
}

function checkReplenishmentCycles(parts: ScenarioParts, out: PathProblem[]): void {
  const parentOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  parts.sites.forEach((site, i) => {
    if (site === undefined || parts.declared.sites.first.get(site.id) !== i) return;
    indexOf.set(site.id, i);
    if ((site.type === "fdc" || site.type === "store") && site.replenishment.source !== site.id) parentOf.set(site.id, site.replenishment.source);
  });
  const reported = new Set<string>();
  for (const start of parentOf.keys()) {
    const chain: string[] = [];
    const position = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && parentOf.has(current) && !position.has(current)) {
      position.set(current, chain.length);
      chain.push(current);
      current = parentOf.get(current);
    }
    if (current === undefined || !position.has(current)) continue;
    const cycle = chain.slice(position.get(current));
    const key = [...cycle].sort().join("\u0000");
    if (reported.has(key)) continue;
    reported.add(key);
    // Name the cycle from the site written first in the file, and report it there.
    const firstAt = cycle.reduce((best, id, k) => ((indexOf.get(id) ?? 0) < (indexOf.get(cycle[best]) ?? 0) ? k : best), 0);
    const ordered = [...cycle.slice(firstAt), ...cycle.slice(0, firstAt)];
    out.push({
      path: ["sites", indexOf.get(ordered[0]) ?? 0, "replenishment", "source"],
      message: `replenishment cycle ${[...ordered, ordered[0]].join(" → ")}; a site's stock must come from an RDC in the end, so point one of these sites at an RDC`,
    });
  }
}

function checkLanes(parts: ScenarioParts, ref: Ref, out: PathProblem[]): void {
  const firstLane = new Map<string, number>();
  parts.lanes.forEach((lane, i) => {
    if (lane === undefined) return;
    const knownFrom = ref("sites", ["lanes", i, "from"], lane.from);
    const knownTo = ref("sites", ["lanes", i, "to"], lane.to);
    if (lane.from === lane.to) {
      out.push({ path: ["lanes", i, "to"], message: `"${lane.to}" is also the lane's "from"; a lane connects two different sites` });
      return;
    }
    if (!knownFrom || !knownTo) return;
    const key = laneKey(lane.from, lane.to);
    const earlier = firstLane.get(key);
    if (earlier === undefined) firstLane.set(key, i);
    else out.push({ path: ["lanes", i], message: `a second lane from "${lane.from}" to "${lane.to}" (lanes[${earlier}] is the first); merge them into one lane with all the departures` });
  });
}

function checkSkus(parts: ScenarioParts, ref: Ref, out: PathProblem[]): void {
  parts.skus.forEach((sku, i) => {
    if (sku === undefined) return;
    const path: PathSegments = ["skus", i, "supplier"];
    if (!ref("sites", path, sku.supplier)) return;
    if (!expectSiteType(parts, path, sku.supplier, "factory", "a SKU's supplier must be a factory site", out)) return;
    const factory = parts.sites[parts.declared.sites.first.get(sku.supplier) ?? -1];
    if (factory?.type === "factory" && !factory.production.some((line) => line.sku === sku.id)) {
      out.push({ path, message: `factory "${sku.supplier}" has no production line for "${sku.id}"; add { "sku": "${sku.id}", "unitsPerDay": … } to its production` });
    }
  });
}

// True when the site is of the expected type, or its type is itself broken (already reported by the shape check).
function expectSiteType(parts: ScenarioParts, path: PathSegments, id: string, type: string, rule: string, out: PathProblem[]): boolean {
  const actual = parts.siteTypes.get(id);
  if (actual === type || typeof actual !== "string" || !Object.hasOwn(SITE_TYPE_NAMES, actual)) return true;
  out.push({ path, message: `"${id}" is ${SITE_TYPE_NAMES[actual]}, not ${SITE_TYPE_NAMES[type]}; ${rule}` });
  return false;
}
