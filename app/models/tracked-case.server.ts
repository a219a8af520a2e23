// A case as the resident (or the person applying for them) sees it on
// /track/case, read only through the id and phone of a signed-in tracking
// session: nothing here takes a reference from the browser, so one case's
// sign-in cannot open another. Also the applicant's "stop them seeing my case".
// Issue 6: a case that began from outreach carries the flags that started it
// (with their figures: the household's, never another person's data), and
// the applicant may ask not to be screened again (ScreeningOptOut).
import { isCaseStatus, isEvidenceType, type CaseStatus, type EvidenceType } from "~/domain/case";
import { evidenceChecklist, type ChecklistHousehold, type ChecklistItem } from "~/domain/evidence";
import { maskPhone } from "~/domain/callback";
import { maskIdNumber } from "~/domain/identity";
import type { OutreachReason } from "~/domain/outreach";
import { screeningOptOutHashFor } from "~/models/outreach.server";
import { recordAudit } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { recordScreeningOptOut } from "./outreach-invitation.server";
import { roleOf, type TrackRole } from "./one-time-code.server";

export interface ResidentCaseView {
  id: string;
  reference: string;
  status: CaseStatus;
  role: TrackRole;
  submittedAt: Date;
  /** "110***********7777" */
  applicantIdNumber: string;
  applicantPhone: string;
  proxy: { name: string | null; relationship: string | null; phone: string | null; revoked: boolean } | null;
  evidence: Array<{ id: string; type: EvidenceType; status: string; rejectReason: string | null; createdAt: Date }>;
  timeline: Array<{ type: string; toStatus: string | null; actor: string; at: Date; evidenceType: string | null }>;
  /** Needed documents with none received or accepted (a rejected one does not count). */
  missing: ChecklistItem[];
  /** The case began from an outreach lead: the screening date and the flags' reasons (figures only). */
  outreach: { dataDate: string; reasons: OutreachReason[] } | null;
  /** The applicant already asked not to be screened again. */
  optedOut: boolean;
}

function parse<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The case when this phone may still see it in this role, else null. */
export async function getCaseForResident(db: Db, { applicationId, phone }: { applicationId: string; phone: string }): Promise<ResidentCaseView | null> {
  const row = await db.application.findUnique({
    where: { id: applicationId },
    select: {
      id: true,
      reference: true,
      status: true,
      submittedAt: true,
      applicantIdNumber: true,
      applicantPhone: true,
      proxyName: true,
      proxyPhone: true,
      proxyRelationship: true,
      proxyRevokedAt: true,
      household: true,
      outreachLeadId: true,
      evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, type: true, status: true, rejectReason: true, createdAt: true } },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { type: true, toStatus: true, actor: true, at: true, detail: true } },
    },
  });
  if (!row || !isCaseStatus(row.status)) return null;
  const role = roleOf(row, phone);
  if (!role) return null;

  const hasProxy = row.proxyName !== null || row.proxyPhone !== null;
  const household = parse<ChecklistHousehold>(row.household, { members: [] });
  const evidence = row.evidence.filter((e) => isEvidenceType(e.type)) as ResidentCaseView["evidence"];
  const have = new Set(evidence.filter((e) => e.status !== "rejected").map((e) => e.type));
  const missing = evidenceChecklist({ household, onBehalf: hasProxy }).filter((item) => item.required && !have.has(item.type));

  const lead = row.outreachLeadId ? await db.outreachLead.findUnique({ where: { id: row.outreachLeadId }, select: { dataDate: true, reasons: true } }) : null;
  // Only the flags themselves: the "incomplete records" note is for staff (it cites file lines).
  const reasons = lead ? parse<OutreachReason[]>(lead.reasons, []).filter((r) => r.passed) : [];
  const optedOut = row.applicantIdNumber
    ? (await db.screeningOptOut.findUnique({ where: { idHash: screeningOptOutHashFor(row.applicantIdNumber) }, select: { id: true } })) !== null
    : false;

  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    role,
    submittedAt: row.submittedAt,
    applicantIdNumber: maskIdNumber(row.applicantIdNumber),
    applicantPhone: maskPhone(row.applicantPhone),
    proxy: hasProxy
      ? { name: row.proxyName, relationship: row.proxyRelationship, phone: row.proxyPhone ? maskPhone(row.proxyPhone) : null, revoked: row.proxyRevokedAt !== null }
      : null,
    evidence,
    timeline: row.events.map((e) => {
      const detail = parse<{ type?: unknown }>(e.detail, {});
      return { type: e.type, toStatus: e.toStatus, actor: e.actor, at: e.at, evidenceType: typeof detail.type === "string" ? detail.type : null };
    }),
    missing,
    outreach: lead ? { dataDate: lead.dataDate, reasons } : null,
    optedOut,
  };
}

/** The applicant asks not to be screened again: their ID number's opt-out hash is recorded (idempotent). */
export async function optOutOfScreening(db: Db, applicationId: string, now: Date = new Date()): Promise<boolean> {
  const row = await db.application.findUnique({ where: { id: applicationId }, select: { applicantIdNumber: true } });
  if (!row?.applicantIdNumber) return false;
  await db.$transaction(async (tx) => {
    await recordScreeningOptOut(tx, row.applicantIdNumber, "web", now);
    await recordAudit(tx, { actor: "resident", action: "screening_opt_out", subjectType: "application", subjectId: applicationId, detail: { via: "track" } }, now);
  });
  return true;
}

/** The applicant stops the proxy seeing the case; false when there is nobody to stop. */
export async function revokeProxy(db: Db, applicationId: string, now: Date = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.application.updateMany({
      where: { id: applicationId, proxyRevokedAt: null, proxyPhone: { not: null } },
      data: { proxyRevokedAt: now, updatedAt: now },
    });
    if (count !== 1) return false;
    await tx.caseEvent.create({ data: { applicationId, type: "proxy_revoked", actor: "resident", at: now }, select: { id: true } });
    return true;
  });
}
