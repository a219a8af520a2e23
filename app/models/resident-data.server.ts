// Everything Lifeline holds about one resident, for the supervisor pages under
// /staff/residents: find the person, show it (masked), export it (one JSON
// document plus every evidence file), and erase it on their request.
//
// Who the person is: their ID number and the mobile numbers they used. The
// search gives an ID number, a phone or a case reference; the rest is filled
// in from their applications (a reference gives its applicant's number and
// phone; an ID number adds the phones of that person's applications; a phone
// used by exactly one applicant gives that applicant's number, by several
// none: the page asks for the ID number instead).
//
// What is matched:
// - cases as applicant: by ID number only (a shared family phone does not make
//   someone else's case theirs); cases where they act for someone (proxy): by
//   phone, and only their own proxy fields are shown, exported and erased;
// - drafts (phone, or the ID number / mobile in the typed answers, or the
//   draft a case was submitted from), call-backs with their calls, text
//   conversations and the bot's state, texts to them or naming their cases, one-time codes,
//   outreach leads (ID number or mobile in the recorded people), objections
//   they sent (their mobile in the contact they gave), the STOP list, and
//   whether they asked not to be screened (an HMAC: see below).
// Not matched: web chats (an anonymous browser id, no phone), the anonymous
// eligibility check and funnel counts, rate-limit counters (HMAC keys) and the
// audit log (ids and references only, append-only by design).
//
// Erasure (eraseResident): refused while any of their cases is not closed
// (rejected or withdrawn): an open application is withdrawn first, so the
// resident is told and the timeline says so; an approved, on-notice or active
// case is kept while help is being decided or paid (the rule book and the
// funds' audits need it) and goes by the retention rules once it ends. Else
// every row above is deleted in ONE transaction with ONE audit entry
// (subjectType "resident", subjectId an HMAC of the ID number, counts only),
// then the files. Kept: the screening opt-out (already an HMAC, never the
// number): deleting it would make the next departmental screening contact a
// person who asked us not to. Outreach leads are deleted whole: a lead
// describes the household (its incomes, its people), and what is left of it
// after taking one person out would still describe them; the next screening
// finds the others again.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { maskPhone, normalizeMobile } from "~/domain/callback";
import {
  maskIdNumber,
  validateIdNumber,
  type IdNumberError,
} from "~/domain/identity";
import {
  screeningOptOutHash,
  screeningOptOutKey,
} from "~/domain/outreach/opt-out";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/services/audit.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import {
  deleteEvidenceFile,
  openEvidenceFile,
} from "~/services/evidence-storage.server";
import type { TarEntry } from "~/services/tar-writer.server";
import { applicationReference } from "./application.server";

type Tx = Prisma.TransactionClient;

// ---------------------------------------------------------------- the search

export interface ResidentQuery {
  idNumber: string | null;
  phone: string | null;
  reference: string | null;
}

/** Field → error key (namespace "residents"). */
export type ResidentQueryErrors = Partial<
  Record<"idNumber" | "phone" | "reference", string>
>;

const ID_ERRORS: Readonly<Record<IdNumberError, string>> = {
  "idNumber.required": "find.errors.idNumber",
  "idNumber.length": "find.errors.idNumber",
  "idNumber.chars": "find.errors.idNumber",
  "idNumber.birthDate": "find.errors.idNumber",
  "idNumber.checkDigit": "find.errors.idNumberCheck",
};

function text(value: FormDataEntryValue | null): string {
  return typeof value === "string" ? value.trim().slice(0, 100) : "";
}

/** The search form's three fields, checked; at least one must be given. */
export function readResidentQuery(
  form: { get(name: string): FormDataEntryValue | null },
  today: string
):
  | { ok: true; query: ResidentQuery }
  | { ok: false; errors: ResidentQueryErrors } {
  const raw = {
    idNumber: text(form.get("idNumber")),
    phone: text(form.get("phone")),
    reference: text(form.get("reference")),
  };
  const errors: ResidentQueryErrors = {};
  if (!raw.idNumber && !raw.phone && !raw.reference)
    return { ok: false, errors: { idNumber: "find.errors.required" } };
  let idNumber: string | null = null;
  if (raw.idNumber) {
    const id = validateIdNumber(raw.idNumber, { asOf: today });
    if (id.ok) idNumber = id.value;
    else errors.idNumber = ID_ERRORS[id.error];
  }
  let phone: string | null = null;
  if (raw.phone) {
    const p = normalizeMobile(raw.phone);
    if (p.ok) phone = p.phone;
    else errors.phone = "find.errors.phone";
  }
  let reference: string | null = null;
  if (raw.reference) {
    reference = applicationReference(raw.reference);
    if (!reference) errors.reference = "find.errors.reference";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, query: { idNumber, phone, reference } };
}

