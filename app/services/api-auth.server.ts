// Bearer tokens for the JSON API: STAFF_API_TOKEN from the environment (a
// staff token), and tokens kept (as hashes) in the database with the scope
// "partner" or "staff" (app/models/api-token.server.ts). No token or a wrong
// one is 401; a good token whose scope may not do this is 403.
// Failures are thrown as JSON Responses in the `{"errors":[…]}` shape, which
// Remix returns as they are.
import crypto from "node:crypto";
import { findApiToken, type ApiTokenScope } from "~/models/api-token.server";
import { apiErrors } from "~/services/api-errors.server";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";

export interface ApiPrincipal {
  kind: "staff";
  /** Where the token came from: the environment, or a staff token in the database. */
  via: "env" | "token";
  /** The database token's id when via is "token". */
  tokenId?: string;
}

/** Who is calling: the environment's staff token, or a database token with its scope. */
export type ApiCaller = { kind: "env-staff" } | { kind: "token"; id: string; scope: ApiTokenScope };

// RFC 6750 b64token after the scheme; the scheme itself is case-insensitive (RFC 9110).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Compares two secrets in time that does not depend on where they differ (or on their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given, "utf8").digest();
  const b = crypto.createHash("sha256").update(expected, "utf8").digest();
  return crypto.timingSafeEqual(a, b);
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (!header) return null;
  const match = BEARER.exec(header.trim());
  return match ? match[1] : "";
}

async function unauthorized(request: Request, token: string | null): Promise<Response> {
  const { t } = await translatorFor(request, "api");
  if (token === null) {
    return apiErrors([{ path: "", message: t("api:auth.missing") }], 401, { "WWW-Authenticate": 'Bearer realm="lifeline"' });
  }
  return apiErrors([{ path: "", message: t("api:auth.invalid") }], 401, {
    "WWW-Authenticate": 'Bearer realm="lifeline", error="invalid_token"',
  });
}

/** The caller behind a bearer token, or null when there is none or it is not valid (unknown, revoked). */
async function identify(token: string | null): Promise<ApiCaller | null> {
  if (!token) return null;
  const expected = config().staffApiToken;
  if (expected && sameSecret(token, expected)) return { kind: "env-staff" };
  const found = await findApiToken(db, token);
  return found ? { kind: "token", id: found.id, scope: found.scope } : null;
}

/** The scope a caller acts with: the environment's token is a staff token. */
export function callerScope(caller: ApiCaller): ApiTokenScope {
  return caller.kind === "env-staff" ? "staff" : caller.scope;
}

/**
 * How a caller is written in a case timeline: "partner:<tokenId>",
 * "staff-api:<tokenId>" or "staff-api:env".
 */
export function callerActor(caller: ApiCaller): string {
  if (caller.kind === "env-staff") return "staff-api:env";
  return `${caller.scope === "partner" ? "partner" : "staff-api"}:${caller.id}`;
}

/**
 * The caller, when the request carries a valid token whose scope is one of
 * `scopes`. Otherwise throws 401 with `WWW-Authenticate: Bearer` (and
 * `error="invalid_token"` when a token was sent but is wrong or revoked), or
 * 403 when the token is good but its scope may not do this; messages in the
 * request's language.
 */
export async function requireApiToken(request: Request, { scopes }: { scopes: readonly ApiTokenScope[] }): Promise<ApiCaller> {
  const token = bearerToken(request);
  const caller = await identify(token);
  if (!caller) throw await unauthorized(request, token);
  if (!scopes.includes(callerScope(caller))) throw await forbidden(request);
  return caller;
}

/**
 * The caller, when the request carries a valid staff token (the environment's
 * or a staff token from the database). Otherwise throws 401 as
 * requireApiToken does, or 403 for a partner token.
 */
export async function requireStaffToken(request: Request): Promise<ApiPrincipal> {
  const caller = await requireApiToken(request, { scopes: ["staff"] });
  return caller.kind === "env-staff" ? { kind: "staff", via: "env" } : { kind: "staff", via: "token", tokenId: caller.id };
}

/** 403 for a valid token whose scope may not do this. */
export async function forbidden(request: Request): Promise<Response> {
  const { t } = await translatorFor(request, "api");
  return apiErrors([{ path: "", message: t("api:auth.forbidden") }], 403);
}
