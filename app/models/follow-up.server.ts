// The follow-up of a referral (issue 9), everything that touches the
// database: FOLLOW_UP_DAYS after a referral the resident is asked once
// whether the help arrived (a text on the outbox in the case's language to the
// applicant and a proxy who may still see the case, none to a phone that
// sent STOP; and the question on /track/case); one reminder after
// FOLLOW_UP_REMINDER_DAYS; as long again without an answer, "no answer" is
// recorded. Answers come by text (one step at a time) or from the web form
// (all at once). Help that did not arrive opens a task for the caseworker.
//
// Several instances: every step is ONE conditional UPDATE on the state it
// moves from (e.g. followUpAskedAt IS NULL), in the same transaction as its
// timeline event and its texts; the instance whose UPDATE changed the row
// does the rest, the other sees 0 rows and does nothing. So a question or a
// reminder never goes twice, and an answer is recorded once.
// The comment is stored for staff only: nothing here puts it in an event,
// the audit log or a text.
import type { FollowUpAnswer } from "~/domain/follow-up/answers";
import { formatShanghai } from "~/domain/time/shanghai-format";
import type { Prisma } from "~/generated/prisma/client";
import { isLanguage, type Language } from "~/i18n";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { queueText } from "~/services/outbox.server";
import { isOptedOut } from "./opt-out.server";

type Client = Db | Prisma.TransactionClient;
type Tx = Prisma.TransactionClient;

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long a texted conversation stays on an unfinished answer (the score or
 * the comment still to come): within it the next text from the phone is taken
 * as that answer; after it the phone's texts go to the assistant again and the
 * sweep closes the follow-up with what was said.
 */
export const PARTIAL_ANSWER_MS = DAY_MS;

/** Texts of this module (namespace "followup", key "sms.*"). */
export type FollowUpSmsKey = "ask" | "askWeb" | "remind" | "satisfaction" | "satisfactionNotArrived" | "comment" | "thanks" | "hintHelp" | "hintSatisfaction";

export function followUpSms(lng: Language, key: FollowUpSmsKey, values: { service?: string } = {}): string {
  return fixedT(lng, "followup")(`sms.${key}`, { ...values, publicUrl: config().publicUrl, interpolation: { escapeValue: false } });
}

const TARGET = {
  id: true,
  applicationId: true,
  service: { select: { name: true } },
  application: { select: { language: true, channel: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true } },
} as const;

interface Target {
  id: string;
  applicationId: string;
  service: { name: string };
  application: { language: string; channel: string; applicantPhone: string; proxyPhone: string | null; proxyRevokedAt: Date | null };
}

function languageOf(target: Target): Language {
  return isLanguage(target.application.language) ? target.application.language : "zh-CN";
}

/** The applicant and, while they may still see the case, the proxy (as for status texts). */
function phonesOf(target: Target): string[] {
  const { applicantPhone, proxyPhone, proxyRevokedAt } = target.application;
  const phones = [applicantPhone];
  if (proxyPhone && proxyRevokedAt === null && proxyPhone !== applicantPhone) phones.push(proxyPhone);
  return phones;
}

/** Queues one text per phone that did not send STOP; the dedupe key makes a repeat a no-op. */
async function textPhones(tx: Tx, target: Target, key: FollowUpSmsKey, step: string): Promise<number> {
  const language = languageOf(target);
  const body = followUpSms(language, key, { service: target.service.name });
  let queued = 0;
  for (const phone of phonesOf(target)) {
    if (await isOptedOut(tx, phone)) continue;
    await queueText(tx, { to: phone, body, language, dedupeKey: `follow-up-${step}:${target.id}:${phone}` });
    queued++;
  }
  return queued;
}

async function event(tx: Tx, applicationId: string, type: string, detail: Record<string, unknown>, now: Date, actor = "system"): Promise<void> {
  await tx.caseEvent.create({ data: { applicationId, type, actor, at: now, detail: JSON.stringify(detail) }, select: { id: true } });
}

function inTransaction<T>(client: Client, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$transaction" in client) return client.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
  return fn(client);
}

// ---------------------------------------------------------------------------
// The sweep: ask, remind, close.

const NOT_DECLINED = { not: "declined" } as const;