/** The longest reason kept in the audit log (views, exports, erasures). */
export const RESIDENT_REASON_MAX = 500;

/** A reason field: required, at most RESIDENT_REASON_MAX characters; an error key otherwise. */
export function readReason(
  value: FormDataEntryValue | null
):
  | { ok: true; reason: string }
  | { ok: false; error: "reason" | "reasonTooLong" } {
  const reason = typeof value === "string" ? value.trim() : "";
  if (reason === "") return { ok: false, error: "reason" };
  if (Array.from(reason).length > RESIDENT_REASON_MAX)
    return { ok: false, error: "reasonTooLong" };
  return { ok: true, reason };
}

/** The person: an ID number when known, and the mobiles (E.164) they used. */
export interface ResidentKey {
  idNumber: string | null;
  phones: string[];
}

export type ResolveResult =
  | { ok: true; key: ResidentKey }
  | { ok: false; error: "notFound" | "mismatch" | "sharedPhone" };

/** Fills in the person from their applications (see the header). */
export async function resolveResident(
  db: Db | Tx,
  query: ResidentQuery
): Promise<ResolveResult> {
  let idNumber = query.idNumber;
  const phones = new Set<string>(query.phone ? [query.phone] : []);
  if (query.reference) {
    const app = await db.application.findUnique({
      where: { reference: query.reference },
      select: { applicantIdNumber: true, applicantPhone: true },
    });
    if (!app) return { ok: false, error: "notFound" };
    if (idNumber && idNumber !== app.applicantIdNumber)
      return { ok: false, error: "mismatch" };
    idNumber = app.applicantIdNumber;
    phones.add(app.applicantPhone);
  }
  if (!idNumber && phones.size > 0) {
    const applicants = await db.application.findMany({
      where: { applicantPhone: { in: [...phones] } },
      distinct: ["applicantIdNumber"],
      select: { applicantIdNumber: true },
    });
    if (applicants.length > 1) return { ok: false, error: "sharedPhone" };
    if (applicants.length === 1) idNumber = applicants[0].applicantIdNumber;
  }
  if (idNumber) {
    const own = await db.application.findMany({
      where: { applicantIdNumber: idNumber },
      distinct: ["applicantPhone"],
      select: { applicantPhone: true },
    });
    for (const a of own) phones.add(a.applicantPhone);
  }
  return { ok: true, key: { idNumber, phones: [...phones].sort() } };
}

/** The label of the key the audit log's resident ids are made with; changing it unlinks every earlier entry. */
const RESIDENT_SUBJECT_LABEL = "lifeline/resident-subject/v1";

/**
 * How the audit log names a resident: HMAC-SHA256 of the ID number (or, for
 * someone known only by phone, of "phone:<E.164>") under a key derived from
 * the session secret, as the screening opt-outs are (app/domain/outreach/opt-out.ts
 * says why a plain hash would not do). The same person always gets the same
 * id, so their views, exports and erasure can be found together, and the
 * number cannot be read back.
 */
export function residentSubjectId(
  key: ResidentKey,
  sessionSecret: string = config().sessionSecret
): string {
  const secret = createHmac("sha256", sessionSecret)
    .update(RESIDENT_SUBJECT_LABEL)
    .digest();
  const what = key.idNumber
    ? `id:${key.idNumber}`
    : `phone:${key.phones[0] ?? ""}`;
  return `r_${createHmac("sha256", secret).update(what).digest("hex")}`;
}

// ---------------------------------------------------------------- what is held

/** "+8613800138000" → "13800138000": how a mobile appears inside typed answers and free text. */
function national(phone: string): string {
  return phone.startsWith("+86") ? phone.slice(3) : phone;
}

function anyOf<T>(conditions: Array<T | null | false>): T[] {
  return conditions.filter((c): c is T => Boolean(c));
}

