// Drafts of the web application (issue 3): the answers so far, kept server
// side against a random cookie id (apply_draft, 128 bits, HttpOnly,
// SameSite=Lax, 30 days); the only code that reads or writes ApplicationDraft
// and the draft's Evidence rows.
//
// Resume links (/apply/resume/<token>): the draft id must never be in a link,
// and the schema has no field for a separate token, so the token is the draft
// id and an expiry ENCRYPTED with AES-256-GCM under a key derived from
// config().sessionSecret. GCM also authenticates it: a changed or forged token
// does not open. It works for 7 days; changing SESSION_SECRET voids all links.
//
// Staff-assisted mode (issue 5): a caseworker on the phone with the resident
// works on the draft from their own browser. The draft's assistedBy names the
// caseworker; such a draft opens only for that caseworker's live staff session
// with queue.work (a resident's cookie no longer opens it, and a staff member
// with another draft's cookie is not in staff mode). Submitting it makes a
// staff_assisted application whose events name the caseworker, and closes the
// call-backs linked to the draft.
//
// Consent codes for "someone else": a 6-digit code in OneTimeCode (purpose
// proxy_consent), stored as an HMAC-SHA256 under the session secret, 10 minutes,
// 5 tries, single use.
//
// Outreach invitations (issue 6): createOutreachDraft makes the prefilled
// draft an invitation link opens; submitting a draft with
// answers.outreachLeadId marks that lead "applied" in the same transaction.
import crypto from "node:crypto";
import { answersForCaseworker, readApplyAnswers, type ApplyAnswers, type ApplyState } from "~/domain/apply";
import { maskPhone, shanghaiDate } from "~/domain/callback";
import { isComplete } from "~/domain/check";
import type { Household } from "~/domain/eligibility";
import type { Language } from "~/i18n";
import { submitApplication } from "~/models/application.server";
import { completeCallbacksForDraft, queueCallback } from "~/models/callback.server";
import { readCheckDraft, type CheckDraft } from "~/models/check-draft.server";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { forUpdate } from "~/services/sql-dialect.server";
import { queueText } from "~/services/outbox.server";
import { requireStaff, type StaffContext } from "~/services/staff-session.server";
import { smsText } from "~/services/sms-text.server";

export const APPLY_DRAFT_COOKIE = "apply_draft";
const LIFETIME_DAYS = 30;
const LIFETIME_MS = LIFETIME_DAYS * 24 * 60 * 60 * 1000;
const ID_PATTERN = /^[0-9a-f]{32}$/;
export const RESUME_LINK_DAYS = 7;
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
/** Codes one phone may be sent in an hour: stops the page from being used to flood a phone with texts. */
export const CODES_PER_PHONE_PER_HOUR = 5;
/** Files one draft may hold: far above any real application, a ceiling on what one browser can store. */
export const DRAFT_FILES_MAX = 40;
const CONSENT_PURPOSE = "proxy_consent";

export interface ApplyDraft {
  id: string;
  answers: ApplyAnswers;
  step: string | null;
  phone: string | null;
  callbackConsent: boolean;
  language: string;
  submittedReference: string | null;
  /** the caseworker filling it in with the resident (staff-assisted), or null */
  assistedBy: string | null;
  evidence: { id: string; type: string; status: string; format: string; size: number; createdAt: Date }[];
}

export function applyDraftIdFrom(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== APPLY_DRAFT_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return ID_PATTERN.test(value) ? value : null;
  }
  return null;
}

export function applyDraftCookie(id: string): string {
  return [`${APPLY_DRAFT_COOKIE}=${id}`, "Path=/", `Max-Age=${LIFETIME_DAYS * 24 * 60 * 60}`, "HttpOnly", "SameSite=Lax", ...(config().production ? ["Secure"] : [])].join(
    "; ",
  );
}

function parseStored(text: string): ApplyAnswers {
  try {
    return readApplyAnswers(JSON.parse(text));
  } catch {
    return {};
  }
}

/** A draft by id, or null when there is none or it has expired. */
export async function findApplyDraft(db: Db, id: string, now: Date = new Date()): Promise<ApplyDraft | null> {
  const row = await db.applicationDraft.findUnique({
    where: { id },
    select: {
      id: true,
      answers: true,
      step: true,
      phone: true,
      callbackConsent: true,
      language: true,
      submittedReference: true,
      assistedBy: true,
      expiresAt: true,
      evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, type: true, status: true, format: true, size: true, createdAt: true } },
    },
  });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  const { expiresAt: _expires, answers, ...rest } = row;
  return { ...rest, answers: parseStored(answers) };
}

