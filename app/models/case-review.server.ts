// Staff review of cases: the list with its filters, one case with everything
// a caseworker needs beside the rules' explanation, and the actions that move
// it (ask for information, accept or reject a document, approve, reject,
// close). Each action writes its timeline event(s) and its audit entry in ONE
// transaction with the change itself, and every status change goes through
// changeStatus (application.server.ts), which texts the resident and proxy.
//
// Results are data, not Responses: { ok: false, error } for what a person can
// cause (a stale page, a large amount, a document of another case); routes
// turn those into 400/403/404 with a message.
import {
  decisionAmounts,
  isCaseStatus,
  isEvidenceType,
  largeAmountReasons,
  maskName,
  overdueCutoff,
  UNDECIDED_STATUSES,
  type CaseRejectionReason,
  type CaseStatus,
  type Channel,
  type CloseReason,
  type DecisionAmounts,
  type DocumentRejectionReason,
  type EvidenceType,
  type LargeAmountReason,
} from "~/domain/case";
import type { Assessment, Household, ProgramCode } from "~/domain/eligibility";
import { maskPhone } from "~/domain/callback";
import { maskIdNumber } from "~/domain/identity";
import { noticeEnd } from "~/domain/case/notice";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { Prisma } from "~/generated/prisma/client";
import { isLanguage, type Language } from "~/i18n";
import { recordAudit } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { queueText } from "~/services/outbox.server";
import { applicationReference, changeStatus, parseJson } from "./application.server";

type Tx = Prisma.TransactionClient;

export const CASES_PER_PAGE = 50;
/** Counting stops here: "more than 10,000 cases" is all a person needs to know. */
export const COUNT_CAP = 10_000;

// Reviews queue behind other writes on SQLite's one writer (as submissions do).
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/** Who acts: for the timeline (actor), the audit (actor, actorName) and decidedById. */
export interface Reviewer {
  staffId: string;
  /** "staff:<id>" */
  actor: string;
  actorName: string;
}


// ---------------------------------------------------------------- the list

export interface CaseListFilters {
  status?: CaseStatus;
  program?: ProgramCode;
  channel?: Channel;
  district?: string;
  overdue?: boolean;
}

export interface CaseListRow {
  reference: string;
  submittedAt: Date;
  status: CaseStatus;
  channel: string;
  programs: ProgramCode[];
  /** first character and a star */
  maskedName: string;
  overdue: boolean;
}

export interface CaseListPage {
  rows: CaseListRow[];
  page: number;
  hasNext: boolean;
  /** cases matching the filters, counted up to COUNT_CAP */
  total: number;
  /** true: more than COUNT_CAP match */
  totalCapped: boolean;
}

/** The filters as SQL conditions, each served by an (x, submittedAt) index. */
function listWhere(filters: CaseListFilters, now: Date): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filters.status) conditions.push(Prisma.sql`"status" = ${filters.status}`);
  if (filters.channel) conditions.push(Prisma.sql`"channel" = ${filters.channel}`);
  if (filters.district) conditions.push(Prisma.sql`"district" = ${filters.district}`);
  // programs is a JSON array of codes; a code is a whole quoted word in it ("_" in a code is escaped: a LIKE wildcard).
  if (filters.program) conditions.push(Prisma.sql`"programs" LIKE ${`%"${likeEscaped(filters.program)}"%`} ESCAPE '\\'`);
  if (filters.overdue) {
    conditions.push(Prisma.sql`"submittedAt" < ${overdueCutoff(now)}`);
    if (!filters.status) conditions.push(Prisma.sql`"status" IN (${Prisma.join([...UNDECIDED_STATUSES])})`);
    else if (!UNDECIDED_STATUSES.includes(filters.status)) conditions.push(Prisma.sql`1 = 0`);
  }
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface ListedRow {
  reference: string;
  submittedAt: Date | string;
  status: string;
  channel: string;
  programs: string;
  applicantName: string;
}