const APPLICATION_FULL = {
  include: {
    events: { orderBy: [{ at: "asc" }, { id: "asc" }] },
    evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    objections: {
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        reason: true,
        status: true,
        createdAt: true,
        decidedAt: true,
        decisionNote: true,
      },
    },
  },
} as const satisfies Prisma.ApplicationDefaultArgs;

export type HeldApplication = Prisma.ApplicationGetPayload<
  typeof APPLICATION_FULL
>;
type HeldDraft = Prisma.ApplicationDraftGetPayload<{
  include: { evidence: true };
}>;
type HeldCallback = Prisma.CallbackRequestGetPayload<{
  include: { attempts: true };
}>;
type HeldLead = Prisma.OutreachLeadGetPayload<{
  include: { contacts: true; invitations: true };
}>;

export interface ResidentData {
  key: ResidentKey;
  applications: HeldApplication[];
  /** cases of others where this person is the proxy: only the proxy's fields */
  proxyFor: Array<{
    reference: string;
    status: string;
    proxyName: string | null;
    proxyPhone: string | null;
    proxyRelationship: string | null;
    proxyConsent: string | null;
    proxyConsentAt: Date | null;
    proxyRevokedAt: Date | null;
  }>;
  drafts: HeldDraft[];
  journeySteps: Array<{
    journey: string;
    draftId: string;
    step: string;
    at: Date;
  }>;
  callbacks: HeldCallback[];
  conversations: Array<{
    id: string;
    channel: string;
    address: string;
    language: string;
    transcript: string;
    lastMessageAt: Date;
    createdAt: Date;
  }>;
  botStates: Array<{ key: string; value: string; updatedAt: Date }>;
  outbox: Array<{
    id: string;
    channel: string;
    to: string;
    body: string;
    language: string;
    status: string;
    attempts: number;
    createdAt: Date;
    sentAt: Date | null;
  }>;
  /** what and when, never the code's hash */
  oneTimeCodes: Array<{
    id: string;
    purpose: string;
    applicationId: string | null;
    createdAt: Date;
    expiresAt: Date;
    usedAt: Date | null;
  }>;
  outreachLeads: HeldLead[];
  objectionsSent: Array<{
    id: string;
    reference: string;
    reason: string;
    contact: string | null;
    status: string;
    createdAt: Date;
  }>;
  smsOptOut: { phone: string; optedOutAt: Date }[];
  screeningOptOut: { source: string; createdAt: Date } | null;
}

