// The scenario schema as a JSON Schema document (what editors use for autocomplete, written to
// scenarios/scenario.schema.json by `npm run schema`), and a lookup of the schema node at a JSON
// path, which validation messages use to say what a field allows.
import { z } from "zod";
import type { PathSegments } from "./problems.ts";
import { scenarioSchema } from "./schema.ts";

/** The `$id` of the published scenario JSON Schema. */
export const SCENARIO_SCHEMA_ID = "urn:omnitwin:scenario.schema.json";

/** The subset of JSON Schema keywords the zod export produces and the messages read. */
export interface JsonSchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  propertyNames?: JsonSchemaNode;
  items?: JsonSchemaNode;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

/** The scenario JSON Schema (input side: fields with defaults are optional), with `$id` and `title`. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(scenarioSchema, { io: "input" }) as Record<string, unknown>;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: "omnitwin scenario",
    description: "A supply-chain scenario for the omnitwin simulator. Generated from sim/scenario/schema.ts by `npm run schema`; do not edit by hand.",
    ...body,
  };
}

/** The scenario JSON Schema as the exact text of scenarios/scenario.schema.json (2-space indent, final newline). */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

let cachedRoot: JsonSchemaNode | undefined;

/**
 * The schema node for the value at `path`, choosing union branches by what the document holds
 * (a site with `"type": "fdc"` gets the FDC branch). Undefined when the path leaves the schema.
 */
export function schemaNodeAt(path: PathSegments, document: unknown): JsonSchemaNode | undefined {
  cachedRoot ??= scenarioJsonSchema() as JsonSchemaNode;
  let node: JsonSchemaNode | undefined = resolveBranch(cachedRoot, document);
  let value = document;
  for (const segment of path) {
    if (node === undefined) return undefined;
    value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === "number") node = node.items;
    else if (node.properties !== undefined) node = node.properties[segment];
    else node = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
    if (node !== undefined) node = resolveBranch(node, value);
  }
  return node;
}

/** For a union node: the branch whose constant field (e.g. `type`) matches the value; else the node itself. */
export function resolveBranch(node: JsonSchemaNode, value: unknown): JsonSchemaNode {
  const branches = node.oneOf ?? node.anyOf;
  if (branches === undefined || value === null || typeof value !== "object") return node;
  const record = value as Record<string, unknown>;
  const match = branches.find((branch) =>
    Object.entries(branch.properties ?? {}).some(([key, field]) => field.const !== undefined && record[key] === field.const),
  );
  return match ?? node;
}

/** The field holding a union's constant tag (e.g. "type" for sites) and its allowed values. */
export function unionTag(node: JsonSchemaNode): { key: string; values: unknown[] } | undefined {
  const branches = node.oneOf ?? node.anyOf;
  const first = branches?.[0]?.properties;
  if (branches === undefined || first === undefined) return undefined;
  const key = Object.keys(first).find((k) => first[k].const !== undefined);
  return key === undefined ? undefined : { key, values: branches.map((b) => b.properties?.[key]?.const) };
}
