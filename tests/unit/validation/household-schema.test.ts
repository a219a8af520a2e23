// The zod Household schema must say exactly what shared/policy/household.schema.json
// says. Two independent checks against the JSON file itself:
// 1. structure: the zod schema, read back as JSON-Schema keywords, equals the file;
// 2. behaviour: on thousands of generated inputs (valid ones at the edges of every
//    limit and one-place near-misses), zod accepts exactly what a reference
//    checker of the file accepts, and complains at the same paths.
// A last block changes each limit of the file and shows both checks notice.
import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { formatFieldPath } from "~/domain/validation/field-path";
import { householdSchema } from "~/domain/validation/household-schema";
import { invalidArbitrary, validArbitrary } from "../../support/json-schema-arbitraries";
import {
  loadHouseholdJsonSchema,
  referenceAccepts,
  referenceErrors,
  type JsonSchema,
} from "../../support/json-schema-reference";

const jsonSchema = loadHouseholdJsonSchema();

const ASTRAL = "😀";

/** Largest n such that a string of n astral code points passes (maxLength in code points). */
function probeMaxLength(schema: z.ZodTypeAny): number | undefined {
  if (!schema.safeParse(ASTRAL.repeat(10_000)).success) {
    let lo = 0;
    let hi = 10_000;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (schema.safeParse(ASTRAL.repeat(mid)).success) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  return undefined;
}

/** The zod schema read back as the JSON-Schema keywords the household file uses. */
function zodAsJsonSchema(schema: z.ZodTypeAny): JsonSchema {
  if (schema instanceof z.ZodOptional) return zodAsJsonSchema(schema.unwrap());
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    const out: JsonSchema = { type: "object" };
    if (schema._def.unknownKeys === "strict") out.additionalProperties = false;
    out.properties = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, zodAsJsonSchema(s)]));
    const required = Object.entries(shape).filter(([, s]) => !s.isOptional()).map(([k]) => k);
    if (required.length > 0) out.required = required;
    return out;
  }
  if (schema instanceof z.ZodArray) {
    const out: JsonSchema = { type: "array" };
    if (schema._def.minLength) out.minItems = schema._def.minLength.value;
    if (schema._def.maxLength) out.maxItems = schema._def.maxLength.value;
    out.items = zodAsJsonSchema(schema.element);
    return out;
  }
  if (schema instanceof z.ZodEnum) return { enum: [...schema.options] };
  if (schema instanceof z.ZodBoolean) return { type: "boolean" };
  if (schema instanceof z.ZodNumber) {
    const out: JsonSchema = { type: schema.isInt ? "integer" : "number" };
    for (const check of schema._def.checks) {
      if (check.kind === "min") {
        expect(check.inclusive, "JSON minimum is inclusive").toBe(true);
        out.minimum = check.value;
      } else if (check.kind === "max") {
        expect(check.inclusive, "JSON maximum is inclusive").toBe(true);
        out.maximum = check.value;
      } else if (check.kind !== "int" && check.kind !== "finite") {
        throw new Error(`unexpected number check ${check.kind}`);
      }
    }
    if (!schema.isInt) expect(schema.isFinite, "a JSON number is finite").toBe(true);
    return out;
  }
  if (schema instanceof z.ZodString || (schema instanceof z.ZodEffects && schema.innerType() instanceof z.ZodString)) {
    const out: JsonSchema = { type: "string" };
    const max = probeMaxLength(schema);
    if (max !== undefined) out.maxLength = max;
    return out;
  }
  throw new Error(`no JSON-Schema reading for ${schema.constructor.name}`);
}

function withoutAnnotations(schema: JsonSchema): JsonSchema {
  const { $schema: _s, title: _t, description: _d, ...rest } = schema;
  const out: JsonSchema = { ...rest };
  if (rest.properties) out.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, s]) => [k, withoutAnnotations(s)]));
  if (rest.items) out.items = withoutAnnotations(rest.items);
  return out;
}

function zodErrorPaths(value: unknown): string[] {
  const result = householdSchema.safeParse(value);
  if (result.success) return [];
  const paths = result.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path],
  );
  return [...new Set(paths.map(formatFieldPath))].sort();
}

function referencePaths(schema: JsonSchema, value: unknown): string[] {
  return [...new Set(referenceErrors(schema, value).map(formatFieldPath))].sort();
}

/** The agreement property against a given JSON schema; returns fast-check's report. */
function checkAgreement(schema: JsonSchema, numRuns: number, seed: number) {
  const input = fc.oneof(validArbitrary(schema), invalidArbitrary(schema));
  return fc.check(
    fc.property(input, (value) => {
      const zodOk = householdSchema.safeParse(value).success;
      if (zodOk !== referenceAccepts(schema, value)) return false;
      return zodOk || JSON.stringify(zodErrorPaths(value)) === JSON.stringify(referencePaths(schema, value));
    }),
    { numRuns, seed },
  );
}

describe("household zod schema: structure", () => {
  it("reads back as the JSON schema file, keyword for keyword", () => {
    expect(zodAsJsonSchema(householdSchema)).toEqual(withoutAnnotations(jsonSchema));
  });

  it("has every property of the file and no other, at every level", () => {
    const zodShape = householdSchema.shape;
    expect(Object.keys(zodShape).sort()).toEqual(Object.keys(jsonSchema.properties!).sort());
    const member = (zodShape.members as z.ZodArray<z.AnyZodObject>).element;
    expect(Object.keys(member.shape).sort()).toEqual(Object.keys(jsonSchema.properties!.members.items!.properties!).sort());
  });
});

