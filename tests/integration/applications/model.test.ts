// submitApplication, addEvidenceRecord, changeStatus and getCaseForStaff on a
// real database: what is stored, what is refused, and that a submission is
// all-or-nothing with its timeline event and receipt texts.
import { describe, expect, it } from "vitest";
import { isValidReference } from "~/domain/callback";
import { assessHousehold, PROGRAM_CODES } from "~/domain/eligibility";
import {
  addEvidenceRecord,
  changeStatus,
  getCaseForStaff,
  submitApplication,
  type SubmitApplicationInput,
} from "~/models/application.server";
import { db } from "~/services/db.server";
import { smsText } from "~/services/sms-text.server";
import { APPLICANT_ID, APPLICANT_ID_WRONG_CHECK, idNumber, POOR_HOUSEHOLD, RICH_HOUSEHOLD } from "./helpers";

const NOW = new Date("2026-03-02T02:00:00Z"); // 10:00 in Shanghai

function input(overrides: Partial<SubmitApplicationInput> = {}): SubmitApplicationInput {
  return {
    applicant: { name: " 王秀英 ", idNumber: APPLICANT_ID.toLowerCase(), phone: "+86 138-0013-8000", language: "en" },
    onBehalfOf: { name: "李明", phone: "13900139000", relationship: "child", consent: "sms" },
    household: POOR_HOUSEHOLD,
    programs: ["medical", "dibao", "medical"],
    channel: "partner",
    actor: "partner:tok1",
    createdByTokenId: null,
    ...overrides,
  };
}

async function counts() {
  return {
    applications: await db.application.count(),
    events: await db.caseEvent.count(),
    texts: await db.outboxMessage.count(),
  };
}

describe("submitApplication", () => {
  it("stores the application, its first timeline event and a receipt text to the applicant and the proxy", async () => {
    const result = await submitApplication(db, input(), NOW);
    expect(result).toEqual({ ok: true, id: expect.any(String), reference: expect.stringMatching(/^LA-/), status: "submitted" });
    if (!result.ok) return;
    expect(isValidReference(result.reference, "LA")).toBe(true);

    const row = await db.application.findUniqueOrThrow({ where: { reference: result.reference }, include: { events: true } });
    const assessment = assessHousehold(POOR_HOUSEHOLD, "2026-03-02");
    expect(row).toMatchObject({
      status: "submitted",
      channel: "partner",
      language: "en",
      applicantName: "王秀英",
      applicantIdNumber: APPLICANT_ID,
      applicantPhone: "+8613800138000",
      proxyName: "李明",
      proxyPhone: "+8613900139000",
      proxyRelationship: "child",
      proxyConsent: "sms",
      proxyConsentAt: NOW,
      proxyRevokedAt: null,
      // rule-book order, no repeats
      programs: '["dibao","medical"]',
      rulesVersion: assessment.rulesVersion,
      submittedAt: NOW,
    });
    expect(JSON.parse(row.household)).toEqual(POOR_HOUSEHOLD);
    expect(JSON.parse(row.results)).toEqual(assessment);
    expect(row.events).toEqual([
      expect.objectContaining({ type: "status", fromStatus: null, toStatus: "submitted", actor: "partner:tok1", at: NOW }),
    ]);

    const texts = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `receipt:${result.reference}:` } }, orderBy: { to: "asc" } });
    const body = smsText("en", "applicationReceipt", { reference: result.reference });
    expect(body).toContain(result.reference);
    expect(texts.map((t) => ({ to: t.to, body: t.body, language: t.language, status: t.status }))).toEqual([
      { to: "+8613800138000", body, language: "en", status: "pending" },
      { to: "+8613900139000", body, language: "en", status: "pending" },
    ]);
  });

  it("texts one receipt when the proxy shares the applicant's phone, and none to a proxy when there is none", async () => {
    const shared = await submitApplication(db, input({ onBehalfOf: { name: "李明", phone: "13800138000", relationship: "child", consent: "document" } }), NOW);
    if (!shared.ok) throw new Error(JSON.stringify(shared.errors));
    expect(await db.outboxMessage.count({ where: { dedupeKey: { startsWith: `receipt:${shared.reference}:` } } })).toBe(1);

    const alone = await submitApplication(db, input({ onBehalfOf: null }), NOW);
    if (!alone.ok) throw new Error(JSON.stringify(alone.errors));
    const texts = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `receipt:${alone.reference}:` } } });
    expect(texts.map((t) => t.to)).toEqual(["+8613800138000"]);
    const row = await db.application.findUniqueOrThrow({ where: { reference: alone.reference } });
    expect(row).toMatchObject({ proxyName: null, proxyPhone: null, proxyRelationship: null, proxyConsent: null, proxyConsentAt: null });
  });

  it("defaults to the programmes the rules find eligible or needing a review", async () => {
    const result = await submitApplication(db, input({ programs: undefined }), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const row = await db.application.findUniqueOrThrow({ where: { reference: result.reference } });
    const expected = assessHousehold(POOR_HOUSEHOLD, "2026-03-02")
      .results.filter((r) => r.outcome !== "not_eligible")
      .map((r) => r.program);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(PROGRAM_CODES.length);
    expect(JSON.parse(row.programs)).toEqual(expected);
  });

  it("refuses a household no programme fits when no programmes are named, but takes named ones", async () => {
    const before = await counts();
    expect(await submitApplication(db, input({ household: RICH_HOUSEHOLD, programs: null }), NOW)).toEqual({
      ok: false,
      errors: { programs: "programs.noneSuggested" },
    });
    expect(await counts()).toEqual(before);
    const named = await submitApplication(db, input({ household: RICH_HOUSEHOLD, programs: ["temporary"] }), NOW);
    expect(named.ok).toBe(true);
  });

  it("returns an error key per field and stores nothing", async () => {
    const before = await counts();
    const result = await submitApplication(
      db,
      input({
        applicant: { name: "  ", idNumber: APPLICANT_ID_WRONG_CHECK, phone: "0755-1234567", language: "fr" },
        onBehalfOf: { name: "x".repeat(51), phone: "1390013", relationship: "neighbour", consent: "verbal" },
        programs: ["dibao", "free_money"],
      }),
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "applicant.name": "name.required",
        "applicant.idNumber": "idNumber.checkDigit",
        "applicant.phone": "phone.notMobile",
        "applicant.language": "language.invalid",
        "onBehalfOf.name": "name.tooLong",
        "onBehalfOf.phone": "phone.tooShort",
        "onBehalfOf.relationship": "relationship.invalid",
        "onBehalfOf.consent": "consent.invalid",
        "programs[1]": "programs.unknown",
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses an empty programme list and an ID number with a birth date after today", async () => {
    const future = idNumber("11010520300101002");
    const result = await submitApplication(db, input({ programs: [], applicant: { name: "王", idNumber: future, phone: "13800138000" } }), NOW);
    expect(result).toEqual({ ok: false, errors: { "applicant.idNumber": "idNumber.birthDate", programs: "programs.empty" } });
  });

  it("tries another reference when the first is taken", async () => {
    const first = await submitApplication(db, input(), NOW);
    if (!first.ok) throw new Error("first failed");
    const refs = [first.reference, "LA-2222-2222"];
    const tried: string[] = [];
    const second = await submitApplication(db, input(), NOW, {
      newReference: () => {
        const ref = refs.shift() ?? "LA-3333-3333";
        tried.push(ref);
        return ref;
      },
    });
    expect(tried).toEqual([first.reference, "LA-2222-2222"]);
    expect(second).toMatchObject({ ok: true, reference: "LA-2222-2222" });
  });

  it("leaves nothing behind when a write in the transaction fails", async () => {
    const before = await counts();
    // A generator that always collides: the application insert never happens, and neither do the texts.
    const taken = await db.application.findFirstOrThrow({ select: { reference: true } });
    await expect(submitApplication(db, input(), NOW, { newReference: () => taken.reference })).rejects.toThrow(/free application reference/);
    expect(await counts()).toEqual(before);
  });
});

