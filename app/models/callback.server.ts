// Call-back requests: the only code that reads or writes CallbackRequest.
// Every channel (web form, JSON API, check results, chat, SMS) queues through
// queueCallback, so validation, due times and references are the same everywhere.
import {
  applyAttempt,
  callbackDueAt,
  ATTEMPT_NOTE_MAX,
  characterCount,
  cleanText,
  QUEUE_PAGE_SIZE,
  type AttemptError,
  type AttemptOutcome,
  type QueueFilter,
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
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { queueText } from "~/services/outbox.server";
import { claimPick } from "~/services/sql-dialect.server";

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

/**
 * The context without the link to an application draft: a draft id opens the
 * draft like its cookie does, so it never leaves the server (the staff JSON
 * API, the caseworker's page data).
 */
/**
 * Context keys that only the service itself writes, and for which sources. A
 * call-back from the public API or the web form may carry any context: these
 * keys are dropped from it, so nobody outside can point a caseworker at a
 * draft (continue for them) or show them a made-up transcript or application.
 */
const SYSTEM_CONTEXT_KEYS: Readonly<Record<string, readonly string[]>> = {
  draftId: ["web_abandoned"],
  application: ["web_abandoned"],
  transcript: ["chat", "sms"],
  conversation: ["chat", "sms"],
};

/** The context with the system's own keys kept only where the system wrote them. */
export function trustedContext(source: string, context: unknown): Record<string, unknown> {
  if (typeof context !== "object" || context === null || Array.isArray(context)) return {};
  return Object.fromEntries(Object.entries(context as Record<string, unknown>).filter(([key]) => !(key in SYSTEM_CONTEXT_KEYS) || SYSTEM_CONTEXT_KEYS[key].includes(source)));
}

export function publicContext(context: unknown): unknown {
  if (typeof context !== "object" || context === null || Array.isArray(context) || !("draftId" in context)) return context;
  const { draftId: _secret, ...rest } = context as Record<string, unknown>;
  return rest;
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
    context: publicContext(parseContext(row.context)),
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

// --- the staff queue (issue 5) -------------------------------------------------

type Client = Db | Prisma.TransactionClient;

const OPEN_STATUSES = ["queued", "claimed"];

export interface QueueRow {
  reference: string;
  /** full number: the route masks it before it reaches a page */
  phone: string;
  language: string;
  source: string;
  status: string;
  dueAt: Date;
  priority: number;
  urgent: boolean;
  oldestAge: number | null;
  failedAttempts: number;
  flagged: boolean;
  claimedById: string | null;
}

export interface QueuePage {
  items: QueueRow[];
  total: number;
  page: number;
  pages: number;
}

// The queue's order is due time, then priority (highest first), then oldest
// first: the primary key stands in for "oldest" (ids begin with the time
// they were made: cuid), the same on SQLite and PostgreSQL. The rows are
// located by it ("r" below): reading createdAt as well would cost a table
// read per entry walked, the primary key only an index look-up per row
// shown. Open means two statuses: each is walked in due order from the
// index CallbackRequest(status, dueAt, priority) and the two walks are
// merged (UNION ALL … ORDER BY), so only entries up to the page are read;
// then only the page's 50 rows. (A plain ORDER BY over
// both statuses sorted all 20,000 entries on every look.)
//
// Early pages: one query, the database sorting each run of equal due times
// by priority as it goes. Deep pages (page 200 of 400): that per-run sort is
// most of the cost, so the walk reads due times alone, which the index gives
// in order. The page's rows are exactly those at its positions in due order,
// so its first and last due times bound it; the entries between those bounds
// are read and put in full order here, and the rows before the first bound
// are counted from the window just before the page (or, when a run of equal
// due times reaches past that window, by a count).
//
// Raw SQL (tagged templates, portable): the queue is a hot path, and typed
// Prisma calls cost more CPU than these queries.
const QUEUE_DIRECT_MAX_OFFSET = 1000;

function queueCondition(filter: QueueFilter, now: Date): Prisma.Sql {
  switch (filter) {
    case "overdue":
      return Prisma.sql` AND "dueAt" < ${now}`;
    case "flagged":
      return Prisma.sql` AND "flaggedAt" IS NOT NULL`;
    default:
      return Prisma.empty;
  }
}

interface QueueSqlRow {
  r: string;
  reference: string;
  phone: string;
  language: string;
  source: string;
  status: string;
  dueAt: Date | string;
  priority: number | bigint;
  urgent: boolean | number | bigint;
  oldestAge: number | bigint | null;
  failedAttempts: number | bigint;
  flaggedAt: Date | string | null;
  claimedById: string | null;
}

const QUEUE_COLUMNS = Prisma.sql`c."id" AS "r", c."reference", c."phone", c."language", c."source", c."status", c."dueAt", c."priority", c."urgent",
  c."oldestAge", c."failedAttempts", c."flaggedAt", c."claimedById"`;

function epochMs(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

/** The page's rows in queue order, for an offset past the early pages. */
async function deepQueuePage(db: Db, extra: Prisma.Sql, offset: number): Promise<QueueSqlRow[]> {
  const before = Math.min(offset, QUEUE_PAGE_SIZE);
  const window = await db.$queryRaw<Array<{ d: Date | string }>>`
    SELECT "dueAt" AS "d" FROM "CallbackRequest" WHERE "status" = 'queued'${extra}
    UNION ALL SELECT "dueAt" AS "d" FROM "CallbackRequest" WHERE "status" = 'claimed'${extra}
    ORDER BY "d" ASC LIMIT ${before + QUEUE_PAGE_SIZE} OFFSET ${offset - before}`;
  if (window.length <= before) return [];
  const due = window.map((w) => epochMs(w.d));
  const first = due[before];
  const last = due[due.length - 1];
  // Rows due before `first`: read off the window when the run of `first` starts inside it.
  const runStart = due.indexOf(first);
  let earlier = offset - before + runStart;
  if (runStart === 0 && offset - before > 0) {
    const counted = await db.$queryRaw<Array<{ n: number | bigint }>>`
      SELECT COUNT(*) AS "n" FROM "CallbackRequest" WHERE "status" IN ('queued', 'claimed')${extra} AND "dueAt" < ${new Date(first)}`;
    earlier = Number(counted[0]?.n ?? 0);
  }
  const span = await db.$queryRaw<Array<{ r: string; d: Date | string; p: number | bigint }>>`
    SELECT "id" AS "r", "dueAt" AS "d", "priority" AS "p" FROM "CallbackRequest"
    WHERE "status" IN ('queued', 'claimed')${extra} AND "dueAt" >= ${new Date(first)} AND "dueAt" <= ${new Date(last)}`;
  const ordered = span
    .map((e) => ({ r: e.r, d: epochMs(e.d), p: Number(e.p) }))
    .sort((x, y) => x.d - y.d || y.p - x.p || (x.r < y.r ? -1 : x.r > y.r ? 1 : 0));
  const from = Math.max(0, offset - earlier);
  const ids = ordered.slice(from, from + QUEUE_PAGE_SIZE).map((e) => e.r);
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<QueueSqlRow[]>`SELECT ${QUEUE_COLUMNS} FROM "CallbackRequest" AS c WHERE c."id" IN (${Prisma.join(ids)})`;
  const byId = new Map(rows.map((row) => [row.r, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One page (50) of the open queue: only the columns the list shows. */
export async function listQueue(db: Db, { filter, staffId, page }: { filter: QueueFilter; staffId: string; page: number }, now: Date = new Date()): Promise<QueuePage> {
  const extra = queueCondition(filter, now);
  const counted =
    filter === "mine"
      ? await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "CallbackRequest" WHERE "claimedById" = ${staffId} AND "status" = 'claimed'`
      : await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "CallbackRequest" WHERE "status" IN ('queued', 'claimed')${extra}`;
  const total = Number(counted[0]?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const offset = (current - 1) * QUEUE_PAGE_SIZE;
  let rows: QueueSqlRow[];
  if (filter !== "mine" && offset > QUEUE_DIRECT_MAX_OFFSET) {
    rows = await deepQueuePage(db, extra, offset);
  } else {
    const keys =
      filter === "mine"
        ? Prisma.sql`SELECT "id" AS "r", "dueAt" AS "d", "priority" AS "p" FROM "CallbackRequest" WHERE "claimedById" = ${staffId} AND "status" = 'claimed'
            ORDER BY "d" ASC, "p" DESC, "r" ASC LIMIT ${QUEUE_PAGE_SIZE} OFFSET ${offset}`
        : Prisma.sql`SELECT "id" AS "r", "dueAt" AS "d", "priority" AS "p" FROM "CallbackRequest" WHERE "status" = 'queued'${extra}
            UNION ALL SELECT "id" AS "r", "dueAt" AS "d", "priority" AS "p" FROM "CallbackRequest" WHERE "status" = 'claimed'${extra}
            ORDER BY "d" ASC, "p" DESC, "r" ASC LIMIT ${QUEUE_PAGE_SIZE} OFFSET ${offset}`;
    rows = await db.$queryRaw<QueueSqlRow[]>`
      SELECT ${QUEUE_COLUMNS} FROM (${keys}) AS s JOIN "CallbackRequest" AS c ON c."id" = s."r"
      ORDER BY s."d" ASC, s."p" DESC, s."r" ASC`;
  }
  return {
    items: rows.map((row) => ({
      reference: row.reference,
      phone: row.phone,
      language: row.language,
      source: row.source,
      status: row.status,
      dueAt: row.dueAt instanceof Date ? row.dueAt : new Date(row.dueAt),
      priority: Number(row.priority),
      urgent: Boolean(Number(row.urgent)),
      oldestAge: row.oldestAge === null ? null : Number(row.oldestAge),
      failedAttempts: Number(row.failedAttempts),
      flagged: row.flaggedAt !== null,
      claimedById: row.claimedById,
    })),
    total,
    page: current,
    pages,
  };
}

export type ClaimResult = { ok: true; reference: string } | { ok: false; reason: "none" | "taken" | "notFound" };

/** Who acts, for the audit entry written with the change (staffActor in the routes). */
export interface CallbackAuditor {
  actor: string;
  actorName: string;
}

const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/**
 * Runs a queue change and its audit entry in ONE transaction, so a crash (or
 * a failed audit write) between the two cannot leave a change without its
 * record: either both are written or neither. `entry` says what to record for
 * the change's result (null: nothing changed, nothing to record). Without
 * `who` (tests, scripts, a caller's own transaction) the change runs alone.
 * The change comes first and the audit append (which takes the chain's lock
 * on PostgreSQL) second, in every action, so locks are always taken in the
 * same order.
 */
async function changeWithAudit<T>(
  db: Client,
  who: CallbackAuditor | undefined,
  change: (tx: Client) => Promise<T>,
  entry: (result: T) => { action: string; subjectId: string; detail?: Record<string, unknown> } | null,
  now: Date,
): Promise<T> {
  if (!who) return change(db);
  if (typeof (db as Partial<Db>).$transaction !== "function") {
    // Already inside the caller's transaction: the entry commits with it.
    const result = await change(db);
    const e = entry(result);
    if (e) await recordAudit(db, { ...who, subjectType: "callback", ...e }, now);
    return result;
  }
  return (db as Db).$transaction(async (tx) => {
    const result = await change(tx);
    const e = entry(result);
    if (e) await recordAudit(tx, { ...who, subjectType: "callback", ...e }, now);
    return result;
  }, TRANSACTION_OPTIONS);
}

// Two caseworkers pressing "take the next" together, on one instance or two:
// each claim is ONE statement that picks the top queued item and marks it
// claimed (UPDATE … WHERE id IN (SELECT … LIMIT 1) … RETURNING, through
// claimPick), with the status checked again in the outer WHERE. On
// PostgreSQL the pick skips items another claim holds at that moment (FOR
// UPDATE SKIP LOCKED), so the second caseworker gets the next item at once;
// on SQLite the statement holds the one write lock, so the two claims run
// one after the other. An empty answer
// while items are still queued (on PostgreSQL, every one held by other
// claims) is tried again a few times. With `who`, the claim and its audit
// entry ("claim_callback", via next) commit together.
const CLAIM_TRIES = 5;

/** Claims the most urgent queued item for this caseworker. */
export async function claimNextCallback(db: Client, staffId: string, now: Date = new Date(), who?: CallbackAuditor): Promise<ClaimResult> {
  // One try per transaction: a try that finds every queued item held by other
  // claims (PostgreSQL) ends its transaction, and the next try sees them again
  // once those claims have committed or rolled back.
  for (let i = 0; i < CLAIM_TRIES; i++) {
    const result = await changeWithAudit(
      db,
      who,
      async (tx) => {
        const picked = claimPick(Prisma.sql`
          SELECT "id" FROM "CallbackRequest" WHERE "status" = 'queued'
          ORDER BY "dueAt" ASC, "priority" DESC, "createdAt" ASC, "id" ASC
          LIMIT 1`);
        const claimed = await tx.$queryRaw<Array<{ reference: string }>>`
          ${picked.prefix}UPDATE "CallbackRequest"
          SET "status" = 'claimed', "claimedById" = ${staffId}, "claimedAt" = ${now}, "updatedAt" = ${now}
          WHERE "id" IN ${picked.ids} AND "status" = 'queued'
          RETURNING "reference"`;
        if (claimed.length === 1) return { ok: true, reference: claimed[0].reference } as ClaimResult;
        const waiting = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "CallbackRequest" WHERE "status" = 'queued' LIMIT 1`;
        return { ok: false, reason: waiting.length === 0 ? "none" : "taken" } as ClaimResult;
      },
      (r) => (r.ok ? { action: "claim_callback", subjectId: r.reference, detail: { via: "next" } } : null),
      now,
    );
    if (result.ok || result.reason === "none") return result;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)));
  }
  return { ok: false, reason: "taken" };
}

/** Claims this item, only when it is still queued (nobody else has it). */
export async function claimCallback(db: Client, reference: string, staffId: string, now: Date = new Date(), who?: CallbackAuditor): Promise<ClaimResult> {
  return changeWithAudit(
    db,
    who,
    async (tx) => {
      const claimed = await tx.callbackRequest.updateMany({
        where: { reference, status: "queued" },
        data: { status: "claimed", claimedById: staffId, claimedAt: now },
      });
      if (claimed.count === 1) return { ok: true, reference } as ClaimResult;
      const exists = await tx.callbackRequest.findUnique({ where: { reference }, select: { id: true } });
      return { ok: false, reason: exists ? "taken" : "notFound" } as ClaimResult;
    },
    (r) => (r.ok ? { action: "claim_callback", subjectId: reference } : null),
    now,
  );
}

/** Gives the item back to the queue; only its claimer can (supervisors use putBackCallback). */
export async function releaseCallback(db: Client, reference: string, staffId: string, now: Date = new Date(), who?: CallbackAuditor): Promise<boolean> {
  return changeWithAudit(
    db,
    who,
    async (tx) => {
      const released = await tx.callbackRequest.updateMany({
        where: { reference, status: "claimed", claimedById: staffId },
        data: { status: "queued", claimedById: null, claimedAt: null },
      });
      return released.count === 1;
    },
    (ok) => (ok ? { action: "release_callback", subjectId: reference } : null),
    now,
  );
}

/** Marks the item done; only its claimer can. */
export async function completeCallback(db: Client, reference: string, staffId: string, now: Date = new Date(), linked?: { applicationReference: string }, who?: CallbackAuditor): Promise<boolean> {
  return changeWithAudit(
    db,
    who,
    async (tx) => {
      const row = await tx.callbackRequest.findUnique({ where: { reference }, select: { status: true, claimedById: true, context: true } });
      if (!row || row.status !== "claimed" || row.claimedById !== staffId) return false;
      const context = linked ? JSON.stringify({ ...asObject(parseContext(row.context)), applicationReference: linked.applicationReference }) : undefined;
      const done = await tx.callbackRequest.updateMany({
        where: { reference, status: "claimed", claimedById: staffId },
        data: { status: "done", completedAt: now, ...(context ? { context } : {}) },
      });
      return done.count === 1;
    },
    (ok) => (ok ? { action: "complete_callback", subjectId: reference } : null),
    now,
  );
}

// --- supervisors: put back, give to a caseworker --------------------------------

export type SuperviseResult =
  | { ok: true; changed: boolean; from: string | null }
  | { ok: false; reason: "notFound" | "closed" | "badAssignee" };

/** The accounts a supervisor may give an item to: live caseworkers and supervisors (those who work the queue). */
export const ASSIGNABLE_ROLES = ["caseworker", "supervisor"] as const;

export interface Assignee {
  id: string;
  displayName: string;
  username: string;
  role: string;
}

export function listAssignees(db: Client): Promise<Assignee[]> {
  return db.staffUser.findMany({
    where: { role: { in: [...ASSIGNABLE_ROLES] }, disabledAt: null },
    orderBy: [{ displayName: "asc" }, { username: "asc" }],
    select: { id: true, displayName: true, username: true, role: true },
  });
}

/**
 * A supervisor puts the item back in the queue, whoever holds it. The due
 * time, the failed calls and the supervisors' flag stay as they are: the flag
 * says "three calls failed, a supervisor should look", and putting the item
 * back does not change that; it leaves the flagged list only when the call-back
 * is done. A queued item stays queued (changed: false, nothing recorded).
 */
export async function putBackCallback(db: Client, reference: string, who: CallbackAuditor, now: Date = new Date()): Promise<SuperviseResult> {
  return changeWithAudit(
    db,
    who,
    async (tx): Promise<SuperviseResult> => {
      const row = await tx.callbackRequest.findUnique({ where: { reference }, select: { id: true, status: true, claimedById: true } });
      if (!row) return { ok: false, reason: "notFound" };
      if (row.status === "queued") return { ok: true, changed: false, from: null };
      if (row.status !== "claimed") return { ok: false, reason: "closed" };
      // The holder is checked again in the write: a change racing this one wins cleanly.
      const put = await tx.callbackRequest.updateMany({
        where: { id: row.id, status: "claimed", claimedById: row.claimedById },
        data: { status: "queued", claimedById: null, claimedAt: null, updatedAt: now },
      });
      return put.count === 1 ? { ok: true, changed: true, from: row.claimedById } : { ok: true, changed: false, from: null };
    },
    (r) => (r.ok && r.changed ? { action: "put_back_callback", subjectId: reference, detail: { from: r.from } } : null),
    now,
  );
}

/**
 * A supervisor gives the item to a caseworker (or supervisor): it becomes
 * theirs, whoever held it before. Only live accounts that work the queue; a
 * done or cancelled item cannot be given. The due time and the flag stay.
 */
export async function assignCallback(db: Client, reference: string, assigneeId: string, who: CallbackAuditor, now: Date = new Date()): Promise<SuperviseResult> {
  return changeWithAudit(
    db,
    who,
    async (tx): Promise<SuperviseResult> => {
      const assignee = await tx.staffUser.findUnique({ where: { id: assigneeId }, select: { role: true, disabledAt: true } });
      const row = await tx.callbackRequest.findUnique({ where: { reference }, select: { id: true, status: true, claimedById: true } });
      if (!row) return { ok: false, reason: "notFound" };
      if (row.status !== "queued" && row.status !== "claimed") return { ok: false, reason: "closed" };
      if (!assignee || assignee.disabledAt !== null || !(ASSIGNABLE_ROLES as readonly string[]).includes(assignee.role)) return { ok: false, reason: "badAssignee" };
      if (row.status === "claimed" && row.claimedById === assigneeId) return { ok: true, changed: false, from: assigneeId };
      const given = await tx.callbackRequest.updateMany({
        where: { id: row.id, status: row.status, claimedById: row.claimedById },
        data: { status: "claimed", claimedById: assigneeId, claimedAt: now, updatedAt: now },
      });
      return given.count === 1 ? { ok: true, changed: true, from: row.claimedById } : { ok: false, reason: "closed" };
    },
    (r) => (r.ok && r.changed ? { action: "assign_callback", subjectId: reference, detail: { from: r.from, to: assigneeId } } : null),
    now,
  );
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export interface CallbackAttemptView {
  outcome: AttemptOutcome;
  note: string | null;
  callAgainAt: Date | null;
  at: Date;
  staffUserId: string;
}

export interface CallbackDetail {
  id: string;
  reference: string;
  /** full number; the route shows it only to the caseworker who claimed the item */
  phone: string;
  name: string | null;
  language: CallbackLanguage;
  source: CallbackSource;
  reason: string | null;
  bestTime: string | null;
  /** the context without the draft link (see publicContext) */
  context: unknown;
  /** the application draft the context links, for "continue for them" only */
  draftId: string | null;
  urgent: boolean;
  oldestAge: number | null;
  status: CallbackStatus | "cancelled";
  dueAt: Date;
  createdAt: Date;
  claimedById: string | null;
  claimedByName: string | null;
  failedAttempts: number;
  flaggedAt: Date | null;
  completedAt: Date | null;
  attempts: CallbackAttemptView[];
}

/** One call-back with its attempts, for the caseworker's page. */
export async function findCallbackDetail(db: Db, reference: string): Promise<CallbackDetail | null> {
  const row = await db.callbackRequest.findUnique({
    where: { reference },
    include: { attempts: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { outcome: true, note: true, callAgainAt: true, at: true, staffUserId: true } } },
  });
  if (!row) return null;
  const context = trustedContext(row.source, parseContext(row.context));
  const draftId = context.draftId;
  const claimer = row.claimedById ? await db.staffUser.findUnique({ where: { id: row.claimedById }, select: { displayName: true } }) : null;
  return {
    id: row.id,
    reference: row.reference,
    phone: row.phone,
    name: row.name,
    language: row.language as CallbackLanguage,
    source: row.source as CallbackSource,
    reason: row.reason,
    bestTime: row.bestTime,
    context: publicContext(context),
    draftId: typeof draftId === "string" ? draftId : null,
    urgent: row.urgent,
    oldestAge: row.oldestAge,
    status: row.status as CallbackDetail["status"],
    dueAt: row.dueAt,
    createdAt: row.createdAt,
    claimedById: row.claimedById,
    claimedByName: claimer?.displayName ?? null,
    failedAttempts: row.failedAttempts,
    flaggedAt: row.flaggedAt,
    completedAt: row.completedAt,
    attempts: row.attempts.map((a) => ({ ...a, outcome: a.outcome as AttemptOutcome })),
  };
}

export type LogAttemptResult =
  | { ok: true; flagged: boolean; texted: boolean }
  | { ok: false; reason: "notClaimed" }
  | { ok: false; reason: "invalid"; errors: Partial<Record<"callAgainAt" | "note", AttemptError | "note.tooLong">> };

/** Words of the "we could not reach you" text (namespace "sms", key callbackUnreachable). */
export function unreachableText(language: CallbackLanguage, publicUrl: string): string {
  return fixedT(language, "sms")("callbackUnreachable", { publicUrl });
}

/**
 * Records a call by the caseworker holding the item, and what follows from it
 * (domain/callback/queue.ts applyAttempt), in one transaction: the third
 * failed call flags the item and queues the "we could not reach you" text.
 * With `who`, the audit entry is written in that same transaction.
 */
export async function logCallAttempt(
  db: Db,
  {
    reference,
    staffId,
    outcome,
    note,
    callAgainAt,
    publicUrl,
    who,
  }: { reference: string; staffId: string; outcome: AttemptOutcome; note?: string | null; callAgainAt?: Date | null; publicUrl: string; who?: CallbackAuditor },
  now: Date = new Date(),
): Promise<LogAttemptResult> {
  const cleanNote = cleanText(note ?? null, true);
  if (cleanNote !== null && characterCount(cleanNote) > ATTEMPT_NOTE_MAX) return { ok: false, reason: "invalid", errors: { note: "note.tooLong" } };
  return db.$transaction(async (tx) => {
    const row = await tx.callbackRequest.findUnique({
      where: { reference },
      select: { id: true, status: true, claimedById: true, urgent: true, oldestAge: true, failedAttempts: true, dueAt: true, flaggedAt: true, phone: true, language: true },
    });
    if (!row || row.status !== "claimed" || row.claimedById !== staffId) return { ok: false, reason: "notClaimed" } as const;
    const applied = applyAttempt(
      { status: "claimed", urgent: row.urgent, oldestAge: row.oldestAge, failedAttempts: row.failedAttempts, dueAt: row.dueAt, flagged: row.flaggedAt !== null },
      outcome,
      now,
      callAgainAt ?? null,
    );
    if (!applied.ok) return { ok: false, reason: "invalid", errors: { callAgainAt: applied.error } } as const;
    const effect = applied.effect;
    // The claim is checked again in the write: a release racing this call wins cleanly.
    const updated = await tx.callbackRequest.updateMany({
      where: { id: row.id, status: "claimed", claimedById: staffId, failedAttempts: row.failedAttempts },
      data: {
        status: effect.status,
        failedAttempts: effect.failedAttempts,
        priority: effect.priority,
        dueAt: effect.dueAt,
        ...(effect.keepClaim ? {} : { claimedById: null, claimedAt: null }),
        ...(effect.flag ? { flaggedAt: now } : {}),
      },
    });
    if (updated.count !== 1) return { ok: false, reason: "notClaimed" } as const;
    await tx.callAttempt.create({
      data: { callbackId: row.id, staffUserId: staffId, outcome, note: cleanNote, callAgainAt: outcome === "call_later" ? (callAgainAt ?? null) : null, at: now },
      select: { id: true },
    });
    let texted = false;
    if (effect.sendUnreachableText) {
      const language: CallbackLanguage = row.language === "en" ? "en" : "zh-CN";
      await queueText(tx, { to: row.phone, body: unreachableText(language, publicUrl), language, dedupeKey: `callback-unreachable:${reference}` });
      texted = true;
    }
    // With the change, in the same transaction: both commit or neither.
    if (who) {
      await recordAudit(tx, { ...who, action: "log_callback_attempt", subjectType: "callback", subjectId: reference, detail: { outcome, flagged: effect.flag, texted } }, now);
    }
    return { ok: true, flagged: effect.flag, texted } as const;
  }, TRANSACTION_OPTIONS);
}

/** Links an application draft to the call-back (context.draftId), for "continue for them". */
export async function linkDraftToCallback(db: Client, reference: string, draftId: string): Promise<void> {
  const row = await db.callbackRequest.findUnique({ where: { reference }, select: { context: true } });
  if (!row) return;
  await db.callbackRequest.update({ where: { reference }, data: { context: JSON.stringify({ ...asObject(parseContext(row.context)), draftId }) } });
}

/**
 * After an assisted application is submitted: the open call-backs linked to
 * that draft are done, with the application's reference in their context.
 * Returns the call-back references closed.
 */
export async function completeCallbacksForDraft(db: Client, draftId: string, applicationReference: string, now: Date = new Date()): Promise<string[]> {
  // The draft id is 32 hex characters, so this match cannot hit another draft's link.
  const rows = await db.callbackRequest.findMany({
    where: { status: { in: OPEN_STATUSES }, context: { contains: `"draftId":"${draftId}"` } },
    select: { id: true, reference: true, context: true },
  });
  for (const row of rows) {
    await db.callbackRequest.update({
      where: { id: row.id },
      data: { status: "done", completedAt: now, context: JSON.stringify({ ...asObject(parseContext(row.context)), applicationReference }) },
    });
  }
  return rows.map((r) => r.reference);
}

