// Outreach leads as the staff console works them: the ranked list with its
// filters, the conversion figures, one lead with its contacts and
// invitations, and the caseworker's actions (log a contact, text an
// invitation, dismiss). Each action runs in one transaction with its audit
// entry (and the text, for an invitation), and only when the lead is still as
// the caseworker saw it (its updatedAt, the "version" the form carries): a
// page left open while someone else acted gets "stale", never a silent
// overwrite. The bulk import lives in ./outreach.server.ts (another owner).
import crypto from "node:crypto";
import type { OutreachReason } from "~/domain/outreach";
import {
  APPROVED_STATUSES,
  INVITATION_DAYS,
  INVITATION_MAX_SEGMENTS,
  LEADS_PER_PAGE,
  headOfHousehold,
  readLeadPeople,
  type ContactKind,
  type ContactOutcome,
  type DismissReason,
  type Funnel,
  type LeadStatus,
} from "~/domain/leads";
import { smsSegments } from "~/domain/sms/segments";
import type { Language } from "~/i18n";
import { recordAudit, type AuditTx } from "~/services/audit.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { queueText } from "~/services/outbox.server";

export interface LeadFilters {
  flag?: string;
  status?: LeadStatus;
  dataDate?: string;
}

export interface LeadListRow {
  id: string;
  householdId: string;
  dataDate: string;
  flags: string;
  flagCount: number;
  perCapitaIncomeFen: number;
  members: number;
  status: string;
  people: string;
}

function whereOf(filters: LeadFilters) {
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.dataDate ? { dataDate: filters.dataDate } : {}),
    // flags is a JSON array of codes: a code in quotes matches that element only.
    ...(filters.flag ? { flags: { contains: `"${filters.flag}"` } } : {}),
  };
}

