// The plain reasons staff choose from, so a resident reads a sentence they
// understand (never a code or a caseworker's shorthand) and reports can count
// them. Words: namespace "cases" (reasons.<list>.<code>) for staff, and the
// decision letter's namespace "letter" for residents.

/** Why an application is not approved. */
export const CASE_REJECTION_REASONS = [
  "income_above_line",
  "assets_above_limit",
  "has_supporter",
  "not_resident",
  "information_not_given",
  "documents_not_genuine",
  "other",
] as const;
export type CaseRejectionReason = (typeof CASE_REJECTION_REASONS)[number];

/** Why one uploaded document is not accepted. */
export const DOCUMENT_REJECTION_REASONS = ["unreadable", "wrong_document", "incomplete", "expired", "wrong_person", "other"] as const;
export type DocumentRejectionReason = (typeof DOCUMENT_REJECTION_REASONS)[number];

/** Why staff close a case that was not decided (it becomes "withdrawn"). */
export const CLOSE_REASONS = ["resident_asked", "duplicate", "no_contact", "other"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Notes are short: they go on the timeline and, for documents, to the resident. */
export const NOTE_MAX = 300;

/** A resident may ask for a review (复核) of a decision within this many days of it. */
export const REVIEW_PERIOD_DAYS = 60;

function oneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

export const isCaseRejectionReason = (value: unknown): value is CaseRejectionReason => oneOf(CASE_REJECTION_REASONS, value);
export const isDocumentRejectionReason = (value: unknown): value is DocumentRejectionReason => oneOf(DOCUMENT_REJECTION_REASONS, value);
export const isCloseReason = (value: unknown): value is CloseReason => oneOf(CLOSE_REASONS, value);

/** The last day (YYYY-MM-DD, Asia/Shanghai) to ask for a review of a decision made at `decidedAt`. */
export function reviewDeadline(decidedAt: Date, days: number = REVIEW_PERIOD_DAYS): string {
  const shanghai = new Date(decidedAt.getTime() + 8 * 3600_000);
  shanghai.setUTCDate(shanghai.getUTCDate() + days);
  return shanghai.toISOString().slice(0, 10);
}

/** Distinct reasons from a form's values, in the list's order; unknown values are reported. */
export function pickReasons<T extends string>(list: readonly T[], values: readonly unknown[]): { reasons: T[]; unknown: boolean } {
  const unknown = values.some((v) => !oneOf(list, v));
  return { reasons: list.filter((code) => values.includes(code)), unknown };
}
