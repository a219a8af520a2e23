// Applications (cases), their timeline and their evidence rows: the only code
// that reads or writes Application, CaseEvent and Evidence. Every channel (web
// journey, partner API, staff, chat, SMS) submits through submitApplication,
// so validation, the eligibility snapshot, the reference and the receipt text
// are the same everywhere. The application, its first timeline event and the
// receipt texts are written in one transaction: all of them or none.
//
// Errors are keys, per field path ({"applicant.idNumber": "idNumber.checkDigit"});
// each channel words them (the JSON API in namespace "application").
import { assertTransition, CaseTransitionError, isCaseStatus, type CaseStatus, type Channel, type EvidenceType } from "~/domain/case";
import { cleanText, characterCount, isValidReference, makeReference, normalizeMobile, normalizeReference, REFERENCE_PREFIX } from "~/domain/callback";
import {
  assessHousehold,
  EligibilityError,
  InvalidHouseholdError,
  NoRulesInForceError,
  PROGRAM_CODES,
  type Assessment,
  type Household,
  type ProgramCode,
} from "~/domain/eligibility";
import { maskIdNumber, validateIdNumber } from "~/domain/identity";
import type { Prisma } from "~/generated/prisma/client";
import { isLanguage, type Language } from "~/i18n";
import { newRowId, type Db } from "~/services/db.server";
import { groupCommit } from "~/services/group-commit.server";
import { queueText } from "~/services/outbox.server";
import { fixedT } from "~/services/i18n.server";
import { smsText } from "~/services/sms-text.server";
import { PROXY_CONSENTS, PROXY_RELATIONSHIPS, type ProxyConsent, type ProxyRelationship } from "~/domain/case/proxy";

type Client = Db | Prisma.TransactionClient;

export const APPLICANT_NAME_MAX = 50;

export { PROXY_CONSENTS, PROXY_RELATIONSHIPS, type ProxyConsent, type ProxyRelationship };

export interface SubmitApplicationInput {
  applicant: { name: string; idNumber: string; phone: string; language?: string | null };
  onBehalfOf?: { name: string; phone: string; relationship: string; consent: string } | null;
  household: Household;
  /** Omitted: the programmes the rules say are eligible or need a review. */
  programs?: readonly string[] | null;
  channel: Channel;
  /** Written on the first timeline event: "resident", "proxy", "partner:<tokenId>", "staff:<id>"… */
  actor: string;
  createdByTokenId?: string | null;
  /** Demo City district code (app/domain/case/districts.ts), shown on the public notice list. */
  district?: string | null;
  /** The outreach lead this application began from (channel "outreach"). */
  outreachLeadId?: string | null;
  /** Day the household is assessed on (YYYY-MM-DD); default today in Asia/Shanghai. */
  asOf?: string;
}

/** Field path → error key. */
export type ApplicationErrors = Record<string, string>;

export type SubmitApplicationResult =
  | { ok: true; id: string; reference: string; status: "submitted" }
  | { ok: false; errors: ApplicationErrors };

export interface SubmitOptions {
  /** Tests force a reference collision with their own generator. */
  newReference?: () => string;
}

// With 29^7 possible references a clash is very unlikely; a few tries make it
// practically impossible without looping for ever on a broken generator.
const REFERENCE_ATTEMPTS = 5;

// Submissions queue behind each other on SQLite's one writer; under load a
// transaction may wait its turn for longer than Prisma's 2 s default.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/** Runs fn in a transaction, or in the caller's when given a transaction client already. */
function inTransaction<T>(client: Client, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  if ("$transaction" in client) return client.$transaction(fn, TRANSACTION_OPTIONS);
  return fn(client);
}