function askWhere(now: Date): Prisma.ReferralWhereInput {
  return { followUpAskedAt: null, followUpClosedAt: null, followUpDueAt: { lte: now }, status: NOT_DECLINED };
}
function remindWhere(now: Date, reminderDays: number): Prisma.ReferralWhereInput {
  return { followUpAskedAt: { lte: new Date(now.getTime() - reminderDays * DAY_MS) }, followUpRemindedAt: null, followUpClosedAt: null, helpArrived: null };
}
function noAnswerWhere(now: Date, reminderDays: number): Prisma.ReferralWhereInput {
  return { followUpRemindedAt: { lte: new Date(now.getTime() - reminderDays * DAY_MS) }, followUpClosedAt: null, helpArrived: null };
}
function partialWhere(now: Date): Prisma.ReferralWhereInput {
  return { followUpClosedAt: null, helpArrived: { not: null }, answeredAt: { lte: new Date(now.getTime() - PARTIAL_ANSWER_MS) } };
}

async function dueIds(db: Db, where: Prisma.ReferralWhereInput, limit: number): Promise<string[]> {
  const rows = await db.referral.findMany({ where, orderBy: [{ followUpDueAt: "asc" }, { id: "asc" }], take: limit, select: { id: true } });
  return rows.map((r) => r.id);
}

/**
 * Asks one referral's question if it is still unasked and due: the claim
 * (followUpAskedAt IS NULL …) and the event and texts are one transaction.
 * True when this call asked it.
 */
export async function askFollowUp(db: Db, referralId: string, now: Date = new Date()): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.referral.updateMany({ where: { id: referralId, ...askWhere(now) }, data: { followUpAskedAt: now } });
    if (count !== 1) return false;
    const target = (await tx.referral.findUniqueOrThrow({ where: { id: referralId }, select: TARGET })) as Target;
    // Web cases are told they may also answer on the tracking page.
    const texts = await textPhones(tx, target, target.application.channel === "web" ? "askWeb" : "ask", "ask");
    await event(tx, target.applicationId, "follow_up_asked", { referralId, texts }, now);
    return true;
  });
}

/** The one reminder, when the question went unanswered for reminderDays. True when this call sent it. */
export async function remindFollowUp(db: Db, referralId: string, reminderDays: number, now: Date = new Date()): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.referral.updateMany({ where: { id: referralId, ...remindWhere(now, reminderDays) }, data: { followUpRemindedAt: now } });
    if (count !== 1) return false;
    const target = (await tx.referral.findUniqueOrThrow({ where: { id: referralId }, select: TARGET })) as Target;
    const texts = await textPhones(tx, target, "remind", "remind");
    await event(tx, target.applicationId, "follow_up_reminded", { referralId, texts }, now);
    return true;
  });
}

/** No answer reminderDays after the reminder: that is recorded (outcome no_answer). True when this call closed it. */
export async function closeUnanswered(db: Db, referralId: string, reminderDays: number, now: Date = new Date()): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.referral.updateMany({
      where: { id: referralId, ...noAnswerWhere(now, reminderDays) },
      data: { followUpClosedAt: now, followUpOutcome: "no_answer" },
    });
    if (count !== 1) return false;
    const row = await tx.referral.findUniqueOrThrow({ where: { id: referralId }, select: { applicationId: true } });
    await event(tx, row.applicationId, "follow_up_no_answer", { referralId }, now);
    return true;
  });
}

/** A texted answer left unfinished (no score or comment within a day): closed with what was said. */
export async function closePartial(db: Db, referralId: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.referral.updateMany({ where: { id: referralId, ...partialWhere(now) }, data: { followUpClosedAt: now, followUpOutcome: "answered" } });
  return count === 1;
}

export interface FollowUpSweepReport {
  asked: number;
  reminded: number;
  noAnswer: number;
  closedPartial: number;
}

/** One pass of the follow-up sweep (background, every 10 minutes, on every instance). */
export async function sweepFollowUps(db: Db, now: Date, { reminderDays, limit = 200 }: { reminderDays: number; limit?: number }): Promise<FollowUpSweepReport> {
  const report: FollowUpSweepReport = { asked: 0, reminded: 0, noAnswer: 0, closedPartial: 0 };
  // Closing first: a follow-up is never reminded and closed in one pass.
  for (const id of await dueIds(db, noAnswerWhere(now, reminderDays), limit)) if (await closeUnanswered(db, id, reminderDays, now)) report.noAnswer++;
  for (const id of await dueIds(db, partialWhere(now), limit)) if (await closePartial(db, id, now)) report.closedPartial++;
  for (const id of await dueIds(db, remindWhere(now, reminderDays), limit)) if (await remindFollowUp(db, id, reminderDays, now)) report.reminded++;
  for (const id of await dueIds(db, askWhere(now), limit)) if (await askFollowUp(db, id, now)) report.asked++;
  return report;
}

