// Referrals as partners see and answer them, and the caseworker's tasks that a
// declined referral opens (issue 9). Only this module reads referrals for a
// partner: every read is scoped to the partner's organisation, so an id of
// another organisation's referral finds nothing (the route answers 404 and
// nothing is disclosed or audited).
//
// A partner sees only what the service needs: the service and the need, the
// resident's name and phone (masked until the partner accepts: only then do
// they need to call), the district and the date sent. Never the ID number,
// income, household or the rest of the case.
//
// Every answer (accept, decline, delivered) is one transaction: the state
// change (conditional on the state the partner saw, so a stale page or a
// double click changes nothing twice), the case timeline entry, the audit
// entry, and for a decline the caseworker's task.
import { maskPhone, normalizeMobile } from "~/domain/callback";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { allowedAnswers, parseDeclineReason, storedDeclineReason, type DeclineAnswer, type ReferralStatus } from "~/domain/referral/partner-answer";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/services/audit.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { ensureStaffUser } from "./staff.server";

type Tx = Prisma.TransactionClient;
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;
/** The newest referrals shown on a partner's list (older ones stay in the database). */
export const PARTNER_LIST_MAX = 500;

/** Who acts, for the timeline (actor) and the audit log (auditActor, actorName). */
export interface Actor {
  /** CaseEvent actor: partner:<staffUserId> or staff:<id> */
  actor: string;
  /** AuditEntry actor: staff:<id> */
  auditActor: string;
  actorName: string;
}

// ---------------------------------------------------------------- partner accounts

/** The organisation a partner account belongs to (null: none, or not a partner). */
export async function partnerOrganisation(db: Db, staffUserId: string): Promise<{ id: string; name: string } | null> {
  const user = await db.staffUser.findUnique({ where: { id: staffUserId }, select: { role: true, organisationId: true } });
  if (!user || user.role !== "partner" || !user.organisationId) return null;
  return db.socialOrganisation.findUnique({ where: { id: user.organisationId }, select: { id: true, name: true } });
}

/** Organisations an admin may tie a partner account or token to (active ones, and the one already chosen). */
export function organisationChoices(db: Db, alsoId: string | null = null): Promise<Array<{ id: string; name: string; district: string }>> {
  return db.socialOrganisation.findMany({
    where: alsoId ? { OR: [{ active: true }, { id: alsoId }] } : { active: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, district: true },
  });
}

export async function organisationExists(db: Db, id: string): Promise<boolean> {
  return (await db.socialOrganisation.count({ where: { id } })) > 0;
}

/** The account's organisation id (admin page). */
export async function staffOrganisationId(db: Db, staffUserId: string): Promise<string | null> {
  return (await db.staffUser.findUnique({ where: { id: staffUserId }, select: { organisationId: true } }))?.organisationId ?? null;
}

/** Ties an account to an organisation (role partner) or unties it (any other role). */
export async function setStaffOrganisation(db: Db | Tx, staffUserId: string, organisationId: string | null): Promise<void> {
  await db.staffUser.update({ where: { id: staffUserId }, data: { organisationId } });
}

/** Ties a partner token to an organisation. */
export async function setTokenOrganisation(db: Db, tokenId: string, organisationId: string | null): Promise<void> {
  await db.apiToken.update({ where: { id: tokenId }, data: { organisationId } });
}

// ---------------------------------------------------------------- partner view

export interface PartnerReferralItem {
  id: string;
  status: ReferralStatus;
  serviceName: string;
  need: string | null;
  district: string | null;
  sentAt: Date;
}