/** The signed-in staff member who may work on assisted drafts (queue.work), or null; never throws. */
async function assistingStaff(request: Request): Promise<StaffContext | null> {
  try {
    return await requireStaff(request, "queue.work");
  } catch {
    return null;
  }
}

/** This browser's draft with the caseworker when it is an assisted draft (see the header). */
async function readDraftAndStaff(db: Db, request: Request, now: Date): Promise<{ draft: ApplyDraft | null; staff: StaffContext | null }> {
  const id = applyDraftIdFrom(request);
  const draft = id ? await findApplyDraft(db, id, now) : null;
  if (!draft?.assistedBy) return { draft, staff: null };
  const staff = await assistingStaff(request);
  return staff && staff.staff.id === draft.assistedBy ? { draft, staff } : { draft: null, staff: null };
}

/** This browser's draft, or null (an assisted draft opens only for its caseworker). */
export async function readApplyDraft(db: Db, request: Request, now: Date = new Date()): Promise<ApplyDraft | null> {
  return (await readDraftAndStaff(db, request, now)).draft;
}

/** This browser's draft, creating an empty one when there is none; setCookie restarts the 30 days. */
export async function openApplyDraft(db: Db, request: Request, language: Language, now: Date = new Date()): Promise<{ draft: ApplyDraft; setCookie: string }> {
  const existing = await readApplyDraft(db, request, now);
  if (existing) return { draft: existing, setCookie: applyDraftCookie(existing.id) };
  const id = crypto.randomBytes(16).toString("hex");
  await db.applicationDraft.create({ data: { id, language, lastActivityAt: now, expiresAt: new Date(now.getTime() + LIFETIME_MS) } });
  const draft = await findApplyDraft(db, id, now);
  if (!draft) throw new Error("draft vanished");
  return { draft, setCookie: applyDraftCookie(id) };
}

export interface DraftUpdate {
  answers: ApplyAnswers;
  step?: string | null;
  phone?: string | null;
  callbackConsent?: boolean;
  language?: Language;
}

/** Saves the answers (and step, phone, call-back consent); any activity restarts the 24 hours before a call. */
export async function saveApplyDraft(db: Db, id: string, update: DraftUpdate, now: Date = new Date()): Promise<void> {
  await db.applicationDraft.updateMany({
    where: { id, submittedReference: null },
    data: {
      answers: JSON.stringify(update.answers),
      ...(update.step !== undefined ? { step: update.step } : {}),
      ...(update.phone !== undefined ? { phone: update.phone } : {}),
      ...(update.callbackConsent !== undefined ? { callbackConsent: update.callbackConsent } : {}),
      ...(update.language !== undefined ? { language: update.language } : {}),
      lastActivityAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_MS),
    },
  });
}

/** Files on the draft, per evidence type. */
export function evidenceCounts(draft: ApplyDraft): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of draft.evidence) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}

export async function addDraftEvidence(
  db: Db,
  draftId: string,
  { type, stored }: { type: string; stored: { storedName: string; format: string; size: number; sha256: string } },
  now: Date = new Date(),
): Promise<void> {
  await db.evidence.create({ data: { draftId, type, status: "received", ...stored, createdAt: now } });
  await db.applicationDraft.update({ where: { id: draftId }, data: { lastActivityAt: now } });
}

/** Everything a page of the journey needs: this browser's draft, its check and the task-list state. */
export interface AssistedMode {
  staffId: string;
  /** the staff session's CSRF token, for the assisted declaration form */
  csrfToken: string;
  /** the resident's number, masked, for the banner */
  maskedPhone: string;
}

export async function loadApplyState(
  db: Db,
  request: Request,
  now: Date = new Date(),
): Promise<{ draft: ApplyDraft | null; check: CheckDraft | null; state: ApplyState; assisted: AssistedMode | null }> {
  const { draft, staff } = await readDraftAndStaff(db, request, now);
  const check = await readCheckDraft(request, now, db);
  const state: ApplyState = {
    answers: draft?.answers ?? {},
    checkComplete: Boolean(check && isComplete(check.answers)),
    evidenceCounts: draft ? evidenceCounts(draft) : {},
    today: shanghaiDate(now),
  };
  const assisted: AssistedMode | null =
    draft && staff ? { staffId: staff.staff.id, csrfToken: staff.csrfToken, maskedPhone: maskPhone(draft.phone ?? draft.answers.applicant?.phone ?? "") } : null;
  return { draft, check, state, assisted };
}

