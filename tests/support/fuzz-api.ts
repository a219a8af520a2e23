// Hostile requests for the JSON API (/api/v1), as plain data for fast-check:
// method, Content-Type, body (arbitrary JSON, a good body with one place
// changed to something hostile, text that is not JSON, bytes that are not
// UTF-8, too large, deeply nested), Authorization and Idempotency-Key headers.
// `checkApiAnswer` holds an answer to the API's contract: only the statuses
// an API may give and every error in the {"errors":[{"path","message"}]} shape.
import fc from "fast-check";
import { hostileString } from "./fuzz-inputs";
import type { FuzzAnswer } from "./fuzz-routes";

export const API_STATUSES = [
  400, 401, 403, 404, 405, 409, 413, 415, 422, 429,
] as const;

/** Header values must be Latin-1 (a Request refuses others); everything else is fair game. */
const headerText = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .map((n) => String.fromCharCode(n)),
    maxLength: 60,
  }),
  fc.constantFrom(
    "",
    " ",
    "a".repeat(300),
    "a".repeat(10_000),
    "null",
    "../x",
    "%00",
    "\t",
    "é"
  )
);

/** A JSON value with hostile leaves: numbers at every edge, huge strings, prototype keys, deep nesting. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  { arbitrary: hostileString(), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      5e-324,
      Number.MAX_SAFE_INTEGER + 2,
      2 ** 31,
      -(2 ** 63)
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      null,
      true,
      false,
      [],
      {},
      [null],
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__":{"x":1}}') as unknown,
      { constructor: { prototype: {} } }
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      nest(2_000, "array"),
      nest(2_000, "object"),
      Array.from({ length: 5_000 }, () => ({ age: 1 }))
    ),
    weight: 1,
  }
);

function nest(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++)
    value = kind === "array" ? [value] : { a: value };
  return value;
}

/** `base` with the value at `path` (dot-separated, numbers index arrays) set, or deleted when `value` is undefined. */
export function withValueAt(
  base: unknown,
  path: string,
  value: unknown
): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  if (path === "") return value;
  const keys = path.split(".");
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** A good body with one or two places changed (or removed), so the fuzz reaches the checks after the first. */
export function nearlyValid(
  base: unknown,
  paths: readonly string[]
): fc.Arbitrary<unknown> {
  const change = fc.tuple(
    fc.constantFrom(...paths),
    fc.option(hostileJson, { nil: undefined, freq: 5 })
  );
  return fc
    .array(change, { minLength: 0, maxLength: 2 })
    .map((changes) =>
      changes.reduce(
        (body, [path, value]) => withValueAt(body, path, value),
        base
      )
    );
}

export interface ApiRequestSpec {
  method: string;
  contentType: string | null;
  /** text, or bytes (as a list) that need not be UTF-8 */
  body: string | number[] | null;
  authorization: string | null;
  idempotencyKey: string | null;
  language: string;
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/vnd.lifeline+json",
  "APPLICATION/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zz",
  "application/jsonx",
  "json",
];