/** Like inTransaction, but the transaction is shared with concurrent submissions (app/services/group-commit.server.ts). */
function inGroupCommit<T>(client: Client, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  if ("$transaction" in client) return groupCommit(client, fn);
  return fn(client);
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

function todayInShanghai(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

function checkName(raw: unknown, path: string, errors: ApplicationErrors): string | null {
  const name = cleanText(raw);
  if (name === null) errors[path] = "name.required";
  else if (characterCount(name) > APPLICANT_NAME_MAX) errors[path] = "name.tooLong";
  return name;
}

function checkPhone(raw: unknown, path: string, errors: ApplicationErrors): string | null {
  const phone = normalizeMobile(typeof raw === "string" ? raw : "");
  if (!phone.ok) {
    errors[path] = phone.error;
    return null;
  }
  return phone.phone;
}

/** The programmes applied for, in rule-book order without repeats; errors under "programs" / "programs[i]". */
function checkPrograms(raw: readonly string[] | null | undefined, assessment: Assessment | null, errors: ApplicationErrors): ProgramCode[] {
  if (raw === null || raw === undefined) {
    if (!assessment) return [];
    const suggested = assessment.results.filter((r) => r.outcome !== "not_eligible").map((r) => r.program);
    if (suggested.length === 0) errors.programs = "programs.noneSuggested";
    return suggested;
  }
  if (raw.length === 0) {
    errors.programs = "programs.empty";
    return [];
  }
  raw.forEach((code, i) => {
    if (!isOneOf(PROGRAM_CODES, code)) errors[`programs[${i}]`] = "programs.unknown";
  });
  return PROGRAM_CODES.filter((code) => raw.includes(code));
}

function assess(household: Household, asOf: string, errors: ApplicationErrors): Assessment | null {
  try {
    return assessHousehold(household, asOf);
  } catch (error) {
    // The JSON schema already refuses what the engine refuses; these keep any gap a 400, never a 500.
    if (error instanceof InvalidHouseholdError) errors["household.members"] = "household.invalid";
    else if (error instanceof NoRulesInForceError || error instanceof EligibilityError) errors.asOf = "asOf.invalid";
    else throw error;
    return null;
  }
}

// The receipt's words per language with a marker where the reference goes:
// i18next's lookup and interpolation cost more than the rest of building a
// submission, and only the reference changes from one receipt to the next.
// Filled by string replacement, so the text is exactly what smsText makes
// (tests/integration/applications/model.test.ts compares them).
const REFERENCE_MARK = "\u0000reference\u0000";
const receiptTemplates = new Map<Language, string>();

function receiptText(language: Language, reference: string): string {
  let template = receiptTemplates.get(language);
  if (template === undefined) {
    template = smsText(language, "applicationReceipt", { reference: REFERENCE_MARK });
    receiptTemplates.set(language, template);
  }
  return template.split(REFERENCE_MARK).join(reference);
}

/** An application's columns as submitApplication writes them (the rest are set by the database or later). */
interface NewApplicationRow {
  channel: Channel;
  language: Language;
  applicantName: string;
  applicantIdNumber: string;
  applicantPhone: string;
  proxyName: string | null;
  proxyPhone: string | null;
  proxyRelationship: ProxyRelationship | null;
  proxyConsent: ProxyConsent | null;
  proxyConsentAt: Date | null;
  district: string | null;
  household: string;
  programs: string;
  results: string;
  rulesVersion: string;
  createdByTokenId: string | null;
  outreachLeadId: string | null;
}

/**
 * Inserts the application under a fresh reference. Raw SQL, because every
 * submission passes here and a typed create costs several times more CPU
 * (Prisma's query compiler); portable SQL for PostgreSQL later (issue 8).
 * The insert itself checks the reference: ON CONFLICT ("reference") DO
 * NOTHING writes no row when it is taken, and we try another. No look-up
 * first, and no failed statement (which would end the whole transaction on
 * PostgreSQL). Dates are bound as Date values, which the adapter stores as
 * Prisma does, so typed reads get them back as Dates; updatedAt is the clock's
 * time, as @updatedAt would set it.
 */
async function insertApplication(
  tx: Prisma.TransactionClient,
  row: NewApplicationRow,
  newReference: () => string,
  now: Date,
): Promise<{ id: string; reference: string }> {
  for (let attempt = 1; attempt <= REFERENCE_ATTEMPTS; attempt++) {
    const id = newRowId();
    const reference = newReference();
    const inserted = await tx.$executeRaw`
      INSERT INTO "Application" (
        "id", "reference", "status", "channel", "language",
        "applicantName", "applicantIdNumber", "applicantPhone",
        "proxyName", "proxyPhone", "proxyRelationship", "proxyConsent", "proxyConsentAt",
        "district", "household", "programs", "results", "rulesVersion",
        "createdByTokenId", "outreachLeadId", "submittedAt", "createdAt", "updatedAt"
      ) VALUES (
        ${id}, ${reference}, 'submitted', ${row.channel}, ${row.language},
        ${row.applicantName}, ${row.applicantIdNumber}, ${row.applicantPhone},
        ${row.proxyName}, ${row.proxyPhone}, ${row.proxyRelationship}, ${row.proxyConsent}, ${row.proxyConsentAt},
        ${row.district}, ${row.household}, ${row.programs}, ${row.results}, ${row.rulesVersion},
        ${row.createdByTokenId}, ${row.outreachLeadId}, ${now}, ${now}, ${new Date()}
      )
      ON CONFLICT ("reference") DO NOTHING`;
    if (inserted === 1) return { id, reference };
  }
  throw new Error("Could not find a free application reference");
}

/**
 * Checks and stores an application, with its first timeline event (submitted)
 * and the receipt text to the applicant and, when someone applies for them, to
 * that person too. Returns the reference, or error keys and stores nothing.
 */
export async function submitApplication(
  db: Client,
  input: SubmitApplicationInput,
  now: Date = new Date(),
  options: SubmitOptions = {},
): Promise<SubmitApplicationResult> {
  const errors: ApplicationErrors = {};
  const name = checkName(input.applicant?.name, "applicant.name", errors);
  const id = validateIdNumber(typeof input.applicant?.idNumber === "string" ? input.applicant.idNumber : "", { asOf: todayInShanghai(now) });
  if (!id.ok) errors["applicant.idNumber"] = id.error;
  const phone = checkPhone(input.applicant?.phone, "applicant.phone", errors);
  const rawLanguage = input.applicant?.language;
  if (rawLanguage !== undefined && rawLanguage !== null && !isLanguage(rawLanguage)) errors["applicant.language"] = "language.invalid";
  const language: Language = isLanguage(rawLanguage) ? rawLanguage : "zh-CN";

  const proxyInput = input.onBehalfOf ?? null;
  let proxy: { name: string | null; phone: string | null; relationship: ProxyRelationship; consent: ProxyConsent } | null = null;
  if (proxyInput) {
    const proxyName = checkName(proxyInput.name, "onBehalfOf.name", errors);
    const proxyPhone = checkPhone(proxyInput.phone, "onBehalfOf.phone", errors);
    if (!isOneOf(PROXY_RELATIONSHIPS, proxyInput.relationship)) errors["onBehalfOf.relationship"] = "relationship.invalid";
    if (!isOneOf(PROXY_CONSENTS, proxyInput.consent)) errors["onBehalfOf.consent"] = "consent.invalid";
    proxy = {
      name: proxyName,
      phone: proxyPhone,
      relationship: proxyInput.relationship as ProxyRelationship,
      consent: proxyInput.consent as ProxyConsent,
    };
  }

  const asOf = input.asOf ?? todayInShanghai(now);
  const assessment = assess(input.household, asOf, errors);
  const programs = checkPrograms(input.programs, assessment, errors);
  if (Object.keys(errors).length > 0 || !assessment || !id.ok || !name || !phone) return { ok: false, errors };

  const newReference = options.newReference ?? (() => makeReference(REFERENCE_PREFIX.application));
  const row: NewApplicationRow = {
    channel: input.channel,
    language,
    applicantName: name,
    applicantIdNumber: id.value,
    applicantPhone: phone,
    proxyName: proxy?.name ?? null,
    proxyPhone: proxy?.phone ?? null,
    proxyRelationship: proxy?.relationship ?? null,
    proxyConsent: proxy?.consent ?? null,
    proxyConsentAt: proxy ? now : null,
    district: input.district ?? null,
    household: JSON.stringify(input.household),
    programs: JSON.stringify(programs),
    results: JSON.stringify(assessment),
    rulesVersion: assessment.rulesVersion,
    createdByTokenId: input.createdByTokenId ?? null,
    outreachLeadId: input.outreachLeadId ?? null,
  };
  const phones = proxy?.phone && proxy.phone !== phone ? [phone, proxy.phone] : [phone];
  // Shared with other submissions arriving at the same moment: one commit (one fsync) for all.
  const created = await inGroupCommit(db, async (tx) => {
    const { id: applicationId, reference } = await insertApplication(tx, row, newReference, now);
    await tx.$executeRaw`
      INSERT INTO "CaseEvent" ("id", "applicationId", "type", "fromStatus", "toStatus", "actor", "detail", "at")
      VALUES (${newRowId()}, ${applicationId}, 'status', NULL, 'submitted', ${input.actor}, '{}', ${now})`;
    const body = receiptText(language, reference);
    for (const to of phones) await queueText(tx, { to, body, language, dedupeKey: `receipt:${reference}:${to}` });
    return { id: applicationId, reference };
  });
  return { ok: true, id: created.id, reference: created.reference, status: "submitted" };
}

/** The canonical reference, or null when the input cannot be an application's reference. */
export function applicationReference(raw: string): string | null {
  return isValidReference(raw, REFERENCE_PREFIX.application) ? normalizeReference(raw) : null;
}

/** Who may add evidence to a case: its id and the token that created it. */
export async function findApplicationForEvidence(
  db: Client,
  reference: string,
): Promise<{ id: string; status: CaseStatus; createdByTokenId: string | null } | null> {
  const canonical = applicationReference(reference);
  if (!canonical) return null;
  const row = await db.application.findUnique({ where: { reference: canonical }, select: { id: true, status: true, createdByTokenId: true } });
  if (!row || !isCaseStatus(row.status)) return null;
  return { id: row.id, status: row.status, createdByTokenId: row.createdByTokenId };
}

export interface StoredEvidenceFile {
  storedName: string;
  format: string;
  size: number;
  sha256: string;
}

/** Records a stored file against a case, with an evidence_received timeline event. */
export async function addEvidenceRecord(
  db: Client,
  { applicationId, type, stored, actor }: { applicationId: string; type: EvidenceType; stored: StoredEvidenceFile; actor: string },
  now: Date = new Date(),
): Promise<{ id: string; status: "received" }> {
  return inTransaction(db, async (tx) => {
    const evidence = await tx.evidence.create({
      data: {
        applicationId,
        type,
        status: "received",
        storedName: stored.storedName,
        format: stored.format,
        size: stored.size,
        sha256: stored.sha256,
        createdAt: now,
      },
      select: { id: true },
    });
    await tx.caseEvent.create({
      data: { applicationId, type: "evidence_received", actor, at: now, detail: JSON.stringify({ evidenceId: evidence.id, type }) },
      select: { id: true },
    });
    return { id: evidence.id, status: "received" as const };
  });
}

export type ChangeStatusResult =
  | { ok: true; from: CaseStatus; to: CaseStatus }
  | { ok: false; error: "notFound" }
  | { ok: false; error: "invalidTransition"; from: CaseStatus; to: string };

export interface ChangeStatusInput {
  reference: string;
  to: CaseStatus;
  /** Written on the timeline event: "resident", "proxy", "staff:<id>"… */
  actor: string;
  reason?: string | null;
  /** More for the timeline event's detail (ids, codes, a staff note), merged with `reason`. */
  detail?: Record<string, unknown>;
  /** Fields set with the status in the same conditional update (decidedAt, decision, closedAt…). */
  data?: Prisma.ApplicationUpdateManyMutationInput;
  /** Documents the resident is asked for (needs_information): named in the text. */
  missing?: readonly EvidenceType[];
  /**
   * false: no text for this change. Only for a step the same action passes
   * through on its way to another status (screening → manual_review → approved
   * in one approval): the resident is told where the case ends up, once.
   */
  notify?: boolean;
}

/**
 * The text telling the resident (and proxy) that their case moved to `to`, in
 * the application's language: the reference and the new status in plain
 * words, no other personal data; one SMS segment where the words allow.
 */
export function statusChangeText(language: Language, to: CaseStatus, { reference, missing = [] }: { reference: string; missing?: readonly EvidenceType[] }): string {
  const t = fixedT(language, "sms");
  if (to === "needs_information") {
    if (missing.length === 0) return t("status.needs_information_note", { reference });
    const names = missing.map((type) => t(`evidence.${type}`)).join(t("status.listSeparator"));
    return t("status.needs_information", { reference, missing: names });
  }
  return t(`status.${to}`, { reference });
}

/**
 * Moves a case to another status when the state machine allows it, writes the
 * timeline event and queues the status text to the applicant and, while they
 * may still see the case, the proxy: the one place every status change goes
 * through (the resident's withdraw on /track, staff actions, the API), so
 * nobody is left untold. The update is conditional on the status read, so two
 * staff acting at once cannot both move the case from the same status; texts
 * are queued in the same transaction and exist exactly when the change does.
 * Opted-out phones are skipped by the outbox worker when it sends.
 */
export async function changeStatus(db: Client, input: ChangeStatusInput, now: Date = new Date()): Promise<ChangeStatusResult> {
  const { reference, to, actor, reason } = input;
  const canonical = applicationReference(reference);
  if (!canonical) return { ok: false, error: "notFound" };
  return inTransaction(db, async (tx) => {
    const row = await tx.application.findUnique({
      where: { reference: canonical },
      select: { id: true, status: true, language: true, applicantPhone: true, proxyPhone: true, proxyRevokedAt: true },
    });
    if (!row || !isCaseStatus(row.status)) return { ok: false, error: "notFound" } as const;
    const from = row.status;
    try {
      assertTransition(from, to);
    } catch (error) {
      if (error instanceof CaseTransitionError) return { ok: false, error: "invalidTransition", from, to } as const;
      throw error;
    }
    const { count } = await tx.application.updateMany({ where: { id: row.id, status: from }, data: { ...input.data, status: to, updatedAt: now } });
    if (count !== 1) throw new CaseTransitionError(from, to);
    const detailObject = { ...(reason ? { reason } : {}), ...input.detail, ...(input.missing?.length ? { missing: input.missing } : {}) };
    const detail = Object.keys(detailObject).length > 0 ? JSON.stringify(detailObject) : "{}";
    const event = await tx.caseEvent.create({ data: { applicationId: row.id, type: "status", fromStatus: from, toStatus: to, actor, at: now, detail }, select: { id: true } });
    if (input.notify !== false) {
      const language: Language = isLanguage(row.language) ? row.language : "zh-CN";
      const body = statusChangeText(language, to, { reference: canonical, missing: input.missing });
      const phones = [row.applicantPhone];
      if (row.proxyPhone && row.proxyRevokedAt === null && row.proxyPhone !== row.applicantPhone) phones.push(row.proxyPhone);
      for (const phone of phones) await queueText(tx, { to: phone, body, language, dedupeKey: `status:${event.id}:${phone}` });
    }
    return { ok: true, from, to } as const;
  });
}

export interface StaffCaseView {
  reference: string;
  status: CaseStatus;
  channel: string;
  language: string;
  submittedAt: Date;
  applicant: {
    name: string;
    /** Masked ("110***********7777"): the full number is not needed to work the case through the API. */
    idNumber: string;
    phone: string;
    language: string;
  };
  onBehalfOf: {
    name: string | null;
    phone: string | null;
    relationship: string | null;
    consent: string | null;
    consentAt: Date | null;
    revokedAt: Date | null;
  } | null;
  programs: ProgramCode[];
  /** The eligibility assessment at submission, with the rules version it used. */
  assessment: Assessment;
  evidence: Array<{ id: string; type: string; status: string; format: string; size: number; rejectReason: string | null; createdAt: Date }>;
  timeline: Array<{ type: string; fromStatus: string | null; toStatus: string | null; actor: string; at: Date; detail: unknown }>;
}

/** A JSON column's value, or `fallback` when it is empty or not JSON. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    // Written by this module as JSON, so only a hand-edited row lands here.
    return fallback;
  }
}

/**
 * Everything staff tools need about one case, or null when there is none
 * (or the reference cannot be one). The phone numbers are in full (staff call
 * them); the ID number is masked.
 */
export async function getCaseForStaff(db: Client, reference: string): Promise<StaffCaseView | null> {
  const canonical = applicationReference(reference);
  if (!canonical) return null;
  const row = await db.application.findUnique({
    where: { reference: canonical },
    select: {
      reference: true,
      status: true,
      channel: true,
      language: true,
      submittedAt: true,
      applicantName: true,
      applicantIdNumber: true,
      applicantPhone: true,
      proxyName: true,
      proxyPhone: true,
      proxyRelationship: true,
      proxyConsent: true,
      proxyConsentAt: true,
      proxyRevokedAt: true,
      programs: true,
      results: true,
      rulesVersion: true,
      evidence: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, type: true, status: true, format: true, size: true, rejectReason: true, createdAt: true },
      },
      events: {
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { type: true, fromStatus: true, toStatus: true, actor: true, at: true, detail: true },
      },
    },
  });
  if (!row || !isCaseStatus(row.status)) return null;
  const hasProxy = row.proxyName !== null || row.proxyPhone !== null || row.proxyRelationship !== null;
  return {
    reference: row.reference,
    status: row.status,
    channel: row.channel,
    language: row.language,
    submittedAt: row.submittedAt,
    applicant: { name: row.applicantName, idNumber: maskIdNumber(row.applicantIdNumber), phone: row.applicantPhone, language: row.language },
    onBehalfOf: hasProxy
      ? {
          name: row.proxyName,
          phone: row.proxyPhone,
          relationship: row.proxyRelationship,
          consent: row.proxyConsent,
          consentAt: row.proxyConsentAt,
          revokedAt: row.proxyRevokedAt,
        }
      : null,
    programs: parseJson<ProgramCode[]>(row.programs, []),
    assessment: parseJson<Assessment>(row.results, { asOf: "", rulesVersion: row.rulesVersion, results: [] }),
    evidence: row.evidence,
    timeline: row.events.map((event) => ({ ...event, detail: parseJson<unknown>(event.detail, {}) })),
  };
}
