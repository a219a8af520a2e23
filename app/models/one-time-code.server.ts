// Texted codes that open /track: the only code that reads or writes tracking
// rows of OneTimeCode.
//
// No enumeration: a send request answers the same whether or not the
// reference and phone belong together. When they do not, a decoy row is
// stored (a hash of a random code nobody receives) and no text is queued, so
// the rate limits, the tries, the expiry and every answer of verify behave
// exactly as for a real code: nothing tells a stranger that a pair matched.
//
// Nothing personal is stored in the clear: the phone column holds an HMAC of
// the phone (or of the IP for the per-IP rows), the code an HMAC of the code
// with the reference, keyed with SESSION_SECRET. A code therefore opens only
// the case whose reference it was sent for.
//
// Rate limits live in the database (they hold across restarts and processes):
// per phone, the code rows themselves; per IP, marker rows of purpose
// "track_ip" in the same table (no schema change; a dedicated table would be
// tidier, see the report to the lead).
import crypto from "node:crypto";
import { normalizeMobile } from "~/domain/callback";
import { isLanguage } from "~/i18n";
import { applicationReference } from "~/models/application.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { queueText } from "~/services/outbox.server";
import { smsText } from "~/services/sms-text.server";

export const TRACK_PURPOSE = "track";
const IP_PURPOSE = "track_ip";

export const CODE_LIFETIME_MS = 10 * 60_000;
export const MAX_TRIES = 5;
export const CODE_LENGTH = 6;

export const PHONE_WINDOW_MS = 15 * 60_000;
export const PHONE_WINDOW_MAX = 3;
export const PHONE_DAY_MAX = 10;
export const IP_HOUR_MAX = 20;
export const IP_DAY_MAX = 60;
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

export type TrackRole = "applicant" | "proxy";

function hmac(text: string): string {
  return crypto.createHmac("sha256", config().sessionSecret).update(text).digest("hex");
}

/** What the phone column holds for tracking rows: never the number itself. */
export function phoneKey(phone: string): string {
  return `h:${hmac(`phone|${phone}`)}`;
}

function ipKey(ip: string): string {
  return `h:${hmac(`ip|${ip}`)}`;
}

