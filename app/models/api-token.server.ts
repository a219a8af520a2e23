// Bearer tokens for partners (social organisations, community workers) and
// staff integrations: the only code that reads or writes ApiToken. A token is
// shown once when it is made; only its SHA-256 is kept, so a copy of the
// database cannot be used to call the API. Tokens are 32 random bytes, so a
// plain (unsalted) hash is enough: there is nothing to guess.
//
// With `who` (the admin page), making or stopping a token and its audit entry
// are one transaction: both are written or neither.
import crypto from "node:crypto";
import { recordAudit } from "~/services/audit.server";
import { WRITE_TRANSACTION, type Db } from "~/services/db.server";

/** The admin making the change, as the audit log writes them. */
export interface TokenAuditor {
  actor: string;
  actorName: string;
}

export const API_TOKEN_SCOPES = ["partner", "staff"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** Every token starts with this, so a leaked one is easy to recognise (and to search for in logs or code). */
export const API_TOKEN_PREFIX = "ll_";
export const API_TOKEN_NAME_MAX = 100;

export function hashApiToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

function isScope(value: unknown): value is ApiTokenScope {
  return typeof value === "string" && (API_TOKEN_SCOPES as readonly string[]).includes(value);
}

/**
 * A new token. The clear `token` is returned only here: give it to the partner
 * now, it cannot be read back. `token` may be passed to make a fixed,
 * documented token (the demo seed); otherwise it is random.
 */
export async function createApiToken(
  db: Db,
  { name, scope, token }: { name: string; scope: ApiTokenScope; token?: string },
  who?: TokenAuditor,
): Promise<{ id: string; token: string }> {
  if (!isScope(scope)) throw new Error(`Unknown API token scope "${String(scope)}"`);
  const cleanName = name.trim();
  if (cleanName === "" || [...cleanName].length > API_TOKEN_NAME_MAX) throw new Error("An API token needs a name of 1 to 100 characters");
  const clear = token ?? `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
  const data = { name: cleanName, scope, tokenHash: hashApiToken(clear) };
  const row = who
    ? await db.$transaction(async (tx) => {
        const made = await tx.apiToken.create({ data, select: { id: true } });
        await recordAudit(tx, { ...who, action: "create_token", subjectType: "api_token", subjectId: made.id, detail: { scope } });
        return made;
      }, WRITE_TRANSACTION)
    : await db.apiToken.create({ data, select: { id: true } });
  return { id: row.id, token: clear };
}

// Live tokens found recently, by hash, for a short time. Every Partner API
// request looks its token up, and the typed look-up costs about as much CPU
// as the rest of a small request. Why a cache is acceptable here: a revoke in
// this process clears it at once (revokeApiToken, revokeApiTokenByValue); a
// revoke made by another process (a second instance, a CLI) takes effect here
// within TOKEN_CACHE_MS, a couple of seconds, which is far shorter than it
// takes anyone to notice a leak and revoke. Only live tokens are kept, so a
// new token works at once and an unknown one is always checked against the
// database. Bounded, so random tokens cannot grow it.
export const TOKEN_CACHE_MS = 2_000;
const TOKEN_CACHE_MAX = 1_000;
type FoundToken = { id: string; scope: ApiTokenScope; name: string };
const tokenCache = new WeakMap<Db, Map<string, { token: FoundToken; until: number }>>();

function cacheFor(db: Db): Map<string, { token: FoundToken; until: number }> {
  let cache = tokenCache.get(db);
  if (!cache) {
    cache = new Map();
    tokenCache.set(db, cache);
  }
  return cache;
}

/**
 * The token's owner and scope, or null when the token is unknown or revoked.
 * Looked up by hash through the unique index: the comparison is of hashes, so
 * its timing says nothing about the clear token.
 */
export async function findApiToken(db: Db, token: string, now: number = Date.now()): Promise<FoundToken | null> {
  if (token === "") return null;
  const tokenHash = hashApiToken(token);
  const cache = cacheFor(db);
  const cached = cache.get(tokenHash);
  if (cached && cached.until > now) return cached.token;
  const row = await db.apiToken.findUnique({
    where: { tokenHash },
    select: { id: true, scope: true, name: true, revokedAt: true },
  });
  if (!row || row.revokedAt !== null || !isScope(row.scope)) {
    cache.delete(tokenHash);
    return null;
  }
  const found: FoundToken = { id: row.id, scope: row.scope, name: row.name };
  if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
  cache.set(tokenHash, { token: found, until: now + TOKEN_CACHE_MS });
  return found;
}

/** Stops a token working from now on; true when it existed and was live. */
export async function revokeApiToken(db: Db, id: string, now: Date = new Date(), who?: TokenAuditor): Promise<boolean> {
  const { count } = who
    ? await db.$transaction(async (tx) => {
        const stopped = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
        if (stopped.count === 1) await recordAudit(tx, { ...who, action: "revoke_token", subjectType: "api_token", subjectId: id }, now);
        return stopped;
      }, WRITE_TRANSACTION)
    : await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  // After the update: a look-up racing with it cannot put the token back for long (TOKEN_CACHE_MS).
  cacheFor(db).clear();
  return count === 1;
}

/**
 * Makes sure a token with this exact clear value exists (idempotent; used by
 * the demo seed). A revoked one stays revoked.
 */
export async function ensureApiToken(db: Db, { name, scope, token }: { name: string; scope: ApiTokenScope; token: string }): Promise<void> {
  const existing = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) }, select: { id: true } });
  if (!existing) await createApiToken(db, { name, scope, token });
}

/** Revokes the token with this clear value, if there is one (the seed uses it to retire the demo token outside demo mode). */
export async function revokeApiTokenByValue(db: Db, token: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { tokenHash: hashApiToken(token), revokedAt: null }, data: { revokedAt: now } });
  cacheFor(db).clear();
  return count === 1;
}

export interface ApiTokenListItem {
  id: string;
  name: string;
  scope: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every token, live ones first, newest first (the admin page); never the hash. */
export function listApiTokens(db: Db): Promise<ApiTokenListItem[]> {
  return db.apiToken.findMany({
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, name: true, scope: true, createdAt: true, revokedAt: true },
  });
}
