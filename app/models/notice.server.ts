// The public notice (公示) and its objections: the rows /notice shows, an
// objection sent by anyone, the supervisor's list and decision, and the sweep
// that starts the help of cases whose notice ended with nothing against them.
//
// Privacy (rule book, "Privacy on the public notice list"): the public rows
// are built here from only the fields the rule book allows; the full name is
// masked before it leaves this module and no ID number, phone, address or
// reference is read for them. A public row is named by the application's
// internal id, which says nothing about the person.
import { isCaseStatus, type CaseStatus } from "~/domain/case";
import { isDistrict, type District } from "~/domain/case/districts";
import { maskNoticeName } from "~/domain/case/masking";
import {
  isObjectionStatus,
  NOTICE_PAGE_SIZE,
  onNotice,
  readyToActivate,
  type ObjectionStatus,
} from "~/domain/case/notice";
import { PROGRAM_CODES, type ProgramCode } from "~/domain/eligibility";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { forUpdate } from "~/services/sql-dialect.server";
import { changeStatus, parseJson } from "./application.server";
import type { CaseDecision } from "./case-review.server";

type Tx = Prisma.TransactionClient;

const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;
/** Ids are cuids (or UUIDs for raw-written rows): anything longer or odder is not one. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

// ---------------------------------------------------------------- public rows

/** One row of the public list: only what the rule book allows. */
export interface NoticeRow {
  /** the application's internal id (for the objection link), never the reference */
  id: string;
  /** 张*丰 */
  maskedName: string;
  district: District | null;
  /** programmes granted, in rule-book order */
  programs: ProgramCode[];
  householdSize: number;
  /** month amounts plus a twelfth of year amounts, in fen (0: one-off help only) */
  monthlyFen: number;
  noticeEndsAt: Date;
}

const PUBLIC_SELECT = { id: true, applicantName: true, district: true, household: true, decision: true, noticeEndsAt: true } as const;

function publicRow(row: { id: string; applicantName: string; district: string | null; household: string; decision: string | null; noticeEndsAt: Date | null }): NoticeRow {
  const decision = parseJson<CaseDecision | null>(row.decision, null);
  const household = parseJson<{ members?: unknown[] }>(row.household, {});
  const granted = new Set<string>((decision?.amounts ?? []).map((a) => a.program));
  const programs = PROGRAM_CODES.filter((p) => granted.has(p));
  return {
    id: row.id,
    maskedName: maskNoticeName(row.applicantName),
    district: isDistrict(row.district) ? row.district : null,
    programs,
    householdSize: Array.isArray(household.members) ? household.members.length : 0,
    monthlyFen: typeof decision?.monthlyTotalFen === "number" ? decision.monthlyTotalFen : 0,
    noticeEndsAt: row.noticeEndsAt ?? new Date(0),
  };
}

export interface NoticePage {
  rows: NoticeRow[];
  page: number;
  hasNext: boolean;
}

/**
 * The cases on public notice now, newest first (latest end first: every
 * notice lasts the same), NOTICE_PAGE_SIZE a page, through the
 * (status, noticeEndsAt) index; one row more than a page tells whether there
 * is a next.
 */
export async function listNoticeCases(db: Db, { district, page }: { district?: District | null; page: number }, now: Date = new Date()): Promise<NoticePage> {
  const safePage = Math.max(1, Math.min(10_000, Math.floor(Number.isFinite(page) ? page : 1)));
  const rows = await db.application.findMany({
    where: { status: "public_notice", noticeEndsAt: { gt: now }, ...(district ? { district } : {}) },
    orderBy: { noticeEndsAt: "desc" },
    skip: (safePage - 1) * NOTICE_PAGE_SIZE,
    take: NOTICE_PAGE_SIZE + 1,
    select: PUBLIC_SELECT,
  });
  return { rows: rows.slice(0, NOTICE_PAGE_SIZE).map(publicRow), page: safePage, hasNext: rows.length > NOTICE_PAGE_SIZE };
}

/** One case on public notice now, as its public row; null when there is none (or its notice ended). */
export async function findNoticeCase(db: Db, id: string, now: Date = new Date()): Promise<NoticeRow | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.application.findUnique({ where: { id }, select: { ...PUBLIC_SELECT, status: true } });
  if (!row || !onNotice(row, now)) return null;
  return publicRow(row);
}

// ---------------------------------------------------------------- objections

export type FileObjectionResult = { ok: true; id: string } | { ok: false; error: "notOnNotice" };

