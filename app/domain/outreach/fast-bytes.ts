/**
 * fast-row.ts on the file's bytes (UTF-8) instead of decoded text: the same
 * checks, for a line whose commas the caller has already found. The keys
 * must be ASCII here (then a byte is a UTF-16 code unit and the household
 * tallies hold the same key either way); a line with anything else (a
 * non-ASCII key, other spellings) gets "not sure" and the caller decodes it
 * for the full path, which decides. So, like fast-row.ts, this can never
 * change what is reported, only how fast the common row is read.
 *
 * Why: decoding the benchmark's 92 MiB (every row has a Chinese name, so the
 * text is two bytes a character) and finding its lines in the decoded text
 * measured as about 2.3 s of CPU for the whole file, half the reading; the
 * same work on the bytes takes a tenth of that (issue 6, "Performance").
 */
import {
  DISABILITIES,
  PROGRAM_CODES,
  RELATIONS,
  STUDENT_KINDS,
} from "~/domain/eligibility";
import type { ColumnIndex } from "./columns";
import {
  RECEIVING_ANY,
  RECEIVING_DIBAO,
  RECEIVING_TEKUN,
  type FastRow,
} from "./fast-row";
import { MAX_AGE, MAX_AMOUNT_YUAN, MAX_KEY_LENGTH } from "./row";

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DOT = 46;
const SEMICOLON = 59;

const bytesOf = (values: readonly string[]) =>
  values.map((v) => Uint8Array.from(v, (c) => c.charCodeAt(0)));
const RELATION_BYTES = bytesOf(RELATIONS);
const DISABILITY_BYTES = bytesOf(DISABILITIES);
const STUDENT_BYTES = bytesOf(STUDENT_KINDS);
const PROGRAM_BYTES = bytesOf(PROGRAM_CODES);
const SEVERE = DISABILITIES.indexOf("severe");
const DIBAO = PROGRAM_CODES.indexOf("dibao");
const TEKUN = PROGRAM_CODES.indexOf("tekun");
const TRUE = bytesOf(["true"])[0];
const FALSE = bytesOf(["false"])[0];

/**
 * Reads one line of a file's bytes: `commas` holds the places of its
 * width − 1 commas (the caller checked there are exactly that many, and no
 * quote), `end` excludes the line break.
 */
export class FastByteReader {
  private readonly col: ColumnIndex;
  private readonly width: number;
  private readonly asOfNumber: number;

  constructor(index: ColumnIndex, width: number, asOfNumber: number) {
    this.col = index;
    this.width = width;
    this.asOfNumber = asOfNumber;
  }

  /** False when the full path must decide. */
  read(
    b: Uint8Array,
    start: number,
    end: number,
    commas: Int32Array,
    out: FastRow
  ): boolean {
    // field f is b[f === 0 ? start : commas[f − 1] + 1, f === last ? end : commas[f]) (no closures here: a row is read a million times)
    const col = this.col;
    const last = this.width - 1;
    let f = col.household_id;
    let s = f === 0 ? start : commas[f - 1] + 1;
    let e = f === last ? end : commas[f];
    if (!asciiKey(b, s, e)) return false;
    out.hidStart = s;
    out.hidEnd = e;
    f = col.person_id;
    s = f === 0 ? start : commas[f - 1] + 1;
    e = f === last ? end : commas[f];
    if (!asciiKey(b, s, e)) return false;
    out.pidStart = s;
    out.pidEnd = e;

    f = col.id_number;
    s = f === 0 ? start : commas[f - 1] + 1;
    e = f === last ? end : commas[f];
    if (e - s !== 18 || !this.idNumberOk(b, s)) return false;
    out.idStart = s;

    f = col.relation;
    if (
      oneOf(
        b,
        f === 0 ? start : commas[f - 1] + 1,
        f === last ? end : commas[f],
        RELATION_BYTES
      ) < 0
    )
      return false;

    f = col.age;
    const age = smallInt(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f]
    );
    if (age < 0 || age > MAX_AGE) return false;
    out.age = age;

