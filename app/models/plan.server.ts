// A case's assistance plan (个性化救助方案, issue 9): proposed from the case
// (the rules' results, the approval's amounts, the household's needs, a
// matching service for each need), adjusted by a caseworker (remove, add,
// choose another service; removed items are kept with removedAt), then
// agreed with the resident: the plan is locked, each service item with a
// service becomes a Referral (status "sent", follow-up due FOLLOW_UP_DAYS
// later), and the resident and proxy get a text in their language.
// Each step writes its CaseEvent(s) and audit entry in ONE transaction with
// the change. Results are data ({ ok: false, error }), never Responses.
import type { Assessment, ProgramCode } from "~/domain/eligibility";
import { PROGRAM_CODES } from "~/domain/eligibility";
import { isCaseStatus, type CaseStatus } from "~/domain/case";
import { matchService, canTake, isNeedCode, PLAN_STATUSES, suggestPlan, type AgreedHow, type NeedCode, type PlanDecision, type ReasonValues, type ServiceOption } from "~/domain/plan";
import type { Household } from "~/domain/eligibility";
import type { Prisma } from "~/generated/prisma/client";
import { isLanguage, type Language } from "~/i18n";
import { recordAudit } from "~/services/audit.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { queueText } from "~/services/outbox.server";
import { applicationReference, parseJson } from "./application.server";
import { serviceOptions } from "./organisation.server";

type Tx = Prisma.TransactionClient;

const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;


export interface PlanWorker {
  staffId: string;
  /** "staff:<id>" */
  actor: string;
  actorName: string;
}

export type PlanError =
  | { ok: false; error: "notFound" }
  | { ok: false; error: "wrongStatus"; status: CaseStatus }
  | { ok: false; error: "exists" }
  | { ok: false; error: "noPlan" }
  | { ok: false; error: "notDraft" }
  | { ok: false; error: "itemNotFound" }
  | { ok: false; error: "serviceUnavailable" }
  | { ok: false; error: "duplicate" }
  | { ok: false; error: "empty" };

export type PlanResult<T = object> = ({ ok: true } & T) | PlanError;

class Refused extends Error {
  constructor(readonly result: PlanError) {
    super(result.error);
  }
}

async function inPlan<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T | PlanError> {
  try {
    return await db.$transaction(fn, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

// ---------------------------------------------------------------- reading

export interface PlanItemView {
  id: string;
  kind: "programme" | "service";
  program: ProgramCode | null;
  amountFen: number | null;
  amountPeriod: string | null;
  need: NeedCode | null;
  serviceId: string | null;
  service: { name: string; organisationName: string; district: string; contactPhone: string } | null;
  reasonCode: string;
  reasonValues: ReasonValues;
  origin: "suggested" | "added";
  note: string | null;
  removedAt: Date | null;
  referral: { id: string; status: string } | null;
}

export interface PlanView {
  id: string;
  status: "draft" | "agreed";
  rulesVersion: string;
  proposedAt: Date;
  agreedAt: Date | null;
  items: PlanItemView[];
}

export interface PlanCase {
  id: string;
  reference: string;
  status: CaseStatus;
  district: string | null;
  /** a plan may be proposed or worked in this status */
  planAllowed: boolean;
  plan: PlanView | null;
}

const PLAN_SELECT = {
  id: true,
  status: true,
  rulesVersion: true,
  proposedAt: true,
  agreedAt: true,
  items: {
    orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }],
    select: {
      id: true,
      kind: true,
      program: true,
      amountFen: true,
      amountPeriod: true,
      need: true,
      serviceId: true,
      reasonCode: true,
      reasonValues: true,
      origin: true,
      note: true,
      removedAt: true,
      referral: { select: { id: true, status: true } },
    },
  },
};

type PlanRow = Prisma.AssistancePlanGetPayload<{ select: typeof PLAN_SELECT }>;

async function toPlanView(db: Db | Tx, row: PlanRow): Promise<PlanView> {
  const ids = [...new Set(row.items.map((i) => i.serviceId).filter((id): id is string => id !== null))];
  const services = ids.length
    ? await db.organisationService.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, organisation: { select: { name: true, district: true, contactPhone: true } } } })
    : [];
  const byId = new Map(services.map((s) => [s.id, { name: s.name, organisationName: s.organisation.name, district: s.organisation.district, contactPhone: s.organisation.contactPhone }]));
  // Items in a stable reading order: programmes in the rule book's order, then services.
  const order = (i: PlanRow["items"][number]) => (i.kind === "programme" ? PROGRAM_CODES.indexOf(i.program as ProgramCode) : 100);
  const items = [...row.items].sort((a, b) => order(a) - order(b));
  return {
    id: row.id,
    status: row.status === "agreed" ? "agreed" : "draft",
    rulesVersion: row.rulesVersion,
    proposedAt: row.proposedAt,
    agreedAt: row.agreedAt,
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind === "service" ? "service" : "programme",
      program: (PROGRAM_CODES as readonly string[]).includes(i.program ?? "") ? (i.program as ProgramCode) : null,
      amountFen: i.amountFen,
      amountPeriod: i.amountPeriod,
      need: isNeedCode(i.need) ? i.need : null,
      serviceId: i.serviceId,
      service: i.serviceId ? (byId.get(i.serviceId) ?? null) : null,
      reasonCode: i.reasonCode,
      reasonValues: parseJson<ReasonValues>(i.reasonValues, {}),
      origin: i.origin === "added" ? "added" : "suggested",
      note: i.note,
      removedAt: i.removedAt,
      referral: i.referral,
    })),
  };
}

