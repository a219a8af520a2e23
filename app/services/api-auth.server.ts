// Bearer tokens for the JSON API. For now the one staff token is
// STAFF_API_TOKEN from the environment; tokens made in the staff console (and
// partner tokens, with roles that can get 403) come later and plug in here.
// Failures are thrown as JSON Responses in the `{"errors":[…]}` shape, which
// Remix returns as they are.
import crypto from "node:crypto";
import { apiErrors } from "~/services/api-errors.server";
import { config } from "~/services/config.server";
import { translatorFor } from "~/services/i18n.server";

export interface ApiPrincipal {
  kind: "staff";
  /** Where the token came from: the environment (no roles yet: it may do everything staff may). */
  via: "env";
}

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

/**
 * The caller, when the request carries a valid staff token. Otherwise throws
 * 401 with `WWW-Authenticate: Bearer` (and `error="invalid_token"` when a
 * token was sent but is wrong), message in the request's language.
 */
export async function requireStaffToken(request: Request): Promise<ApiPrincipal> {
  const token = bearerToken(request);
  const expected = config().staffApiToken;
  if (token && expected && sameSecret(token, expected)) return { kind: "staff", via: "env" };

  const { t } = await translatorFor(request, "api");
  if (token === null) {
    throw apiErrors([{ path: "", message: t("api:auth.missing") }], 401, { "WWW-Authenticate": 'Bearer realm="lifeline"' });
  }
  throw apiErrors([{ path: "", message: t("api:auth.invalid") }], 401, {
    "WWW-Authenticate": 'Bearer realm="lifeline", error="invalid_token"',
  });
}

/** 403 for a valid token whose role may not do this (used once tokens have roles). */
export async function forbidden(request: Request): Promise<Response> {
  const { t } = await translatorFor(request, "api");
  return apiErrors([{ path: "", message: t("api:auth.forbidden") }], 403);
}
