// A small reference validator for the JSON Schema keywords household.schema.json
// uses, written from the JSON Schema 2020-12 text, so tests can check the zod
// schema against the JSON file itself. It throws on any other keyword: if the
// schema starts using one, the tests stop until this checker understands it.
import fs from "node:fs";
import path from "node:path";

export interface JsonSchema {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  $schema?: string;
  title?: string;
  description?: string;
}

// The rule book lives beside the repository (/work/shared/policy), as for tests/unit/eligibility.
export const POLICY_DIR = path.resolve(process.cwd(), "../shared/policy");
export const HOUSEHOLD_SCHEMA_FILE = path.join(POLICY_DIR, "household.schema.json");

export function loadHouseholdJsonSchema(): JsonSchema {
  return JSON.parse(fs.readFileSync(HOUSEHOLD_SCHEMA_FILE, "utf8")) as JsonSchema;
}

const ANNOTATIONS = new Set(["$schema", "title", "description"]);
const KEYWORDS = new Set([
  "type", "enum", "minimum", "maximum", "maxLength", "minItems", "maxItems",
  "additionalProperties", "properties", "items", "required",
]);

function assertKnownKeywords(schema: JsonSchema): void {
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`reference checker does not implement keyword "${key}"`);
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    throw new Error("reference checker implements only additionalProperties: false");
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// JSON cannot write a non-finite number: 1e400 only becomes Infinity in JavaScript.
function hasType(value: unknown, type: NonNullable<JsonSchema["type"]>): boolean {
  switch (type) {
    case "object": return isObject(value);
    case "array": return Array.isArray(value);
    case "string": return typeof value === "string";
    case "boolean": return typeof value === "boolean";
    case "number": return typeof value === "number" && Number.isFinite(value);
    // 2020-12: an integer is any number with a zero fractional part (1.0 too)
    case "integer": return typeof value === "number" && Number.isInteger(value);
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));
}

export type SchemaPath = Array<string | number>;

/**
 * Every place where `value` breaks `schema` (empty when valid). Keywords are
 * independent, as in JSON Schema: numeric limits apply only to numbers,
 * properties only to objects, and so on.
 */
export function referenceErrors(schema: JsonSchema, value: unknown, path: SchemaPath = []): SchemaPath[] {
  assertKnownKeywords(schema);
  const errors: SchemaPath[] = [];
  const fail = (at: SchemaPath = path) => errors.push(at);

  if (schema.type !== undefined && !hasType(value, schema.type)) fail();
  if (schema.enum !== undefined && !schema.enum.some((option) => jsonEqual(option, value))) fail();
  if (typeof value === "number") {
    if (schema.minimum !== undefined && !(value >= schema.minimum)) fail();
    if (schema.maximum !== undefined && !(value <= schema.maximum)) fail();
  }
  // maxLength counts code points (RFC 8259 characters), not UTF-16 units
  if (typeof value === "string" && schema.maxLength !== undefined && [...value].length > schema.maxLength) fail();
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail();
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail();
    if (schema.items) value.forEach((item, i) => errors.push(...referenceErrors(schema.items!, item, [...path, i])));
  }
  if (isObject(value)) {
    const properties = schema.properties ?? {};
    for (const key of schema.required ?? []) if (!Object.hasOwn(value, key)) fail([...path, key]);
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(properties, key)) errors.push(...referenceErrors(properties[key], value[key], [...path, key]));
      else if (schema.additionalProperties === false) fail([...path, key]);
    }
  }
  return errors;
}

export function referenceAccepts(schema: JsonSchema, value: unknown): boolean {
  return referenceErrors(schema, value).length === 0;
}
