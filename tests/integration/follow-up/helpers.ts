// Fixtures for the follow-up tests: a submitted case with an agreed plan, an
// organisation and its service, and a referral to it, written as rows (the
// plan and partner code of issue 9 makes the same rows).
import type { Channel } from "~/domain/case";
import { submitApplication } from "~/models/application.server";
import { db } from "~/services/db.server";
import { APPLICANT_ID, POOR_HOUSEHOLD } from "../applications/helpers";

export const DAY_MS = 24 * 60 * 60 * 1000;

let counter = 0;

export interface ReferralFixture {
  applicationId: string;
  reference: string;
  referralId: string;
  serviceId: string;
  organisationId: string;
  /** E.164 */
  phone: string;
  proxyPhone: string | null;
}

export async function createReferral(
  options: {
    /** 11 digits, e.g. 13700000001 */
    phone: string;
    proxyPhone?: string | null;
    language?: "zh-CN" | "en";
    channel?: Channel;
    status?: "sent" | "accepted" | "declined" | "delivered";
    dueAt?: Date;
    serviceName?: string;
    organisationName?: string;
    programs?: string[];
    /** another referral of the same case (another service) */
    sameCaseAs?: ReferralFixture;
    /** the service (and organisation) of an earlier fixture, instead of a new one */
    sameServiceAs?: ReferralFixture;
  },
): Promise<ReferralFixture> {
  const n = ++counter;
  let applicationId: string;
  let reference: string;
  if (options.sameCaseAs) {
    applicationId = options.sameCaseAs.applicationId;
    reference = options.sameCaseAs.reference;
  } else {
    const submitted = await submitApplication(db, {
      applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: options.phone, language: options.language ?? "zh-CN" },
      onBehalfOf: options.proxyPhone ? { name: "李明", phone: options.proxyPhone, relationship: "child", consent: "sms" } : null,
      household: POOR_HOUSEHOLD,
      programs: ["dibao"],
      channel: options.channel ?? "sms",
      actor: "resident",
    });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
    applicationId = submitted.id;
    reference = submitted.reference;
  }
  const organisation = options.sameServiceAs
    ? { id: options.sameServiceAs.organisationId }
    : await db.socialOrganisation.create({
        data: { name: options.organisationName ?? `阳光社工${n}`, district: "D01", contactName: "张老师", contactPhone: "+8610000000000", capacity: 10 },
      });
  const service = options.sameServiceAs
    ? { id: options.sameServiceAs.serviceId }
    : await db.organisationService.create({
        data: { organisationId: organisation.id, name: options.serviceName ?? "居家照护", needs: '["disability_care"]' },
      });
  const plan = await db.assistancePlan.upsert({
    where: { applicationId },
    create: { applicationId, status: "agreed", rulesVersion: "test", agreedAt: new Date() },
    update: {},
  });
  if (!options.sameCaseAs) {
    for (const program of options.programs ?? ["dibao"]) {
      await db.planItem.create({ data: { planId: plan.id, kind: "programme", program, reasonCode: "eligible", origin: "suggested" } });
    }
  }
  const item = await db.planItem.create({
    data: { planId: plan.id, kind: "service", need: "disability_care", serviceId: service.id, reasonCode: "disability_severe", origin: "suggested" },
  });
  const referral = await db.referral.create({
    data: {
      planItemId: item.id,
      applicationId,
      organisationId: organisation.id,
      serviceId: service.id,
      status: options.status ?? "delivered",
      followUpDueAt: options.dueAt ?? new Date(Date.now() - DAY_MS),
    },
  });
  const app = await db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { applicantPhone: true, proxyPhone: true } });
  return { applicationId, reference, referralId: referral.id, serviceId: service.id, organisationId: organisation.id, phone: app.applicantPhone, proxyPhone: app.proxyPhone };
}

/** Follow-up texts to a phone (E.164), oldest first. */
export async function followUpTextsTo(phone: string): Promise<string[]> {
  const rows = await db.outboxMessage.findMany({ where: { to: phone, dedupeKey: { startsWith: "follow-up-" } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => r.body);
}

export async function eventTypes(applicationId: string): Promise<string[]> {
  const rows = await db.caseEvent.findMany({ where: { applicationId, OR: [{ type: { startsWith: "follow_up" } }, { type: "task_opened" }] }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return rows.map((r) => r.type);
}