// ---------------------------------------------------------------------------
// Answers.

/** Help that did not arrive: a task for the caseworker (once per referral) and its timeline entry. */
async function openNotDeliveredTask(tx: Tx, applicationId: string, referralId: string, now: Date): Promise<void> {
  const existing = await tx.caseTask.findFirst({ where: { referralId, kind: "help_not_delivered" }, select: { id: true } });
  if (existing) return;
  const task = await tx.caseTask.create({ data: { applicationId, referralId, kind: "help_not_delivered", createdAt: now }, select: { id: true } });
  await event(tx, applicationId, "task_opened", { kind: "help_not_delivered", referralId, taskId: task.id }, now);
}

/** Where a texted conversation about one referral stands. */
export type SmsFollowUpStep = "helpArrived" | "satisfaction" | "comment";

export interface OpenSmsFollowUp {
  referralId: string;
  applicationId: string;
  step: SmsFollowUpStep;
  language: Language;
  serviceName: string;
}

/**
 * The follow-up a text from this phone answers, if any: the oldest asked and
 * still open one of a case where it is the applicant's (or the active
 * proxy's) phone, waiting for its first answer, or with an unfinished
 * texted answer younger than PARTIAL_ANSWER_MS.
 */
export async function openSmsFollowUp(client: Client, phone: string, now: Date = new Date()): Promise<OpenSmsFollowUp | null> {
  const rows = await client.referral.findMany({
    where: {
      followUpAskedAt: { not: null },
      followUpClosedAt: null,
      application: { OR: [{ applicantPhone: phone }, { proxyPhone: phone, proxyRevokedAt: null }] },
    },
    orderBy: [{ followUpAskedAt: "asc" }, { id: "asc" }],
    take: 20,
    select: { id: true, applicationId: true, helpArrived: true, satisfaction: true, answeredAt: true, service: { select: { name: true } }, application: { select: { language: true } } },
  });
  const since = now.getTime() - PARTIAL_ANSWER_MS;
  for (const row of rows) {
    const language: Language = isLanguage(row.application.language) ? row.application.language : "zh-CN";
    const base = { referralId: row.id, applicationId: row.applicationId, language, serviceName: row.service.name };
    if (row.helpArrived === null) return { ...base, step: "helpArrived" };
    if (row.answeredAt && row.answeredAt.getTime() > since) return { ...base, step: row.satisfaction === null ? "satisfaction" : "comment" };
  }
  return null;
}

/** First texted answer: did the help arrive. False when it was answered meanwhile. */
export async function recordSmsHelpArrived(client: Client, open: OpenSmsFollowUp, helpArrived: boolean, actor: string, now: Date = new Date()): Promise<boolean> {
  return inTransaction(client, async (tx) => {
    const { count } = await tx.referral.updateMany({
      where: { id: open.referralId, helpArrived: null, followUpClosedAt: null },
      data: { helpArrived, answerChannel: "sms", answeredAt: now },
    });
    if (count !== 1) return false;
    await event(tx, open.applicationId, "follow_up_answered", { referralId: open.referralId, channel: "sms", helpArrived }, now, actor);
    if (!helpArrived) await openNotDeliveredTask(tx, open.applicationId, open.referralId, now);
    return true;
  });
}

/** Second texted answer: the score 1–5. */
export async function recordSmsSatisfaction(client: Client, open: OpenSmsFollowUp, satisfaction: number, now: Date = new Date()): Promise<boolean> {
  const { count } = await client.referral.updateMany({
    where: { id: open.referralId, helpArrived: { not: null }, satisfaction: null, followUpClosedAt: null },
    data: { satisfaction, answeredAt: now },
  });
  return count === 1;
}

/** Last texted answer: a comment, or none ("0"); the follow-up is closed as answered. */
export async function recordSmsComment(client: Client, open: OpenSmsFollowUp, comment: string | null, now: Date = new Date()): Promise<boolean> {
  const { count } = await client.referral.updateMany({
    where: { id: open.referralId, satisfaction: { not: null }, followUpClosedAt: null },
    data: { comment, answeredAt: now, followUpClosedAt: now, followUpOutcome: "answered" },
  });
  return count === 1;
}

export type WebAnswerResult = { ok: true } | { ok: false; error: "notOpen" };

