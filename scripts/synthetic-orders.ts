// Writes scenarios/history/synthetic-orders.csv: a SYNTHETIC order history (no real orders) drawn from the
// 618 scenario's demand model scaled to 60 online orders a day, seed 2026, so `omnitwin calibrate` has an
// example to run on. Run: npx tsx scripts/synthetic-orders.ts
import { readFileSync, writeFileSync } from "node:fs";
import { loadScenarioOrThrow } from "../sim/index.ts";
import { ordersCsv, synthesizeOrders } from "../server/calibrate/history.ts";

const raw = JSON.parse(readFileSync(new URL("../scenarios/618-promotion.json", import.meta.url), "utf8"));
raw.demand.onlineOrdersPerDay = 60;
const scenario = loadScenarioOrThrow(raw);
const orders = synthesizeOrders(scenario, 2026, scenario.horizonDays);
const path = new URL("../scenarios/history/synthetic-orders.csv", import.meta.url);
writeFileSync(path, ordersCsv(orders, "SYNTHETIC: drawn by scripts/synthetic-orders.ts from scenarios/618-promotion.json's demand model at 60 online orders a day, seed 2026; not real orders"));
console.log(`wrote ${orders.length} synthetic orders`);
