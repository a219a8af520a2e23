// Every abuse limit of the portal in one place (issue 7 item 4): which action
// is counted by what (an IP address, a phone, a chat visitor), how many are
// allowed, and in how long a window. The counting is the shared, DB-backed
// limiter (rate-limit.server.ts), so every app instance sees the same counts.
//
// The values are set so that a person who mistypes, retries or helps a
// relative never meets them (only actions that would do something are
// counted: a form with mistakes is answered 400 and not counted), while a
// script is stopped within minutes. Per-IP values are looser than per-phone
// ones: many people share one address behind a mobile carrier's NAT. A
// loopback address is not counted per IP: it is this machine itself (a test,
// a health check, or a local proxy that did not say who the client is, and
// limiting that would stop everyone at once); per-phone and per-visitor
// limits still apply to it.
//
// Two older limits stay where they were written, with the same purpose:
// texted tracking codes (/track) per phone and per IP in
// app/models/one-time-code.server.ts (rows of OneTimeCode), proxy consent
// codes per phone in app/models/application-draft.server.ts, and failed staff
// sign-ins per account and per IP in app/models/staff.server.ts (LoginFailure).
import type { IncomingMessage } from "node:http";
import { validateCallback, type CallbackInput } from "~/domain/callback";
import type { Language } from "~/i18n";
import { queueCallback, type QueueCallbackOptions, type QueueCallbackResult } from "~/models/callback.server";
import type { Db } from "./db.server";
import { fixedT } from "./i18n.server";
import { hitRateLimits, type RateLimitRule, type RateLimitVerdict } from "./rate-limit.server";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const ABUSE_LIMITS = {
  /** call-back requests (web forms, API, chat and SMS bot) from one address */
  callbackPerIp: { scope: "callback:ip", limit: 20, windowMs: HOUR },
  /** call-back requests for one phone, whatever the channel */
  callbackPerPhone: { scope: "callback:phone", limit: 10, windowMs: DAY },
  /** proxy consent codes asked for from one address (/apply/consent; /track's are in the code model) */
  codePerIp: { scope: "code:ip", limit: 20, windowMs: HOUR },
  /** chat messages from one browser (websocket, /chat, /chat/send, /chat/messages) */
  chatPerVisitor: { scope: "chat:visitor", limit: 30, windowMs: 5 * MINUTE },
  /** chat messages from one address (any number of browsers) */
  chatPerIp: { scope: "chat:ip", limit: 120, windowMs: 5 * MINUTE },
  /** text messages from one phone that the bot answers */
  textPerPhone: { scope: "sms:phone", limit: 30, windowMs: HOUR },
  /** staff sign-in attempts (right or wrong) from one address */
  loginPerIp: { scope: "login:ip", limit: 100, windowMs: 15 * MINUTE },
  /** objections to a public notice from one address */
  objectionPerIp: { scope: "objection:ip", limit: 5, windowMs: HOUR },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimited = Extract<RateLimitVerdict, { ok: false }>;

interface HitOptions {
  now?: Date;
  /** the client to count through (a transaction's, inside one) */
  db?: Db;
}

/** Whole minutes to wait (at least 1). */
export function minutesToWait(verdict: RateLimited): number {
  return Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60));
}

/** How long to wait, in words ("14 minutes", "3 小时"): the {{wait}} of every "try again in …" message. */
export function waitText(lng: Language, verdict: RateLimited): string {
  const t = fixedT(lng, "common");
  const minutes = minutesToWait(verdict);
  return minutes < 90 ? t("common:wait.minutes", { count: minutes }) : t("common:wait.hours", { count: Math.ceil(minutes / 60) });
}

/** The Retry-After header of a 429 answer. */
export function retryAfter(verdict: RateLimited): Record<string, string> {
  return { "Retry-After": String(verdict.retryAfterSeconds) };
}

function loopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}

/** The subject of a per-IP rule: none (not counted) for an unknown or loopback address. */
function perIp(ip: string | null | undefined): string | null {
  return ip && !loopback(ip) ? ip : null;
}

export function limitCallbackRequest({ ip, phone }: { ip: string | null; phone: string }, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits(
    [
      { rule: ABUSE_LIMITS.callbackPerIp, subject: perIp(ip) },
      { rule: ABUSE_LIMITS.callbackPerPhone, subject: phone },
    ],
    options
  );
}

export type LimitedCallbackResult = QueueCallbackResult | { ok: false; limited: RateLimited };

/**
 * queueCallback behind the call-back limits. A request with mistakes is
 * answered with its errors and not counted; a valid one counts once per IP
 * and once per (normalised) phone, and over either limit nothing is stored.
 */
export async function queueCallbackWithinLimits(
  db: Db,
  input: CallbackInput,
  { ip, now = new Date(), ...options }: QueueCallbackOptions & { ip: string | null; now?: Date }
): Promise<LimitedCallbackResult> {
  const validated = validateCallback(input);
  if (!validated.ok) return { ok: false, errors: validated.errors };
  const verdict = await limitCallbackRequest({ ip, phone: validated.value.phone }, { now, db });
  if (!verdict.ok) return { ok: false, limited: verdict };
  return queueCallback(db, input, now, options);
}

export function isLimited(result: LimitedCallbackResult): result is { ok: false; limited: RateLimited } {
  return !result.ok && "limited" in result;
}

export function limitCodeSend(ip: string | null, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits([{ rule: ABUSE_LIMITS.codePerIp, subject: perIp(ip) }], options);
}

export function limitChatMessage({ visitor, ip }: { visitor: string; ip: string | null }, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits(
    [
      { rule: ABUSE_LIMITS.chatPerVisitor, subject: visitor },
      { rule: ABUSE_LIMITS.chatPerIp, subject: perIp(ip) },
    ],
    options
  );
}

export function limitText(phone: string, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits([{ rule: ABUSE_LIMITS.textPerPhone, subject: phone }], options);
}

/** True for the one text of a window that goes over the limit: the one "too many texts" reply is sent for it. */
export function firstOverTextLimit(verdict: RateLimited): boolean {
  return verdict.count === ABUSE_LIMITS.textPerPhone.limit + 1;
}

export function limitLogin(ip: string | null, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits([{ rule: ABUSE_LIMITS.loginPerIp, subject: perIp(ip) }], options);
}

export function limitObjection(ip: string | null, options: HitOptions = {}): Promise<RateLimitVerdict> {
  return hitRateLimits([{ rule: ABUSE_LIMITS.objectionPerIp, subject: perIp(ip) }], options);
}

/**
 * The client address of a raw Node request (the chat websocket's upgrade),
 * read as Express reads req.ip for the pages (app/server/app.ts trusts a
 * proxy on loopback only): the peer's address, or, when the peer is a local
 * proxy, the nearest address in X-Forwarded-For that is not one.
 */
export function socketClientIp(req: Pick<IncomingMessage, "socket" | "headers">): string | null {
  let address = req.socket.remoteAddress ?? null;
  if (!address || !loopback(address)) return address;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : header ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  while (address && loopback(address) && forwarded.length > 0) address = forwarded.pop() ?? null;
  return address;
}