describe("household zod schema: behaviour on generated inputs", () => {
  it("the generators are right: every 'valid' input passes the reference checker", () => {
    fc.assert(fc.property(validArbitrary(jsonSchema), (value) => referenceAccepts(jsonSchema, value)), { numRuns: 500 });
  });

  it("the generators are useful: most near-misses are invalid", () => {
    const samples = fc.sample(invalidArbitrary(jsonSchema), { numRuns: 500, seed: 7 });
    const invalid = samples.filter((v) => !referenceAccepts(jsonSchema, v)).length;
    expect(invalid).toBeGreaterThan(450);
  });

  it("accepts and rejects exactly what the JSON schema does, with errors at the same paths", () => {
    const report = checkAgreement(jsonSchema, 3000, 20260601);
    expect(report.failed ? fc.defaultReportMessage(report) : "agrees").toBe("agrees");
  });

  it.each([
    ["empty members", { members: [] }],
    ["31 members", { members: Array.from({ length: 31 }, () => ({})) }],
    ["a fractional age", { members: [{ age: 40.5 }] }],
    ["a negative income", { members: [{ monthlyIncome: -0.01 }] }],
    ["an income above 100,000,000", { members: [{ monthlyIncome: 100_000_000.01 }] }],
    ["an unknown relation", { members: [{ relation: "cousin" }] }],
    ["an extra member field", { members: [{ name: "x" }] }],
    ["an extra household field", { members: [{}], pets: 2 }],
    ["no members at all", {}],
    ["an id of 65 letters", { members: [{ id: "a".repeat(65) }] }],
    ["1e400 (Infinity) as financial assets", JSON.parse('{"members":[{}],"assets":{"financial":1e400}}')],
    ["an own __proto__ field", JSON.parse('{"members":[{}],"__proto__":{"x":1}}')],
    ["null for an optional number", { members: [{ age: null }] }],
    ["a string for a boolean", { members: [{ canWork: "true" }] }],
  ])("rejects %s, as the JSON schema does", (_name, value) => {
    expect(referenceAccepts(jsonSchema, value)).toBe(false);
    expect(householdSchema.safeParse(value).success).toBe(false);
  });

  it.each([
    ["one empty member", { members: [{}] }],
    ["30 members", { members: Array.from({ length: 30 }, () => ({ age: 130 })) }],
    ["an id of 64 emoji (128 UTF-16 units)", { members: [{ id: ASTRAL.repeat(64) }] }],
    ["ages written 40.0 (an integer in JSON)", JSON.parse('{"members":[{"age":40.0}]}')],
    ["huge financial assets (no maximum)", { members: [{}], assets: { financial: 1e300, vehicles: 0, properties: 0 } }],
  ])("accepts %s, as the JSON schema does", (_name, value) => {
    expect(referenceAccepts(jsonSchema, value)).toBe(true);
    expect(householdSchema.safeParse(value).success).toBe(true);
  });
});

/** Every limit and enum in the file, as a way to change it. */
function schemaDrifts(schema: JsonSchema, where = "household"): Array<{ name: string; apply: (s: JsonSchema) => void }> {
  const drifts: Array<{ name: string; apply: (s: JsonSchema) => void }> = [];
  const at = (s: JsonSchema, mutate: (target: JsonSchema) => void) => mutate(s);
  for (const key of ["minimum", "maximum", "maxLength", "minItems", "maxItems"] as const) {
    const value = schema[key];
    if (value === undefined) continue;
    for (const delta of [-1, 1]) {
      if (value + delta < 0 && key !== "minimum" && key !== "maximum") continue;
      drifts.push({ name: `${where}.${key} ${value} → ${value + delta}`, apply: (s) => at(s, (t) => (t[key] = value + delta)) });
    }
  }
  if (schema.enum) drifts.push({ name: `${where}.enum + "novel"`, apply: (s) => s.enum!.push("novel") });
  if (schema.type === "integer") drifts.push({ name: `${where} integer → number`, apply: (s) => (s.type = "number") });
  if (schema.properties) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      for (const d of schemaDrifts(sub, `${where}.${k}`)) {
        drifts.push({ name: d.name, apply: (s) => d.apply(s.properties![k]) });
      }
    }
    drifts.push({ name: `${where} + property "novel"`, apply: (s) => (s.properties!.novel = { type: "boolean" }) });
  }
  if (schema.items) {
    for (const d of schemaDrifts(schema.items, `${where}[]`)) drifts.push({ name: d.name, apply: (s) => d.apply(s.items!) });
  }
  return drifts;
}

describe("a change to the JSON schema file would be caught", () => {
  const drifts = schemaDrifts(jsonSchema);

  it("covers every limit of the file", () => {
    // 5 bounded keywords × 2 directions on members, age, income, id; minimums elsewhere; enums; integers; new fields
    expect(drifts.length).toBeGreaterThan(30);
  });

  it.each(drifts.map((d) => [d.name, d] as const))("%s", (_name, drift) => {
    const changed = structuredClone(jsonSchema);
    drift.apply(changed);
    expect(zodAsJsonSchema(householdSchema)).not.toEqual(withoutAnnotations(changed));
    expect(checkAgreement(changed, 1500, 1).failed).toBe(true);
  });
});
