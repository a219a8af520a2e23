// Fixtures of the partner tests (issue 9): two organisations (A and B) with a
// service each for the same need, a third (C) for sending a declined item
// elsewhere, a submitted case with an agreed plan, and referrals made straight
// in the database (the plan pages that make them are another engineer's).
import { submitApplication } from "~/models/application.server";
import { db } from "~/services/db.server";
import { signInAs, type TestStaffSession } from "../../support/staff";
import { idNumber, POOR_HOUSEHOLD } from "../applications/helpers";

export const RESIDENT = { name: "赵转介", phone: "13912345678" };

export async function makeOrganisation(name: string, { capacity = 5, district = "dongcheng", need = "disability_care" } = {}) {
  const organisation = await db.socialOrganisation.create({ data: { name, district, contactName: "Contact", contactPhone: "01012345678", capacity } });
  const service = await db.organisationService.create({ data: { organisationId: organisation.id, name: `${name} home care`, needs: JSON.stringify([need]) } });
  return { organisationId: organisation.id, serviceId: service.id };
}

let caseCount = 0;

/** A submitted case with a plan and one service item referred to `to`. */
export async function makeReferral(to: { organisationId: string; serviceId: string }, { status = "sent", need = "disability_care" } = {}) {
  caseCount++;
  const submitted = await submitApplication(db, {
    // a person per case: one person may have only one open case
    applicant: { name: RESIDENT.name, idNumber: idNumber(`11010519600101${String(caseCount).padStart(3, "0")}`), phone: RESIDENT.phone, language: "zh-CN" },
    onBehalfOf: null,
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!submitted.ok) throw new Error(`fixture case ${caseCount}`);
  await db.application.update({ where: { id: submitted.id }, data: { district: "chaoyang" } });
  const plan = await db.assistancePlan.create({ data: { applicationId: submitted.id, status: "agreed", rulesVersion: "test" } });
  const item = await db.planItem.create({ data: { planId: plan.id, kind: "service", need, serviceId: to.serviceId, reasonCode: "test", origin: "suggested" } });
  const referral = await db.referral.create({
    data: {
      planItemId: item.id,
      applicationId: submitted.id,
      organisationId: to.organisationId,
      serviceId: to.serviceId,
      status,
      followUpDueAt: new Date(Date.now() + 30 * 86_400_000),
    },
  });
  return { referralId: referral.id, applicationId: submitted.id, reference: submitted.reference };
}

/** A signed-in partner account of this organisation. */
export async function signInPartner(username: string, organisationId: string | null): Promise<TestStaffSession> {
  const session = await signInAs("partner", { username });
  await db.staffUser.update({ where: { id: session.staffId }, data: { organisationId } });
  return session;
}
