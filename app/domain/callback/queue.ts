// The staff call-back queue as pure rules: how urgent an item is, what a
// logged call does to it (the three-failed-calls rule), and which items a
// list filter shows. No I/O and no clock: callers pass `now`.
//
// The queue is read sorted by due time, then priority (the index
// CallbackRequest(status, dueAt, priority)), so anything overdue is on top
// by construction; priority breaks ties and orders items due together.
import { isElderly } from "./due";

export const ATTEMPT_OUTCOMES = ["reached", "no_answer", "wrong_number", "call_later"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const QUEUE_FILTERS = ["all", "mine", "overdue", "flagged"] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** Calls that did not reach the person before a text goes out and supervisors are told. */
export const FAILED_ATTEMPTS_LIMIT = 3;
export const QUEUE_PAGE_SIZE = 50;
/** A note on a call: enough for what was said, small enough to keep rows cheap. */
export const ATTEMPT_NOTE_MAX = 500;
/** "Call later" may not be further away than this (a call-back is not a diary). */
export const CALL_LATER_MAX_DAYS = 30;

export function isAttemptOutcome(value: unknown): value is AttemptOutcome {
  return typeof value === "string" && (ATTEMPT_OUTCOMES as readonly string[]).includes(value);
}

export function isQueueFilter(value: unknown): value is QueueFilter {
  return typeof value === "string" && (QUEUE_FILTERS as readonly string[]).includes(value);
}

/** A call that did not get through to the person. */
export function isFailedOutcome(outcome: AttemptOutcome): boolean {
  return outcome === "no_answer" || outcome === "wrong_number";
}

export interface PriorityFactors {
  urgent: boolean;
  oldestAge: number | null;
  failedAttempts: number;
}

/**
 * Higher is more urgent. The scale of due.ts (urgent need 2, someone 70 or
 * older 1, so the value stored when a request is queued stays right), plus 1
 * for each call that did not get through (up to the limit), so a person we
 * keep missing moves up among items due at the same time.
 */
export function queuePriority({ urgent, oldestAge, failedAttempts }: PriorityFactors): number {
  return (urgent ? 2 : 0) + (isElderly(oldestAge) ? 1 : 0) + Math.min(Math.max(failedAttempts, 0), FAILED_ATTEMPTS_LIMIT);
}

export interface QueueOrderItem {
  dueAt: Date;
  priority: number;
  createdAt: Date;
}

/** The queue's order (the same as the database's ORDER BY): due first, then most urgent, then oldest request. */
export function compareQueueItems(a: QueueOrderItem, b: QueueOrderItem): number {
  return a.dueAt.getTime() - b.dueAt.getTime() || b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime();
}

export function isOverdue(dueAt: Date, now: Date): boolean {
  return dueAt.getTime() < now.getTime();
}

export interface AttemptState {
  status: "queued" | "claimed";
  urgent: boolean;
  oldestAge: number | null;
  failedAttempts: number;
  dueAt: Date;
  flagged: boolean;
}

export interface AttemptEffect {
  /** reached: still with the caseworker (they carry on or mark it done); otherwise back in the queue */
  status: "queued" | "claimed";
  keepClaim: boolean;
  failedAttempts: number;
  priority: number;
  dueAt: Date;
  /** this call made it the third failed one: flag it for supervisors */
  flag: boolean;
  /** text the resident that we could not reach them (once, at the limit) */
  sendUnreachableText: boolean;
}

export type AttemptError = "callAgainAt.required" | "callAgainAt.past" | "callAgainAt.tooFar";

/**
 * What logging a call does to the item. "Call later" needs the new time (in
 * the future, within 30 days) and moves the due time there; a failed call
 * puts the item back in the queue for the next person, and the third one
 * flags it and texts the resident.
 */
export function applyAttempt(
  state: AttemptState,
  outcome: AttemptOutcome,
  now: Date,
  callAgainAt: Date | null = null,
): { ok: true; effect: AttemptEffect } | { ok: false; error: AttemptError } {
  const failed = isFailedOutcome(outcome);
  const failedAttempts = state.failedAttempts + (failed ? 1 : 0);
  const priority = queuePriority({ urgent: state.urgent, oldestAge: state.oldestAge, failedAttempts });
  const reachedLimit = failed && failedAttempts >= FAILED_ATTEMPTS_LIMIT;
  const flag = reachedLimit && !state.flagged;
  const sendUnreachableText = failed && failedAttempts === FAILED_ATTEMPTS_LIMIT;
  if (outcome === "call_later") {
    if (!callAgainAt) return { ok: false, error: "callAgainAt.required" };
    if (callAgainAt.getTime() <= now.getTime()) return { ok: false, error: "callAgainAt.past" };
    if (callAgainAt.getTime() > now.getTime() + CALL_LATER_MAX_DAYS * 24 * 60 * 60 * 1000) return { ok: false, error: "callAgainAt.tooFar" };
    return { ok: true, effect: { status: "queued", keepClaim: false, failedAttempts, priority, dueAt: callAgainAt, flag: false, sendUnreachableText: false } };
  }
  if (outcome === "reached") {
    return { ok: true, effect: { status: "claimed", keepClaim: true, failedAttempts, priority, dueAt: state.dueAt, flag: false, sendUnreachableText: false } };
  }
  return { ok: true, effect: { status: "queued", keepClaim: false, failedAttempts, priority, dueAt: state.dueAt, flag, sendUnreachableText } };
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * "Call later" as typed in a date field ("2026-03-02", "2026/3/2",
 * "2026年3月2日") and a time field ("14:30"), read on the Asia/Shanghai clock;
 * null when either is missing or not a real date/time. Plain text fields, not
 * type="date": they behave the same in every browser and with the keyboard.
 */
export function parseShanghaiDateTime(date: string, time: string): Date | null {
  const d = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(date.trim().replace(/\s+/g, ""));
  const t = /^(\d{1,2})[:：](\d{2})$/.exec(time.trim());
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(utc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/** Start and end of the Asia/Shanghai day containing `now` (for "due today"). */
export function shanghaiDayBounds(now: Date): { start: Date; end: Date } {
  const shifted = now.getTime() + SHANGHAI_OFFSET_MS;
  const startShifted = shifted - (shifted % (24 * 60 * 60 * 1000));
  return { start: new Date(startShifted - SHANGHAI_OFFSET_MS), end: new Date(startShifted - SHANGHAI_OFFSET_MS + 24 * 60 * 60 * 1000) };
}

/** The median of a list of numbers (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
