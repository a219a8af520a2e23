// Call-back requests: the only code that reads or writes CallbackRequest.
// Every channel (web form, JSON API, check results, chat, SMS) queues through
// queueCallback, so validation, due times and references are the same everywhere.
import {
  callbackDueAt,
  makeReference,
  maskPhone,
  REFERENCE_PREFIX,
  validateCallback,
  type CallbackErrors,
  type CallbackInput,
  type CallbackLanguage,
  type CallbackSource,
  type CallbackStatus,
} from "~/domain/callback";
import type { Db } from "~/services/db.server";

export type QueueCallbackInput = CallbackInput;

export type QueueCallbackResult = { ok: true; reference: string; dueAt: Date } | { ok: false; errors: CallbackErrors };

export interface QueueCallbackOptions {
  /** Public holidays / make-up working days ("YYYY-MM-DD") for the due time; see domain/callback/due.ts. */
  holidays?: readonly string[];
  workdays?: readonly string[];
  /** Tests force a reference collision with their own generator. */
  newReference?: () => string;
}

// With 29^7 possible references a clash is very unlikely; a few tries make it
// practically impossible without looping for ever on a broken generator.
const REFERENCE_ATTEMPTS = 5;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export async function queueCallback(
  db: Db,
  input: QueueCallbackInput,
  now: Date = new Date(),
  options: QueueCallbackOptions = {},
): Promise<QueueCallbackResult> {
  const validated = validateCallback(input);
  if (!validated.ok) return { ok: false, errors: validated.errors };
  const value = validated.value;
  const { dueAt, priority } = callbackDueAt(now, {
    urgent: value.urgent,
    oldestAge: value.oldestAge,
    holidays: options.holidays,
    workdays: options.workdays,
  });
  const newReference = options.newReference ?? (() => makeReference(REFERENCE_PREFIX.callback));

  for (let attempt = 1; ; attempt++) {
    const reference = newReference();
    try {
      await db.callbackRequest.create({
        data: {
          reference,
          phone: value.phone,
          name: value.name,
          language: value.language,
          source: value.source,
          reason: value.reason,
          bestTime: value.bestTime,
          context: value.context,
          urgent: value.urgent,
          oldestAge: value.oldestAge,
          priority,
          dueAt,
          createdAt: now,
        },
        select: { id: true },
      });
      return { ok: true, reference, dueAt };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= REFERENCE_ATTEMPTS) throw error;
    }
  }
}

export interface CallbackListItem {
  reference: string;
  /** Full E.164 number: staff need it to call. Never log it. */
  phone: string;
  name: string | null;
  language: CallbackLanguage;
  source: CallbackSource;
  reason: string | null;
  bestTime: string | null;
  context: unknown;
  urgent: boolean;
  oldestAge: number | null;
  priority: number;
  status: CallbackStatus;
  createdAt: Date;
  dueAt: Date;
}

const LIST_SELECT = {
  reference: true,
  phone: true,
  name: true,
  language: true,
  source: true,
  reason: true,
  bestTime: true,
  context: true,
  urgent: true,
  oldestAge: true,
  priority: true,
  status: true,
  createdAt: true,
  dueAt: true,
} as const;

function parseContext(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // Written by queueCallback as JSON, so only a hand-edited row lands here.
    return {};
  }
}

/** The queue for staff: soonest due first; among equal times, the most urgent first. */
export async function listCallbacks(db: Db, { status }: { status: CallbackStatus }): Promise<CallbackListItem[]> {
  const rows = await db.callbackRequest.findMany({
    where: { status },
    orderBy: [{ dueAt: "asc" }, { priority: "desc" }, { createdAt: "asc" }],
    select: LIST_SELECT,
  });
  return rows.map((row) => ({
    ...row,
    language: row.language as CallbackLanguage,
    source: row.source as CallbackSource,
    status: row.status as CallbackStatus,
    context: parseContext(row.context),
  }));
}

/**
 * What the confirmation page may show: the phone already masked (the page's
 * data is sent to the browser), never the name or the reason.
 */
export async function findCallbackConfirmation(db: Db, reference: string): Promise<{ reference: string; maskedPhone: string; dueAt: Date; createdAt: Date } | null> {
  const row = await db.callbackRequest.findUnique({ where: { reference }, select: { reference: true, phone: true, dueAt: true, createdAt: true } });
  return row ? { reference: row.reference, maskedPhone: maskPhone(row.phone), dueAt: row.dueAt, createdAt: row.createdAt } : null;
}
