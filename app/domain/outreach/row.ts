/**
 * One departmental person record: checks every field of a CSV row and turns
 * it into a typed PersonRecord, or says what is wrong as a problem code with
 * values (translated by the "outreach" namespace, key `row.<code>`).
 *
 * Problems never echo a name, an ID number, a phone number or an amount:
 * the CLI prints them on standard error, which ends up in logs.
 * Money is read as whole fen from its decimal text (at most 2 decimals), so
 * sums and comparisons are exact.
 */
import { DISABILITIES, PROGRAM_CODES, RELATIONS, STUDENT_KINDS } from "~/domain/eligibility";
import type { Disability, ProgramCode, Relation, StudentKind } from "~/domain/eligibility";
import { validateIdNumber } from "~/domain/identity";
import type { ColumnIndex } from "./columns";

/** Upper limit of monthly_income and annual_medical_oop, CNY (the household schema's income maximum). */
export const MAX_AMOUNT_YUAN = 100_000_000;
export const MAX_AGE = 130;
/** Longest household_id / person_id kept (database keys). */
export const MAX_KEY_LENGTH = 64;

export interface PersonRecord {
  householdId: string;
  personId: string;
  name: string;
  /** 18 characters, check character upper case */
  idNumber: string;
  /** as given (trimmed), may be empty; not checked here (a bad phone must not drop a member from the figures) */
  phone: string;
  relation: Relation;
  age: number;
  disability: Disability;
  canWork: boolean;
  employed: boolean;
  /** monthly_income in fen */
  incomeFen: number;
  student: StudentKind;
  /** annual_medical_oop in fen */
  medicalFen: number;
  receiving: ProgramCode[];
}

export type RowProblemCode =
  | "fieldCount"
  | "required"
  | "tooLong"
  | "idNumber"
  | "enum"
  | "integer"
  | "amount"
  | "boolean"
  | "receiving"
  | "duplicatePerson"
  | "quote"
  | "unclosedQuote";

export interface RowProblem {
  code: RowProblemCode;
  values: Record<string, string | number>;
}

export type RowResult =
  | { ok: true; person: PersonRecord }
  /** idNumber: the row's valid ID number when the problem came after it (so an opt-out still applies to the household) */
  | { ok: false; problem: RowProblem; householdId: string | null; idNumber?: string };

const RELATION_SET: ReadonlySet<string> = new Set(RELATIONS);
const DISABILITY_SET: ReadonlySet<string> = new Set(DISABILITIES);
const STUDENT_SET: ReadonlySet<string> = new Set(STUDENT_KINDS);
const PROGRAM_SET: ReadonlySet<string> = new Set(PROGRAM_CODES);

/** Shared by every row that receives nothing (most of them): one array fewer per row. */
const NOTHING_RECEIVED: ProgramCode[] = Object.freeze([]) as unknown as ProgramCode[];
const AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;
const AGE = /^\d{1,3}$/;

/** A short, safe echo of an unexpected code value (enum columns only). */
function echo(value: string): string {
  return value.length > 24 ? `${value.slice(0, 24)}…` : value;
}