/** A JSON API request: mostly POST with a JSON type and a (nearly) valid body, and everything else. */
export function apiRequest(
  body: fc.Arbitrary<unknown>,
  authorizations: fc.Arbitrary<string | null>,
  { methods = ["POST"] }: { methods?: string[] } = {}
): fc.Arbitrary<ApiRequestSpec> {
  const text: fc.Arbitrary<string | number[] | null> = fc.oneof(
    {
      arbitrary: body.map((value) => JSON.stringify(value) ?? "null"),
      weight: 8,
    },
    {
      arbitrary: hostileJson.map((value) => JSON.stringify(value) ?? "null"),
      weight: 2,
    },
    {
      arbitrary: hostileString([
        '{"a":',
        "[",
        "{}}",
        "\u0000",
        '{"household":',
      ]),
      weight: 2,
    },
    {
      arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(
        null,
        `{"x":"${"a".repeat(300_000)}"}`,
        " ".repeat(262_145)
      ),
      weight: 1,
    }
  );
  return fc.record({
    method: fc.oneof(
      { arbitrary: fc.constantFrom(...methods), weight: 9 },
      { arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE"), weight: 1 }
    ),
    contentType: fc.oneof(
      {
        arbitrary: fc.constantFrom(CONTENT_TYPES[0], CONTENT_TYPES[1]),
        weight: 8,
      },
      { arbitrary: fc.constantFrom(null, ...CONTENT_TYPES), weight: 2 }
    ),
    body: text,
    authorization: authorizations,
    idempotencyKey: fc.oneof(
      { arbitrary: fc.constant(null), weight: 3 },
      {
        arbitrary: fc.constantFrom("key-1", "key-2", "a".repeat(255)),
        weight: 2,
      },
      { arbitrary: headerText, weight: 1 }
    ),
    language: fc.constantFrom("en", "zh-CN", "xx", "*", ""),
  });
}

/** Authorization headers: the good ones given, and broken ones. */
export function authorization(
  good: ReadonlyArray<() => string>
): fc.Arbitrary<string | null> {
  return fc.oneof(
    {
      arbitrary: fc
        .constantFrom(...good.map((_g, i) => i))
        .map((i) => `Bearer ${good[i]()}`),
      weight: 6,
    },
    {
      arbitrary: fc.constantFrom(
        null,
        "Bearer",
        "Bearer ",
        "bearer x",
        "Basic dXNlcjpwYXNz",
        "Bearer test-staff-token-012345678",
        "Bearer test-staff-token-01234567890"
      ),
      weight: 2,
    },
    { arbitrary: headerText.map((t) => `Bearer ${t}`), weight: 1 },
    { arbitrary: headerText, weight: 1 }
  );
}

export function apiRequestOf(url: string, spec: ApiRequestSpec): Request {
  const headers = new Headers({ "Accept-Language": spec.language });
  if (spec.contentType) headers.set("Content-Type", spec.contentType);
  if (spec.authorization !== null)
    headers.set("Authorization", spec.authorization);
  if (spec.idempotencyKey !== null)
    headers.set("Idempotency-Key", spec.idempotencyKey);
  const hasBody =
    spec.method !== "GET" && spec.method !== "HEAD" && spec.body !== null;
  const body = hasBody
    ? typeof spec.body === "string"
      ? spec.body
      : Uint8Array.from(spec.body as number[])
    : undefined;
  return new Request(url, { method: spec.method, headers, body });
}

/** Fails (throws) unless the answer keeps the API's contract. */
export function checkApiAnswer(
  answer: FuzzAnswer,
  label: string,
  allowed: readonly number[] = API_STATUSES
): void {
  if (answer.thrown !== undefined) {
    const error = answer.thrown;
    throw new Error(
      `${label}: threw a non-Response (a 500): ${
        error instanceof Error
          ? `${error.name}: ${error.message}\n${error.stack ?? ""}`
          : String(error)
      }`
    );
  }
  const ok =
    (answer.status >= 200 && answer.status < 300) ||
    allowed.includes(answer.status);
  if (!ok)
    throw new Error(
      `${label}: status ${answer.status} is not 2xx or one of ${allowed.join(
        ", "
      )}: ${answer.text.slice(0, 300)}`
    );
  if (answer.status < 400) return;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(
      `${label}: a ${answer.status} that is not JSON: ${answer.text.slice(
        0,
        200
      )}`
    );
  }
  const errors = (body as { errors?: unknown }).errors;
  const shaped =
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e: unknown) =>
        e !== null &&
        typeof e === "object" &&
        typeof (e as { path?: unknown }).path === "string" &&
        typeof (e as { message?: unknown }).message === "string" &&
        (e as { message: string }).message !== ""
    );
  if (!shaped)
    throw new Error(
      `${label}: a ${
        answer.status
      } not in the {"errors":[{"path","message"}]} shape: ${answer.text.slice(
        0,
        300
      )}`
    );
  if (!answer.contentType.includes("application/json"))
    throw new Error(
      `${label}: a ${answer.status} with Content-Type ${answer.contentType}`
    );
}

export function describeApiRequest(spec: ApiRequestSpec): string {
  return JSON.stringify(spec, (_k, v: unknown) =>
    typeof v === "string" && v.length > 80
      ? `${v.slice(0, 40)}…(${v.length} chars)`
      : Array.isArray(v) && v.length > 40
      ? `[${v.length} items]`
      : v
  );
}