/**
 * One page of cases, newest first. Only the columns the list shows are read,
 * through the (status|channel|district, submittedAt) indexes; one more row
 * than a page tells whether there is a next. The order is submittedAt alone:
 * SQLite walks the index, whose entries end in the rowid, so equal times keep
 * one order from page to page; a second sort key (id) would cost a sort of its
 * own on every request. The total is shown up to COUNT_CAP (the page says
 * "more than"): counting stops there, from the filter's index alone.
 * Raw SQL (tagged, portable): the list is a hot path and typed Prisma calls
 * cost more CPU than the queries. The name is masked here, so the full name
 * never leaves this function.
 */
export async function listCases(db: Db, filters: CaseListFilters, page: number, now: Date = new Date()): Promise<CaseListPage> {
  const where = listWhere(filters, now);
  const safePage = Math.max(1, Math.floor(page));
  const rows = await db.$queryRaw<ListedRow[]>`
    SELECT "reference", "submittedAt", "status", "channel", "programs", "applicantName" FROM "Application" ${where}
    ORDER BY "submittedAt" DESC LIMIT ${CASES_PER_PAGE + 1} OFFSET ${(safePage - 1) * CASES_PER_PAGE}`;
  const counted = await db.$queryRaw<Array<{ n: number | bigint }>>`
    SELECT COUNT(*) AS "n" FROM (SELECT 1 AS "one" FROM "Application" ${where} LIMIT ${COUNT_CAP + 1}) AS "capped"`;
  const total = Number(counted[0]?.n ?? 0);
  const cutoff = overdueCutoff(now).getTime();
  return {
    rows: rows.slice(0, CASES_PER_PAGE).map((row) => {
      const status: CaseStatus = isCaseStatus(row.status) ? row.status : "submitted";
      const submittedAt = row.submittedAt instanceof Date ? row.submittedAt : new Date(row.submittedAt);
      return {
        reference: row.reference,
        submittedAt,
        status,
        channel: row.channel,
        programs: parseJson<ProgramCode[]>(row.programs, []),
        maskedName: maskName(row.applicantName),
        overdue: UNDECIDED_STATUSES.includes(status) && submittedAt.getTime() < cutoff,
      };
    }),
    page: safePage,
    hasNext: rows.length > CASES_PER_PAGE,
    total: Math.min(total, COUNT_CAP),
    totalCapped: total > COUNT_CAP,
  };
}

// ---------------------------------------------------------------- one case

export interface ReviewEvidence {
  id: string;
  type: EvidenceType;
  status: string;
  format: string;
  size: number;
  rejectReason: string | null;
  createdAt: Date;
}

export interface ReviewTimelineEvent {
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  at: Date;
  detail: Record<string, unknown>;
}

export interface CaseDecision {
  outcome: "approved" | "rejected";
  /** approved: amounts in fen */
  amounts?: DecisionAmounts["granted"];
  monthlyTotalFen?: number;
  largestOneOffFen?: number;
  rulesVersion?: string;
  /** rejected: plain reasons */
  reasons?: CaseRejectionReason[];
  note?: string | null;
}

export interface CaseForReview {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  language: Language;
  district: string | null;
  submittedAt: Date;
  applicant: { name: string; idNumber: string; phone: string };
  proxy: { name: string | null; phone: string | null; relationship: string | null; consent: string | null; consentAt: Date | null; revokedAt: Date | null } | null;
  household: Household;
  programs: ProgramCode[];
  assessment: Assessment;
  amounts: DecisionAmounts;
  largeAmount: LargeAmountReason[];
  evidence: ReviewEvidence[];
  timeline: ReviewTimelineEvent[];
  decidedAt: Date | null;
  decision: CaseDecision | null;
  closedAt: Date | null;
}