/** Stores an objection to a case while it is on notice; the case's help then waits for a supervisor. */
export async function fileObjection(
  db: Db,
  { applicationId, reason, contact }: { applicationId: string; reason: string; contact: string | null },
  now: Date = new Date(),
): Promise<FileObjectionResult> {
  if (!ID_PATTERN.test(applicationId)) return { ok: false, error: "notOnNotice" };
  return db.$transaction(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: applicationId }, select: { id: true, status: true, noticeEndsAt: true } });
    if (!app || !onNotice(app, now)) return { ok: false as const, error: "notOnNotice" as const };
    const objection = await tx.noticeObjection.create({ data: { applicationId: app.id, reason, contact, createdAt: now }, select: { id: true } });
    await tx.caseEvent.create({
      data: { applicationId: app.id, type: "objection_received", actor: "public", at: now, detail: JSON.stringify({ objectionId: objection.id }) },
      select: { id: true },
    });
    return { ok: true as const, id: objection.id };
  }, TRANSACTION_OPTIONS);
}

export interface OpenObjectionRow {
  id: string;
  createdAt: Date;
  /** the first characters of the reason, for the list */
  excerpt: string;
  reference: string;
  caseStatus: CaseStatus;
  noticeEndsAt: Date | null;
}

export const OBJECTIONS_PER_PAGE = 50;
const EXCERPT_CHARS = 80;

