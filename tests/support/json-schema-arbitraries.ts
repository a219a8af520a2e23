// fast-check arbitraries derived from a JSON schema (the keywords of
// json-schema-reference.ts): values that satisfy it, biased to the edges of
// every limit, and near-misses that break it in one place (out of range,
// wrong type, extra or missing field, bad enum value, too many or too few
// items, fractions for integers, too many code points). Because they are
// built from the JSON file, a limit changed there moves the edges tested here.
import fc from "fast-check";
import type { JsonSchema } from "./json-schema-reference";

// Without a maximum, numbers still reach far (assets have no ceiling).
const OPEN_MAX = 1e21;
const ASTRAL = "😀"; // one code point, two UTF-16 units

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -OPEN_MAX;
  const max = schema.maximum ?? OPEN_MAX;
  const edges = [min, max].filter((v) => Number.isFinite(v));
  // the far ends of a double: no maximum means any finite number (1e300 is an integer too)
  if (schema.maximum === undefined) edges.push(schema.type === "integer" ? 1e300 : Number.MAX_VALUE);
  if (schema.type !== "integer" && min <= Number.MIN_VALUE && Number.MIN_VALUE <= max) edges.push(Number.MIN_VALUE);
  if (schema.type === "integer") {
    const safeMin = Math.max(min, Number.MIN_SAFE_INTEGER);
    const safeMax = Math.min(max, Number.MAX_SAFE_INTEGER);
    return fc.oneof(
      fc.constantFrom(...edges, Math.min(safeMin + 1, safeMax), Math.max(safeMax - 1, safeMin)),
      fc.integer({ min: safeMin, max: Math.min(safeMax, safeMin + 200) }),
      fc.integer({ min: safeMin, max: safeMax }),
    );
  }
  return fc.oneof(
    fc.constantFrom(...edges),
    // money as people type it: whole yuan or two decimals
    fc.integer({ min: 0, max: 10_000_000 }).map((cents) => Math.min(max, Math.max(min, min + cents / 100))),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  );
}

// One code point per unit: ASCII, Chinese, astral (emoji…) and lone surrogates,
// which JSON can carry. (fast-check's own "binary" unit takes seconds to set up.)
const codePoint = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x4e00, max: 0x9fff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
  )
  .map((cp) => String.fromCodePoint(cp));

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 100;
  return fc.oneof(
    fc.string({ maxLength: max, unit: codePoint }),
    // exactly at the limit, counted in code points: twice as many UTF-16 units
    fc.constant(ASTRAL.repeat(max)),
    fc.constant("a".repeat(max)),
  );
}

/** Values that the schema accepts. */
export function validArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number":
      return numberArbitrary(schema);
    case "string":
      return stringArbitrary(schema);
    case "array": {
      const item = validArbitrary(schema.items ?? {});
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? min + 5;
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(item, { minLength: min, maxLength: Math.min(max, min + 4) }) },
        { weight: 1, arbitrary: fc.array(item, { minLength: max, maxLength: max }) },
      );
    }
    case "object": {
      const props = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validArbitrary(s)]));
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    default:
      throw new Error(`no generator for schema ${JSON.stringify(schema)}`);
  }
}

const ANY_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;

/** A JSON value whose type is not the schema's (for an enum: not a string). */
function wrongTypeArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const own = schema.type ?? (schema.enum ? "string" : undefined);
  const byType: Record<(typeof ANY_TYPES)[number], fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom("1", "true", "")),
    number: fc.constantFrom(0.5, 1.25, -3.75),
    integer: fc.constantFrom(0, 1, 7, -1),
    boolean: fc.boolean(),
    object: fc.constantFrom({}, { a: 1 }),
    array: fc.constantFrom([], [1], [{}]),
    null: fc.constant(null),
  };
  // a number is not wrong for "number" even when it is whole
  const excluded: Array<string | undefined> = own === "number" ? ["number", "integer"] : own === "integer" ? ["integer"] : [own];
  return fc.oneof(...ANY_TYPES.filter((t) => !excluded.includes(t)).map((t) => byType[t]));
}