/** The case (reference, status, district) and its plan, or null when there is no such case. */
export async function getPlanCase(db: Db, reference: string): Promise<PlanCase | null> {
  const canonical = applicationReference(reference);
  if (!canonical) return null;
  const app = await db.application.findUnique({
    where: { reference: canonical },
    select: { id: true, reference: true, status: true, district: true, plan: { select: PLAN_SELECT } },
  });
  if (!app || !isCaseStatus(app.status)) return null;
  return {
    id: app.id,
    reference: app.reference,
    status: app.status,
    district: app.district,
    planAllowed: PLAN_STATUSES.includes(app.status),
    plan: app.plan ? await toPlanView(db, app.plan) : null,
  };
}

/** The agreed plan of a case for the resident (a draft may still change: not shown), or null. */
export async function agreedPlanOf(db: Db, applicationId: string): Promise<PlanView | null> {
  const row = await db.assistancePlan.findUnique({ where: { applicationId }, select: PLAN_SELECT });
  if (!row || row.status !== "agreed") return null;
  const view = await toPlanView(db, row);
  return { ...view, items: view.items.filter((i) => i.removedAt === null) };
}

// ---------------------------------------------------------------- steps

async function event(tx: Tx, applicationId: string, type: string, actor: string, now: Date, detail: Record<string, unknown>) {
  await tx.caseEvent.create({ data: { applicationId, type, actor, at: now, detail: JSON.stringify(detail) }, select: { id: true } });
}

async function audit(tx: Tx, who: PlanWorker, action: string, reference: string, detail: Record<string, unknown>, now: Date) {
  await recordAudit(tx, { actor: who.actor, actorName: who.actorName, action, subjectType: "application", subjectId: reference, detail }, now);
}

/** The case and its draft plan, or a refusal (no case, no plan, agreed already, status no longer allows it). */
async function draftOf(tx: Tx, reference: string) {
  const canonical = applicationReference(reference);
  if (!canonical) throw new Refused({ ok: false, error: "notFound" });
  const app = await tx.application.findUnique({ where: { reference: canonical }, select: { id: true, reference: true, status: true, district: true, plan: { select: { id: true, status: true } } } });
  if (!app || !isCaseStatus(app.status)) throw new Refused({ ok: false, error: "notFound" });
  if (!PLAN_STATUSES.includes(app.status)) throw new Refused({ ok: false, error: "wrongStatus", status: app.status });
  if (!app.plan) throw new Refused({ ok: false, error: "noPlan" });
  if (app.plan.status !== "draft") throw new Refused({ ok: false, error: "notDraft" });
  return { app, plan: app.plan };
}

/**
 * Proposes the plan from the case: programmes the rules found eligible (the
 * approval's amounts), a service item per need with the best service that has
 * room (or none yet). One plan per case: a second proposal is refused.
 */