function excerpt(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, " "));
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join("")}…` : chars.join("");
}

/** Open objections, oldest first (the (status, createdAt) index), for supervisors. */
export async function listOpenObjections(db: Db, page = 1): Promise<{ rows: OpenObjectionRow[]; page: number; hasNext: boolean }> {
  const safePage = Math.max(1, Math.min(10_000, Math.floor(Number.isFinite(page) ? page : 1)));
  const rows = await db.noticeObjection.findMany({
    where: { status: "open" },
    orderBy: { createdAt: "asc" },
    skip: (safePage - 1) * OBJECTIONS_PER_PAGE,
    take: OBJECTIONS_PER_PAGE + 1,
    select: { id: true, createdAt: true, reason: true, application: { select: { reference: true, status: true, noticeEndsAt: true } } },
  });
  return {
    rows: rows.slice(0, OBJECTIONS_PER_PAGE).map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      excerpt: excerpt(r.reason),
      reference: r.application.reference,
      caseStatus: isCaseStatus(r.application.status) ? r.application.status : "submitted",
      noticeEndsAt: r.application.noticeEndsAt,
    })),
    page: safePage,
    hasNext: rows.length > OBJECTIONS_PER_PAGE,
  };
}

export interface ObjectionForReview {
  id: string;
  status: ObjectionStatus;
  reason: string;
  contact: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedByName: string | null;
  decisionNote: string | null;
  /** the public row's facts, with the reference and status staff need; noticeEndsAt null when the case was never on notice */
  case: Omit<NoticeRow, "noticeEndsAt"> & { reference: string; status: CaseStatus; noticeEndsAt: Date | null };
}

/** One objection with the case's public summary and reference, for a supervisor; null when there is none. */
export async function getObjection(db: Db, id: string): Promise<ObjectionForReview | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.noticeObjection.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      reason: true,
      contact: true,
      createdAt: true,
      decidedAt: true,
      decidedById: true,
      decisionNote: true,
      application: { select: { ...PUBLIC_SELECT, reference: true, status: true } },
    },
  });
  if (!row) return null;
  const decidedBy = row.decidedById ? await db.staffUser.findUnique({ where: { id: row.decidedById }, select: { displayName: true } }) : null;
  const app = row.application;
  return {
    id: row.id,
    status: isObjectionStatus(row.status) ? row.status : "open",
    reason: row.reason,
    contact: row.contact,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    decidedByName: decidedBy?.displayName ?? null,
    decisionNote: row.decisionNote,
    case: { ...publicRow(app), reference: app.reference, status: isCaseStatus(app.status) ? app.status : "submitted", noticeEndsAt: app.noticeEndsAt },
  };
}

export type DecideObjectionResult =
  | { ok: true }
  | { ok: false; error: "notFound" }
  | { ok: false; error: "alreadyDecided" }
  | { ok: false; error: "notOnNotice"; status: CaseStatus };

class Refused extends Error {
  constructor(readonly result: Exclude<DecideObjectionResult, { ok: true }>) {
    super(result.error);
  }
}

/**
 * A supervisor's decision on an open objection, with its reason or note.
 * Upheld: the case goes back from public_notice to manual_review (a timeline
 * event with the reason, a text to the resident); only possible while the
 * case is on notice. Dismissed: a timeline event; once the notice has ended
 * and nothing else is open, the next sweep starts the help. The decision, the
 * case's move and the audit entry (ids only) commit together.
 */
export async function decideObjection(
  db: Db,
  { id, outcome, note, who }: { id: string; outcome: "upheld" | "dismissed"; note: string; who: { staffId: string; actor: string; actorName: string } },
  now: Date = new Date(),
): Promise<DecideObjectionResult> {
  if (!ID_PATTERN.test(id)) return { ok: false, error: "notFound" };
  try {
    return await db.$transaction(async (tx) => {
      const objection = await tx.noticeObjection.findUnique({
        where: { id },
        select: { id: true, status: true, applicationId: true, application: { select: { reference: true, status: true } } },
      });
      if (!objection) throw new Refused({ ok: false, error: "notFound" });
      if (objection.status !== "open") throw new Refused({ ok: false, error: "alreadyDecided" });
      const caseStatus: CaseStatus = isCaseStatus(objection.application.status) ? objection.application.status : "submitted";
      if (outcome === "upheld" && caseStatus !== "public_notice") throw new Refused({ ok: false, error: "notOnNotice", status: caseStatus });
      const { count } = await tx.noticeObjection.updateMany({
        where: { id, status: "open" },
        data: { status: outcome, decidedById: who.staffId, decidedAt: now, decisionNote: note },
      });
      if (count !== 1) throw new Refused({ ok: false, error: "alreadyDecided" });
      const reference = objection.application.reference;
      if (outcome === "upheld") {
        const moved = await changeStatus(tx, { reference, to: "manual_review", actor: who.actor, detail: { objectionId: id, note } }, now);
        if (!moved.ok) throw new Refused({ ok: false, error: "notOnNotice", status: "from" in moved ? moved.from : caseStatus });
      } else {
        await tx.caseEvent.create({
          data: { applicationId: objection.applicationId, type: "objection_dismissed", actor: who.actor, at: now, detail: JSON.stringify({ objectionId: id, note }) },
          select: { id: true },
        });
      }
      await recordAudit(
        tx,
        {
          actor: who.actor,
          actorName: who.actorName,
          action: outcome === "upheld" ? "uphold_objection" : "dismiss_objection",
          subjectType: "notice_objection",
          subjectId: id,
          detail: { reference, caseStatus },
        },
        now,
      );
      return { ok: true as const };
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/** Records a supervisor's look at an objection (its reason and contact are personal data). */
export async function auditObjectionView(db: Db, { actor, actorName, id }: { actor: string; actorName: string; id: string }): Promise<void> {
  await recordAudit(db, { actor, actorName, action: "view_objection", subjectType: "notice_objection", subjectId: id, detail: {} });
}

// ---------------------------------------------------------------- the sweep

const SWEEP_BATCH = 200;
const SWEEP_MAX_BATCHES = 50;

/** Checks one case again inside its own transaction and starts its help when it is ready. */
async function activateOne(tx: Tx, id: string, now: Date): Promise<boolean> {
  // On PostgreSQL a sweep running at the same time (another instance) waits here until this one commits, then reads
  // the case's new status instead of failing to move it (FOR UPDATE; nothing is added on SQLite, one writer at a time).
  await tx.$queryRaw`SELECT "id" FROM "Application" WHERE "id" = ${id}${forUpdate()}`;
  const app = await tx.application.findUnique({ where: { id }, select: { reference: true, status: true, noticeStartsAt: true, noticeEndsAt: true } });
  if (!app) return false;
  const [openObjections, upheldObjections] = await Promise.all([
    tx.noticeObjection.count({ where: { applicationId: id, status: "open" } }),
    // Upheld during this notice (an upheld one from before a new approval does not count again).
    tx.noticeObjection.count({ where: { applicationId: id, status: "upheld", ...(app.noticeStartsAt ? { decidedAt: { gte: app.noticeStartsAt } } : {}) } }),
  ]);
  if (!readyToActivate({ status: app.status, noticeEndsAt: app.noticeEndsAt, openObjections, upheldObjections }, now)) return false;
  const moved = await changeStatus(tx, { reference: app.reference, to: "active", actor: "system", detail: { noticeEnded: true } }, now);
  return moved.ok;
}

/**
 * Every case whose notice ended with no open and no upheld objection becomes
 * active (timeline actor "system", a "your help has started" text). Safe to
 * run twice or at the same time as itself: each case is checked again and
 * moved in its own transaction, conditionally on its status. Cases with an
 * open objection are not even read: they wait for a supervisor.
 */
export async function activateEndedNotices(db: Db, now: Date = new Date()): Promise<{ activated: number }> {
  let activated = 0;
  let after: { noticeEndsAt: Date; id: string } | null = null;
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const candidates: Array<{ id: string; noticeEndsAt: Date | null }> = await db.application.findMany({
      where: {
        status: "public_notice",
        noticeEndsAt: { lte: now },
        objections: { none: { status: "open" } },
        ...(after ? { OR: [{ noticeEndsAt: { gt: after.noticeEndsAt } }, { noticeEndsAt: after.noticeEndsAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ noticeEndsAt: "asc" }, { id: "asc" }],
      take: SWEEP_BATCH,
      select: { id: true, noticeEndsAt: true },
    });
    for (const c of candidates) {
      if (await db.$transaction((tx) => activateOne(tx, c.id, now), TRANSACTION_OPTIONS)) activated += 1;
    }
    if (candidates.length < SWEEP_BATCH) break;
    const last = candidates[candidates.length - 1];
    after = { noticeEndsAt: last.noticeEndsAt ?? now, id: last.id };
  }
  return { activated };
}
