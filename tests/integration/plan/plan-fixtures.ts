// Shared by the plan tests: an approved case whose household shows needs
// (a parent out of work, a child at school, hit by a disaster), a catalogue
// of organisations in known districts, and the staff member who works it.
import type { Household } from "~/domain/eligibility";
import { submitApplication } from "~/models/application.server";
import { approveCase, moveCase } from "~/models/case-review.server";
import { db } from "~/services/db.server";
import { idNumber } from "../applications/helpers";

/** dibao, education, employment and disaster eligible; needs job_training, tutoring, psychological_support. */
export const NEEDY: Household = {
  members: [
    { relation: "self", age: 45, monthlyIncome: 200, disability: "none", canWork: true, employed: false, student: "none" },
    { relation: "child", age: 10, monthlyIncome: 0, disability: "none", canWork: false, employed: false, student: "compulsory" },
  ],
  supporters: { hasCapableSupporter: false },
  assets: { financial: 0, vehicles: 0, properties: 1 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 30 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: true,
};

let sequence = 0;

export interface ApprovedCase {
  id: string;
  reference: string;
  applicantPhone: string;
  proxyPhone: string | null;
}

/** A case submitted, then approved by `staffId` (on public notice). */
export async function makeApprovedCase(
  staffId: string,
  options: { district?: string; language?: "zh-CN" | "en"; proxy?: boolean; approve?: boolean; household?: Household; programs?: string[] } = {},
): Promise<ApprovedCase> {
  sequence++;
  const n = String(sequence).padStart(4, "0");
  const applicantPhone = `1350000${n}`;
  const proxyPhone = options.proxy === false ? null : `1340000${n}`;
  const result = await submitApplication(db, {
    applicant: { name: `方案${n}`, idNumber: idNumber(`1101051950122${n}`), phone: applicantPhone, language: options.language ?? "zh-CN" },
    onBehalfOf: proxyPhone ? { name: `代办${n}`, phone: proxyPhone, relationship: "child", consent: "sms" } : null,
    household: options.household ?? NEEDY,
    programs: options.programs ?? ["dibao", "education"],
    channel: "web",
    actor: "resident",
    district: options.district ?? "chaoyang",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  if (options.approve !== false) {
    const reviewer = { staffId, actor: `staff:${staffId}`, actorName: "test" };
    const screened = await moveCase(db, { reference: result.reference, to: "screening", who: reviewer });
    if (!screened.ok) throw new Error(`screening: ${screened.error}`);
    const approved = await approveCase(db, { reference: result.reference, who: reviewer, mayApproveLarge: true });
    if (!approved.ok) throw new Error(`approve: ${approved.error}`);
  }
  return { id: result.id, reference: result.reference, applicantPhone: `+86${applicantPhone}`, proxyPhone: proxyPhone ? `+86${proxyPhone}` : null };
}

/** An organisation with one service for these needs. */
export async function makeService(options: { district: string; needs: string[]; capacity?: number; name?: string; active?: boolean; organisationActive?: boolean }) {
  const organisation = await db.socialOrganisation.create({
    data: {
      name: options.name ?? `Org ${options.district} ${options.needs.join("+")}`,
      district: options.district,
      contactName: "Contact",
      contactPhone: "010-65550000",
      capacity: options.capacity ?? 10,
      active: options.organisationActive ?? true,
    },
  });
  const service = await db.organisationService.create({
    data: { organisationId: organisation.id, name: `Service ${options.needs.join("+")}`, needs: JSON.stringify(options.needs), active: options.active ?? true },
  });
  return { organisationId: organisation.id, serviceId: service.id };
}