type Weighted = { weight: number; arbitrary: fc.Arbitrary<unknown> };

/**
 * Values that break the schema at this level or, for containers, somewhere
 * inside. Each way of breaking it gets one share of the draws, wherever it is
 * nested, so a member's age above its maximum is drawn as often as a wrong top-level type.
 */
export function invalidArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof(...invalidOptions(schema));
}

const weightOf = (options: Weighted[]) => options.reduce((sum, o) => sum + o.weight, 0);

function invalidOptions(schema: JsonSchema): Weighted[] {
  const options: Weighted[] = [];
  const add = (arbitrary: fc.Arbitrary<unknown>, weight = 1) => options.push({ weight, arbitrary });
  add(wrongTypeArbitrary(schema));
  if (schema.enum) {
    const known = new Set(schema.enum);
    add(fc.constantFrom(...schema.enum.map((v) => String(v).toUpperCase()), "", "unknown").filter((v) => !known.has(v)));
    add(fc.string({ maxLength: 8 }).filter((v) => !known.has(v)));
  }
  if (schema.type === "number" || schema.type === "integer") {
    const deltas = schema.type === "integer" ? [1, 2, 1000] : [1e-9 * Math.max(1, Math.abs(schema.maximum ?? 1)), 0.01, 0.5, 1, 1000];
    for (const d of deltas) {
      if (schema.minimum !== undefined) add(fc.constant(schema.minimum - d));
      if (schema.maximum !== undefined) add(fc.constant(schema.maximum + d));
    }
    // a number too large for a double: what JSON.parse makes of 1e400
    add(fc.constantFrom(Infinity, -Infinity));
    if (schema.type === "integer") add(validArbitrary(schema).map((v) => (v as number) + 0.5));
  }
  if (schema.type === "string" && schema.maxLength !== undefined) {
    add(fc.constant("a".repeat(schema.maxLength + 1)));
    add(fc.constant(ASTRAL.repeat(schema.maxLength + 1)));
  }
  if (schema.type === "array") {
    const item = validArbitrary(schema.items ?? {});
    if (schema.minItems !== undefined && schema.minItems > 0) {
      add(fc.array(item, { minLength: schema.minItems - 1, maxLength: schema.minItems - 1 }));
    }
    if (schema.maxItems !== undefined) {
      add(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
    }
    if (schema.items) {
      const inner = invalidOptions(schema.items);
      add(
        fc.tuple(validArbitrary(schema), fc.oneof(...inner), fc.nat()).map(([array, bad, at]) => {
          const copy = [...(array as unknown[])];
          if (copy.length === 0) copy.push(bad);
          else copy[at % copy.length] = bad;
          return copy;
        }),
        weightOf(inner),
      );
    }
  }
  if (schema.type === "object") {
    const props = schema.properties ?? {};
    const base = validArbitrary(schema) as fc.Arbitrary<Record<string, unknown>>;
    if (schema.additionalProperties === false) {
      const extraKey = fc
        .oneof(fc.constantFrom("extra", "__proto__", "constructor", "toString", "Members", "a b", ""), fc.string({ minLength: 1, maxLength: 6 }))
        .filter((k) => !Object.hasOwn(props, k));
      add(
        fc.tuple(base, extraKey, fc.jsonValue({ maxDepth: 1 })).map(([value, key, extra]) =>
          // defineProperty so that "__proto__" becomes an own field, as JSON.parse makes it
          Object.defineProperty({ ...value }, key, { value: extra, enumerable: true, writable: true, configurable: true }),
        ),
      );
    }
    for (const key of schema.required ?? []) {
      add(
        base.map((value) => {
          const copy = { ...value };
          delete copy[key];
          return copy;
        }),
      );
    }
    for (const [key, sub] of Object.entries(props)) {
      const inner = invalidOptions(sub);
      add(
        fc.tuple(base, fc.oneof(...inner)).map(([value, bad]) => ({ ...value, [key]: bad })),
        weightOf(inner),
      );
    }
  }
  return options;
}