/** One page of leads in the rule book's order: most flags, lowest income per person, household id. */
export async function listLeads(db: Db, filters: LeadFilters, page: number): Promise<{ rows: LeadListRow[]; total: number; page: number; pages: number }> {
  const where = whereOf(filters);
  const total = await db.outreachLead.count({ where });
  const pages = Math.max(1, Math.ceil(total / LEADS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db.outreachLead.findMany({
    where,
    orderBy: [{ flagCount: "desc" }, { perCapitaIncomeFen: "asc" }, { householdId: "asc" }],
    skip: (current - 1) * LEADS_PER_PAGE,
    take: LEADS_PER_PAGE,
    select: { id: true, householdId: true, dataDate: true, flags: true, flagCount: true, perCapitaIncomeFen: true, members: true, status: true, people: true },
  });
  return { rows, total, page: current, pages };
}

/** The data dates leads exist for, newest first (the filter's choices). */
export async function leadDataDates(db: Db): Promise<string[]> {
  const rows = await db.outreachLead.groupBy({ by: ["dataDate"], orderBy: { dataDate: "desc" }, take: 60 });
  return rows.map((r) => r.dataDate);
}

/**
 * Leads → contacted → invited → applied → approved, for one data date or all.
 * Contacted: a contact was logged (an invitation logs one) or an application
 * came; approved: the application is approved, on public notice or active.
 */
export async function leadFunnel(db: Db, dataDate?: string): Promise<Funnel> {
  const base = dataDate ? { dataDate } : {};
  const [leads, contacted, invited, applied] = await Promise.all([
    db.outreachLead.count({ where: base }),
    db.outreachLead.count({ where: { ...base, OR: [{ contacts: { some: {} } }, { applicationId: { not: null } }] } }),
    db.outreachLead.count({ where: { ...base, OR: [{ invitations: { some: {} } }, { applicationId: { not: null } }] } }),
    db.outreachLead.count({ where: { ...base, applicationId: { not: null } } }),
  ]);
  const [a, b, c] = APPROVED_STATUSES;
  const approvedRows = dataDate
    ? await db.$queryRaw<Array<{ n: bigint | number }>>`
        SELECT COUNT(*) AS "n" FROM "OutreachLead" l JOIN "Application" a ON a."id" = l."applicationId"
        WHERE a."status" IN (${a}, ${b}, ${c}) AND l."dataDate" = ${dataDate}`
    : await db.$queryRaw<Array<{ n: bigint | number }>>`
        SELECT COUNT(*) AS "n" FROM "OutreachLead" l JOIN "Application" a ON a."id" = l."applicationId"
        WHERE a."status" IN (${a}, ${b}, ${c})`;
  return { leads, contacted, invited, applied, approved: Number(approvedRows[0]?.n ?? 0) };
}

export interface LeadDetail {
  id: string;
  householdId: string;
  dataDate: string;
  flags: string[];
  flagCount: number;
  perCapitaIncomeFen: number;
  members: number;
  reasons: OutreachReason[];
  people: ReturnType<typeof readLeadPeople>;
  status: string;
  dismissReason: string | null;
  updatedAt: Date;
  createdAt: Date;
  application: { reference: string; status: string } | null;
  contacts: Array<{ id: string; kind: string; outcome: string; note: string | null; at: Date; staffId: string }>;
  invitations: Array<{ id: string; createdAt: Date; expiresAt: Date; usedAt: Date | null }>;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export async function getLead(db: Db, id: string): Promise<LeadDetail | null> {
  const row = await db.outreachLead.findUnique({
    where: { id },
    include: {
      contacts: { orderBy: [{ at: "desc" }, { id: "desc" }], take: 100 },
      invitations: { orderBy: [{ createdAt: "desc" }], take: 20, select: { id: true, createdAt: true, expiresAt: true, usedAt: true } },
    },
  });
  if (!row) return null;
  const application = row.applicationId ? await db.application.findUnique({ where: { id: row.applicationId }, select: { reference: true, status: true } }) : null;
  return {
    id: row.id,
    householdId: row.householdId,
    dataDate: row.dataDate,
    flags: parseJson<string[]>(row.flags, []),
    flagCount: row.flagCount,
    perCapitaIncomeFen: row.perCapitaIncomeFen,
    members: row.members,
    reasons: parseJson<OutreachReason[]>(row.reasons, []),
    people: readLeadPeople(row.people),
    status: row.status,
    dismissReason: row.dismissReason,
    updatedAt: row.updatedAt,
    createdAt: row.createdAt,
    application,
    contacts: row.contacts.map((c) => ({ id: c.id, kind: c.kind, outcome: c.outcome, note: c.note, at: c.at, staffId: c.staffId })),
    invitations: row.invitations,
  };
}

export interface LeadActor {
  staffId: string;
  actor: string;
  actorName: string;
}

export type LeadActionResult = { ok: true } | { ok: false; error: "notFound" | "stale" | "closed" | "noMobile" };

class Refused extends Error {
  constructor(readonly reason: "notFound" | "stale" | "closed" | "noMobile") {
    super(reason);
  }
}

/** The lead inside the transaction when it is still at `version` (updatedAt as ISO text); else throws Refused. */
async function current(tx: AuditTx, id: string, version: string) {
  const lead = await tx.outreachLead.findUnique({ where: { id }, select: { id: true, status: true, updatedAt: true, people: true } });
  if (!lead) throw new Refused("notFound");
  if (lead.updatedAt.toISOString() !== version) throw new Refused("stale");
  return { lead };
}

async function inTransaction(db: Db, work: (tx: AuditTx) => Promise<void>): Promise<LeadActionResult> {
  try {
    await db.$transaction((tx) => work(tx as unknown as AuditTx), { maxWait: 15_000, timeout: 15_000 });
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.reason };
    throw error;
  }
}

/** Moves the lead on from `version` (conditional: two tabs cannot both win). */
async function touch(tx: AuditTx, id: string, version: string, data: { status?: string; dismissReason?: string }, now: Date): Promise<void> {
  const { count } = await tx.outreachLead.updateMany({ where: { id, updatedAt: new Date(version) }, data: { ...data, updatedAt: now } });
  if (count !== 1) throw new Refused("stale");
}

/** A call, visit or note; a new lead becomes "contacted". Dismissed leads take no more contacts. */
export async function logLeadContact(
  db: Db,
  input: { leadId: string; version: string; kind: ContactKind; outcome: ContactOutcome; note: string | null; who: LeadActor },
  now: Date = new Date(),
): Promise<LeadActionResult> {
  return inTransaction(db, async (tx) => {
    const found = await current(tx, input.leadId, input.version);
    if (found.lead.status === "dismissed") throw new Refused("closed");
    await touch(tx, input.leadId, input.version, found.lead.status === "new" ? { status: "contacted" } : {}, now);
    const contact = await tx.outreachContact.create({
      data: { leadId: input.leadId, staffId: input.who.staffId, kind: input.kind, outcome: input.outcome, note: input.note, at: now },
      select: { id: true },
    });
    await recordAudit(
      tx,
      { actor: input.who.actor, actorName: input.who.actorName, action: "outreach_contact", subjectType: "outreach_lead", subjectId: input.leadId, detail: { contactId: contact.id, kind: input.kind, outcome: input.outcome } },
      now,
    );
  });
}

export function tokenHash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** The invitation text in the household's language; throws when it would cost more than 3 segments (the words are ours). */
export function invitationText(language: Language, url: string): string {
  const body = fixedT(language, "invite")("sms", { url });
  if (smsSegments(body).segments > INVITATION_MAX_SEGMENTS) throw new Error("invitation text is longer than 3 SMS segments");
  return body;
}

/**
 * Texts the head of the household a link to a prefilled application. A
 * random 32-byte token goes in the link; only its SHA-256 is stored. The lead
 * becomes "invited" (unless it already has an application) and the text is
 * logged as a contact. Applied or dismissed leads are not invited.
 */
export async function sendLeadInvitation(
  db: Db,
  input: { leadId: string; version: string; language: Language; who: LeadActor },
  now: Date = new Date(),
): Promise<LeadActionResult> {
  return inTransaction(db, async (tx) => {
    const found = await current(tx, input.leadId, input.version);
    if (found.lead.status === "dismissed" || found.lead.status === "applied") throw new Refused("closed");
    const head = headOfHousehold(readLeadPeople(found.lead.people));
    if (!head?.mobile) throw new Refused("noMobile");
    await touch(tx, input.leadId, input.version, { status: "invited" }, now);
    const token = crypto.randomBytes(32).toString("base64url");
    const invitation = await tx.outreachInvitation.create({
      data: { leadId: input.leadId, tokenHash: tokenHash(token), createdById: input.who.staffId, expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000), createdAt: now },
      select: { id: true },
    });
    const body = invitationText(input.language, `${config().publicUrl}/apply/invite/${token}`);
    await queueText(tx as unknown as Db, { to: head.mobile, body, language: input.language, dedupeKey: `invite:${invitation.id}` });
    await tx.outreachContact.create({ data: { leadId: input.leadId, staffId: input.who.staffId, kind: "sms_invitation", outcome: "sent", at: now }, select: { id: true } });
    await recordAudit(
      tx,
      {
        actor: input.who.actor,
        actorName: input.who.actorName,
        action: "outreach_invite",
        subjectType: "outreach_lead",
        subjectId: input.leadId,
        detail: { invitationId: invitation.id, language: input.language },
      },
      now,
    );
  });
}

/** Closes the lead with a reason ("other" needs the note). A lead with an application is not dismissed. */
export async function dismissLead(
  db: Db,
  input: { leadId: string; version: string; reason: DismissReason; note: string | null; who: LeadActor },
  now: Date = new Date(),
): Promise<LeadActionResult> {
  return inTransaction(db, async (tx) => {
    const found = await current(tx, input.leadId, input.version);
    if (found.lead.status === "dismissed" || found.lead.status === "applied") throw new Refused("closed");
    await touch(tx, input.leadId, input.version, { status: "dismissed", dismissReason: input.note ? `${input.reason}: ${input.note}` : input.reason }, now);
    await recordAudit(
      tx,
      { actor: input.who.actor, actorName: input.who.actorName, action: "outreach_dismiss", subjectType: "outreach_lead", subjectId: input.leadId, detail: { reason: input.reason } },
      now,
    );
  });
}

/** The reason code and the note of a stored dismissReason ("code" or "code: note"). */
export function readDismissReason(stored: string | null): { reason: string; note: string | null } | null {
  if (!stored) return null;
  const at = stored.indexOf(": ");
  return at < 0 ? { reason: stored, note: null } : { reason: stored.slice(0, at), note: stored.slice(at + 2) };
}

/** Usernames of staff ids (for the contact history). */
export async function staffUsernames(db: Db, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const rows = await db.staffUser.findMany({ where: { id: { in: unique } }, select: { id: true, displayName: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.displayName]));
}