/** Every row about the person (see the header for what is matched). */
export async function collectResidentData(
  db: Db | Tx,
  key: ResidentKey
): Promise<ResidentData> {
  const { idNumber, phones } = key;
  const applications = idNumber
    ? await db.application.findMany({
        where: { applicantIdNumber: idNumber },
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        ...APPLICATION_FULL,
      })
    : [];
  const caseIds = applications.map((a) => a.id);
  const references = applications.map((a) => a.reference);
  const proxyFor =
    phones.length > 0
      ? await db.application.findMany({
          where: {
            proxyPhone: { in: phones },
            ...(idNumber ? { NOT: { applicantIdNumber: idNumber } } : {}),
          },
          orderBy: { submittedAt: "asc" },
          select: {
            reference: true,
            status: true,
            proxyName: true,
            proxyPhone: true,
            proxyRelationship: true,
            proxyConsent: true,
            proxyConsentAt: true,
            proxyRevokedAt: true,
          },
        })
      : [];

  const draftWhere = anyOf<Prisma.ApplicationDraftWhereInput>([
    phones.length > 0 && { phone: { in: phones } },
    idNumber !== null && { answers: { contains: idNumber } },
    ...phones.map((p) => ({ answers: { contains: national(p) } })),
    references.length > 0 && { submittedReference: { in: references } },
  ]);
  const drafts =
    draftWhere.length > 0
      ? await db.applicationDraft.findMany({
          where: { OR: draftWhere },
          include: { evidence: true },
          orderBy: { createdAt: "asc" },
        })
      : [];
  const draftIds = drafts.map((d) => d.id);
  const journeySteps =
    draftIds.length > 0
      ? await db.journeyStep.findMany({
          where: { draftId: { in: draftIds } },
          orderBy: { at: "asc" },
        })
      : [];

  const byPhone = phones.length > 0;
  const callbacks = byPhone
    ? await db.callbackRequest.findMany({
        where: { phone: { in: phones } },
        include: { attempts: { orderBy: { at: "asc" } } },
        orderBy: { createdAt: "asc" },
      })
    : [];
  const conversations = byPhone
    ? await db.conversation.findMany({
        where: {
          channel: "sms",
          OR: [
            { address: { in: phones } },
            { id: { in: phones.map((p) => `sms:${p}`) } },
          ],
        },
        select: {
          id: true,
          channel: true,
          address: true,
          language: true,
          transcript: true,
          lastMessageAt: true,
          createdAt: true,
        },
      })
    : [];
  const botStates = byPhone
    ? await db.botState.findMany({
        where: {
          OR: phones.flatMap((p) => [
            { key: { contains: p } },
            { value: { contains: p } },
          ]),
        },
        select: { key: true, value: true, updatedAt: true },
        orderBy: { key: "asc" },
      })
    : [];
  // Texts to them, and texts about their cases to someone else (a receipt to their proxy names the case).
  const outboxWhere = anyOf<Prisma.OutboxMessageWhereInput>([
    byPhone && { to: { in: phones } },
    ...references.map((r) => ({ body: { contains: r } })),
  ]);
  const outbox =
    outboxWhere.length > 0
      ? await db.outboxMessage.findMany({
          where: { OR: outboxWhere },
          select: {
            id: true,
            channel: true,
            to: true,
            body: true,
            language: true,
            status: true,
            attempts: true,
            createdAt: true,
            sentAt: true,
          },
          orderBy: { createdAt: "asc" },
        })
      : [];
  const codeWhere = anyOf<Prisma.OneTimeCodeWhereInput>([
    byPhone && { phone: { in: phones } },
    caseIds.length > 0 && { applicationId: { in: caseIds } },
  ]);
  const oneTimeCodes =
    codeWhere.length > 0
      ? await db.oneTimeCode.findMany({
          where: { OR: codeWhere },
          select: {
            id: true,
            purpose: true,
            applicationId: true,
            createdAt: true,
            expiresAt: true,
            usedAt: true,
          },
          orderBy: { createdAt: "asc" },
        })
      : [];
  const leadWhere = anyOf<Prisma.OutreachLeadWhereInput>([
    idNumber !== null && { people: { contains: idNumber } },
    ...phones.map((p) => ({ people: { contains: p } })),
    caseIds.length > 0 && { applicationId: { in: caseIds } },
  ]);
  const outreachLeads =
    leadWhere.length > 0
      ? await db.outreachLead.findMany({
          where: { OR: leadWhere },
          include: { contacts: true, invitations: true },
          orderBy: { createdAt: "asc" },
        })
      : [];
  const objectionsSent = byPhone
    ? (
        await db.noticeObjection.findMany({
          where: {
            OR: phones.map((p) => ({ contact: { contains: national(p) } })),
          },
          select: {
            id: true,
            reason: true,
            contact: true,
            status: true,
            createdAt: true,
            application: { select: { reference: true } },
          },
        })
      ).map(({ application, ...o }) => ({
        ...o,
        reference: application.reference,
      }))
    : [];
  const smsOptOut = byPhone
    ? await db.smsOptOut.findMany({ where: { phone: { in: phones } } })
    : [];
  const screeningOptOut = idNumber
    ? await db.screeningOptOut.findUnique({
        where: {
          idHash: screeningOptOutHash(
            idNumber,
            screeningOptOutKey(config().sessionSecret)
          ),
        },
        select: { source: true, createdAt: true },
      })
    : null;

  return {
    key,
    applications,
    proxyFor,
    drafts,
    journeySteps,
    callbacks,
    conversations,
    botStates,
    outbox,
    oneTimeCodes,
    outreachLeads,
    objectionsSent,
    smsOptOut,
    screeningOptOut,
  };
}