describe("evidence, status changes and the staff view", () => {
  it("records evidence and moves the case along the allowed path, refusing jumps", async () => {
    const submitted = await submitApplication(db, input({ onBehalfOf: null }), NOW);
    if (!submitted.ok) throw new Error("submit failed");
    const { reference, id } = submitted;

    const later = new Date(NOW.getTime() + 60_000);
    const evidence = await addEvidenceRecord(
      db,
      { applicationId: id, type: "id_card", stored: { storedName: "0123456789abcdef0123456789abcdef.pdf", format: "pdf", size: 123, sha256: "ab".repeat(32) }, actor: "partner:tok1" },
      later,
    );
    expect(evidence).toEqual({ id: expect.any(String), status: "received" });

    expect(await changeStatus(db, { reference, to: "approved", actor: "staff:s1" }, later)).toEqual({ ok: false, error: "invalidTransition", from: "submitted", to: "approved" });
    expect(await changeStatus(db, { reference, to: "screening", actor: "staff:s1" }, later)).toEqual({ ok: true, from: "submitted", to: "screening" });
    expect(await changeStatus(db, { reference: reference.toLowerCase().replace(/-/g, " "), to: "needs_information", actor: "staff:s1", reason: "no income proof" }, later)).toEqual({
      ok: true,
      from: "screening",
      to: "needs_information",
    });
    expect(await changeStatus(db, { reference: "LA-2222-2223", to: "screening", actor: "staff:s1" })).toEqual({ ok: false, error: "notFound" });

    const view = await getCaseForStaff(db, reference);
    expect(view).toMatchObject({
      reference,
      status: "needs_information",
      channel: "partner",
      applicant: { name: "王秀英", idNumber: "110***********" + APPLICANT_ID.slice(-4), phone: "+8613800138000", language: "en" },
      onBehalfOf: null,
      programs: ["dibao", "medical"],
      evidence: [{ id: evidence.id, type: "id_card", status: "received", format: "pdf", size: 123, rejectReason: null }],
    });
    expect(view?.timeline).toEqual([
      { type: "status", fromStatus: null, toStatus: "submitted", actor: "partner:tok1", at: NOW, detail: {} },
      { type: "evidence_received", fromStatus: null, toStatus: null, actor: "partner:tok1", at: later, detail: { evidenceId: evidence.id, type: "id_card" } },
      { type: "status", fromStatus: "submitted", toStatus: "screening", actor: "staff:s1", at: later, detail: {} },
      { type: "status", fromStatus: "screening", toStatus: "needs_information", actor: "staff:s1", at: later, detail: { reason: "no income proof" } },
    ]);
    expect(view?.assessment.rulesVersion).toBe(assessHousehold(POOR_HOUSEHOLD, "2026-03-02").rulesVersion);
  });

  it("finds no case for an unknown or malformed reference", async () => {
    expect(await getCaseForStaff(db, "LA-2222-2223")).toBeNull();
    expect(await getCaseForStaff(db, "../etc/passwd")).toBeNull();
    expect(await getCaseForStaff(db, "CB-2222-2222")).toBeNull();
  });
});