/** One case for the staff console, phones and ID number masked; null when there is none. */
export async function getCaseForReview(db: Db | Tx, reference: string): Promise<CaseForReview | null> {
  const canonical = applicationReference(reference);
  if (!canonical) return null;
  const row = await db.application.findUnique({
    where: { reference: canonical },
    select: {
      id: true,
      reference: true,
      status: true,
      channel: true,
      language: true,
      district: true,
      submittedAt: true,
      applicantName: true,
      applicantIdNumber: true,
      applicantPhone: true,
      proxyName: true,
      proxyPhone: true,
      proxyRelationship: true,
      proxyConsent: true,
      proxyConsentAt: true,
      proxyRevokedAt: true,
      household: true,
      programs: true,
      results: true,
      rulesVersion: true,
      decidedAt: true,
      decision: true,
      closedAt: true,
      evidence: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, type: true, status: true, format: true, size: true, rejectReason: true, createdAt: true },
      },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { type: true, fromStatus: true, toStatus: true, actor: true, at: true, detail: true } },
    },
  });
  if (!row || !isCaseStatus(row.status)) return null;
  const programs = parseJson<ProgramCode[]>(row.programs, []);
  const assessment = parseJson<Assessment>(row.results, { asOf: "", rulesVersion: row.rulesVersion, results: [] });
  const amounts = decisionAmounts(assessment, programs);
  const hasProxy = row.proxyName !== null || row.proxyPhone !== null || row.proxyRelationship !== null;
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    channel: row.channel,
    language: isLanguage(row.language) ? row.language : "zh-CN",
    district: row.district,
    submittedAt: row.submittedAt,
    applicant: { name: row.applicantName, idNumber: maskIdNumber(row.applicantIdNumber), phone: maskPhone(row.applicantPhone) },
    proxy: hasProxy
      ? {
          name: row.proxyName,
          phone: row.proxyPhone ? maskPhone(row.proxyPhone) : null,
          relationship: row.proxyRelationship,
          consent: row.proxyConsent,
          consentAt: row.proxyConsentAt,
          revokedAt: row.proxyRevokedAt,
        }
      : null,
    household: parseJson<Household>(row.household, { members: [] }),
    programs,
    assessment,
    amounts,
    largeAmount: largeAmountReasons(amounts),
    evidence: row.evidence.map((e) => ({ ...e, type: isEvidenceType(e.type) ? e.type : "other" })),
    timeline: row.events.map((e) => ({ ...e, detail: parseJson<Record<string, unknown>>(e.detail, {}) })),
    decidedAt: row.decidedAt,
    decision: parseJson<CaseDecision | null>(row.decision, null),
    closedAt: row.closedAt,
  };
}

/**
 * A stored file to download, only when it belongs to this case: the evidence
 * is looked up by its id AND the case's reference, so a mismatched pair is
 * simply not found. `number` counts the case's files of that type (1, 2…),
 * for a download name like LA-XXXX-XXXX-id_card-2.jpg.
 */