/**
 * The web form's answer (all three at once) for a referral of the signed-in
 * case: recorded and the follow-up closed, if it was asked and is still
 * open. An answer begun by text is completed (and may be corrected) here.
 */
export async function recordWebAnswer(
  db: Db,
  input: { applicationId: string; referralId: string; answer: FollowUpAnswer; actor: string },
  now: Date = new Date(),
): Promise<WebAnswerResult> {
  const { applicationId, referralId, answer, actor } = input;
  return inTransaction(db, async (tx) => {
    const row = await tx.referral.findFirst({
      where: { id: referralId, applicationId, followUpAskedAt: { not: null }, followUpClosedAt: null },
      select: { helpArrived: true },
    });
    if (!row) return { ok: false, error: "notOpen" } as const;
    const { count } = await tx.referral.updateMany({
      where: { id: referralId, followUpClosedAt: null },
      data: {
        helpArrived: answer.helpArrived,
        satisfaction: answer.satisfaction,
        comment: answer.comment,
        answerChannel: "web",
        answeredAt: now,
        followUpClosedAt: now,
        followUpOutcome: "answered",
      },
    });
    if (count !== 1) return { ok: false, error: "notOpen" } as const;
    if (row.helpArrived === null) await event(tx, applicationId, "follow_up_answered", { referralId, channel: "web", helpArrived: answer.helpArrived }, now, actor);
    if (!answer.helpArrived) await openNotDeliveredTask(tx, applicationId, referralId, now);
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------
// What the resident sees on /track/case.

export interface ResidentFollowUp {
  referralId: string;
  serviceName: string;
  organisationName: string;
  /** open: the form; answered: thanks and what they said (never the comment) */
  state: "open" | "answered";
  helpArrived: boolean | null;
  satisfaction: number | null;
}

/** The case's asked follow-ups, open ones first, then answered ones (a closed unanswered one is over and not shown). */
export async function residentFollowUps(db: Db, applicationId: string): Promise<ResidentFollowUp[]> {
  const rows = await db.referral.findMany({
    where: { applicationId, followUpAskedAt: { not: null }, OR: [{ followUpClosedAt: null }, { followUpOutcome: "answered" }] },
    orderBy: [{ followUpAskedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      followUpClosedAt: true,
      helpArrived: true,
      satisfaction: true,
      service: { select: { name: true } },
      organisation: { select: { name: true } },
    },
  });
  const list = rows.map((r) => ({
    referralId: r.id,
    serviceName: r.service.name,
    organisationName: r.organisation.name,
    state: r.followUpClosedAt === null ? ("open" as const) : ("answered" as const),
    helpArrived: r.helpArrived,
    satisfaction: r.satisfaction,
  }));
  return [...list.filter((f) => f.state === "open"), ...list.filter((f) => f.state === "answered")];
}

// ---------------------------------------------------------------------------
// What the caseworker sees on the staff case page (with the comment: staff only).

export interface StaffFollowUp {
  referralId: string;
  serviceName: string;
  organisationName: string;
  /** waiting: asked, no answer yet; partial: a texted answer under way; answered; no_answer */
  state: "waiting" | "partial" | "answered" | "no_answer";
  askedAt: string;
  remindedAt: string | null;
  helpArrived: boolean | null;
  satisfaction: number | null;
  comment: string | null;
  channel: string | null;
}

/** The case's asked follow-ups, dates in the reader's words. */
export async function staffFollowUps(db: Db, applicationId: string, lng: Language): Promise<StaffFollowUp[]> {
  const rows = await db.referral.findMany({
    where: { applicationId, followUpAskedAt: { not: null } },
    orderBy: [{ followUpAskedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      followUpAskedAt: true,
      followUpRemindedAt: true,
      followUpOutcome: true,
      followUpClosedAt: true,
      helpArrived: true,
      satisfaction: true,
      comment: true,
      answerChannel: true,
      service: { select: { name: true } },
      organisation: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    referralId: r.id,
    serviceName: r.service.name,
    organisationName: r.organisation.name,
    state: r.followUpOutcome === "no_answer" ? "no_answer" : r.followUpClosedAt ? "answered" : r.helpArrived !== null ? "partial" : "waiting",
    askedAt: formatShanghai(lng, r.followUpAskedAt as Date, "dateLong"),
    remindedAt: r.followUpRemindedAt ? formatShanghai(lng, r.followUpRemindedAt, "dateLong") : null,
    helpArrived: r.helpArrived,
    satisfaction: r.satisfaction,
    comment: r.comment,
    channel: r.answerChannel,
  }));
}
