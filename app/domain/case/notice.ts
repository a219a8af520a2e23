// The public notice (公示): an approved case is listed publicly for
// NOTICE_DAYS days (rule book, "Privacy on the public notice list") before its
// help starts, and anyone may object. Pure rules, no I/O: the period, when a
// case may become active, reading the objection form and a supervisor's
// decision, and a small fixed-window counter for per-IP limits.
//
// Status words mention the period through the i18next default variable
// {{noticeDays}} (app/i18n.ts), so no locale string hard-codes "7".

export const NOTICE_DAYS = 7;
export const NOTICE_PERIOD_MS = NOTICE_DAYS * 24 * 3600_000;
/** Rows on one page of /notice. */
export const NOTICE_PAGE_SIZE = 50;
/** Characters, after trimming. */
export const OBJECTION_REASON_MAX = 1000;
export const OBJECTION_CONTACT_MAX = 100;
export const OBJECTION_NOTE_MAX = 1000;

export const OBJECTION_STATUSES = ["open", "upheld", "dismissed"] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export function isObjectionStatus(value: unknown): value is ObjectionStatus {
  return typeof value === "string" && (OBJECTION_STATUSES as readonly string[]).includes(value);
}

/** When a notice that starts at `start` ends. */
export function noticeEnd(start: Date): Date {
  return new Date(start.getTime() + NOTICE_PERIOD_MS);
}

export interface NoticeCaseState {
  status: string;
  noticeEndsAt: Date | null;
  /** objections not decided yet (a supervisor must decide them first) */
  openObjections: number;
  /** objections upheld during this notice period */
  upheldObjections: number;
}

/** A case's help starts when its notice period is over and nobody's objection is open or upheld. */
export function readyToActivate(state: NoticeCaseState, now: Date): boolean {
  return (
    state.status === "public_notice" &&
    state.noticeEndsAt !== null &&
    state.noticeEndsAt.getTime() <= now.getTime() &&
    state.openObjections === 0 &&
    state.upheldObjections === 0
  );
}

/** True while the case is on the public list (and objections are taken). */
export function onNotice(state: Pick<NoticeCaseState, "status" | "noticeEndsAt">, now: Date): boolean {
  return state.status === "public_notice" && state.noticeEndsAt !== null && state.noticeEndsAt.getTime() > now.getTime();
}

function tidy(raw: unknown): string {
  // Line ends kept (a reason may have paragraphs), other control characters dropped.
  // eslint-disable-next-line no-control-regex
  return typeof raw === "string" ? raw.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "").trim() : "";
}

const length = (s: string) => Array.from(s).length;

export type ObjectionForm =
  | { ok: true; reason: string; contact: string | null }
  | { ok: false; errors: Record<string, string>; values: { reason: string; contact: string } };

/** The public objection form: a reason (required) and how to reach the sender (optional, any text). Errors are locale keys. */
export function readObjectionForm(form: { reason?: unknown; contact?: unknown }): ObjectionForm {
  const reason = tidy(form.reason);
  const contact = tidy(form.contact).replace(/\s+/g, " ");
  const errors: Record<string, string> = {};
  if (reason === "") errors.reason = "notice:objection.errors.reasonRequired";
  else if (length(reason) > OBJECTION_REASON_MAX) errors.reason = "notice:objection.errors.reasonTooLong";
  if (length(contact) > OBJECTION_CONTACT_MAX) errors.contact = "notice:objection.errors.contactTooLong";
  if (Object.keys(errors).length > 0) return { ok: false, errors, values: { reason, contact } };
  return { ok: true, reason, contact: contact === "" ? null : contact };
}

export type ObjectionDecisionForm =
  | { ok: true; outcome: "upheld" | "dismissed"; note: string }
  | { ok: false; errors: Record<string, string> };

/** A supervisor's decision: uphold needs a reason, dismiss a note (each kept on the objection and the timeline). */
export function readObjectionDecision(form: { decision?: unknown; note?: unknown }): ObjectionDecisionForm {
  const errors: Record<string, string> = {};
  const outcome = form.decision === "uphold" ? "upheld" : form.decision === "dismiss" ? "dismissed" : null;
  const note = tidy(form.note);
  if (!outcome) errors.decision = "notice:staff.errors.decisionRequired";
  if (note === "") errors.note = outcome === "dismissed" ? "notice:staff.errors.noteRequired" : "notice:staff.errors.reasonRequired";
  else if (length(note) > OBJECTION_NOTE_MAX) errors.note = "notice:staff.errors.noteTooLong";
  if (!outcome || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, outcome, note };
}