export async function proposePlan(db: Db, { reference, who }: { reference: string; who: PlanWorker }, now: Date = new Date()): Promise<PlanResult<{ planId: string }>> {
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  const options = await serviceOptions(db);
  return inPlan(db, async (tx) => {
    const app = await tx.application.findUnique({
      where: { reference: canonical },
      select: { id: true, status: true, district: true, household: true, results: true, rulesVersion: true, decision: true, plan: { select: { id: true } } },
    });
    if (!app || !isCaseStatus(app.status)) throw new Refused({ ok: false, error: "notFound" });
    if (!PLAN_STATUSES.includes(app.status)) throw new Refused({ ok: false, error: "wrongStatus", status: app.status });
    if (app.plan) throw new Refused({ ok: false, error: "exists" });
    const assessment = parseJson<Assessment>(app.results, { asOf: "", rulesVersion: app.rulesVersion, results: [] });
    const suggested = suggestPlan({
      household: parseJson<Household>(app.household, { members: [] }),
      results: assessment.results,
      decision: parseJson<PlanDecision | null>(app.decision, null),
    });
    // Places taken by this proposal count too: two needs do not both fill an organisation's last place.
    const taken = new Map<string, number>();
    const room = (): ServiceOption[] => options.map((o) => ({ ...o, openReferrals: o.openReferrals + (taken.get(o.organisationId) ?? 0) }));
    const items = suggested.map((item) => {
      if (item.kind === "programme") {
        return { kind: "programme", program: item.program, amountFen: item.amountFen, amountPeriod: item.amountPeriod, reasonCode: item.reasonCode, reasonValues: JSON.stringify(item.reasonValues), origin: "suggested" };
      }
      const match = matchService(item.need, app.district, room());
      if (match) taken.set(match.organisationId, (taken.get(match.organisationId) ?? 0) + 1);
      return { kind: "service", need: item.need, serviceId: match?.id ?? null, reasonCode: item.reasonCode, reasonValues: JSON.stringify(item.reasonValues), origin: "suggested" };
    });
    const plan = await tx.assistancePlan.create({
      data: { applicationId: app.id, status: "draft", rulesVersion: assessment.rulesVersion || app.rulesVersion, proposedAt: now, proposedById: who.staffId, items: { create: items } },
      select: { id: true },
    });
    const programmes = suggested.filter((i) => i.kind === "programme").length;
    const services = suggested.length - programmes;
    await event(tx, app.id, "plan_proposed", who.actor, now, { programmes, services });
    await audit(tx, who, "propose_plan", canonical, { programmes, services }, now);
    return { ok: true as const, planId: plan.id };
  });
}

/** Takes an item off the draft plan (kept, with removedAt, for the record). */
export async function removePlanItem(db: Db, { reference, itemId, who }: { reference: string; itemId: string; who: PlanWorker }, now: Date = new Date()): Promise<PlanResult> {
  return inPlan(db, async (tx) => {
    const { app, plan } = await draftOf(tx, reference);
    const item = await tx.planItem.findFirst({ where: { id: itemId, planId: plan.id, removedAt: null }, select: { id: true, kind: true, program: true, need: true } });
    if (!item) throw new Refused({ ok: false, error: "itemNotFound" });
    await tx.planItem.update({ where: { id: item.id }, data: { removedAt: now, removedById: who.staffId }, select: { id: true } });
    await tx.assistancePlan.update({ where: { id: plan.id }, data: { updatedAt: now }, select: { id: true } });
    const what = item.kind === "programme" ? { kind: "programme", program: item.program } : { kind: "service", need: item.need };
    await event(tx, app.id, "plan_changed", who.actor, now, { change: "removed", ...what });
    await audit(tx, who, "remove_plan_item", app.reference, { itemId: item.id, ...what }, now);
    return { ok: true as const };
  });
}

export type NewPlanItem =
  | { kind: "programme"; program: ProgramCode; note: string | null }
  | { kind: "service"; need: NeedCode; serviceId: string | null; note: string | null };

