/**
 * The screening's fast path for one unquoted CSV line: reads the figures the
 * household tallies need straight from the text, without splitting the line
 * into field strings or building a PersonRecord. It accepts only rows that
 * are plainly valid in their usual spelling (exact field count, no spaces
 * around values, lower-case codes, ASCII ID number with a valid check
 * character); for anything else it says "not sure" and the caller takes the
 * full path (split + readPersonRow), which decides validity and names the
 * problem. So the fast path can never change what is reported, only how fast
 * the common row is read.
 *
 * Why: on the benchmark's million rows, splitting each line into 14 strings,
 * trimming them and building a record per row measured as about half of the
 * screening's CPU time, much of it in the garbage collector.
 */
import { DISABILITIES, PROGRAM_CODES, RELATIONS, STUDENT_KINDS } from "~/domain/eligibility";
import type { ColumnIndex } from "./columns";
import { MAX_AGE, MAX_AMOUNT_YUAN, MAX_KEY_LENGTH } from "./row";

/** Bits of FastRow.receiving. */
export const RECEIVING_ANY = 1;
export const RECEIVING_DIBAO = 2;
export const RECEIVING_TEKUN = 4;

/** Where a row's keys are in the line and the figures it adds to its household; reused for every line. */
export interface FastRow {
  hidStart: number;
  hidEnd: number;
  pidStart: number;
  pidEnd: number;
  idStart: number;
  age: number;
  canWork: boolean;
  severe: boolean;
  incomeFen: number;
  medicalFen: number;
  receiving: number;
}

export function newFastRow(): FastRow {
  return { hidStart: 0, hidEnd: 0, pidStart: 0, pidEnd: 0, idStart: 0, age: 0, canWork: false, severe: false, incomeFen: 0, medicalFen: 0, receiving: 0 };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DOT = 46;

/**
 * A column layout compiled from the header: the start/end of every field is
 * found once per line (one indexOf per comma), then each needed field is read
 * in place.
 */
export class FastRowReader {
  private readonly width: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly col: ColumnIndex;
  private readonly asOfNumber: number;

  constructor(index: ColumnIndex, width: number, asOfNumber: number) {
    this.col = index;
    this.width = width;
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.asOfNumber = asOfNumber;
  }

  /** Reads text[start, end) (one line, no line break, no quote) into `out`; false when the full path must decide. */
  read(text: string, start: number, end: number, out: FastRow): boolean {
    const width = this.width;
    const starts = this.starts;
    const ends = this.ends;
    let pos = start;
    for (let f = 0; f < width - 1; f++) {
      const c = text.indexOf(",", pos);
      if (c === -1 || c >= end) return false;
      starts[f] = pos;
      ends[f] = c;
      pos = c + 1;
    }
    if (text.indexOf(",", pos) !== -1 && text.indexOf(",", pos) < end) return false;
    starts[width - 1] = pos;
    ends[width - 1] = end;
    const col = this.col;

    let s = starts[col.household_id];
    let e = ends[col.household_id];
    if (!plainKey(text, s, e)) return false;
    out.hidStart = s;
    out.hidEnd = e;
    s = starts[col.person_id];
    e = ends[col.person_id];
    if (!plainKey(text, s, e)) return false;
    out.pidStart = s;
    out.pidEnd = e;

    s = starts[col.id_number];
    if (ends[col.id_number] - s !== 18 || !this.idNumberOk(text, s)) return false;
    out.idStart = s;

    if (!oneOf(text, starts[col.relation], ends[col.relation], RELATIONS)) return false;

    s = starts[col.age];
    e = ends[col.age];
    const age = smallInt(text, s, e);
    if (age < 0 || age > MAX_AGE) return false;
    out.age = age;

    const d = oneOfIndex(text, starts[col.disability], ends[col.disability], DISABILITIES);
    if (d < 0) return false;
    out.severe = DISABILITIES[d] === "severe";

    const cw = bool(text, starts[col.can_work], ends[col.can_work]);
    if (cw < 0) return false;
    out.canWork = cw === 1;
    if (bool(text, starts[col.employed], ends[col.employed]) < 0) return false;

    const income = fen(text, starts[col.monthly_income], ends[col.monthly_income]);
    if (income < 0) return false;
    out.incomeFen = income;

    if (!oneOf(text, starts[col.student], ends[col.student], STUDENT_KINDS)) return false;

    const medical = fen(text, starts[col.annual_medical_oop], ends[col.annual_medical_oop]);
    if (medical < 0) return false;
    out.medicalFen = medical;

    const r = receivingBits(text, starts[col.receiving], ends[col.receiving]);
    if (r < 0) return false;
    out.receiving = r;
    return true;
  }

  /** quickIdNumber on text[s, s+18) (see row.ts): digits, check character, a birth date on or before the screening date. */
  private idNumberOk(text: string, s: number): boolean {
    let sum = 0;
    let birth = 0;
    for (let i = 0; i < 17; i++) {
      const dg = text.charCodeAt(s + i) - 48;
      if (dg < 0 || dg > 9) return false;
      sum += dg * ID_WEIGHTS[i];
      if (i >= 6 && i < 14) birth = birth * 10 + dg;
    }
    const last = text.charCodeAt(s + 17);
    const check = ID_CHECK.charCodeAt(sum % 11);
    if (last !== check && !(check === 88 && last === 120)) return false;
    const year = Math.floor(birth / 10000);
    const month = Math.floor(birth / 100) % 100;
    const day = birth % 100;
    if (birth < 19000101 || birth > this.asOfNumber || month < 1 || month > 12 || day < 1) return false;
    if (day > DAYS_IN_MONTH[month]) return false;
    if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
    return true;
  }
}

/** A key as readPersonRow keeps it: not empty, at most MAX_KEY_LENGTH, and nothing trim() would remove (visible ASCII at both ends). */
function plainKey(text: string, s: number, e: number): boolean {
  if (e <= s || e - s > MAX_KEY_LENGTH) return false;
  const a = text.charCodeAt(s);
  const b = text.charCodeAt(e - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}

function oneOfIndex(text: string, s: number, e: number, values: readonly string[]): number {
  const len = e - s;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v.length === len && text.startsWith(v, s)) return i;
  }
  return -1;
}

