// Resident identity card numbers (居民身份证号码, GB 11643-1999) as people type
// them: 17 digits (6 address, 8 birth date YYYYMMDD, 3 sequence, odd for men)
// and a check character (0–9 or X). Full-width digits and letters from a
// Chinese input method and spaces are tolerated; a lowercase x is accepted.
// Errors are keys (namespace "case", idNumber.*) whose message says what to fix.

export type IdNumberError = "idNumber.required" | "idNumber.length" | "idNumber.chars" | "idNumber.birthDate" | "idNumber.checkDigit";

export type IdNumberResult =
  | { ok: true; /** 18 characters, check character X in upper case */ value: string; /** YYYY-MM-DD */ birthDate: string; sex: "male" | "female" }
  | { ok: false; error: IdNumberError };

export const ID_NUMBER_LENGTH = 18;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = "10X98765432";
const EARLIEST_BIRTH_DATE = "1900-01-01";

/** The check character for the first 17 digits (ISO 7064 MOD 11-2 as GB 11643 writes it). */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error("idCheckCharacter needs exactly 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** Full-width digits and letters become ASCII; spaces of any kind go. */
function clean(raw: string): string {
  return String(raw ?? "")
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00A0\u3000]/g, "");
}

/** Today's date in China (UTC+8, no daylight saving), where the ID card was issued. */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Checks in the order a person can act on: anything but digits and X
 * (`chars`), then the length, then an X before the end (`chars`), then a
 * real birth date between 1900-01-01 and `asOf` (default: today in China),
 * then the check character, which catches any single mistyped digit and most
 * swaps of two neighbours.
 */
export function validateIdNumber(raw: string, options: { asOf?: string } = {}): IdNumberResult {
  const value = clean(raw).toUpperCase();
  if (value === "") return { ok: false, error: "idNumber.required" };
  if (!/^[0-9X]+$/.test(value)) return { ok: false, error: "idNumber.chars" };
  if (value.length !== ID_NUMBER_LENGTH) return { ok: false, error: "idNumber.length" };
  if (!/^\d{17}[0-9X]$/.test(value)) return { ok: false, error: "idNumber.chars" };

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const asOf = options.asOf ?? todayInChina();
  if (!isRealDate(year, month, day) || birthDate < EARLIEST_BIRTH_DATE || birthDate > asOf) {
    return { ok: false, error: "idNumber.birthDate" };
  }

  if (idCheckCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, error: "idNumber.checkDigit" };

  // The 17th digit is the sequence number's last: odd for men, even for women.
  const sex = Number(value[16]) % 2 === 1 ? "male" : "female";
  return { ok: true, value, birthDate, sex };
}

/**
 * "110101199003077777" → "110***********7777": the first 3 characters (the
 * province and city, no birth date) and the last 4, enough for a person or
 * a caseworker to recognise a number without being able to use it. Every
 * hidden character becomes one "*", so the length still shows. Input is
 * cleaned like validateIdNumber's; 7 characters or fewer are hidden entirely.
 */
export function maskIdNumber(idNumber: string): string {
  const value = clean(idNumber).toUpperCase();
  if (value.length <= 7) return "*".repeat(value.length);
  return `${value.slice(0, 3)}${"*".repeat(value.length - 7)}${value.slice(-4)}`;
}