async function usableService(tx: Tx, serviceId: string, need: NeedCode): Promise<boolean> {
  const service = await tx.organisationService.findUnique({
    where: { id: serviceId },
    select: { id: true, name: true, needs: true, active: true, organisation: { select: { id: true, name: true, district: true, active: true, capacity: true } } },
  });
  if (!service) return false;
  const open = await tx.referral.count({ where: { organisationId: service.organisation.id, status: { in: ["sent", "accepted"] } } });
  return canTake(
    {
      id: service.id,
      name: service.name,
      organisationId: service.organisation.id,
      organisationName: service.organisation.name,
      district: service.organisation.district,
      needs: parseJson<string[]>(service.needs, []),
      active: service.active,
      organisationActive: service.organisation.active,
      capacity: service.organisation.capacity,
      openReferrals: open,
    },
    need,
  );
}

/** Adds a programme or a service for a need (with a chosen service, or none yet) to the draft plan. */
export async function addPlanItem(db: Db, { reference, item, who }: { reference: string; item: NewPlanItem; who: PlanWorker }, now: Date = new Date()): Promise<PlanResult<{ itemId: string }>> {
  return inPlan(db, async (tx) => {
    const { app, plan } = await draftOf(tx, reference);
    if (item.kind === "programme") {
      const same = await tx.planItem.count({ where: { planId: plan.id, kind: "programme", program: item.program, removedAt: null } });
      if (same > 0) throw new Refused({ ok: false, error: "duplicate" });
    } else if (item.serviceId !== null && !(await usableService(tx, item.serviceId, item.need))) {
      throw new Refused({ ok: false, error: "serviceUnavailable" });
    }
    const row = await tx.planItem.create({
      data:
        item.kind === "programme"
          ? { planId: plan.id, kind: "programme", program: item.program, reasonCode: "added_by_caseworker", reasonValues: JSON.stringify({ program: item.program }), origin: "added", note: item.note, createdAt: now }
          : { planId: plan.id, kind: "service", need: item.need, serviceId: item.serviceId, reasonCode: "added_by_caseworker", reasonValues: "{}", origin: "added", note: item.note, createdAt: now },
      select: { id: true },
    });
    await tx.assistancePlan.update({ where: { id: plan.id }, data: { updatedAt: now }, select: { id: true } });
    const what = item.kind === "programme" ? { kind: "programme", program: item.program } : { kind: "service", need: item.need };
    await event(tx, app.id, "plan_changed", who.actor, now, { change: "added", ...what });
    await audit(tx, who, "add_plan_item", app.reference, { itemId: row.id, ...what, ...(item.kind === "service" ? { serviceId: item.serviceId } : {}) }, now);
    return { ok: true as const, itemId: row.id };
  });
}

/** Chooses (or changes) the service of a service item on the draft plan; it must meet the need and have room. */
export async function choosePlanService(db: Db, { reference, itemId, serviceId, who }: { reference: string; itemId: string; serviceId: string; who: PlanWorker }, now: Date = new Date()): Promise<PlanResult> {
  return inPlan(db, async (tx) => {
    const { app, plan } = await draftOf(tx, reference);
    const item = await tx.planItem.findFirst({ where: { id: itemId, planId: plan.id, kind: "service", removedAt: null }, select: { id: true, need: true, serviceId: true } });
    if (!item || !isNeedCode(item.need)) throw new Refused({ ok: false, error: "itemNotFound" });
    if (item.serviceId !== serviceId && !(await usableService(tx, serviceId, item.need))) throw new Refused({ ok: false, error: "serviceUnavailable" });
    await tx.planItem.update({ where: { id: item.id }, data: { serviceId }, select: { id: true } });
    await tx.assistancePlan.update({ where: { id: plan.id }, data: { updatedAt: now }, select: { id: true } });
    await event(tx, app.id, "plan_changed", who.actor, now, { change: "service", kind: "service", need: item.need });
    await audit(tx, who, "choose_plan_service", app.reference, { itemId: item.id, need: item.need, serviceId, previousServiceId: item.serviceId }, now);
    return { ok: true as const };
  });
}

/**
 * Agrees the plan with the resident (on the phone or in person): the plan is
 * locked; each kept service item with a service becomes a Referral (sent now,
 * follow-up due FOLLOW_UP_DAYS later); the resident and proxy are texted.
 */
