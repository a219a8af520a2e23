// Checks and tidies a call-back request from any channel (web form, API,
// chat, SMS, the check results page) before it is stored. Errors are keys in
// the "callback" locale namespace, per field: { phone: "phone.notMobile" }.
import { normalizeMobile } from "./phone";

export const CALLBACK_SOURCES = ["web_request", "web_abandoned", "chat", "sms", "eligibility_review", "upload_failed", "staff"] as const;
export type CallbackSource = (typeof CALLBACK_SOURCES)[number];

export const CALLBACK_LANGUAGES = ["zh-CN", "en"] as const;
export type CallbackLanguage = (typeof CALLBACK_LANGUAGES)[number];

export const BEST_TIMES = ["morning", "afternoon", "evening", "any"] as const;
export type BestTime = (typeof BEST_TIMES)[number];

export const CALLBACK_STATUSES = ["queued", "claimed", "done"] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const NAME_MAX = 50;
export const REASON_MAX = 1000;
/** Room for a chat or SMS conversation, small enough to keep rows cheap. */
export const CONTEXT_MAX = 64 * 1024;
export const AGE_MAX = 130;

export interface CallbackInput {
  /** As typed: normalised here. */
  phone: string;
  name?: string | null;
  language: CallbackLanguage;
  source: CallbackSource;
  reason?: string | null;
  bestTime?: string | null;
  /** Anything JSON can hold: the check answers, the conversation so far… */
  context?: unknown;
  urgent?: boolean;
  oldestAge?: number | null;
}

export interface ValidCallback {
  /** E.164, "+8613812345678". */
  phone: string;
  name: string | null;
  language: CallbackLanguage;
  source: CallbackSource;
  reason: string | null;
  bestTime: BestTime | null;
  /** JSON text. */
  context: string;
  urgent: boolean;
  oldestAge: number | null;
}

/** Field name → error key in the "callback" namespace. */
export type CallbackErrors = Record<string, string>;

export type Validated = { ok: true; value: ValidCallback } | { ok: false; errors: CallbackErrors };

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

/** Trimmed, NFC, without control characters (line breaks kept when asked); empty → null. */
export function cleanText(value: unknown, keepLineBreaks = false): string | null {
  if (typeof value !== "string") return null;
  let text = value.normalize("NFC").replace(/\r\n?/g, "\n");
  // eslint-disable-next-line no-control-regex
  text = keepLineBreaks ? text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "") : text.replace(/[\u0000-\u001F\u007F]+/g, " ");
  text = text.trim();
  return text === "" ? null : text;
}

/** Length as a person counts it: one per character, emoji and CJK included. */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Form input for "age of the oldest person": blank is fine, else a whole number 0–130. */
export function parseAge(raw: unknown): { ok: true; age: number | null } | { ok: false; error: "oldestAge.invalid" } {
  if (raw === null || raw === undefined) return { ok: true, age: null };
  const text = String(raw)
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s|岁|歲/g, "");
  if (text === "") return { ok: true, age: null };
  if (!/^\d{1,3}$/.test(text)) return { ok: false, error: "oldestAge.invalid" };
  const age = Number(text);
  return age <= AGE_MAX ? { ok: true, age } : { ok: false, error: "oldestAge.invalid" };
}

function contextJson(context: unknown): { ok: true; json: string } | { ok: false; error: string } {
  if (context === undefined || context === null) return { ok: true, json: "{}" };
  let json: string | undefined;
  try {
    json = JSON.stringify(context);
  } catch {
    return { ok: false, error: "context.invalid" };
  }
  if (json === undefined) return { ok: false, error: "context.invalid" };
  if (json.length > CONTEXT_MAX) return { ok: false, error: "context.tooLarge" };
  return { ok: true, json };
}

export function validateCallback(input: CallbackInput): Validated {
  const errors: CallbackErrors = {};

  const phone = normalizeMobile(typeof input.phone === "string" ? input.phone : "");
  if (!phone.ok) errors.phone = phone.error;

  const name = cleanText(input.name);
  if (name !== null && characterCount(name) > NAME_MAX) errors.name = "name.tooLong";

  if (!isOneOf(CALLBACK_LANGUAGES, input.language)) errors.language = "language.invalid";
  if (!isOneOf(CALLBACK_SOURCES, input.source)) errors.source = "source.invalid";

  const reason = cleanText(input.reason, true);
  if (reason !== null && characterCount(reason) > REASON_MAX) errors.reason = "reason.tooLong";

  const bestTime = input.bestTime === undefined || input.bestTime === null || input.bestTime === "" ? null : input.bestTime;
  if (bestTime !== null && !isOneOf(BEST_TIMES, bestTime)) errors.bestTime = "bestTime.invalid";

  const oldestAge = input.oldestAge ?? null;
  if (oldestAge !== null && !(Number.isInteger(oldestAge) && oldestAge >= 0 && oldestAge <= AGE_MAX)) errors.oldestAge = "oldestAge.invalid";

  if (input.urgent !== undefined && typeof input.urgent !== "boolean") errors.urgent = "urgent.invalid";

  const context = contextJson(input.context);
  if (!context.ok) errors.context = context.error;

  if (Object.keys(errors).length > 0 || !phone.ok || !context.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      phone: phone.phone,
      name,
      language: input.language,
      source: input.source,
      reason,
      bestTime: bestTime as BestTime | null,
      context: context.json,
      urgent: input.urgent === true,
      oldestAge,
    },
  };
}