/** The organisation's referrals, newest first (at most PARTNER_LIST_MAX). No names or phones: the list shows the service, need, district and date. */
export async function listPartnerReferrals(db: Db, organisationId: string): Promise<PartnerReferralItem[]> {
  const rows = await db.referral.findMany({
    where: { organisationId },
    orderBy: [{ sentAt: "desc" }, { id: "asc" }],
    take: PARTNER_LIST_MAX,
    select: {
      id: true,
      status: true,
      sentAt: true,
      service: { select: { name: true } },
      planItem: { select: { need: true } },
      application: { select: { district: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    status: r.status as ReferralStatus,
    serviceName: r.service.name,
    need: r.planItem.need,
    district: r.application.district,
    sentAt: r.sentAt,
  }));
}

export interface PartnerReferralView extends PartnerReferralItem {
  residentName: string;
  /** masked (138****8000) until the partner accepts; then in full, to call */
  phone: string;
  phoneShown: boolean;
  respondedAt: Date | null;
  deliveredAt: Date | null;
  decline: DeclineAnswer | null;
  deliveryNote: string | null;
  answers: Array<"accept" | "decline" | "deliver">;
}

function nationalPhone(phone: string): string {
  const normalized = normalizeMobile(phone);
  return normalized.ok ? normalized.phone.slice(3) : phone;
}

/** One referral of this organisation, or null (none, or another organisation's: the same answer). */
export async function findPartnerReferral(db: Db, organisationId: string, id: string): Promise<PartnerReferralView | null> {
  const r = await db.referral.findFirst({
    where: { id, organisationId },
    select: {
      id: true,
      status: true,
      sentAt: true,
      respondedAt: true,
      deliveredAt: true,
      declineReason: true,
      deliveryNote: true,
      service: { select: { name: true } },
      planItem: { select: { need: true } },
      application: { select: { district: true, applicantName: true, applicantPhone: true } },
    },
  });
  if (!r) return null;
  const phoneShown = r.status === "accepted" || r.status === "delivered";
  return {
    id: r.id,
    status: r.status as ReferralStatus,
    serviceName: r.service.name,
    need: r.planItem.need,
    district: r.application.district,
    sentAt: r.sentAt,
    residentName: r.application.applicantName,
    phone: phoneShown ? nationalPhone(r.application.applicantPhone) : maskPhone(r.application.applicantPhone),
    phoneShown,
    respondedAt: r.respondedAt,
    deliveredAt: r.deliveredAt,
    decline: parseDeclineReason(r.declineReason),
    deliveryNote: r.deliveryNote,
    answers: allowedAnswers(r.status),
  };
}

/** The audit entry of a partner's look: what was disclosed, never the data itself. */
export async function auditPartnerView(
  db: Db,
  who: Pick<Actor, "auditActor" | "actorName">,
  what: { organisationId: string; referralId?: string; count?: number; phoneShown?: boolean },
): Promise<void> {
  await recordAudit(db, {
    actor: who.auditActor,
    actorName: who.actorName,
    action: what.referralId ? "partner_view_referral" : "partner_list_referrals",
    subjectType: what.referralId ? "referral" : "organisation",
    subjectId: what.referralId ?? what.organisationId,
    detail: what.referralId ? { organisationId: what.organisationId, phoneShown: what.phoneShown ?? false } : { count: what.count ?? 0 },
  });
}

export type PartnerAnswer = { kind: "accept" } | { kind: "decline"; decline: DeclineAnswer } | { kind: "deliver"; note: string };
export type AnswerResult = { ok: true; status: ReferralStatus } | { ok: false; error: "notFound" | "stale" };

const NEXT_STATUS: Record<PartnerAnswer["kind"], ReferralStatus> = { accept: "accepted", decline: "declined", deliver: "delivered" };
const EVENT_TYPE: Record<PartnerAnswer["kind"], string> = { accept: "referral_accepted", decline: "referral_declined", deliver: "referral_delivered" };
const AUDIT_ACTION: Record<PartnerAnswer["kind"], string> = { accept: "partner_accept_referral", decline: "partner_decline_referral", deliver: "partner_deliver_referral" };

class Refused extends Error {
  constructor(readonly error: "notFound" | "stale") {
    super(error);
  }
}

/**
 * A partner's answer to one of its organisation's referrals. notFound: not
 * theirs (or none); stale: its state no longer takes this answer (answered
 * meanwhile, or a double click): nothing changes.
 */
export async function answerReferral(
  db: Db,
  input: { organisationId: string; referralId: string; who: Actor; answer: PartnerAnswer },
  now: Date = new Date(),
): Promise<AnswerResult> {
  const { organisationId, referralId, who, answer } = input;
  try {
    return await db.$transaction(async (tx) => {
      const current = await tx.referral.findFirst({ where: { id: referralId, organisationId }, select: { status: true, applicationId: true, serviceId: true } });
      if (!current) throw new Refused("notFound");
      if (!allowedAnswers(current.status).includes(answer.kind)) throw new Refused("stale");
      const status = NEXT_STATUS[answer.kind];
      const data: Prisma.ReferralUpdateManyMutationInput =
        answer.kind === "accept"
          ? { status, respondedAt: now }
          : answer.kind === "decline"
            ? { status, respondedAt: now, declineReason: storedDeclineReason(answer.decline) }
            : { status, deliveredAt: now, deliveryNote: answer.note };
      // Conditional on the state read above: a second answer racing this one changes nothing.
      const { count } = await tx.referral.updateMany({ where: { id: referralId, organisationId, status: current.status }, data });
      if (count !== 1) throw new Refused("stale");
      const detail: Record<string, unknown> = { referralId, organisationId, serviceId: current.serviceId };
      if (answer.kind === "decline") {
        detail.reason = answer.decline.reason;
        if (answer.decline.note) detail.note = answer.decline.note;
      }
      if (answer.kind === "deliver") detail.note = answer.note;
      await tx.caseEvent.create({ data: { applicationId: current.applicationId, type: EVENT_TYPE[answer.kind], actor: who.actor, detail: JSON.stringify(detail), at: now } });
      if (answer.kind === "decline") {
        const task = await tx.caseTask.create({ data: { applicationId: current.applicationId, referralId, kind: "referral_declined", createdAt: now }, select: { id: true } });
        await tx.caseEvent.create({
          data: { applicationId: current.applicationId, type: "task_opened", actor: "system", detail: JSON.stringify({ kind: "referral_declined", taskId: task.id, referralId }), at: now },
        });
      }
      // The audit keeps codes and ids only: the notes are the partner's free text.
      await recordAudit(
        tx,
        {
          actor: who.auditActor,
          actorName: who.actorName,
          action: AUDIT_ACTION[answer.kind],
          subjectType: "referral",
          subjectId: referralId,
          detail: { organisationId, from: current.status, to: status, ...(answer.kind === "decline" ? { reason: answer.decline.reason } : {}) },
        },
        now,
      );
      return { ok: true as const, status };
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.error };
    throw error;
  }
}

// ---------------------------------------------------------------- caseworker tasks

export interface ResendChoice {
  serviceId: string;
  serviceName: string;
  organisationName: string;
  district: string;
  /** places left (capacity minus referrals sent or accepted) */
  free: number;
}

export interface CaseTaskView {
  id: string;
  kind: string;
  createdAt: Date;
  referralId: string | null;
  /** referral_declined: what was declined, by whom and why */
  serviceName: string | null;
  organisationName: string | null;
  need: string | null;
  decline: DeclineAnswer | null;
  /** referral_declined and still declined: services of other organisations for the same need */
  choices: ResendChoice[];
}

function needsOf(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** Active services of active organisations other than `exceptOrganisationId` meeting `need`, with places left. */
async function resendChoices(db: Db | Tx, need: string, exceptOrganisationId: string): Promise<ResendChoice[]> {
  const services = await db.organisationService.findMany({
    where: { active: true, organisation: { active: true, id: { not: exceptOrganisationId } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, needs: true, organisation: { select: { id: true, name: true, district: true, capacity: true } } },
  });
  const fitting = services.filter((s) => needsOf(s.needs).includes(need));
  if (fitting.length === 0) return [];
  const held = await db.referral.groupBy({
    by: ["organisationId"],
    where: { organisationId: { in: [...new Set(fitting.map((s) => s.organisation.id))] }, status: { in: ["sent", "accepted"] } },
    _count: { _all: true },
  });
  const heldBy = new Map(held.map((h) => [h.organisationId, Number(h._count._all)]));
  return fitting.map((s) => ({
    serviceId: s.id,
    serviceName: s.name,
    organisationName: s.organisation.name,
    district: s.organisation.district,
    free: Math.max(0, s.organisation.capacity - (heldBy.get(s.organisation.id) ?? 0)),
  }));
}

/** The case's open tasks, oldest first, with what a declined referral needs to be sent elsewhere. */
export async function openCaseTasks(db: Db, applicationId: string): Promise<CaseTaskView[]> {
  const tasks = await db.caseTask.findMany({ where: { applicationId, doneAt: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const views: CaseTaskView[] = [];
  for (const task of tasks) {
    const referral = task.referralId
      ? await db.referral.findUnique({
          where: { id: task.referralId },
          select: { status: true, organisationId: true, declineReason: true, service: { select: { name: true } }, organisation: { select: { name: true } }, planItem: { select: { need: true } } },
        })
      : null;
    const need = referral?.planItem.need ?? null;
    views.push({
      id: task.id,
      kind: task.kind,
      createdAt: task.createdAt,
      referralId: task.referralId,
      serviceName: referral?.service.name ?? null,
      organisationName: referral?.organisation.name ?? null,
      need,
      decline: referral ? parseDeclineReason(referral.declineReason) : null,
      choices: task.kind === "referral_declined" && referral?.status === "declined" && need ? await resendChoices(db, need, referral.organisationId) : [],
    });
  }
  return views;
}

export type TaskResult = { ok: true } | { ok: false; error: "notFound" | "stale" | "noService" | "full" };

/**
 * Sends a declined referral's item to another organisation's service: the
 * same referral row (one per plan item) starts again as sent, with a new
 * follow-up date; the task is done. The service must meet the item's need and
 * its organisation have a place left.
 */
export async function resendDeclinedReferral(
  db: Db,
  input: { applicationId: string; reference: string; taskId: string; serviceId: string; who: Actor; staffId: string },
  now: Date = new Date(),
): Promise<TaskResult> {
  const { applicationId, taskId, serviceId, who } = input;
  try {
    return await db.$transaction(async (tx) => {
      const task = await tx.caseTask.findFirst({ where: { id: taskId, applicationId, kind: "referral_declined" }, select: { doneAt: true, referralId: true } });
      if (!task?.referralId) throw new Refused("notFound");
      if (task.doneAt) throw new Refused("stale");
      const referral = await tx.referral.findUnique({ where: { id: task.referralId }, select: { status: true, organisationId: true, planItem: { select: { need: true } } } });
      if (!referral || referral.status !== "declined" || !referral.planItem.need) throw new Refused("stale");
      const choice = (await resendChoices(tx, referral.planItem.need, referral.organisationId)).find((c) => c.serviceId === serviceId);
      if (!choice) return { ok: false as const, error: "noService" as const };
      if (choice.free <= 0) return { ok: false as const, error: "full" as const };
      const service = await tx.organisationService.findUniqueOrThrow({ where: { id: serviceId }, select: { organisationId: true } });
      const followUpDueAt = new Date(now.getTime() + config().followUp.days * 86_400_000);
      const { count } = await tx.referral.updateMany({
        where: { id: task.referralId, status: "declined" },
        data: {
          status: "sent",
          organisationId: service.organisationId,
          serviceId,
          declineReason: null,
          deliveryNote: null,
          respondedAt: null,
          deliveredAt: null,
          sentAt: now,
          followUpDueAt,
        },
      });
      if (count !== 1) throw new Refused("stale");
      await tx.caseTask.update({ where: { id: taskId }, data: { doneAt: now, doneById: input.staffId } });
      // The same detail as a first sending (app/models/plan.server.ts agreePlan), and where it came from.
      const named = await tx.organisationService.findUniqueOrThrow({ where: { id: serviceId }, select: { name: true, organisation: { select: { name: true } } } });
      await tx.caseEvent.create({
        data: {
          applicationId,
          type: "referral_sent",
          actor: who.actor,
          detail: JSON.stringify({
            referralId: task.referralId,
            need: referral.planItem.need,
            organisation: named.organisation.name,
            service: named.name,
            organisationId: service.organisationId,
            serviceId,
            resent: true,
            from: referral.organisationId,
          }),
          at: now,
        },
      });
      await recordAudit(
        tx,
        {
          actor: who.auditActor,
          actorName: who.actorName,
          action: "resend_referral",
          subjectType: "application",
          subjectId: input.reference,
          detail: { referralId: task.referralId, taskId, from: referral.organisationId, to: service.organisationId },
        },
        now,
      );
      return { ok: true as const };
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.error };
    throw error;
  }
}

/** Marks a task done without sending anything (the caseworker dealt with it another way). */
export async function closeCaseTask(
  db: Db,
  input: { applicationId: string; reference: string; taskId: string; who: Actor; staffId: string },
  now: Date = new Date(),
): Promise<TaskResult> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.caseTask.updateMany({ where: { id: input.taskId, applicationId: input.applicationId, doneAt: null }, data: { doneAt: now, doneById: input.staffId } });
    if (count !== 1) {
      const exists = await tx.caseTask.count({ where: { id: input.taskId, applicationId: input.applicationId } });
      return { ok: false as const, error: exists ? ("stale" as const) : ("notFound" as const) };
    }
    await recordAudit(tx, { actor: input.who.auditActor, actorName: input.who.actorName, action: "close_case_task", subjectType: "application", subjectId: input.reference, detail: { taskId: input.taskId } }, now);
    return { ok: true as const };
  }, TRANSACTION_OPTIONS);
}

/** Organisation names of partner accounts, by account id (the admin list). */
export async function partnerOrganisationNames(db: Db): Promise<Record<string, string>> {
  const rows = await db.staffUser.findMany({ where: { role: "partner", organisationId: { not: null } }, select: { id: true, organisationId: true } });
  const ids = [...new Set(rows.map((r) => r.organisationId as string))];
  if (ids.length === 0) return {};
  const orgs = await db.socialOrganisation.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  return Object.fromEntries(rows.flatMap((r) => (names.has(r.organisationId as string) ? [[r.id, names.get(r.organisationId as string) as string]] : [])));
}

/** The case page's task rows: dates formatted for the page's language, codes left for the component to translate. */
export async function caseTaskRows(db: Db, applicationId: string, lng: string) {
  return (await openCaseTasks(db, applicationId)).map((task) => ({
    id: task.id,
    kind: task.kind,
    openedAt: formatShanghai(lng, task.createdAt, "dateTime"),
    service: task.serviceName,
    organisation: task.organisationName,
    need: task.need,
    declineReason: task.decline?.reason ?? null,
    declineNote: task.decline?.note ?? null,
    choices: task.choices,
  }));
}

export type CaseTaskRow = Awaited<ReturnType<typeof caseTaskRows>>[number];

/** Demo mode: a partner account "partner" of the first demo organisation (README: demo accounts). Idempotent. */
export async function ensureDemoPartner(db: Db, { password, organisationId }: { password: string; organisationId: string }): Promise<void> {
  if (!(await organisationExists(db, organisationId))) return;
  await ensureStaffUser(db, { username: "partner", displayName: "阳光助残 (demo partner)", role: "partner", password });
  await db.staffUser.updateMany({ where: { username: "partner", role: "partner", organisationId: null }, data: { organisationId } });
}
