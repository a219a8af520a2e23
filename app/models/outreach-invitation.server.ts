// The resident's side of an outreach invitation (/apply/invite/<token>): what
// a token opens, the prefilled application draft it opens, and "don't check
// my records again" (ScreeningOptOut). The link's token is never stored: it is
// looked up by its SHA-256. The first open makes the draft (and records when);
// opening the link again within its 14 days reopens that same draft, as a
// resume link does, so a phone's link preview cannot use it up. Once the
// application is sent, or the lead closed, the link opens nothing. Every
// answer to a bad token is the same few words whether or not a lead exists.
import { invitationAnswers } from "~/domain/leads";
import type { Language } from "~/i18n";
import { createOutreachDraft } from "~/models/application-draft.server";
import { screeningOptOutHashFor } from "~/models/outreach.server";
import { recordAudit, type AuditTx } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { tokenHash } from "./outreach-leads.server";

/** unknown → 404; expired or used (the application was sent) → 410. */
export type InvitationState = "ok" | "unknown" | "expired" | "used";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

async function findByToken(client: Pick<Db, "outreachInvitation">, token: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  return client.outreachInvitation.findUnique({
    where: { tokenHash: tokenHash(token) },
    select: { id: true, leadId: true, draftId: true, expiresAt: true, usedAt: true, lead: { select: { id: true, status: true, household: true, people: true } } },
  });
}

type Found = NonNullable<Awaited<ReturnType<typeof findByToken>>>;

function stateOf(row: Found | null, now: Date): InvitationState {
  if (!row) return "unknown";
  if (row.lead.status === "applied") return "used";
  // A lead closed since (dismissed, or the resident opted out) has nothing left to open.
  if (row.expiresAt.getTime() <= now.getTime() || row.lead.status === "dismissed") return "expired";
  return "ok";
}

/** What the link would open now (no change). */
export async function invitationState(db: Db, token: string, now: Date = new Date()): Promise<InvitationState> {
  return stateOf(await findByToken(db, token), now);
}

/**
 * The draft the invitation opens: the one it opened before while that is
 * still unsent, else a new prefilled draft (recorded on the invitation,
 * conditionally, so two clicks at once make one). Returns the draft id.
 */
export async function openInvitation(
  db: Db,
  token: string,
  language: Language,
  now: Date = new Date(),
): Promise<{ ok: true; draftId: string } | { ok: false; state: Exclude<InvitationState, "ok"> }> {
  return db.$transaction(async (tx) => {
    const row = await findByToken(tx, token);
    const state = stateOf(row, now);
    if (state !== "ok" || !row) return { ok: false as const, state: state === "ok" ? "unknown" : state };
    if (row.draftId) {
      const draft = await tx.applicationDraft.findUnique({ where: { id: row.draftId }, select: { submittedReference: true, expiresAt: true } });
      if (draft?.submittedReference) return { ok: false as const, state: "used" as const };
      if (draft && draft.expiresAt.getTime() > now.getTime()) return { ok: true as const, draftId: row.draftId };
    }
    const draftId = await createOutreachDraft(tx, { language, answers: invitationAnswers(row.lead) }, now);
    const { count } = await tx.outreachInvitation.updateMany({ where: { id: row.id, draftId: row.draftId }, data: { usedAt: row.usedAt ?? now, draftId } });
    if (count !== 1) throw new Error("invitation opened twice at once");
    await recordAudit(tx as unknown as AuditTx, { actor: "resident", action: "outreach_invitation_opened", subjectType: "outreach_lead", subjectId: row.leadId, detail: { invitationId: row.id } }, now);
    return { ok: true as const, draftId };
  });
}

/** Records that this ID number's holder asks not to be screened again (idempotent). */
export async function recordScreeningOptOut(client: Pick<Db, "screeningOptOut">, idNumber: string, source: "web" | "staff" | "sms", now: Date = new Date()): Promise<void> {
  const idHash = screeningOptOutHashFor(idNumber);
  await client.screeningOptOut.upsert({ where: { idHash }, update: {}, create: { idHash, source, createdAt: now }, select: { id: true } });
}

/**
 * "Don't check my records again" from the invitation page: the head of the
 * household (the person the text went to) is recorded as opted out, the lead
 * is closed (reason opted_out), so the link opens nothing more.
 */
export async function optOutByInvitation(db: Db, token: string, now: Date = new Date()): Promise<{ ok: true } | { ok: false; state: Exclude<InvitationState, "ok"> }> {
  return db.$transaction(async (tx) => {
    const row = await findByToken(tx, token);
    const state = stateOf(row, now);
    if (state !== "ok" || !row) return { ok: false as const, state: state === "ok" ? "unknown" : state };
    const { applicant } = invitationAnswers(row.lead);
    if (applicant.idNumber) await recordScreeningOptOut(tx, applicant.idNumber, "web", now);
    await tx.outreachLead.updateMany({ where: { id: row.leadId, applicationId: null }, data: { status: "dismissed", dismissReason: "opted_out", updatedAt: now } });
    await recordAudit(tx as unknown as AuditTx, { actor: "resident", action: "screening_opt_out", subjectType: "outreach_lead", subjectId: row.leadId, detail: { via: "invitation" } }, now);
    return { ok: true as const };
  });
}

/** True when the token's lead was closed because its resident opted out (the confirmation page). */
export async function invitationOptedOut(db: Db, token: string): Promise<boolean> {
  const row = await findByToken(db, token);
  if (!row) return false;
  const lead = await db.outreachLead.findUnique({ where: { id: row.leadId }, select: { dismissReason: true } });
  return lead?.dismissReason === "opted_out";
}
