// The life of an application (a "case") as a state machine: which status may
// follow which, so the web journey, the partner API, the staff console and the
// bot all move a case the same way and a CaseEvent never records a jump the
// rules do not allow. Words for each status are in namespace "case":
// status.<s>.title (short), .meaning (what it means), .next (what happens next).
//
//   submitted → screening → manual_review → approved → public_notice → active
//                    │  ↑↓         ↑↓  │                    │
//                    │ needs_information│                   └→ manual_review (an objection was upheld)
//                    └──────→ rejected ←┘
//   any status that is not final → withdrawn (the resident stops the application)
//
// Final statuses, from which nothing moves: rejected, withdrawn, active. A
// rejected resident applies again (a new case); a case that is active ends
// through review processes outside this journey.

export const CASE_STATUSES = [
  "submitted",
  "screening",
  "needs_information",
  "manual_review",
  "approved",
  "public_notice",
  "active",
  "rejected",
  "withdrawn",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const FINAL_STATUSES: readonly CaseStatus[] = ["rejected", "withdrawn", "active"];

/** Moves other than withdrawing, which any status that is not final allows. */
const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  submitted: ["screening"],
  screening: ["needs_information", "manual_review", "rejected"],
  // When the missing information arrives the case goes back to whoever asked.
  needs_information: ["screening", "manual_review"],
  manual_review: ["approved", "rejected", "needs_information"],
  approved: ["public_notice"],
  // An objection during the public notice that is upheld sends it back to review.
  public_notice: ["active", "manual_review"],
  active: [],
  rejected: [],
  withdrawn: [],
};

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === "string" && (CASE_STATUSES as readonly string[]).includes(value);
}

export function isFinal(status: CaseStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Every status a case in `from` may move to, withdrawn last when allowed. */
export function nextStatuses(from: CaseStatus): CaseStatus[] {
  if (!isCaseStatus(from) || isFinal(from)) return [];
  return [...NEXT[from], "withdrawn"];
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return isCaseStatus(to) && nextStatuses(from).includes(to);
}

/** The resident may withdraw at any point until the case is decided for good. */
export function canWithdraw(status: CaseStatus): boolean {
  return canTransition(status, "withdrawn");
}

/** Thrown by assertTransition; routes answer it with 409 (a stale page or a double click), never 500. */
export class CaseTransitionError extends Error {
  readonly code = "case.invalidTransition";
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`A case cannot move from "${from}" to "${to}"`);
    this.name = "CaseTransitionError";
  }
}

export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) throw new CaseTransitionError(from, to);
}

/** The key of one of a status's three plain-language texts in namespace "case". */
export function statusKey(status: CaseStatus, part: "title" | "meaning" | "next"): string {
  return `status.${status}.${part}`;
}

// Named with the statuses in the brief of this module; they live in their own files.
export { CHANNELS, isChannel, type Channel } from "./channel";
export { EVIDENCE_TYPES, isEvidenceType, type EvidenceType } from "../evidence/types";
