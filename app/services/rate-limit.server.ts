// Abuse limits shared by every channel and every app instance (issue 7 item 4,
// issue 8): fixed-window counters in the RateLimitCounter table. One statement
// per hit (insert or add one, returning the count), which both SQLite and
// PostgreSQL run atomically, so two instances never both let the 6th try in.
//
// The counter's key never holds a phone number, an address or a username as
// typed: it is "<scope>:<HMAC-SHA256 of the subject>", keyed from the
// installation's session secret (a phone number has too little entropy for a
// plain hash to hide it).
import { createHmac } from "node:crypto";
import { config } from "./config.server";
import { db as defaultDb, type Db } from "./db.server";

export interface RateLimitRule {
  /** what is limited and by what, e.g. "callback:ip", "callback:phone", "chat:visitor" */
  scope: string;
  /** hits allowed in one window */
  limit: number;
  windowMs: number;
}

export type RateLimitVerdict =
  | { ok: true; count: number }
  | {
      ok: false;
      count: number;
      /** whole seconds until the window ends, for Retry-After */ retryAfterSeconds: number;
    };

const KEY_LABEL = "lifeline/rate-limit/v1";
let hmacKey: { secret: string; key: Buffer } | null = null;

function subjectHash(subject: string): string {
  const secret = config().sessionSecret;
  if (!hmacKey || hmacKey.secret !== secret) {
    hmacKey = {
      secret,
      key: createHmac("sha256", secret).update(KEY_LABEL).digest(),
    };
  }
  return createHmac("sha256", hmacKey.key)
    .update(subject)
    .digest("hex")
    .slice(0, 32);
}

/** The stored key for a subject under a rule (exported for tests that inspect the table). */
export function rateLimitKey(
  rule: Pick<RateLimitRule, "scope">,
  subject: string
): string {
  return `${rule.scope}:${subjectHash(subject)}`;
}

/**
 * Counts one hit of `subject` (an IP address, an E.164 phone, a visitor id, a
 * username) under `rule` and says whether it is within the limit. A hit over
 * the limit is still counted: hammering does not reopen the window early.
 */
export async function hitRateLimit(
  rule: RateLimitRule,
  subject: string,
  options: { now?: Date; db?: Db } = {}
): Promise<RateLimitVerdict> {
  const now = (options.now ?? new Date()).getTime();
  const client = options.db ?? defaultDb;
  const windowStart = new Date(now - (now % rule.windowMs));
  const key = rateLimitKey(rule, subject);
  const rows = await client.$queryRaw<Array<{ count: number | bigint }>>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  if (count <= rule.limit) return { ok: true, count };
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000)
  );
  return { ok: false, count, retryAfterSeconds };
}

/** Checks several rules for one action (e.g. per IP and per phone); refused when any is over. Every rule counts the hit. */
export async function hitRateLimits(
  hits: Array<{ rule: RateLimitRule; subject: string | null | undefined }>,
  options: { now?: Date; db?: Db } = {}
): Promise<RateLimitVerdict> {
  let worst: RateLimitVerdict = { ok: true, count: 0 };
  for (const { rule, subject } of hits) {
    if (!subject) continue;
    const verdict = await hitRateLimit(rule, subject, options);
    if (
      !verdict.ok &&
      (worst.ok || verdict.retryAfterSeconds > worst.retryAfterSeconds)
    )
      worst = verdict;
  }
  return worst;
}

/** Deletes windows that ended more than a day ago (called by the background sweep). */
export async function purgeRateLimitCounters(
  options: { now?: Date; db?: Db } = {}
): Promise<number> {
  const client = options.db ?? defaultDb;
  const before = new Date(
    (options.now ?? new Date()).getTime() - 24 * 60 * 60 * 1000
  );
  return client.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "windowStart" < ${before}`;
}
