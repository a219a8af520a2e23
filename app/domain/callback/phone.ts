// Mainland China mobile numbers as people type them: with or without +86,
// 0086 or 86, with spaces, hyphens, dots, brackets or full-width digits. The
// result is E.164 ("+8613812345678") or a specific error key (namespace
// "callback") whose message says what a mobile number looks like. Only mobiles
// are accepted because a call-back may be followed by text messages.

export type PhoneError = "phone.required" | "phone.tooShort" | "phone.tooLong" | "phone.notMobile" | "phone.invalidChars";

export type NormalizedPhone = { ok: true; phone: string } | { ok: false; error: PhoneError };

const NATIONAL_LENGTH = 11;
const MOBILE = /^1[3-9]\d{9}$/;

/** Full-width digits and plus (what a Chinese input method types) become ASCII. */
function toHalfWidth(raw: string): string {
  return raw.replace(/[\uFF10-\uFF19\uFF0B]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

// Separators people put in numbers: spaces (incl. ideographic and no-break),
// hyphens and dashes (ASCII, full-width, Unicode), dots, brackets.
const SEPARATORS = /[\s\u00A0\u3000\-\uFF0D\u2010-\u2015\u2212.\uFF0E()\uFF08\uFF09]/g;

export function normalizeMobile(raw: string): NormalizedPhone {
  const compact = toHalfWidth(String(raw ?? "")).replace(SEPARATORS, "");
  if (compact === "") return { ok: false, error: "phone.required" };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, error: "phone.invalidChars" };

  let digits = compact;
  if (digits.startsWith("+")) {
    // Only mainland numbers: +852, +1 and the like are not ours to call.
    if (!digits.startsWith("+86")) return { ok: false, error: "phone.notMobile" };
    digits = digits.slice(3);
  } else if (digits.startsWith("00")) {
    if (!digits.startsWith("0086")) return { ok: false, error: "phone.notMobile" };
    digits = digits.slice(4);
  } else if (digits.length === NATIONAL_LENGTH + 2 && digits.startsWith("86")) {
    // "86 138…" without the plus: only when exactly a country code + 11 digits remain.
    digits = digits.slice(2);
  } else if (digits.length === NATIONAL_LENGTH + 1 && /^01[3-9]/.test(digits)) {
    // The trunk "0" some people dial before a mobile from another city.
    digits = digits.slice(1);
  }

  // A landline (area code 0xx, or Beijing's 10 after +86) or a service number
  // is not a mobile, whatever its length: say what a mobile looks like.
  if (!/^1([3-9]|$)/.test(digits)) return { ok: false, error: "phone.notMobile" };
  if (digits.length < NATIONAL_LENGTH) return { ok: false, error: "phone.tooShort" };
  if (digits.length > NATIONAL_LENGTH) return { ok: false, error: "phone.tooLong" };
  if (!MOBILE.test(digits)) return { ok: false, error: "phone.notMobile" };
  return { ok: true, phone: `+86${digits}` };
}

/**
 * "+8613812345678" → "138****5678": enough for a person to recognise their
 * number, not enough to call it. Anything else keeps only its last 4 digits.
 */
export function maskPhone(phone: string): string {
  const normalized = normalizeMobile(phone);
  if (normalized.ok) {
    const national = normalized.phone.slice(3);
    return `${national.slice(0, 3)}****${national.slice(-4)}`;
  }
  const digits = toHalfWidth(String(phone ?? "")).replace(/\D/g, "");
  if (digits.length <= 4) return "****";
  return `****${digits.slice(-4)}`;
}
