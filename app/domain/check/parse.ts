/**
 * Reading numbers as residents type them: full-width digits (１２３), commas,
 * "¥" or "元" around amounts, "3万", "45岁". Each parser returns the value or
 * the name of the problem; the step turns the problem into an error key.
 * Amounts stay exact: at most 2 decimals, built from the typed digits.
 */

export type Parsed<T, P extends string> = { ok: true; value: T } | { ok: false; problem: P };

export type WholeNumberProblem = "required" | "notWhole" | "range";
export type AmountProblem = "required" | "invalid" | "negative" | "decimals" | "tooLarge";

/** NFKC folds full-width digits, "，", "．" and "￥" into their ASCII forms. */
function fold(raw: string): string {
  return raw.normalize("NFKC").replace(/[\s\u00a0\u3000]+/g, "");
}

function stripSuffix(text: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (suffix && text.length > suffix.length && text.toLowerCase().endsWith(suffix.toLowerCase())) {
      return text.slice(0, -suffix.length);
    }
  }
  return text;
}

/** Digits grouped with commas ("1,500") or not; commas anywhere else are a typo we forgive. */
function dropGrouping(text: string): string {
  return text.replace(/,/g, "");
}

export interface WholeNumberOptions {
  min: number;
  max: number;
  /** words people add after the number, longest first ("周岁", "岁") */
  suffixes?: readonly string[];
}

export function parseWholeNumber(raw: string | null | undefined, options: WholeNumberOptions): Parsed<number, WholeNumberProblem> {
  let text = fold(raw ?? "");
  if (text === "") return { ok: false, problem: "required" };
  text = dropGrouping(stripSuffix(text, options.suffixes ?? []));
  // "45.0" is a whole number written oddly; "45.5" is not.
  const m = /^([+-]?)(\d+)(?:\.0*)?$/.exec(text);
  if (!m) return { ok: false, problem: "notWhole" };
  const value = Number(m[2]) * (m[1] === "-" ? -1 : 1);
  if (!Number.isSafeInteger(value) || value < options.min || value > options.max) return { ok: false, problem: "range" };
  return { ok: true, value };
}

const CURRENCY_PREFIXES = ["rmb", "cny", "¥", "$"] as const;
const CURRENCY_SUFFIXES = ["元人民币", "人民币", "块钱", "yuan", "rmb", "cny", "元", "块"] as const;

export interface AmountOptions {
  /** largest accepted value (inclusive) */
  max?: number;
  /** units people add after the number, longest first (for areas: "平方米") */
  suffixes?: readonly string[];
}

/**
 * An amount ≥ 0 with at most 2 decimals. Accepts "1500", "１，５００", "¥1,500.50",
 * "1500元", "1.5万" (15000). The number is built from the decimal digits typed.
 */
export function parseAmount(raw: string | null | undefined, options: AmountOptions = {}): Parsed<number, AmountProblem> {
  let text = fold(raw ?? "").toLowerCase();
  if (text === "") return { ok: false, problem: "required" };
  let negative = false;
  if (text.startsWith("-") || text.startsWith("−")) {
    negative = true;
    text = text.slice(1);
  }
  for (const prefix of CURRENCY_PREFIXES) {
    if (text.startsWith(prefix)) {
      text = text.slice(prefix.length);
      break;
    }
  }
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1);
  }
  text = stripSuffix(text, [...(options.suffixes ?? []), ...CURRENCY_SUFFIXES]);
  let tenThousands = false;
  if (text.length > 1 && text.endsWith("万")) {
    tenThousands = true;
    text = text.slice(0, -1);
  }
  text = dropGrouping(text);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === "" && !m[2])) return { ok: false, problem: "invalid" };
  if (negative) return { ok: false, problem: "negative" };
  let whole = m[1] || "0";
  let fraction = m[2] ?? "";
  if (tenThousands) {
    // shift the decimal point 4 places right, on the digits themselves
    const padded = fraction.padEnd(4, "0");
    whole = whole + padded.slice(0, 4);
    fraction = padded.slice(4);
  }
  fraction = fraction.replace(/0+$/, "");
  if (fraction.length > 2) return { ok: false, problem: "decimals" };
  const value = Number(`${whole}.${fraction || "0"}`);
  if (!Number.isFinite(value) || (options.max !== undefined && value > options.max)) return { ok: false, problem: "tooLarge" };
  return { ok: true, value };
}

/** One of the allowed values of a radio group. */
export function parseChoice<T extends string>(raw: string | null | undefined, allowed: readonly T[]): Parsed<T, "required"> {
  const value = (raw ?? "").trim();
  return (allowed as readonly string[]).includes(value) ? { ok: true, value: value as T } : { ok: false, problem: "required" };
}
