// Each case action as a caseworker or supervisor would do it: it lands on the
// timeline, in the audit log and (for a status change) as texts to the
// applicant and proxy in the application's language; a move the status does
// not allow is a 400 with a message (never a 500); large amounts need a
// supervisor.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { makeTemporaryUploadDir } from "../applications/helpers";
import { signInAs, type TestStaffSession } from "../../support/staff";
import { actOnCase, addPdf, auditOf, LARGE, makeCase, openCase, statusOf, textsTo, type MadeCase } from "./case-fixtures";

let caseworker: TestStaffSession;
let supervisor: TestStaffSession;

beforeAll(async () => {
  makeTemporaryUploadDir();
  caseworker = await signInAs("caseworker");
  supervisor = await signInAs("supervisor");
});

async function events(c: MadeCase) {
  return db.caseEvent.findMany({ where: { applicationId: c.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

async function statusTexts(c: MadeCase, phone: string) {
  return (await textsTo(phone)).filter((m) => m.dedupeKey?.startsWith("status:"));
}

describe("moving a case on", () => {
  let c: MadeCase;
  beforeEach(async () => {
    c = await makeCase({ language: "en" });
  });

  it("start checking: status, timeline, audit, a text to applicant and proxy in the case's language, then a redirect with a notice", async () => {
    const answer = await actOnCase(caseworker, c.reference, { intent: "screening" });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/staff/cases/${c.reference}?done=screening`);
    expect(await statusOf(c.reference)).toBe("screening");
    const last = (await events(c)).at(-1)!;
    expect(last).toMatchObject({ type: "status", fromStatus: "submitted", toStatus: "screening", actor: `staff:${caseworker.staffId}` });
    expect(await auditOf(c.reference, "move_case")).toHaveLength(1);
    for (const phone of [c.applicantPhone, c.proxyPhone!]) {
      const texts = await statusTexts(c, phone);
      expect(texts).toHaveLength(1);
      expect(texts[0].language).toBe("en");
      expect(texts[0].body).toContain(c.reference);
      expect(texts[0].body).toMatch(/started checking/);
      expect(texts[0].body).not.toContain(c.name);
    }
  });

  it("a move the status does not allow is 400 with a plain message, and nothing changes", async () => {
    const before = await events(c);
    const answer = await actOnCase(caseworker, c.reference, { intent: "manual_review" }, "en"); // submitted → manual_review is not a move
    expect(answer.status).toBe(400);
    expect(String(answer.data?.message)).toMatch(/cannot be done while the case is/);
    expect(await statusOf(c.reference)).toBe("submitted");
    expect(await events(c)).toHaveLength(before.length);
    expect(await auditOf(c.reference, "move_case")).toHaveLength(0);
  });

  it("a double click does the move once: the second is 400", async () => {
    expect((await actOnCase(caseworker, c.reference, { intent: "screening" })).status).toBe(303);
    expect((await actOnCase(caseworker, c.reference, { intent: "screening" })).status).toBe(400);
    expect((await events(c)).filter((e) => e.toStatus === "screening")).toHaveLength(1);
  });

  it("an unknown case is 404", async () => {
    const answer = await actOnCase(caseworker, "LA-2222-2222", { intent: "screening" });
    expect(answer.status).toBe(404);
  });
});

describe("request information", () => {
  it("asks for the chosen documents: needs_information, the texts name what is missing, the note is on the timeline", async () => {
    const c = await makeCase({ language: "zh-CN" });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const answer = await actOnCase(caseworker, c.reference, { intent: "request_information", types: ["id_card", "income_proof"], note: "请拍清楚身份证正反面" });
    expect(answer.status).toBe(303);
    expect(await statusOf(c.reference)).toBe("needs_information");
    const last = (await events(c)).at(-1)!;
    expect(last.toStatus).toBe("needs_information");
    expect(JSON.parse(last.detail)).toMatchObject({ missing: ["id_card", "income_proof"], note: "请拍清楚身份证正反面" });
    const audit = await auditOf(c.reference, "request_information");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].detail)).toMatchObject({ types: ["id_card", "income_proof"], withNote: true });
    const texts = await statusTexts(c, c.applicantPhone);
    expect(texts.at(-1)!.body).toContain("身份证、收入证明");
    expect(texts.at(-1)!.language).toBe("zh-CN");
    expect((await statusTexts(c, c.proxyPhone!)).at(-1)!.body).toContain("身份证、收入证明");
  });

  it("needs a document or a note: 400 with the message on the field, nothing changes", async () => {
    const c = await makeCase();
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const answer = await actOnCase(caseworker, c.reference, { intent: "request_information" }, "en");
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toHaveProperty("types");
    expect(await statusOf(c.reference)).toBe("screening");
  });

  it("refuses a note that is too long and a made-up document type", async () => {
    const c = await makeCase();
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    expect((await actOnCase(caseworker, c.reference, { intent: "request_information", types: "id_card", note: "字".repeat(301) })).data?.errors).toHaveProperty("request-note");
    expect((await actOnCase(caseworker, c.reference, { intent: "request_information", types: "passport" })).data?.errors).toHaveProperty("types");
    expect(await statusOf(c.reference)).toBe("screening");
  });

  it("texts only the applicant when the proxy was stopped from seeing the case", async () => {
    const c = await makeCase();
    await db.application.update({ where: { id: c.id }, data: { proxyRevokedAt: new Date() } });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    expect(await statusTexts(c, c.applicantPhone)).toHaveLength(1);
    expect(await statusTexts(c, c.proxyPhone!)).toHaveLength(0);
  });
});

describe("documents", () => {
  it("accept: status accepted, who and when, timeline and audit", async () => {
    const c = await makeCase();
    const evidenceId = await addPdf(c.id);
    const answer = await actOnCase(caseworker, c.reference, { intent: "accept_evidence", evidenceId });
    expect(answer.status).toBe(303);
    const row = await db.evidence.findUniqueOrThrow({ where: { id: evidenceId } });
    expect(row).toMatchObject({ status: "accepted", reviewedById: caseworker.staffId, rejectReason: null });
    expect((await events(c)).at(-1)).toMatchObject({ type: "evidence_accepted" });
    expect(await auditOf(c.reference, "accept_evidence")).toHaveLength(1);
  });

  it("reject with a reason: the resident's words are in the application's language, the code is on the timeline", async () => {
    const c = await makeCase({ language: "en" });
    const evidenceId = await addPdf(c.id);
    const answer = await actOnCase(caseworker, c.reference, { intent: "reject_evidence", evidenceId, reason: "unreadable", note: "The top half is dark." });
    expect(answer.status).toBe(303);
    const row = await db.evidence.findUniqueOrThrow({ where: { id: evidenceId } });
    expect(row.status).toBe("rejected");
    expect(row.rejectReason).toMatch(/^We cannot read it\..*The top half is dark\.$/);
    expect(JSON.parse((await events(c)).at(-1)!.detail)).toMatchObject({ evidenceId, reason: "unreadable" });
    expect(await auditOf(c.reference, "reject_evidence")).toHaveLength(1);
  });

  it("reject without a reason is 400 on that document's field", async () => {
    const c = await makeCase();
    const evidenceId = await addPdf(c.id);
    const answer = await actOnCase(caseworker, c.reference, { intent: "reject_evidence", evidenceId });
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toHaveProperty(`reason-${evidenceId}`);
    expect((await db.evidence.findUniqueOrThrow({ where: { id: evidenceId } })).status).toBe("received");
  });

  it("a document of another case cannot be reviewed through this case (404, untouched)", async () => {
    const a = await makeCase();
    const b = await makeCase();
    const bEvidence = await addPdf(b.id);
    const answer = await actOnCase(caseworker, a.reference, { intent: "accept_evidence", evidenceId: bEvidence });
    expect(answer.status).toBe(404);
    expect((await db.evidence.findUniqueOrThrow({ where: { id: bEvidence } })).status).toBe("received");
    expect(await auditOf(a.reference, "accept_evidence")).toHaveLength(0);
  });
});

describe("approve", () => {
  it("a caseworker approves a small amount from screening: approved with the rules' amounts, decidedAt/By, on public notice for 7 days, one text", async () => {
    const c = await makeCase({ language: "en" });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const answer = await actOnCase(caseworker, c.reference, { intent: "approve" });
    expect(answer.status).toBe(303);
    const row = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    // Approved, then at once on the public notice list (公示) for NOTICE_DAYS days.
    expect(row.status).toBe("public_notice");
    expect(row.decidedById).toBe(caseworker.staffId);
    expect(row.decidedAt).toBeInstanceOf(Date);
    expect(row.noticeStartsAt?.getTime()).toBe(row.decidedAt!.getTime());
    expect(row.noticeEndsAt!.getTime() - row.noticeStartsAt!.getTime()).toBe(7 * 24 * 3600_000);
    expect(JSON.parse(row.decision!)).toMatchObject({ outcome: "approved", amounts: [{ program: "dibao", fen: 80_000, period: "month" }], monthlyTotalFen: 80_000 });
    const statuses = (await events(c)).filter((e) => e.type === "status").map((e) => e.toStatus);
    expect(statuses).toEqual(["submitted", "screening", "manual_review", "approved", "public_notice"]);
    // screening, then approved: passing through manual_review in the same action sends no text of its own
    const texts = await statusTexts(c, c.applicantPhone);
    expect(texts.map((t) => t.body.match(/approved|checking|closely/)?.[0])).toEqual(["checking"]);
    // the approval and the notice in one text, with the day the notice ends
    const notice = (await textsTo(c.applicantPhone)).filter((m) => m.dedupeKey?.startsWith("notice-start:"));
    expect(notice).toHaveLength(1);
    expect(notice[0].body).toMatch(/is approved\. It is on public notice for 7 days, until \d{1,2} \w+ \d{4}/);
    expect(await auditOf(c.reference, "approve_case")).toHaveLength(1);
  });

  it("a caseworker cannot approve a large amount: 403 with why, nothing approved, the case waits in manual_review for a supervisor", async () => {
    const c = await makeCase({ household: LARGE });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const answer = await actOnCase(caseworker, c.reference, { intent: "approve" }, "en");
    expect(answer.status).toBe(403);
    expect(String(answer.data?.message)).toMatch(/supervisor/);
    const row = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.status).toBe("manual_review");
    expect(row.decidedAt).toBeNull();
    expect(row.decision).toBeNull();
    expect((await events(c)).at(-1)).toMatchObject({ type: "supervisor_needed" });
    expect(await auditOf(c.reference, "approve_case_refused")).toHaveLength(1);

    const bySupervisor = await actOnCase(supervisor, c.reference, { intent: "approve" });
    expect(bySupervisor.status).toBe(303);
    const approved = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    expect(approved.status).toBe("public_notice");
    expect(approved.decidedById).toBe(supervisor.staffId);
    expect(JSON.parse(approved.decision!).monthlyTotalFen).toBe(500_000);
  });

  it("approving a submitted (not yet checked) or a decided case is 400", async () => {
    const c = await makeCase();
    expect((await actOnCase(supervisor, c.reference, { intent: "approve" })).status).toBe(400);
    await actOnCase(supervisor, c.reference, { intent: "screening" });
    expect((await actOnCase(supervisor, c.reference, { intent: "approve" })).status).toBe(303);
    const again = await actOnCase(supervisor, c.reference, { intent: "approve" });
    expect(again.status).toBe(400);
    expect((await events(c)).filter((e) => e.toStatus === "approved")).toHaveLength(1);
  });

  it("with no amount from the rules for what was applied for, approval is refused with a reason (400)", async () => {
    const c = await makeCase({ programs: ["housing"] });
    await actOnCase(supervisor, c.reference, { intent: "screening" });
    const answer = await actOnCase(supervisor, c.reference, { intent: "approve" });
    expect(answer.status).toBe(400);
    expect(await statusOf(c.reference)).toBe("screening");
  });
});

describe("reject and close", () => {
  it("reject with plain reasons: rejected, decision stored, texts, audit", async () => {
    const c = await makeCase({ language: "en" });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const answer = await actOnCase(caseworker, c.reference, { intent: "reject", reasons: ["income_above_line", "has_supporter"], note: "Son earns enough." });
    expect(answer.status).toBe(303);
    const row = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.status).toBe("rejected");
    expect(row.decidedById).toBe(caseworker.staffId);
    expect(JSON.parse(row.decision!)).toEqual({ outcome: "rejected", reasons: ["income_above_line", "has_supporter"], note: "Son earns enough." });
    expect((await statusTexts(c, c.applicantPhone)).at(-1)!.body).toMatch(/not approved.*review within 60 days/);
    expect(await auditOf(c.reference, "reject_case")).toHaveLength(1);
  });

  it("reject needs a reason, and 'another reason' needs a note", async () => {
    const c = await makeCase();
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    expect((await actOnCase(caseworker, c.reference, { intent: "reject" })).data?.errors).toHaveProperty("reasons");
    expect((await actOnCase(caseworker, c.reference, { intent: "reject", reasons: "other" })).data?.errors).toHaveProperty("reject-note");
    expect((await actOnCase(caseworker, c.reference, { intent: "reject", reasons: "not_a_reason" })).status).toBe(400);
    expect(await statusOf(c.reference)).toBe("screening");
  });

  it("rejecting a submitted case (not yet checked) is not a move: 400", async () => {
    const c = await makeCase();
    expect((await actOnCase(caseworker, c.reference, { intent: "reject", reasons: "income_above_line" })).status).toBe(400);
    expect(await statusOf(c.reference)).toBe("submitted");
  });

  it("close: withdrawn with closedAt, reason on the timeline, texts, audit; a closed case cannot be closed again", async () => {
    const c = await makeCase();
    const answer = await actOnCase(caseworker, c.reference, { intent: "close", closeReason: "duplicate" });
    expect(answer.status).toBe(303);
    const row = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.status).toBe("withdrawn");
    expect(row.closedAt).toBeInstanceOf(Date);
    expect(JSON.parse((await events(c)).at(-1)!.detail)).toMatchObject({ closed: "duplicate" });
    expect(await statusTexts(c, c.applicantPhone)).toHaveLength(1);
    expect(await auditOf(c.reference, "close_case")).toHaveLength(1);
    expect((await actOnCase(caseworker, c.reference, { intent: "close", closeReason: "duplicate" })).status).toBe(400);
    expect((await actOnCase(caseworker, c.reference, { intent: "close" })).status).toBe(400);
  });
});

describe("the page after an action", () => {
  it("shows the timeline entry and the actions the new status allows", async () => {
    const c = await makeCase({ language: "en" });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    const page = await openCase(caseworker, `${c.reference}`, "?done=screening&lng=en");
    expect(page.status).toBe(200);
    const data = page.data as { done: string; actions: Record<string, boolean>; timeline: Array<{ text: string; who: string }> };
    expect(data.done).toBe("screening");
    expect(data.actions).toMatchObject({ screening: false, manualReview: true, requestInformation: true, approve: true, reject: true, close: true });
    expect(data.timeline.at(-1)!.text).toMatch(/from "Sent to us" to "Being checked"/);
    expect(data.timeline.at(-1)!.who).toBe("Test caseworker");
  });
});