/** "850.5" → 85050 fen; null when not a non-negative amount with at most 2 decimals within the limit. */
export function parseFen(text: string): number | null {
  const m = AMOUNT.exec(text);
  if (!m) return null;
  const frac = m[2] === undefined ? 0 : m[2].length === 1 ? Number(m[2]) * 10 : Number(m[2]);
  const yuan = Number(m[1]);
  if (yuan > MAX_AMOUNT_YUAN || (yuan === MAX_AMOUNT_YUAN && frac > 0)) return null;
  return yuan * 100 + frac;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432"; // GB 11643, as in ~/domain/identity

/**
 * The common case of validateIdNumber without its allocations: exactly 18
 * ASCII characters, valid. Returns the number (X upper case) or null, and
 * then validateIdNumber decides and names the error (full-width digits,
 * spaces...). A million rows made validateIdNumber's string cleaning a
 * measurable share of the screening; tests check both agree on any input.
 */
export function quickIdNumber(raw: string, asOfNumber: number): string | null {
  if (raw.length !== 18) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    sum += d * ID_WEIGHTS[i];
  }
  const last = raw.charCodeAt(17);
  const check = ID_CHECK.charCodeAt(sum % 11);
  if (last !== check && !(check === 88 && last === 120)) return null; // 88 "X", 120 "x"
  const birth = Number(raw.slice(6, 14));
  const year = Math.floor(birth / 10000);
  const month = Math.floor(birth / 100) % 100;
  const day = birth % 100;
  if (birth < 19000101 || birth > asOfNumber || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return last === 120 ? `${raw.slice(0, 17)}X` : raw;
}

/** "2026-06-01" → 20260601 */
export function dateNumber(isoDate: string): number {
  return Number(isoDate.replaceAll("-", ""));
}

function parseBoolean(text: string): boolean | null {
  const v = text.toLowerCase();
  return v === "true" ? true : v === "false" ? false : null;
}

/**
 * Validates one record against the header's column positions. `asOf` bounds
 * the birth dates in ID numbers (nobody is born after the screening date).
 */
let lastAsOf = "";
let lastAsOfNumber = 0;
function asOfNumber(asOf: string): number {
  if (asOf !== lastAsOf) {
    lastAsOf = asOf;
    lastAsOfNumber = dateNumber(asOf);
  }
  return lastAsOfNumber;
}

function fail(householdId: string | null, code: RowProblemCode, values: Record<string, string | number> = {}, idNumber?: string): RowResult {
  return idNumber === undefined ? { ok: false, problem: { code, values }, householdId } : { ok: false, problem: { code, values }, householdId, idNumber };
}

function field(fields: readonly string[], i: number): string {
  const v = fields[i];
  return v === undefined ? "" : v.trim();
}

export function readPersonRow(fields: readonly string[], index: ColumnIndex, width: number, asOf: string): RowResult {
  const hid = field(fields, index.household_id);
  const householdId = hid === "" || hid.length > MAX_KEY_LENGTH ? null : hid;

  if (fields.length !== width) return fail(householdId, "fieldCount", { expected: width, found: fields.length });
  if (hid === "") return fail(householdId, "required", { column: "household_id" });
  if (hid.length > MAX_KEY_LENGTH) return fail(householdId, "tooLong", { column: "household_id", max: MAX_KEY_LENGTH });
  const personId = field(fields, index.person_id);
  if (personId === "") return fail(householdId, "required", { column: "person_id" });
  if (personId.length > MAX_KEY_LENGTH) return fail(householdId, "tooLong", { column: "person_id", max: MAX_KEY_LENGTH });

  const idText = field(fields, index.id_number);
  let idNumber = quickIdNumber(idText, asOfNumber(asOf));
  if (idNumber === null) {
    const id = validateIdNumber(idText, { asOf });
    if (!id.ok) return fail(householdId, "idNumber", { column: "id_number", error: id.error.replace("idNumber.", "") });
    idNumber = id.value;
  }

  const relation = field(fields, index.relation).toLowerCase();
  if (!RELATION_SET.has(relation)) return fail(householdId, "enum", { column: "relation", value: echo(relation), allowed: RELATIONS.join(", ") }, idNumber);

  const ageText = field(fields, index.age);
  const age = AGE.test(ageText) ? Number(ageText) : -1;
  if (age < 0 || age > MAX_AGE) return fail(householdId, "integer", { column: "age", min: 0, max: MAX_AGE }, idNumber);

  const disability = field(fields, index.disability).toLowerCase();
  if (!DISABILITY_SET.has(disability)) return fail(householdId, "enum", { column: "disability", value: echo(disability), allowed: DISABILITIES.join(", ") }, idNumber);

  const canWork = parseBoolean(field(fields, index.can_work));
  if (canWork === null) return fail(householdId, "boolean", { column: "can_work" }, idNumber);
  const employed = parseBoolean(field(fields, index.employed));
  if (employed === null) return fail(householdId, "boolean", { column: "employed" }, idNumber);

  const incomeFen = parseFen(field(fields, index.monthly_income));
  if (incomeFen === null) return fail(householdId, "amount", { column: "monthly_income", max: MAX_AMOUNT_YUAN }, idNumber);

  const student = field(fields, index.student).toLowerCase();
  if (!STUDENT_SET.has(student)) return fail(householdId, "enum", { column: "student", value: echo(student), allowed: STUDENT_KINDS.join(", ") }, idNumber);

  const medicalFen = parseFen(field(fields, index.annual_medical_oop));
  if (medicalFen === null) return fail(householdId, "amount", { column: "annual_medical_oop", max: MAX_AMOUNT_YUAN }, idNumber);

  const receivingText = field(fields, index.receiving);
  let receiving: ProgramCode[] = NOTHING_RECEIVED;
  if (receivingText !== "") {
    receiving = [];
    for (const part of receivingText.split(";")) {
      const code = part.trim().toLowerCase();
      if (code === "") continue;
      if (!PROGRAM_SET.has(code)) return fail(householdId, "receiving", { column: "receiving", value: echo(code), allowed: PROGRAM_CODES.join(", ") }, idNumber);
      if (!receiving.includes(code as ProgramCode)) receiving.push(code as ProgramCode);
    }
  }

  return {
    ok: true,
    person: {
      householdId: hid,
      personId,
      name: field(fields, index.name),
      idNumber,
      phone: field(fields, index.phone),
      relation: relation as Relation,
      age,
      disability: disability as Disability,
      canWork,
      employed,
      incomeFen,
      student: student as StudentKind,
      medicalFen,
      receiving,
    },
  };
}