/** How many rows of each kind (for the page, the audit entries and the tests). */
export function countHeld(data: ResidentData): Record<string, number> {
  return {
    applications: data.applications.length,
    caseEvents: data.applications.reduce((n, a) => n + a.events.length, 0),
    evidence:
      data.applications.reduce((n, a) => n + a.evidence.length, 0) +
      data.drafts.reduce((n, d) => n + d.evidence.length, 0),
    proxyFor: data.proxyFor.length,
    drafts: data.drafts.length,
    journeySteps: data.journeySteps.length,
    callbacks: data.callbacks.length,
    callAttempts: data.callbacks.reduce((n, c) => n + c.attempts.length, 0),
    conversations: data.conversations.length,
    botStates: data.botStates.length,
    outbox: data.outbox.length,
    oneTimeCodes: data.oneTimeCodes.length,
    outreachLeads: data.outreachLeads.length,
    objectionsSent: data.objectionsSent.length,
    smsOptOut: data.smsOptOut.length,
    screeningOptOut: data.screeningOptOut ? 1 : 0,
  };
}

export function holdsNothing(data: ResidentData): boolean {
  return Object.values(countHeld(data)).every((n) => n === 0);
}

// ---------------------------------------------------------------- the page (masked)

function transcriptLines(transcript: string): number {
  try {
    const value: unknown = JSON.parse(transcript);
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}

/** What the supervisor's page shows: ID number and phones masked, no free text, no texts' words. */
export function residentOverview(data: ResidentData) {
  return {
    idNumber: data.key.idNumber ? maskIdNumber(data.key.idNumber) : null,
    phones: data.key.phones.map(maskPhone),
    applications: data.applications.map((a) => ({
      reference: a.reference,
      status: a.status,
      channel: a.channel,
      submittedAt: a.submittedAt,
      events: a.events.length,
      evidence: a.evidence.map((e) => ({
        id: e.id,
        type: e.type,
        format: e.format,
        size: e.size,
        createdAt: e.createdAt,
      })),
    })),
    proxyFor: data.proxyFor.map((p) => ({
      reference: p.reference,
      status: p.status,
      relationship: p.proxyRelationship,
    })),
    drafts: data.drafts.map((d) => ({
      createdAt: d.createdAt,
      lastActivityAt: d.lastActivityAt,
      step: d.step,
      files: d.evidence.length,
      submittedReference: d.submittedReference,
    })),
    callbacks: data.callbacks.map((c) => ({
      reference: c.reference,
      status: c.status,
      source: c.source,
      createdAt: c.createdAt,
      attempts: c.attempts.length,
    })),
    conversations: data.conversations.map((c) => ({
      channel: c.channel,
      lastMessageAt: c.lastMessageAt,
      lines: transcriptLines(c.transcript),
    })),
    texts: data.outbox.map((m) => ({
      createdAt: m.createdAt,
      status: m.status,
    })),
    oneTimeCodes: data.oneTimeCodes.length,
    botStates: data.botStates.length,
    outreachLeads: data.outreachLeads.map((l) => ({
      id: l.id,
      dataDate: l.dataDate,
      status: l.status,
      contacts: l.contacts.length,
      invitations: l.invitations.length,
    })),
    objectionsSent: data.objectionsSent.length,
    smsOptOut: data.smsOptOut.length > 0,
    screeningOptOut: data.screeningOptOut !== null,
  };
}

export type ResidentOverview = ReturnType<typeof residentOverview>;

// ---------------------------------------------------------------- the export

const EXTENSIONS: Readonly<Record<string, string>> = {
  pdf: "pdf",
  jpeg: "jpg",
  png: "png",
  heic: "heic",
};
export const EXPORT_FORMAT = "lifeline-resident-export/1";

/** JSON text columns become values; text that is not JSON stays text. */
function parsed(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function fileName(e: { id: string; format: string }): string {
  return `files/${e.id}.${EXTENSIONS[e.format] ?? "bin"}`;
}

/** Files that are really there, with their sizes; a missing file is marked in the document, not fatal. */
async function presentFiles(
  names: ReadonlyArray<{ storedName: string }>,
  uploadDir: string
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const { storedName } of names) {
    const stat = await fs.promises
      .lstat(path.join(uploadDir, storedName))
      .catch(() => null);
    if (stat?.isFile()) sizes.set(storedName, stat.size);
  }
  return sizes;
}

/**
 * The archive's entries: resident.json (every row, JSON columns parsed, each
 * document with its path in the archive and sha256), then files/<id>.<ext>
 * streamed from UPLOAD_DIR.
 */
export async function residentExportEntries(
  data: ResidentData,
  now: Date,
  uploadDir: string = config().uploadDir
): Promise<{ entries: AsyncIterable<TarEntry>; files: number; bytes: number }> {
  const allEvidence = [
    ...data.applications.flatMap((a) => a.evidence),
    ...data.drafts.flatMap((d) => d.evidence),
  ];
  const sizes = await presentFiles(allEvidence, uploadDir);
  const evidence = (e: (typeof allEvidence)[number]) => {
    const { storedName, ...rest } = e;
    return { ...rest, file: sizes.has(storedName) ? fileName(e) : null };
  };
  const document = {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    person: data.key,
    applications: data.applications.map((a) => ({
      ...a,
      household: parsed(a.household),
      programs: parsed(a.programs),
      results: parsed(a.results),
      decision: parsed(a.decision),
      events: a.events.map((e) => ({ ...e, detail: parsed(e.detail) })),
      evidence: a.evidence.map(evidence),
    })),
    proxyFor: data.proxyFor,
    drafts: data.drafts.map((d) => ({
      ...d,
      answers: parsed(d.answers),
      evidence: d.evidence.map(evidence),
    })),
    journeySteps: data.journeySteps,
    callbacks: data.callbacks.map((c) => ({
      ...c,
      context: parsed(c.context),
    })),
    conversations: data.conversations.map((c) => ({
      ...c,
      transcript: parsed(c.transcript),
    })),
    botStates: data.botStates.map((b) => ({ ...b, value: parsed(b.value) })),
    outbox: data.outbox,
    oneTimeCodes: data.oneTimeCodes,
    outreachLeads: data.outreachLeads.map((l) => ({
      ...l,
      flags: parsed(l.flags),
      reasons: parsed(l.reasons),
      household: parsed(l.household),
      people: parsed(l.people),
      // the link's token hash opens a draft: not the person's data, and not to travel
      invitations: l.invitations.map(({ tokenHash: _hash, ...i }) => i),
    })),
    objectionsSent: data.objectionsSent,
    smsOptOut: data.smsOptOut,
    screeningOptOut: data.screeningOptOut,
  };
  const json = new TextEncoder().encode(
    `${JSON.stringify(document, null, 2)}\n`
  );
  const withFiles = allEvidence.filter((e) => sizes.has(e.storedName));
  async function* entries(): AsyncGenerator<TarEntry> {
    yield { name: "resident.json", size: json.length, mtime: now, body: json };
    for (const e of withFiles) {
      const file = await openEvidenceFile(e.storedName, { uploadDir });
      if (!file)
        throw new Error("An evidence file went missing during the export");
      yield {
        name: fileName(e),
        size: file.size,
        mtime: e.createdAt,
        body: file.stream as AsyncIterable<Uint8Array>,
      };
    }
  }
  return {
    entries: entries(),
    files: withFiles.length,
    bytes: json.length + [...sizes.values()].reduce((n, s) => n + s, 0),
  };
}

// ---------------------------------------------------------------- erasure

/** Cases that stop an erasure: anything not closed (rejected or withdrawn). */
const ERASABLE_STATUSES = new Set(["rejected", "withdrawn"]);

export type EraseResult =
  | {
      ok: true;
      counts: Record<string, number>;
      filesDeleted: number;
      subjectId: string;
    }
  | {
      ok: false;
      error: "openCases";
      cases: Array<{ reference: string; status: string }>;
    }
  | { ok: false; error: "nothingHeld" };

export interface EraseBy {
  actor: string;
  actorName: string;
  reason: string;
}

/**
 * Deletes every row about the person in one transaction, with one audit
 * entry, then their files (see the header for what is refused and what is
 * kept). The rows are found again inside the transaction, so anything that
 * arrived since the page was shown goes too.
 */
export async function eraseResident(
  db: Db,
  key: ResidentKey,
  by: EraseBy,
  now: Date = new Date(),
  uploadDir: string = config().uploadDir
): Promise<EraseResult> {
  const subjectId = residentSubjectId(key);
  const outcome = await db.$transaction(
    async (tx): Promise<EraseResult & { files?: string[] }> => {
      const data = await collectResidentData(tx, key);
      const blocking = data.applications
        .filter((a) => !ERASABLE_STATUSES.has(a.status))
        .map((a) => ({ reference: a.reference, status: a.status }));
      if (blocking.length > 0)
        return { ok: false, error: "openCases", cases: blocking };
      const counts = countHeld(data);
      // The screening opt-out is kept (see the header): it is not erased, so not counted as erased.
      const erasedCounts = { ...counts, screeningOptOut: 0 };
      if (Object.values(erasedCounts).every((n) => n === 0))
        return { ok: false, error: "nothingHeld" };
      const files = [
        ...data.applications.flatMap((a) => a.evidence),
        ...data.drafts.flatMap((d) => d.evidence),
      ].map((e) => e.storedName);
      const caseIds = data.applications.map((a) => a.id);
      const draftIds = data.drafts.map((d) => d.id);
      const leadIds = data.outreachLeads.map((l) => l.id);
      const phones = key.phones;

      await tx.oneTimeCode.deleteMany({
        where: { id: { in: data.oneTimeCodes.map((c) => c.id) } },
      });
      await tx.journeyStep.deleteMany({ where: { draftId: { in: draftIds } } });
      await tx.applicationDraft.deleteMany({ where: { id: { in: draftIds } } });
      // Others' cases that began from these leads keep their case, not the link.
      await tx.application.updateMany({
        where: { outreachLeadId: { in: leadIds } },
        data: { outreachLeadId: null },
      });
      await tx.outreachLead.deleteMany({ where: { id: { in: leadIds } } });
      await tx.application.deleteMany({ where: { id: { in: caseIds } } });
      await tx.outboxMessage.deleteMany({
        where: { id: { in: data.outbox.map((m) => m.id) } },
      });
      if (phones.length > 0) {
        // Where they act for someone else: that person's case stays, without the proxy's details.
        await tx.application.updateMany({
          where: {
            proxyPhone: { in: phones },
            ...(key.idNumber
              ? { NOT: { applicantIdNumber: key.idNumber } }
              : {}),
          },
          data: { proxyName: null, proxyPhone: null, proxyRelationship: null },
        });
        await tx.callbackRequest.deleteMany({
          where: { id: { in: data.callbacks.map((c) => c.id) } },
        });
        await tx.conversation.deleteMany({
          where: { id: { in: data.conversations.map((c) => c.id) } },
        });
        await tx.botState.deleteMany({
          where: { key: { in: data.botStates.map((b) => b.key) } },
        });
        await tx.noticeObjection.updateMany({
          where: { id: { in: data.objectionsSent.map((o) => o.id) } },
          data: { contact: null },
        });
        await tx.smsOptOut.deleteMany({ where: { phone: { in: phones } } });
      }
      await recordAudit(
        tx,
        {
          actor: by.actor,
          actorName: by.actorName,
          action: "erase_resident",
          subjectType: "resident",
          subjectId,
          reason: by.reason,
          detail: {
            erased: erasedCounts,
            keptScreeningOptOut: data.screeningOptOut !== null,
          },
        },
        now
      );
      return {
        ok: true,
        counts: erasedCounts,
        filesDeleted: 0,
        subjectId,
        files,
      };
    },
    { maxWait: 15_000, timeout: 30_000 }
  );
  if (!outcome.ok) return outcome;
  let filesDeleted = 0;
  for (const name of outcome.files ?? []) {
    // A file that cannot be removed now is left to the retention job's orphan sweep.
    filesDeleted += await deleteEvidenceFile(name, { uploadDir }).then(
      (gone) => (gone ? 1 : 0),
      () => 0
    );
  }
  return {
    ok: true,
    counts: outcome.counts,
    filesDeleted,
    subjectId: outcome.subjectId,
  };
}

/** Records a look at, or an export of, everything held about a person. */
export async function auditResidentAccess(
  db: Db,
  {
    actor,
    actorName,
    action,
    key,
    reason,
    detail,
  }: {
    actor: string;
    actorName: string;
    action: "view_resident" | "export_resident";
    key: ResidentKey;
    reason: string;
    detail: Record<string, unknown>;
  }
): Promise<void> {
  await recordAudit(db, {
    actor,
    actorName,
    action,
    subjectType: "resident",
    subjectId: residentSubjectId(key),
    reason,
    detail,
  });
}