    f = col.disability;
    const d = oneOf(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f],
      DISABILITY_BYTES
    );
    if (d < 0) return false;
    out.severe = d === SEVERE;

    f = col.can_work;
    const cw = bool(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f]
    );
    if (cw < 0) return false;
    out.canWork = cw === 1;
    f = col.employed;
    if (
      bool(
        b,
        f === 0 ? start : commas[f - 1] + 1,
        f === last ? end : commas[f]
      ) < 0
    )
      return false;

    f = col.monthly_income;
    const income = fen(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f]
    );
    if (income < 0) return false;
    out.incomeFen = income;

    f = col.student;
    if (
      oneOf(
        b,
        f === 0 ? start : commas[f - 1] + 1,
        f === last ? end : commas[f],
        STUDENT_BYTES
      ) < 0
    )
      return false;

    f = col.annual_medical_oop;
    const medical = fen(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f]
    );
    if (medical < 0) return false;
    out.medicalFen = medical;

    f = col.receiving;
    const r = receivingBits(
      b,
      f === 0 ? start : commas[f - 1] + 1,
      f === last ? end : commas[f]
    );
    if (r < 0) return false;
    out.receiving = r;
    return true;
  }

  /** fast-row.ts idNumberOk on bytes. */
  private idNumberOk(b: Uint8Array, s: number): boolean {
    let sum = 0;
    let birth = 0;
    for (let i = 0; i < 17; i++) {
      const dg = b[s + i] - 48;
      if (dg < 0 || dg > 9) return false;
      sum += dg * ID_WEIGHTS[i];
      if (i >= 6 && i < 14) birth = birth * 10 + dg;
    }
    const last = b[s + 17];
    const check = ID_CHECK.charCodeAt(sum % 11);
    if (last !== check && !(check === 88 && last === 120)) return false;
    const year = Math.floor(birth / 10000);
    const month = Math.floor(birth / 100) % 100;
    const day = birth % 100;
    if (
      birth < 19000101 ||
      birth > this.asOfNumber ||
      month < 1 ||
      month > 12 ||
      day < 1
    )
      return false;
    if (day > DAYS_IN_MONTH[month]) return false;
    if (
      month === 2 &&
      day === 29 &&
      !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))
    )
      return false;
    return true;
  }
}

/**
 * A key readPersonRow keeps as it is, in ASCII: 1 to MAX_KEY_LENGTH bytes,
 * all below 128, visible at both ends (nothing trim() would remove).
 */
export function asciiKey(b: Uint8Array, s: number, e: number): boolean {
  if (e <= s || e - s > MAX_KEY_LENGTH) return false;
  const first = b[s];
  const last = b[e - 1];
  if (first <= 32 || first >= 127 || last <= 32 || last >= 127) return false;
  for (let k = s + 1; k < e - 1; k++) if (b[k] >= 128) return false;
  return true;
}

function oneOf(
  b: Uint8Array,
  s: number,
  e: number,
  values: readonly Uint8Array[]
): number {
  const len = e - s;
  outer: for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v.length !== len) continue;
    for (let k = 0; k < len; k++) if (b[s + k] !== v[k]) continue outer;
    return i;
  }
  return -1;
}

/** 1 for "true", 0 for "false", -1 otherwise. */
function bool(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 4) {
    for (let k = 0; k < 4; k++) if (b[s + k] !== TRUE[k]) return -1;
    return 1;
  }
  if (len === 5) {
    for (let k = 0; k < 5; k++) if (b[s + k] !== FALSE[k]) return -1;
    return 0;
  }
  return -1;
}

/** 1 to 3 ASCII digits, else -1. */
function smallInt(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 1 || len > 3) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const dg = b[i] - 48;
    if (dg < 0 || dg > 9) return -1;
    n = n * 10 + dg;
  }
  return n;
}

/** fast-row.ts fen on bytes. */
function fen(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let yuan = 0;
  while (i < e) {
    const dg = b[i] - 48;
    if (dg < 0 || dg > 9) break;
    yuan = yuan * 10 + dg;
    i++;
  }
  const intDigits = i - s;
  if (intDigits < 1 || intDigits > 9) return -1;
  let frac = 0;
  if (i < e) {
    if (b[i] !== DOT) return -1;
    const fracDigits = e - i - 1;
    if (fracDigits < 1 || fracDigits > 2) return -1;
    for (let k = i + 1; k < e; k++) {
      const dg = b[k] - 48;
      if (dg < 0 || dg > 9) return -1;
      frac = frac * 10 + dg;
    }
    if (fracDigits === 1) frac *= 10;
  }
  if (yuan > MAX_AMOUNT_YUAN || (yuan === MAX_AMOUNT_YUAN && frac > 0))
    return -1;
  return yuan * 100 + frac;
}

/** fast-row.ts receivingBits on bytes. */
function receivingBits(b: Uint8Array, s: number, e: number): number {
  if (e === s) return 0;
  let bits = 0;
  let p = s;
  while (p <= e) {
    let q = p;
    while (q < e && b[q] !== SEMICOLON) q++;
    if (q > p) {
      const k = oneOf(b, p, q, PROGRAM_BYTES);
      if (k < 0) return -1;
      bits |= RECEIVING_ANY;
      if (k === DIBAO) bits |= RECEIVING_DIBAO;
      else if (k === TEKUN) bits |= RECEIVING_TEKUN;
    }
    p = q + 1;
  }
  return bits;
}