export async function agreePlan(db: Db, { reference, how, who }: { reference: string; how: AgreedHow; who: PlanWorker }, now: Date = new Date()): Promise<PlanResult<{ referrals: number }>> {
  const followUpDueAt = new Date(now.getTime() + config().followUp.days * DAY_MS);
  return inPlan(db, async (tx) => {
    const { app, plan } = await draftOf(tx, reference);
    const items = await tx.planItem.findMany({
      where: { planId: plan.id, removedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, kind: true, need: true, serviceId: true },
    });
    if (items.length === 0) throw new Refused({ ok: false, error: "empty" });
    // The status condition makes a second agree (another tab, a double click) change nothing.
    const { count } = await tx.assistancePlan.updateMany({ where: { id: plan.id, status: "draft" }, data: { status: "agreed", agreedAt: now, agreedById: who.staffId, updatedAt: now } });
    if (count !== 1) throw new Refused({ ok: false, error: "notDraft" });

    const withService = items.filter((i) => i.kind === "service" && i.serviceId !== null);
    const services = withService.length
      ? await tx.organisationService.findMany({
          where: { id: { in: withService.map((i) => i.serviceId!) } },
          select: { id: true, name: true, active: true, organisation: { select: { id: true, name: true, active: true } } },
        })
      : [];
    // A service or organisation stopped since it was chosen takes no new referral: choose another first.
    if (services.some((s) => !s.active || !s.organisation.active)) throw new Refused({ ok: false, error: "serviceUnavailable" });
    const byId = new Map(services.map((s) => [s.id, s]));
    let referrals = 0;
    for (const item of withService) {
      const service = byId.get(item.serviceId!);
      if (!service) continue;
      const referral = await tx.referral.create({
        data: { planItemId: item.id, applicationId: app.id, organisationId: service.organisation.id, serviceId: service.id, status: "sent", sentAt: now, followUpDueAt, createdAt: now, updatedAt: now },
        select: { id: true },
      });
      referrals += 1;
      await event(tx, app.id, "referral_sent", who.actor, now, { referralId: referral.id, need: item.need, organisation: service.organisation.name, service: service.name });
    }
    const programmes = items.filter((i) => i.kind === "programme").length;
    const serviceItems = items.length - programmes;
    await event(tx, app.id, "plan_agreed", who.actor, now, { how, programmes, services: serviceItems, referrals });
    await queuePlanTexts(tx, app.id, app.reference, { programmes, services: serviceItems });
    await audit(tx, who, "agree_plan", app.reference, { how, programmes, services: serviceItems, referrals }, now);
    return { ok: true as const, referrals };
  });
}

/** The plan agreed, in plain words, to the applicant and (while they may see the case) the proxy, in the case's language. */
async function queuePlanTexts(tx: Tx, applicationId: string, reference: string, counts: { programmes: number; services: number }): Promise<void> {
  const app = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { language: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true } });
  const language: Language = isLanguage(app.language) ? app.language : "zh-CN";
  const body = planAgreedText(language, { reference, ...counts });
  const phones = [app.applicantPhone];
  if (app.proxyPhone && app.proxyRevokedAt === null && app.proxyPhone !== app.applicantPhone) phones.push(app.proxyPhone);
  // Opted-out phones are skipped by the outbox worker when it sends, as for status texts.
  for (const phone of phones) await queueText(tx, { to: phone, body, language, dedupeKey: `plan-agreed:${applicationId}:${phone}` });
}

/** The text of an agreed plan (also checked against the SMS limits in tests/unit/plan). */
export function planAgreedText(language: Language, values: { reference: string; programmes: number; services: number }): string {
  const t = fixedT(language, "plan");
  const key = values.services > 0 ? "sms.agreed" : "sms.agreedNoServices";
  return t(key, { ...values, publicUrl: config().publicUrl });
}

/** "none", "draft" or "agreed": for the link on the staff case page. */
export async function planStatusOf(db: Db, applicationId: string): Promise<"none" | "draft" | "agreed"> {
  const row = await db.assistancePlan.findUnique({ where: { applicationId }, select: { status: true } });
  return !row ? "none" : row.status === "agreed" ? "agreed" : "draft";
}
