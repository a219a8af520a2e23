// Error answers of the JSON API (/api/v1): `{"errors":[{"path","message"}]}`,
// messages translated from the "validation" namespace in the caller's language.
// Also the request-body reader every JSON endpoint shares, which throws the
// matching answer (415 not JSON, 413 too large, 400 malformed) as a Response;
// Remix returns a thrown Response as it is.
import type { ZodIssue } from "zod";
import type { Translate } from "~/domain/eligibility";
import { formatFieldPath } from "~/domain/validation/field-path";

export interface ApiError {
  /** Where in the body: "household.members[0].age"; "" is the body itself. */
  path: string;
  message: string;
}

/** Bodies above this are refused with 413 before they are parsed. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const NO_STORE = "no-store";

export function apiErrors(errors: ApiError[], status = 400, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  h.set("Cache-Control", NO_STORE);
  return new Response(JSON.stringify({ errors }), { status, headers: h });
}

/** 405 with the Allow header, for any method an endpoint does not take. */
export function methodNotAllowed(t: Translate, allowed: readonly string[]): Response {
  const list = allowed.join(", ");
  return apiErrors([{ path: "", message: say(t, "methodNotAllowed", { allowed: list }) }], 405, { Allow: list });
}

/** Throws a 405 answer unless the request uses one of the allowed methods. */
export function requireMethod(request: Request, allowed: readonly string[], t: Translate): void {
  if (!allowed.includes(request.method.toUpperCase())) throw methodNotAllowed(t, allowed);
}

function isJsonMediaType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

// A refused body is still read (and thrown away) up to this much before the
// answer goes out: answering while the client is still sending makes the
// connection reset, and the client sees a network error instead of our 413/415.
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/** Reads what is left of a request body and throws it away; false when it was too much to wait for. */
export async function discardBody(request: Request): Promise<boolean> {
  if (!request.body || request.bodyUsed) return true;
  return drain(request.body.getReader());
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      discarded += value.byteLength;
      if (discarded > DRAIN_LIMIT_BYTES) {
        await reader.cancel().catch(() => undefined);
        return false;
      }
    }
  } catch {
    return false;
  }
}

/** An error answer for a body we did not use; the connection is closed if the body could not be read to its end. */
async function refuseBody(request: Request, errors: ApiError[], status: number): Promise<Response> {
  const drained = await discardBody(request);
  return apiErrors(errors, status, drained ? undefined : { Connection: "close" });
}

/**
 * The parsed JSON body. Throws an error Response: 415 when the body is not
 * declared as JSON, 413 when it is larger than maxBytes (counted while reading,
 * whatever Content-Length claims), 400 when it is not UTF-8 JSON.
 */
// Reused: decode() without the stream option keeps no state between calls.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

export async function readJsonBody(
  request: Request,
  t: Translate,
  { maxBytes = DEFAULT_MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<unknown> {
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    throw await refuseBody(request, [{ path: "", message: say(t, "body.unsupportedMediaType") }], 415);
  }
  // Translated only when needed: a message made for every request was a few percent of the API's CPU.
  const tooLarge = () => [{ path: "", message: say(t, "body.tooLarge", { limitKb: Math.floor(maxBytes / 1024) }) }];
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw await refuseBody(request, tooLarge(), 413);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        const drained = await drain(reader);
        throw apiErrors(tooLarge(), 413, drained ? undefined : { Connection: "close" });
      }
      chunks.push(value);
    }
  }
  const bytes = Buffer.concat(chunks, size);
  try {
    return JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    throw apiErrors([{ path: "", message: say(t, "body.invalidJson") }], 400);
  }
}

/** Translates a key of the "validation" namespace (or a full "ns:key"). */
function say(t: Translate, key: string, values: Record<string, unknown> = {}): string {
  const fullKey = key.includes(":") ? key : `validation:${key}`;
  // values go through `replace` so that no value name can clash with an i18next option;
  // no per-call `interpolation` option: i18next would rebuild its interpolator on every call
  // (escaping is already off in the shared config, app/i18n.ts)
  return t(fullKey, { replace: values });
}