// --- staff-assisted drafts ------------------------------------------------

/**
 * Puts an existing, unsent draft in assisted mode for this caseworker.
 * Returns false when the draft is gone, expired or already sent.
 */
export async function startAssistedDraft(db: Db, draftId: string, staffId: string, now: Date = new Date()): Promise<boolean> {
  const updated = await db.applicationDraft.updateMany({
    where: { id: draftId, submittedReference: null, expiresAt: { gt: now } },
    data: { assistedBy: staffId, lastActivityAt: now, expiresAt: new Date(now.getTime() + LIFETIME_MS) },
  });
  return updated.count === 1;
}

/**
 * A new assisted draft with what a call-back already tells us (the household
 * from a finished check, who it is for, the phone, the language). Not marked
 * for an abandoned-draft call: the caseworker is already on it.
 */
export async function createAssistedDraft(
  db: Db,
  { staffId, phone, language, answers }: { staffId: string; phone: string; language: Language; answers: ApplyAnswers },
  now: Date = new Date(),
): Promise<string> {
  const id = crypto.randomBytes(16).toString("hex");
  await db.applicationDraft.create({
    data: { id, answers: JSON.stringify(answers), phone, language, assistedBy: staffId, callbackConsent: false, lastActivityAt: now, expiresAt: new Date(now.getTime() + LIFETIME_MS) },
  });
  return id;
}

// --- outreach invitations -------------------------------------------------

/**
 * A new draft prefilled from an outreach lead (the invitation link's first
 * use): who applies, their name, ID number and phone, the household from the
 * records, and the lead it began from (answers.outreachLeadId, so submitting
 * makes an "outreach" case and marks the lead applied). Nothing is submitted:
 * the resident goes through every page and confirms. No call-back consent:
 * the resident has not asked for one. Takes the transaction client of the
 * invitation's redemption, so the draft and the used invitation commit together.
 */
export async function createOutreachDraft(
  client: Pick<Db, "applicationDraft">,
  { language, answers }: { language: Language; answers: ApplyAnswers },
  now: Date = new Date(),
): Promise<string> {
  const id = crypto.randomBytes(16).toString("hex");
  await client.applicationDraft.create({
    data: { id, answers: JSON.stringify(answers), language, callbackConsent: false, lastActivityAt: now, expiresAt: new Date(now.getTime() + LIFETIME_MS) },
    select: { id: true },
  });
  return id;
}

// --- resume links ---------------------------------------------------------

function key(purpose: string): Buffer {
  return crypto.createHmac("sha256", config().sessionSecret).update(purpose).digest();
}

