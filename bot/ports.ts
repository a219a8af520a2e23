// The engine's ports over the portal's own models: call-backs through
// queueCallback (source chat or sms, with the conversation so far), tracking
// codes through the /track code model, STOP/START through SmsOptOut.
import { type BotPorts, type CallbackRequestInput, type Channel } from "~/domain/bot";
import { CONTEXT_MAX, maskPhone, normalizeMobile, shanghaiDate } from "~/domain/callback";
import { isCaseStatus } from "~/domain/case";
import type { Language } from "~/i18n";
import type { TranscriptEntry } from "~/models/conversation.server";
import { sendTrackingCode, verifyTrackingCode } from "~/models/one-time-code.server";
import { optIn, optOut } from "~/models/opt-out.server";
import { isLimited, queueCallbackWithinLimits, waitText } from "~/services/abuse-limits.server";
import type { Db } from "~/services/db.server";

export interface BotDeps {
  db: Db;
  now: () => Date;
  /** PUBLIC_URL without a trailing slash */
  publicUrl: string;
}

export interface TurnFacts {
  channel: Channel;
  address: string;
  /** the transcript including the message being answered */
  transcript: TranscriptEntry[];
  /** the sender's address (chat only; a text's comes from Twilio), for the per-IP call-back limit */
  clientIp?: string | null;
}

/**
 * What a call-back carries for staff (the queue renders exactly these keys):
 * channel, phone (texts only), language, step, answers, transcript. The
 * transcript is cut from the oldest end to keep within the context limit.
 */
export function callbackContext(input: CallbackRequestInput, facts: TurnFacts): Record<string, unknown> {
  const base = {
    channel: facts.channel,
    ...(facts.channel === "sms" ? { phone: facts.address } : {}),
    language: input.state.language as Language,
    step: input.state.step,
    answers: input.state.answers,
    reason: input.reason,
  };
  let transcript = facts.transcript;
  while (transcript.length > 0 && JSON.stringify({ ...base, transcript }).length > CONTEXT_MAX - 1024) transcript = transcript.slice(1);
  return { ...base, transcript };
}

export function dbPorts(deps: BotDeps, facts: TurnFacts): BotPorts {
  const { db } = deps;
  return {
    publicUrl: deps.publicUrl,
    today: () => shanghaiDate(deps.now()),
    normalizePhone(raw) {
      const result = normalizeMobile(raw);
      return result.ok ? result.phone : null;
    },
    maskPhone,
    async queueCallback(input) {
      // The same call-back limits as the web forms (per phone; per IP for the chat).
      const result = await queueCallbackWithinLimits(
        db,
        {
          phone: input.phone,
          language: input.state.language,
          source: facts.channel,
          bestTime: input.bestTime,
          reason: null,
          context: callbackContext(input, facts),
        },
        { ip: facts.clientIp ?? null, now: deps.now() },
      );
      if (isLimited(result)) return { ok: false, limited: { wait: waitText(input.state.language, result.limited) } };
      return result.ok ? { ok: true, reference: result.reference } : { ok: false };
    },
    optOut: (phone) => optOut(db, phone, deps.now()),
    optIn: (phone) => optIn(db, phone),
    async requestCaseCode(reference, phone) {
      const sent = await sendTrackingCode(db, { reference, phone, ip: null }, deps.now());
      if (sent.ok) return "sent";
      return sent.error === "rateLimited" ? "rate_limited" : "invalid";
    },
    async checkCaseCode(reference, phone, code) {
      const verified = await verifyTrackingCode(db, { reference, phone, code }, deps.now());
      if (!verified.ok) {
        if (verified.error === "wrong" || verified.error === "format") return { ok: false, error: "wrong" };
        return { ok: false, error: verified.error === "expired" ? "expired" : "used" };
      }
      const row = await db.application.findUnique({ where: { id: verified.applicationId }, select: { status: true } });
      if (!row || !isCaseStatus(row.status)) return { ok: false, error: "used" };
      return { ok: true, status: row.status };
    },
  };
}