/** The stored form of a code: bound to the reference it was sent for. */
export function hashCode(reference: string, code: string): string {
  return hmac(`code|${reference}|${code}`);
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function newCode(): string {
  return String(crypto.randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

/** Digits as typed or pasted: full-width made ASCII, spaces and dashes dropped. Null unless exactly 6 digits. */
export function cleanCode(raw: string): string | null {
  const digits = String(raw ?? "")
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-\u2010-\u2015]/g, "");
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(digits) ? digits : null;
}

/** Timing-safe comparison of two hex digests. */
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Who this phone is on the case, or null (a revoked proxy is nobody). */
export function roleOf(app: { applicantPhone: string; proxyPhone: string | null; proxyRevokedAt: Date | null }, phone: string): TrackRole | null {
  if (app.applicantPhone === phone) return "applicant";
  if (app.proxyPhone === phone && app.proxyRevokedAt === null) return "proxy";
  return null;
}

export type SendResult =
  /** The same answer whether or not the pair matched. */
  | { ok: true; reference: string; phone: string }
  | { ok: false; error: "reference.invalid" | "reference.required" | "phone.invalid" | "phone.required"; field: "reference" | "phone" }
  | { ok: false; error: "rateLimited"; field: null };

/**
 * Checks the form, applies the rate limits, stores a code row and, when the
 * phone belongs to the case, queues the text with the code: all in one
 * transaction. Format errors are about what was typed only, never about
 * whether a case exists.
 */
export async function sendTrackingCode(
  db: Db,
  { reference: rawReference, phone: rawPhone, ip }: { reference: string; phone: string; ip: string | null },
  now: Date = new Date(),
): Promise<SendResult> {
  if (String(rawReference ?? "").trim() === "") return { ok: false, error: "reference.required", field: "reference" };
  const reference = applicationReference(rawReference);
  if (!reference) return { ok: false, error: "reference.invalid", field: "reference" };
  if (String(rawPhone ?? "").trim() === "") return { ok: false, error: "phone.required", field: "phone" };
  const normalized = normalizeMobile(rawPhone);
  if (!normalized.ok) return { ok: false, error: "phone.invalid", field: "phone" };
  const phone = normalized.phone;
  const key = phoneKey(phone);

  return db.$transaction(
    async (tx) => {
      const since = (ms: number) => new Date(now.getTime() - ms);
      const count = (phoneColumn: string, purpose: string, ms: number) =>
        tx.oneTimeCode.count({ where: { phone: phoneColumn, purpose, createdAt: { gt: since(ms) } } });
      if ((await count(key, TRACK_PURPOSE, PHONE_WINDOW_MS)) >= PHONE_WINDOW_MAX || (await count(key, TRACK_PURPOSE, DAY_MS)) >= PHONE_DAY_MAX) {
        return { ok: false, error: "rateLimited", field: null } as const;
      }
      if (ip) {
        const ipColumn = ipKey(ip);
        if ((await count(ipColumn, IP_PURPOSE, HOUR_MS)) >= IP_HOUR_MAX || (await count(ipColumn, IP_PURPOSE, DAY_MS)) >= IP_DAY_MAX) {
          return { ok: false, error: "rateLimited", field: null } as const;
        }
        await tx.oneTimeCode.create({
          data: { purpose: IP_PURPOSE, phone: ipColumn, codeHash: "", expiresAt: new Date(now.getTime() + DAY_MS), createdAt: now },
          select: { id: true },
        });
      }

      const app = await tx.application.findUnique({
        where: { reference },
        select: { id: true, language: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true },
      });
      const role = app ? roleOf(app, phone) : null;
      const code = newCode();
      await tx.oneTimeCode.create({
        data: {
          purpose: TRACK_PURPOSE,
          phone: key,
          applicationId: role && app ? app.id : null,
          codeHash: hashCode(reference, code),
          expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
          createdAt: now,
        },
        select: { id: true },
      });
      if (role && app) {
        const language = isLanguage(app.language) ? app.language : "zh-CN";
        await queueText(tx, { to: phone, body: smsText(language, "trackingCode", { code }), language });
      }
      return { ok: true, reference, phone } as const;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

export type VerifyResult =
  | { ok: true; applicationId: string; role: TrackRole }
  /** format: not 6 digits; wrong: tries left; tooManyTries: this try used the last one; expired; noCode: none live (used, dead or never sent) */
  | { ok: false; error: "format" }
  | { ok: false; error: "wrong"; triesLeft: number }
  | { ok: false; error: "tooManyTries" | "expired" | "noCode" };

/**
 * Checks a code against the latest one sent to this phone for this
 * reference. Single use; the 5th wrong try kills it. The answers are the same
 * for a decoy row as for a real one.
 */
export async function verifyTrackingCode(
  db: Db,
  { reference: rawReference, phone: rawPhone, code: rawCode }: { reference: string; phone: string; code: string },
  now: Date = new Date(),
): Promise<VerifyResult> {
  const code = cleanCode(rawCode);
  if (!code) return { ok: false, error: "format" };
  const reference = applicationReference(rawReference);
  const normalized = normalizeMobile(rawPhone);
  if (!reference || !normalized.ok) return { ok: false, error: "noCode" };
  const phone = normalized.phone;

  return db.$transaction(
    async (tx) => {
      const row = await tx.oneTimeCode.findFirst({
        where: { purpose: TRACK_PURPOSE, phone: phoneKey(phone) },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, applicationId: true, codeHash: true, attempts: true, expiresAt: true, usedAt: true },
      });
      if (!row || row.usedAt !== null || row.attempts >= MAX_TRIES) return { ok: false, error: "noCode" } as const;
      if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, error: "expired" } as const;

      if (!sameHash(row.codeHash, hashCode(reference, code)) || !row.applicationId) {
        // Conditional on the count read, so parallel guesses cannot get more than MAX_TRIES.
        const { count } = await tx.oneTimeCode.updateMany({
          where: { id: row.id, usedAt: null, attempts: row.attempts },
          data: { attempts: { increment: 1 } },
        });
        if (count !== 1) return { ok: false, error: "noCode" } as const;
        const triesLeft = MAX_TRIES - (row.attempts + 1);
        return triesLeft <= 0 ? ({ ok: false, error: "tooManyTries" } as const) : ({ ok: false, error: "wrong", triesLeft } as const);
      }

      const { count } = await tx.oneTimeCode.updateMany({
        where: { id: row.id, usedAt: null, attempts: { lt: MAX_TRIES } },
        data: { usedAt: now },
      });
      if (count !== 1) return { ok: false, error: "noCode" } as const;
      // The proxy may have been stopped since the code was sent.
      const app = await tx.application.findUnique({
        where: { id: row.applicationId },
        select: { id: true, reference: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true },
      });
      const role = app && app.reference === reference ? roleOf(app, phone) : null;
      if (!app || !role) return { ok: false, error: "noCode" } as const;
      return { ok: true, applicationId: app.id, role } as const;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

/**
 * Deletes tracking codes and per-IP markers older than a day: by then they can
 * neither be used nor count towards a limit. For a periodic job (not scheduled
 * yet); returns how many rows went.
 */
export async function purgeTrackingCodes(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.oneTimeCode.deleteMany({
    where: { purpose: { in: [TRACK_PURPOSE, IP_PURPOSE] }, createdAt: { lt: new Date(now.getTime() - DAY_MS) } },
  });
  return count;
}