// zod's type names that have a label in validation:type.*
const TYPE_NAMES = new Set(["string", "number", "integer", "boolean", "object", "array", "null", "undefined", "nan", "float"]);

function typeLabel(t: Translate, type: string): string {
  return say(t, `type.${TYPE_NAMES.has(type) ? type : "unknown"}`);
}

/**
 * zod reports a non-string given to z.enum as invalid_type with `expected`
 * set to the options joined as "'a' | 'b'"; this recovers the options.
 */
function enumOptionsFromExpected(expected: string): string[] | null {
  const parts = expected.split(" | ");
  if (!parts.every((p) => /^'[^']*'$/.test(p))) return null;
  return parts.map((p) => p.slice(1, -1));
}

function isMembersPath(path: ReadonlyArray<string | number>): boolean {
  return path[path.length - 1] === "members";
}

function messagesFor(issue: ZodIssue, t: Translate): Array<{ path: Array<string | number>; message: string }> {
  const at = (message: string) => [{ path: issue.path, message }];
  switch (issue.code) {
    case "invalid_type": {
      if (issue.received === "undefined") return at(say(t, "required"));
      if (issue.expected === "integer") return at(say(t, "notInteger"));
      const options = TYPE_NAMES.has(issue.expected) ? null : enumOptionsFromExpected(issue.expected);
      if (options) return at(say(t, "notOneOf", { allowed: options.join(", ") }));
      return at(say(t, "wrongType", { expected: typeLabel(t, issue.expected), received: typeLabel(t, issue.received) }));
    }
    case "invalid_enum_value":
      return at(say(t, "notOneOf", { allowed: issue.options.map(String).join(", ") }));
    case "invalid_literal":
      return at(say(t, "notOneOf", { allowed: JSON.stringify(issue.expected) }));
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...issue.path, key], message: say(t, "unknownField", { field: key }) }));
    case "too_small": {
      const minimum = String(issue.minimum);
      if (issue.type === "array") return at(say(t, isMembersPath(issue.path) ? "members.tooFew" : "tooFewItems", { minimum }));
      if (issue.type === "string") return at(say(t, "tooShort", { minimum }));
      if (issue.type === "number" || issue.type === "bigint") {
        return at(say(t, issue.inclusive ? "tooSmall" : "tooSmallExclusive", { minimum }));
      }
      return at(say(t, "invalid"));
    }
    case "too_big": {
      const maximum = String(issue.maximum);
      if (issue.type === "array") return at(say(t, isMembersPath(issue.path) ? "members.tooMany" : "tooManyItems", { maximum }));
      if (issue.type === "string") return at(say(t, "tooLong", { maximum }));
      if (issue.type === "number" || issue.type === "bigint") {
        return at(say(t, issue.inclusive ? "tooBig" : "tooBigExclusive", { maximum }));
      }
      return at(say(t, "invalid"));
    }
    case "not_finite":
      return at(say(t, "notFinite"));
    case "custom": {
      // Schemas name their message in params: { key: "invalidDate", values: {...} }.
      const params = (issue.params ?? {}) as { key?: unknown; values?: unknown };
      const values = params.values && typeof params.values === "object" ? (params.values as Record<string, unknown>) : {};
      return at(say(t, typeof params.key === "string" ? params.key : "invalid", values));
    }
    default:
      return at(say(t, "invalid"));
  }
}

/**
 * One `{path, message}` per place in the body that is wrong (the first
 * problem zod found there), in zod's order; unknown fields each get their own path.
 */
export function zodIssuesToApiErrors(issues: readonly ZodIssue[], t: Translate): ApiError[] {
  const seen = new Set<string>();
  const errors: ApiError[] = [];
  for (const issue of issues) {
    for (const { path, message } of messagesFor(issue, t)) {
      const formatted = formatFieldPath(path);
      if (seen.has(formatted)) continue;
      seen.add(formatted);
      errors.push({ path: formatted, message });
    }
  }
  return errors;
}
