// Writes scenarios/scenario.schema.json from the zod schema (sim/scenario/schema.ts), so editors can
// autocomplete and check scenario files. Run with `npm run schema`; a test fails when the committed
// file is out of date.
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scenarioJsonSchemaText } from "../sim/scenario/index.ts";

const target = fileURLToPath(new URL("../scenarios/scenario.schema.json", import.meta.url));
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, scenarioJsonSchemaText());
renameSync(temporary, target);
console.log(`wrote ${target}`);
