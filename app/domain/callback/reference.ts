// Short references people read out on the phone: "CB-7K4M-Q9XA".
//
// - Alphabet of 29 symbols with nothing easy to confuse: no 0/O, 1/I/L,
//   2/Z or U/V pairs (digits 2–9 and 21 letters).
// - 7 random symbols (29^7 ≈ 1.7e10 values, not guessable) and one check
//   symbol: a weighted sum mod 29 with weights 1..8. Because 29 is prime and
//   the weights are distinct and non-zero mod 29, every single wrong symbol and
//   every swap of two symbols (adjacent or not) changes the sum, so it is caught.
//   (Luhn mod N misses one adjacent swap; this does not.)
// - A prefix says what the reference is for: "CB" call-back, "LA" application.
//   It is checked against the expected kind, not by the check symbol.

export const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXY";
const N = REFERENCE_ALPHABET.length; // 29, prime
const RANDOM_LENGTH = 7;
const BODY_LENGTH = RANDOM_LENGTH + 1;

export const REFERENCE_PREFIX = { callback: "CB", application: "LA" } as const;
export type ReferencePrefix = (typeof REFERENCE_PREFIX)[keyof typeof REFERENCE_PREFIX];

const PREFIX = /^[A-Z]{2,3}$/;
const CANONICAL = new RegExp(`^([A-Z]{2,3})-([${REFERENCE_ALPHABET}]{4})-([${REFERENCE_ALPHABET}]{4})$`);

function valueOf(symbol: string): number {
  return REFERENCE_ALPHABET.indexOf(symbol);
}

// Inverse of the last weight (8) mod 29: 8 × 11 = 88 = 3 × 29 + 1.
const INVERSE_OF_LAST_WEIGHT = 11;

function checkSymbol(random: string): string {
  let sum = 0;
  for (let i = 0; i < random.length; i++) sum += (i + 1) * valueOf(random[i]);
  // Choose c so that sum + 8c ≡ 0 (mod 29).
  const c = (((N - (sum % N)) % N) * INVERSE_OF_LAST_WEIGHT) % N;
  return REFERENCE_ALPHABET[c];
}

function bodyIsValid(body: string): boolean {
  if (body.length !== BODY_LENGTH) return false;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const v = valueOf(body[i]);
    if (v < 0) return false;
    sum += (i + 1) * v;
  }
  return sum % N === 0;
}

function defaultRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return buffer[0] / 2 ** 32;
}

function cleanPrefix(prefix: string): string {
  const p = prefix.replace(/-$/, "").toUpperCase();
  if (!PREFIX.test(p)) throw new Error(`Reference prefix must be 2 or 3 letters, got "${prefix}"`);
  return p;
}

/** A new reference such as "CB-7K4M-Q9XA". `random` returns numbers in [0, 1) (tests pass their own). */
export function makeReference(prefix: string, random: () => number = defaultRandom): string {
  const p = cleanPrefix(prefix);
  let body = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) body += REFERENCE_ALPHABET[Math.min(N - 1, Math.floor(random() * N))];
  body += checkSymbol(body);
  return `${p}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/**
 * The canonical form of what someone typed or read: upper case, full-width
 * letters and digits made ASCII, spaces and dashes of any kind removed and put
 * back where they belong ("cb 7k4m q9xa" → "CB-7K4M-Q9XA"). Input that cannot
 * be a reference comes back cleaned but is still invalid.
 */
export function normalizeReference(input: string): string {
  const cleaned = String(input ?? "")
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-\u2010-\u2015\u2212_.·]/g, "")
    .toUpperCase();
  if (cleaned.length < BODY_LENGTH + 2) return cleaned;
  const prefix = cleaned.slice(0, cleaned.length - BODY_LENGTH);
  const body = cleaned.slice(-BODY_LENGTH);
  if (!PREFIX.test(prefix)) return cleaned;
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/**
 * True when `ref` (in any form normalizeReference accepts) is a well-formed
 * reference whose check symbol matches; with `prefix`, also of that kind.
 */
export function isValidReference(ref: string, prefix?: string): boolean {
  const match = CANONICAL.exec(normalizeReference(ref));
  if (!match) return false;
  if (prefix !== undefined && match[1] !== cleanPrefix(prefix)) return false;
  return bodyIsValid(match[2] + match[3]);
}

/** The groups to show apart so a reference is easy to read aloud: ["CB", "7K4M", "Q9XA"]. */
export function referenceGroups(ref: string): string[] {
  return normalizeReference(ref).split("-");
}