function oneOf(text: string, s: number, e: number, values: readonly string[]): boolean {
  return oneOfIndex(text, s, e, values) >= 0;
}

/** 1 for "true", 0 for "false", -1 otherwise (other spellings go to the full path). */
function bool(text: string, s: number, e: number): number {
  const len = e - s;
  if (len === 4 && text.startsWith("true", s)) return 1;
  if (len === 5 && text.startsWith("false", s)) return 0;
  return -1;
}

/** 1 to 3 ASCII digits, else -1. */
function smallInt(text: string, s: number, e: number): number {
  const len = e - s;
  if (len < 1 || len > 3) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const dg = text.charCodeAt(i) - 48;
    if (dg < 0 || dg > 9) return -1;
    n = n * 10 + dg;
  }
  return n;
}

/** parseFen (row.ts) in place: 1–9 digits, optionally "." and 1–2 digits, within the limit; -1 otherwise. */
function fen(text: string, s: number, e: number): number {
  let i = s;
  let yuan = 0;
  while (i < e) {
    const dg = text.charCodeAt(i) - 48;
    if (dg < 0 || dg > 9) break;
    yuan = yuan * 10 + dg;
    i++;
  }
  const intDigits = i - s;
  if (intDigits < 1 || intDigits > 9) return -1;
  let frac = 0;
  if (i < e) {
    if (text.charCodeAt(i) !== DOT) return -1;
    const fracDigits = e - i - 1;
    if (fracDigits < 1 || fracDigits > 2) return -1;
    for (let k = i + 1; k < e; k++) {
      const dg = text.charCodeAt(k) - 48;
      if (dg < 0 || dg > 9) return -1;
      frac = frac * 10 + dg;
    }
    if (fracDigits === 1) frac *= 10;
  }
  if (yuan > MAX_AMOUNT_YUAN || (yuan === MAX_AMOUNT_YUAN && frac > 0)) return -1;
  return yuan * 100 + frac;
}

/** `;`-separated known codes written exactly; -1 when anything else is there (the full path decides). */
function receivingBits(text: string, s: number, e: number): number {
  if (e === s) return 0;
  let bits = 0;
  let p = s;
  while (p <= e) {
    let q = text.indexOf(";", p);
    if (q === -1 || q > e) q = e;
    if (q > p) {
      const k = oneOfIndex(text, p, q, PROGRAM_CODES);
      if (k < 0) return -1;
      const code = PROGRAM_CODES[k];
      bits |= RECEIVING_ANY;
      if (code === "dibao") bits |= RECEIVING_DIBAO;
      else if (code === "tekun") bits |= RECEIVING_TEKUN;
    }
    p = q + 1;
  }
  return bits;
}