/** The token for /apply/resume/<token>: the draft id and expiry, encrypted and authenticated. */
export function makeResumeToken(draftId: string, now: Date = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + RESUME_LINK_DAYS * 24 * 60 * 60;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key("apply-resume-v1"), iv);
  const body = Buffer.concat([cipher.update(`${draftId}.${expires}`, "utf8"), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

/** The draft id in a resume token, or null when it is forged, changed or out of date. */
export function readResumeToken(token: string, now: Date = new Date()): string | null {
  if (!/^[A-Za-z0-9_-]{40,200}$/.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  if (raw.length < 12 + 16 + 1) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key("apply-resume-v1"), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
    const [id, expires] = text.split(".");
    if (!ID_PATTERN.test(id) || !(Number(expires) * 1000 > now.getTime())) return null;
    return id;
  } catch {
    return null;
  }
}

/** Texts the resume link to the phone (E.164) in the draft's language. */
export async function textResumeLink(db: Db, draftId: string, phone: string, language: Language, now: Date = new Date()): Promise<void> {
  const url = `${config().publicUrl}/apply/resume/${makeResumeToken(draftId, now)}`;
  await queueText(db, { to: phone, body: smsText(language, "resumeLink", { url }), language });
}

// --- consent codes --------------------------------------------------------

function hashCode(code: string): string {
  return crypto.createHmac("sha256", config().sessionSecret).update(`${CONSENT_PURPOSE}:${code}`).digest("hex");
}

/** Sends a new consent code to the applicant's phone; returns the code row's id, or null when the phone had enough codes this hour. */
export async function sendConsentCode(
  db: Db,
  { phone, proxyName, language }: { phone: string; proxyName: string; language: Language },
  now: Date = new Date(),
  makeCode: () => string = () => String(crypto.randomInt(0, 1_000_000)).padStart(6, "0"),
): Promise<string | null> {
  const recent = await db.oneTimeCode.count({ where: { phone, purpose: CONSENT_PURPOSE, createdAt: { gt: new Date(now.getTime() - 60 * 60 * 1000) } } });
  if (recent >= CODES_PER_PHONE_PER_HOUR) return null;
  const code = makeCode();
  return db.$transaction(async (tx) => {
    const row = await tx.oneTimeCode.create({
      data: { purpose: CONSENT_PURPOSE, phone, codeHash: hashCode(code), expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS), createdAt: now },
      select: { id: true },
    });
    await queueText(tx, { to: phone, body: smsText(language, "proxyConsentCode", { code, proxyName }), language });
    return row.id;
  });
}

export type CodeCheck = "ok" | "wrong" | "expired" | "tooManyTries";

/** Checks a typed code against the row: single use, 10 minutes, 5 tries. */
export async function checkConsentCode(db: Db, codeId: string, phone: string, code: string, now: Date = new Date()): Promise<CodeCheck> {
  const row = await db.oneTimeCode.findUnique({ where: { id: codeId } });
  if (!row || row.purpose !== CONSENT_PURPOSE || row.phone !== phone || row.usedAt) return "expired";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  if (row.attempts >= CODE_MAX_ATTEMPTS) return "tooManyTries";
  // The try is counted before comparing, conditionally, so parallel guesses cannot exceed 5.
  const counted = await db.oneTimeCode.updateMany({ where: { id: codeId, attempts: row.attempts, usedAt: null }, data: { attempts: { increment: 1 } } });
  if (counted.count !== 1) return "tooManyTries";
  const expected = Buffer.from(row.codeHash, "hex");
  const given = Buffer.from(hashCode(code), "hex");
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    return row.attempts + 1 >= CODE_MAX_ATTEMPTS ? "tooManyTries" : "wrong";
  }
  const used = await db.oneTimeCode.updateMany({ where: { id: codeId, usedAt: null }, data: { usedAt: now } });
  return used.count === 1 ? "ok" : "expired";
}

// --- abandoned drafts -----------------------------------------------------

/**
 * Queues a call-back (source web_abandoned, with the answers so far and the
 * step reached) for each draft whose owner agreed to be called, gave a phone,
 * has not submitted and has done nothing for afterHours. abandonedQueuedAt is
 * set in the same transaction as the call-back, so each draft is queued once.
 */
export async function queueAbandonedDraftCallbacks(db: Db, now: Date = new Date(), { afterHours = 24 }: { afterHours?: number } = {}): Promise<number> {
  const before = new Date(now.getTime() - afterHours * 60 * 60 * 1000);
  const due = await db.applicationDraft.findMany({
    where: { callbackConsent: true, phone: { not: null }, submittedReference: null, abandonedQueuedAt: null, lastActivityAt: { lte: before }, expiresAt: { gt: now } },
    select: { id: true },
    take: 100,
  });
  let queued = 0;
  for (const { id } of due) {
    const done = await db.$transaction(async (tx) => {
      const claimed = await tx.applicationDraft.updateMany({ where: { id, abandonedQueuedAt: null, submittedReference: null }, data: { abandonedQueuedAt: now } });
      if (claimed.count !== 1) return false;
      const row = await tx.applicationDraft.findUniqueOrThrow({ where: { id }, select: { answers: true, step: true, phone: true, language: true } });
      const shown = answersForCaseworker(parseStored(row.answers));
      // draftId lets a caseworker continue this draft (staff-assisted); it never leaves the server (publicContext).
      // queueCallback only writes CallbackRequest; with the transaction client the claim and the call-back commit together.
      const result = await queueCallback(
        tx as unknown as Db,
        { phone: row.phone ?? "", language: row.language === "en" ? "en" : "zh-CN", source: "web_abandoned", context: { application: { step: row.step, answers: shown }, draftId: id } },
        now,
      );
      // A phone that no longer passes the rules: leave the draft marked so it is not tried every 10 minutes.
      return result.ok;
    });
    if (done) queued++;
  }
  return queued;
}

