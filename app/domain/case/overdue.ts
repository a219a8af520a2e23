// When a case is overdue, defined once for the case list, its filter and the
// dashboard: a case that is still waiting for a decision (submitted,
// screening, needs_information or manual_review) and was submitted more than
// OVERDUE_WORKING_DAYS working days ago. Working days are Monday to Friday in
// Asia/Shanghai; public holidays are not in the count (a real city adds its
// calendar here). The clock does not stop while we wait for the resident
// (needs_information): a case waiting a long time for a document needs a
// call, which is exactly what the overdue list is for. Defined on submittedAt
// only, so the filter is an indexed range (status, submittedAt).
import type { CaseStatus } from "./status";

export const OVERDUE_WORKING_DAYS = 10;

export const UNDECIDED_STATUSES: readonly CaseStatus[] = ["submitted", "screening", "needs_information", "manual_review"];

const DAY_MS = 24 * 3600_000;
const SHANGHAI_MS = 8 * 3600_000;

/**
 * The moment `days` working days before `now`: a case submitted before it is
 * overdue. Counted in whole Shanghai days: the same time of day, `days`
 * weekdays back (weekend days are skipped, not counted).
 */
export function overdueCutoff(now: Date, days: number = OVERDUE_WORKING_DAYS): Date {
  let at = now.getTime();
  let left = days;
  while (left > 0) {
    at -= DAY_MS;
    const weekday = new Date(at + SHANGHAI_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(at);
}

export function isOverdue(status: CaseStatus, submittedAt: Date, now: Date, days: number = OVERDUE_WORKING_DAYS): boolean {
  return UNDECIDED_STATUSES.includes(status) && submittedAt.getTime() < overdueCutoff(now, days).getTime();
}
