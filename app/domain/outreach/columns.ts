/**
 * The departmental person-record file of the rule book's "Proactive
 * identification": its columns and the header check. Columns may come in any
 * order; each must appear exactly once, and extra columns are ignored.
 */
export const COLUMNS = [
  "household_id",
  "person_id",
  "name",
  "id_number",
  "phone",
  "relation",
  "age",
  "disability",
  "can_work",
  "employed",
  "monthly_income",
  "student",
  "annual_medical_oop",
  "receiving",
] as const;

export type Column = (typeof COLUMNS)[number];

/** Where each column is in a record. */
export type ColumnIndex = Readonly<Record<Column, number>>;

export type HeaderResult =
  | { ok: true; index: ColumnIndex; width: number }
  | { ok: false; missing: Column[]; duplicated: string[] };

/** Reads the header row (names trimmed, case-insensitive, a UTF-8 BOM already removed). */
export function readHeader(fields: readonly string[]): HeaderResult {
  const seen = new Map<string, number>();
  const duplicated: string[] = [];
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (seen.has(name)) duplicated.push(name);
    else seen.set(name, i);
  });
  const missing = COLUMNS.filter((c) => !seen.has(c));
  const dupOfKnown = duplicated.filter((d) => (COLUMNS as readonly string[]).includes(d));
  if (missing.length || dupOfKnown.length) return { ok: false, missing, duplicated: dupOfKnown };
  const index = Object.fromEntries(COLUMNS.map((c) => [c, seen.get(c)!])) as Record<Column, number>;
  return { ok: true, index, width: fields.length };
}