// --- submitting -----------------------------------------------------------

export type SubmitDraftResult =
  | { ok: true; reference: string }
  | { ok: false; reason: "staleForm" }
  | { ok: false; reason: "invalid"; errors: Record<string, string> };

class Rollback extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("rollback");
  }
}

/**
 * Submits the draft through submitApplication (channel web) and moves its
 * files to the new case, all in one transaction. Idempotent: the draft is
 * claimed with a conditional update first, so a double click or a resent
 * form finds the reference of the one application already made.
 */
export async function submitApplyDraft(
  db: Db,
  {
    draftId,
    token,
    household,
    language,
    assistedBy = null,
  }: {
    draftId: string;
    token: string;
    household: Household;
    language: Language;
    /** staff-assisted: the caseworker's id, who read the declaration out and heard the resident agree */
    assistedBy?: string | null;
  },
  now: Date = new Date(),
): Promise<SubmitDraftResult> {
  try {
    return await db.$transaction(
      async (tx) => {
        // Locked on PostgreSQL (FOR UPDATE): a second submit of the same draft at the same moment waits here for the
        // first to commit, then sees its reference (SQLite runs one transaction at a time anyway).
        const [row] = await tx.$queryRaw<Array<{ answers: string; submittedReference: string | null }>>`
          SELECT "answers", "submittedReference" FROM "ApplicationDraft" WHERE "id" = ${draftId}${forUpdate()}`;
        if (!row) return { ok: false, reason: "staleForm" } as const;
        if (row.submittedReference) return { ok: true, reference: row.submittedReference } as const;
        const a = parseStored(row.answers);
        if (!a.submissionToken || a.submissionToken !== token) return { ok: false, reason: "staleForm" } as const;
        const onBehalf = a.forWhom === "other";
        const residentActor = onBehalf ? "proxy" : "resident";
        const actor = assistedBy ? `staff:${assistedBy}` : residentActor;
        const result = await submitApplication(
          tx,
          {
            applicant: { name: a.applicant?.name ?? "", idNumber: a.applicant?.idNumber ?? "", phone: a.applicant?.phone ?? "", language },
            onBehalfOf: onBehalf ? { name: a.helper?.name ?? "", phone: a.helper?.phone ?? "", relationship: a.relationship ?? "", consent: a.consentMethod ?? "" } : null,
            household,
            programs: a.programs ?? [],
            channel: assistedBy ? "staff_assisted" : a.outreachLeadId ? "outreach" : "web",
            actor,
            district: a.district ?? null,
            outreachLeadId: a.outreachLeadId ?? null,
          },
          now,
        );
        if (!result.ok) throw new Rollback(result.errors);
        const claimed = await tx.applicationDraft.updateMany({ where: { id: draftId, submittedReference: null }, data: { submittedReference: result.reference, lastActivityAt: now } });
        if (claimed.count !== 1) throw new Error("draft submitted twice");
        if (a.outreachLeadId) {
          // Conversion is tracked in the same commit as the case: the lead it began from is now "applied".
          await tx.outreachLead.updateMany({ where: { id: a.outreachLeadId, applicationId: null }, data: { status: "applied", applicationId: result.id, updatedAt: now } });
        }
        if (assistedBy) {
          // The declaration was read out on the phone and the resident agreed: the timeline says so and by whom.
          const closed = await completeCallbacksForDraft(tx, draftId, result.reference, now);
          await tx.caseEvent.create({
            data: {
              applicationId: result.id,
              type: "declaration_agreed_by_phone",
              actor,
              at: now,
              detail: JSON.stringify({ readAloudBy: actor, agreedBy: residentActor, callbacks: closed }),
            },
            select: { id: true },
          });
        }
        // The files join the case, each with its evidence_received event, as an upload to the case would have.
        const files = await tx.evidence.findMany({ where: { draftId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, type: true } });
        await tx.evidence.updateMany({ where: { draftId }, data: { applicationId: result.id, draftId: null } });
        for (const file of files) {
          await tx.caseEvent.create({
            data: { applicationId: result.id, type: "evidence_received", actor: residentActor, at: now, detail: JSON.stringify({ evidenceId: file.id, type: file.type }) },
            select: { id: true },
          });
        }
        return { ok: true, reference: result.reference } as const;
      },
      { maxWait: 15_000, timeout: 15_000 },
    );
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: "invalid", errors: error.errors };
    throw error;
  }
}