export async function findEvidenceOfCase(
  db: Db,
  reference: string,
  evidenceId: string,
): Promise<{ id: string; applicationId: string; reference: string; type: EvidenceType; storedName: string; format: string; number: number } | null> {
  const canonical = applicationReference(reference);
  if (!canonical || evidenceId.length === 0 || evidenceId.length > 64) return null;
  const row = await db.evidence.findFirst({
    where: { id: evidenceId, application: { reference: canonical } },
    select: { id: true, applicationId: true, type: true, storedName: true, format: true, createdAt: true },
  });
  if (!row || !row.applicationId) return null;
  const sameType = await db.evidence.findMany({
    where: { applicationId: row.applicationId, type: row.type },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  const type = isEvidenceType(row.type) ? row.type : "other";
  return {
    id: row.id,
    applicationId: row.applicationId,
    reference: canonical,
    type,
    storedName: row.storedName,
    format: row.format,
    number: sameType.findIndex((e) => e.id === row.id) + 1,
  };
}

/**
 * Records a look at cases' personal data (a page, the list, a letter, the API,
 * a file) in the audit log. Views are many and each is a durable write:
 * recordAudit uses group commit, so looks that arrive together share one
 * commit (one fsync); each is still on disk before the page is answered.
 */
export async function auditCaseView(
  db: Db,
  { actor, actorName, action, reference, detail }: { actor: string; actorName?: string | null; action: string; reference: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await recordAudit(db, { actor, actorName, action, subjectType: "application", subjectId: reference, detail });
}

// ---------------------------------------------------------------- actions

export type ReviewError =
  | { ok: false; error: "notFound" }
  | { ok: false; error: "invalidTransition"; from: CaseStatus; to: string }
  | { ok: false; error: "evidenceNotFound" }
  | { ok: false; error: "noAmount" }
  | { ok: false; error: "needsSupervisor"; reasons: LargeAmountReason[]; status: CaseStatus };

export type ReviewResult<T = object> = ({ ok: true } & T) | ReviewError;

/** Stale page or double click: the status the case has now no longer allows this. */
class Refused extends Error {
  constructor(readonly result: ReviewError) {
    super(result.error);
  }
}

async function inReview<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T | ReviewError> {
  try {
    return await db.$transaction(fn, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

async function move(tx: Tx, input: Parameters<typeof changeStatus>[1], now: Date): Promise<{ from: CaseStatus }> {
  const moved = await changeStatus(tx, input, now);
  if (!moved.ok) throw new Refused(moved);
  return { from: moved.from };
}

async function audit(tx: Tx, who: Reviewer, action: string, reference: string, detail: Record<string, unknown>, now: Date, reason?: string | null) {
  await recordAudit(tx, { actor: who.actor, actorName: who.actorName, action, subjectType: "application", subjectId: reference, reason: reason ?? null, detail }, now);
}

function cleanNote(note: string | null | undefined): string | null {
  const trimmed = (note ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/** Generic step with no decision attached: submitted → screening, screening → manual_review, needs_information → screening/manual_review. */
export async function moveCase(
  db: Db,
  { reference, to, who }: { reference: string; to: "screening" | "manual_review"; who: Reviewer },
  now: Date = new Date(),
): Promise<ReviewResult<{ from: CaseStatus }>> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  return inReview(db, async (tx) => {
    const { from } = await move(tx, { reference: canonical, to, actor: who.actor }, now);
    await audit(tx, who, "move_case", canonical, { from, to }, now);
    return { ok: true as const, from };
  });
}

/** Ask the resident for documents and/or information: status needs_information, a text saying what. */
export async function requestInformation(
  db: Db,
  { reference, types, note, who }: { reference: string; types: readonly EvidenceType[]; note?: string | null; who: Reviewer },
  now: Date = new Date(),
): Promise<ReviewResult> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  const cleaned = cleanNote(note);
  return inReview(db, async (tx) => {
    const { from } = await move(tx, { reference: canonical, to: "needs_information", actor: who.actor, missing: types, detail: cleaned ? { note: cleaned } : {} }, now);
    await audit(tx, who, "request_information", canonical, { from, types: [...types], withNote: cleaned !== null }, now);
    return { ok: true as const };
  });
}

/**
 * Accept or reject one document of this case. The reason the resident reads
 * (on /track) is stored in the application's language; the code goes on the
 * timeline and in the audit. Decided or closed cases keep their documents as
 * they were.
 */
export async function reviewEvidence(
  db: Db,
  {
    reference,
    evidenceId,
    accept,
    reason,
    note,
    who,
  }: { reference: string; evidenceId: string; accept: boolean; reason?: DocumentRejectionReason | null; note?: string | null; who: Reviewer },
  now: Date = new Date(),
): Promise<ReviewResult> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  const cleaned = cleanNote(note);
  return inReview(db, async (tx) => {
    const app = await tx.application.findUnique({ where: { reference: canonical }, select: { id: true, status: true, language: true } });
    if (!app || !isCaseStatus(app.status)) throw new Refused({ ok: false, error: "notFound" });
    if (!UNDECIDED_STATUSES.includes(app.status)) throw new Refused({ ok: false, error: "invalidTransition", from: app.status, to: app.status });
    const evidence = await tx.evidence.findFirst({ where: { id: evidenceId, applicationId: app.id }, select: { id: true, type: true } });
    if (!evidence) throw new Refused({ ok: false, error: "evidenceNotFound" });
    const language: Language = isLanguage(app.language) ? app.language : "zh-CN";
    const residentReason = accept ? null : [fixedT(language, "letter")(`documentReasons.${reason ?? "other"}`), cleaned].filter(Boolean).join(" ");
    await tx.evidence.update({
      where: { id: evidence.id },
      data: { status: accept ? "accepted" : "rejected", rejectReason: residentReason, reviewedById: who.staffId, reviewedAt: now },
    });
    const detail = { evidenceId: evidence.id, type: evidence.type, ...(accept ? {} : { reason: reason ?? "other" }), ...(cleaned ? { note: cleaned } : {}) };
    await tx.caseEvent.create({
      data: { applicationId: app.id, type: accept ? "evidence_accepted" : "evidence_rejected", actor: who.actor, at: now, detail: JSON.stringify(detail) },
      select: { id: true },
    });
    await audit(tx, who, accept ? "accept_evidence" : "reject_evidence", canonical, { evidenceId: evidence.id, type: evidence.type, ...(accept ? {} : { reason: reason ?? "other" }) }, now);
    return { ok: true as const };
  });
}

/**
 * Approve with the amounts the rules gave for the programmes applied for. A
 * case still in screening passes through manual_review on the way (one text:
 * the approval). Amounts above the domain's threshold need case.approve_large:
 * without it nothing is approved, the case waits in manual_review for a
 * supervisor, and the timeline and audit say so.
 */
export async function approveCase(
  db: Db,
  { reference, who, mayApproveLarge }: { reference: string; who: Reviewer; mayApproveLarge: boolean },
  now: Date = new Date(),
): Promise<ReviewResult<{ amounts: DecisionAmounts }>> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  return inReview(db, async (tx) => {
    const app = await tx.application.findUnique({
      where: { reference: canonical },
      select: { id: true, status: true, programs: true, results: true, rulesVersion: true, language: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true },
    });
    if (!app || !isCaseStatus(app.status)) throw new Refused({ ok: false, error: "notFound" });
    const status = app.status;
    if (status !== "screening" && status !== "manual_review") throw new Refused({ ok: false, error: "invalidTransition", from: status, to: "approved" });
    const assessment = parseJson<Assessment>(app.results, { asOf: "", rulesVersion: app.rulesVersion, results: [] });
    const amounts = decisionAmounts(assessment, parseJson<string[]>(app.programs, []));
    if (amounts.granted.length === 0) throw new Refused({ ok: false, error: "noAmount" });
    const large = largeAmountReasons(amounts);

    if (large.length > 0 && !mayApproveLarge) {
      // Refused, but not lost: the case waits for a supervisor, and the timeline says why.
      if (status === "screening") await move(tx, { reference: canonical, to: "manual_review", actor: who.actor, detail: { supervisorNeeded: large } }, now);
      await tx.caseEvent.create({
        data: { applicationId: app.id, type: "supervisor_needed", actor: who.actor, at: now, detail: JSON.stringify({ reasons: large, monthlyTotalFen: amounts.monthlyTotalFen, largestOneOffFen: amounts.largestOneOffFen }) },
        select: { id: true },
      });
      await audit(tx, who, "approve_case_refused", canonical, { reasons: large, from: status }, now);
      // Committed on purpose (the move and the note are real): returned, not thrown.
      return { ok: false as const, error: "needsSupervisor" as const, reasons: large, status: "manual_review" as const };
    }

    if (status === "screening") await move(tx, { reference: canonical, to: "manual_review", actor: who.actor, notify: false }, now);
    const decision: CaseDecision = {
      outcome: "approved",
      amounts: amounts.granted,
      monthlyTotalFen: amounts.monthlyTotalFen,
      largestOneOffFen: amounts.largestOneOffFen,
      rulesVersion: assessment.rulesVersion,
    };
    // Approved, then at once on the public notice list (公示) for NOTICE_DAYS days:
    // two timeline events, one text (the approval and the notice together).
    await move(
      tx,
      {
        reference: canonical,
        to: "approved",
        actor: who.actor,
        notify: false,
        detail: { decision: "approved", programs: amounts.granted.map((a) => a.program), monthlyTotalFen: amounts.monthlyTotalFen },
        data: { decidedAt: now, decidedById: who.staffId, decision: JSON.stringify(decision) },
      },
      now,
    );
    const noticeEndsAt = noticeEnd(now);
    await move(
      tx,
      { reference: canonical, to: "public_notice", actor: who.actor, notify: false, detail: { noticeEndsAt: noticeEndsAt.toISOString() }, data: { noticeStartsAt: now, noticeEndsAt } },
      now,
    );
    await queueNoticeStartedTexts(tx, { ...app, reference: canonical }, noticeEndsAt);
    await audit(tx, who, "approve_case", canonical, { programs: amounts.granted.map((a) => a.program), large: large.length > 0 }, now);
    return { ok: true as const, amounts };
  });
}

/** Reject with plain reasons (the letter explains them and how to ask for a review). */
export async function rejectCase(
  db: Db,
  { reference, reasons, note, who }: { reference: string; reasons: readonly CaseRejectionReason[]; note?: string | null; who: Reviewer },
  now: Date = new Date(),
): Promise<ReviewResult> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  const cleaned = cleanNote(note);
  return inReview(db, async (tx) => {
    const decision: CaseDecision = { outcome: "rejected", reasons: [...reasons], note: cleaned };
    const { from } = await move(
      tx,
      {
        reference: canonical,
        to: "rejected",
        actor: who.actor,
        detail: { decision: "rejected", reasons: [...reasons], ...(cleaned ? { note: cleaned } : {}) },
        data: { decidedAt: now, decidedById: who.staffId, decision: JSON.stringify(decision) },
      },
      now,
    );
    await audit(tx, who, "reject_case", canonical, { from, reasons: [...reasons] }, now);
    return { ok: true as const };
  });
}

/** Close a case that will not be decided (the resident asked, a duplicate…): status withdrawn, closedAt set. */
export async function closeCase(
  db: Db,
  { reference, reason, note, who }: { reference: string; reason: CloseReason; note?: string | null; who: Reviewer },
  now: Date = new Date(),
): Promise<ReviewResult> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  const cleaned = cleanNote(note);
  return inReview(db, async (tx) => {
    const { from } = await move(
      tx,
      { reference: canonical, to: "withdrawn", actor: who.actor, detail: { closed: reason, ...(cleaned ? { note: cleaned } : {}) }, data: { closedAt: now } },
      now,
    );
    await audit(tx, who, "close_case", canonical, { from, reason }, now);
    return { ok: true as const };
  });
}

/** Display names of the staff in a timeline ("staff:<id>" actors), by id. */
export async function staffNames(db: Db, actors: readonly string[]): Promise<Record<string, string>> {
  const ids = [...new Set(actors.filter((a) => a.startsWith("staff:")).map((a) => a.slice("staff:".length)))];
  if (ids.length === 0) return {};
  const rows = await db.staffUser.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.displayName]));
}

// ---------------------------------------------------------------- approval → public notice

/**
 * The text telling the applicant (and a proxy who may still see the case)
 * that the case is approved and on public notice until `endsAt`, in the
 * application's language; queued in the approval's transaction.
 */
async function queueNoticeStartedTexts(
  tx: Tx,
  app: { id: string; reference: string; language: string; applicantPhone: string; proxyPhone: string | null; proxyRevokedAt: Date | null },
  endsAt: Date,
): Promise<void> {
  const language: Language = isLanguage(app.language) ? app.language : "zh-CN";
  const body = fixedT(language, "notice")("sms.started", { reference: app.reference, date: formatShanghai(language, endsAt, "dateLong") });
  const phones = [app.applicantPhone];
  if (app.proxyPhone && app.proxyRevokedAt === null && app.proxyPhone !== app.applicantPhone) phones.push(app.proxyPhone);
  for (const phone of phones) await queueText(tx, { to: phone, body, language, dedupeKey: `notice-start:${app.id}:${endsAt.getTime()}:${phone}` });
}
