// The web application journey end to end through its route modules: from a
// finished check to a submitted case (channel web, receipt text queued, draft
// marked submitted, files moved to the case), for oneself and on someone's
// behalf with a texted consent code; a double submit makes one application;
// bad input answers 400 with specific messages and loses nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { lone_elder } from "../../fixtures/check-personas";
import { htmlNamedPdf, pdfFile } from "../../unit/evidence/sample-files";
import { APPLICANT_ID, APPLICANT_ID_WRONG_CHECK, filesIn, idNumber, makeTemporaryUploadDir } from "../applications/helpers";
import { ApplyClient } from "./client";

let uploadDir = "";
beforeAll(() => {
  uploadDir = makeTemporaryUploadDir();
});

const en = fixedT("en", ["apply", "application"]);
const HELPER_ID = idNumber("11010519800101003");

interface TaskData {
  tasks: { id: string; status: string }[];
}
function statuses(data: unknown): Record<string, string> {
  return Object.fromEntries((data as TaskData).tasks.map((t) => [t.id, t.status]));
}

async function draftRow(client: ApplyClient) {
  return db.applicationDraft.findUniqueOrThrow({ where: { id: client.cookies.get("apply_draft")! } });
}

/** Who, details, household and programmes for a person applying for themself. */
async function selfUpToDocuments(client: ApplyClient, phone = "13800138000") {
  await client.finishCheck(lone_elder);
  expect((await client.post("/apply/who", { forWhom: "self" })).location).toBe("/apply/details");
  const details = await client.post("/apply/details", { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID, applicantPhone: phone, district: "dongcheng", callMe: "yes" });
  expect(details.location).toBe("/apply/household");
  expect((await client.post("/apply/household")).location).toBe("/apply/programmes");
}

async function uploadRequired(client: ApplyClient) {
  for (const type of ["id_card", "household_register", "income_proof"]) {
    const reply = await client.upload(type, pdfFile(), `${type}.pdf`, "application/pdf");
    expect(reply.location).toBe(`/apply/documents#doc-${type}`);
  }
}

describe("applying for myself", () => {
  it("goes from the check to a submitted web application with its receipt and files", async () => {
    const client = new ApplyClient();
    // Without a check the household cannot start, and its page says to do the check first.
    expect(statuses((await client.get("/apply")).data)).toMatchObject({ who: "not_started", details: "cannot_start", household: "cannot_start", submit: "cannot_start" });
    const early = await client.get("/apply/household");
    expect(early.status).toBe(200);
    expect((early.data as { sections: unknown }).sections).toBeNull();

    await selfUpToDocuments(client);
    expect(statuses((await client.get("/apply")).data)).toMatchObject({ who: "completed", details: "completed", household: "completed", programmes: "not_started", documents: "not_started" });

    // Programmes come ticked from the assessment: eligible and needs_review, never not_eligible.
    const programmes = (await client.get("/apply/programmes")).data as { checked: string[]; options: { value: string }[] };
    expect(programmes.checked.length).toBeGreaterThan(0);
    expect(programmes.checked).not.toContain("employment");
    const none = await client.post("/apply/programmes", {});
    expect(none.status).toBe(400);
    expect((none.data as { errors: Record<string, string> }).errors.programs).toBe(en("apply:errors.programs.required"));
    expect((await client.post("/apply/programmes", { programs: ["dibao", "medical", "nonsense"] })).location).toBe("/apply/documents");

    // Required documents first: continuing without them names each one.
    const missing = await client.post("/apply/documents", { intent: "done" });
    expect(missing.status).toBe(400);
    expect(Object.keys((missing.data as { errors: Record<string, string> }).errors).sort()).toEqual(["file-household_register", "file-id_card", "file-income_proof"]);
    await uploadRequired(client);
    const draftId = client.cookies.get("apply_draft")!;
    expect(await db.evidence.count({ where: { draftId } })).toBe(3);
    expect((await client.post("/apply/documents", { intent: "done" })).location).toBe("/apply/answers");

    const answers = await client.get("/apply/answers");
    expect(answers.status).toBe(200);
    // The district is on check your answers, with a change link to the details page.
    expect((answers.data as { rows: Array<{ key: string; value: string; href: string }> }).rows).toContainEqual(
      expect.objectContaining({ key: "district", value: "Dongcheng", href: "/apply/details" }),
    );
    const declaration = (await client.get("/apply/declaration")).data as { token: string };
    expect(declaration.token).toMatch(/^[0-9a-f]{32}$/);
    const unticked = await client.post("/apply/declaration", { token: declaration.token });
    expect(unticked.status).toBe(400);
    expect((unticked.data as { errors: Record<string, string> }).errors.declare).toBe(en("apply:errors.declare.required"));

    const sent = await client.post("/apply/declaration", { token: declaration.token, declare: "yes" });
    const reference = sent.location!.replace("/apply/done/", "");
    expect(reference).toMatch(/^LA-/);
    const app = await db.application.findUniqueOrThrow({ where: { reference }, include: { evidence: true } });
    expect(app.channel).toBe("web");
    expect(app.applicantName).toBe("王秀英");
    expect(app.applicantPhone).toBe("+8613800138000");
    expect(app.district).toBe("dongcheng");
    expect(app.proxyName).toBeNull();
    expect(JSON.parse(app.programs)).toEqual(["dibao", "medical"]);
    expect(app.evidence.map((e) => e.type).sort()).toEqual(["household_register", "id_card", "income_proof"]);
    expect(await db.evidence.count({ where: { draftId } })).toBe(0);
    expect(await db.caseEvent.count({ where: { applicationId: app.id, type: "evidence_received" } })).toBe(3);
    expect((await draftRow(client)).submittedReference).toBe(reference);
    const receipt = await db.outboxMessage.findMany({ where: { to: "+8613800138000", dedupeKey: `receipt:${reference}:+8613800138000` } });
    expect(receipt).toHaveLength(1);
    expect(receipt[0].body).toContain(reference);

    // A double click, and a resent form: the same one application.
    const again = await client.post("/apply/declaration", { token: declaration.token, declare: "yes" });
    expect(again.location).toBe(`/apply/done/${reference}`);
    const [x, y] = await Promise.all([
      client.post("/apply/declaration", { token: declaration.token, declare: "yes" }),
      client.post("/apply/declaration", { token: declaration.token, declare: "yes" }),
    ]);
    expect([x.location, y.location]).toEqual([`/apply/done/${reference}`, `/apply/done/${reference}`]);
    expect(await db.application.count({ where: { applicantIdNumber: APPLICANT_ID } })).toBe(1);

    // The confirmation: reference spaced for reading aloud, masked phone only.
    const done = (await client.get(`/apply/done/${reference}`)).data as { spoken: string; maskedPhone: string };
    expect(done.spoken).toBe(reference.split("-").map((g) => g.split("").join(" ")).join(", "));
    expect(done.maskedPhone).not.toContain("00138000");
    // Another browser with the reference sees no phone at all.
    expect(((await new ApplyClient().get(`/apply/done/${reference}`)).data as { maskedPhone: string | null }).maskedPhone).toBeNull();

    // The task list now points at the confirmation; "start a new application" forgets the sent draft.
    expect(((await client.get("/apply")).data as { submittedReference: string }).submittedReference).toBe(reference);
    expect((await client.post("/apply")).location).toBe("/apply");
    expect(client.cookies.has("apply_draft")).toBe(false);
  });

  it("double submit at once with two fresh forms creates one application", async () => {
    const client = new ApplyClient();
    await selfUpToDocuments(client, "13900139000");
    await client.post("/apply/programmes", { programs: ["dibao"] });
    await uploadRequired(client);
    await client.post("/apply/documents", { intent: "done" });
    const { token } = (await client.get("/apply/declaration")).data as { token: string };
    const replies = await Promise.all([1, 2, 3].map(() => client.post("/apply/declaration", { token, declare: "yes" })));
    const locations = new Set(replies.map((r) => r.location));
    expect(locations.size).toBe(1);
    expect(await db.application.count({ where: { applicantPhone: "+8613900139000" } })).toBe(1);
  });
});

describe("bad input", () => {
  it("answers a bad ID number and phone with 400, specific messages, an Error: title, and keeps what was typed", async () => {
    const client = new ApplyClient();
    await client.finishCheck(lone_elder);
    await client.post("/apply/who", { forWhom: "self" });
    const before = await draftRow(client);
    const typed = { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID_WRONG_CHECK, applicantPhone: "010 6512 3456", district: "xicheng", callMe: "no" };
    const context = {};
    const reply = await client.post("/apply/details", typed, context);
    expect(reply.status).toBe(400);
    const data = reply.data as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors).toEqual({
      applicantIdNumber: en("application:errors.idNumber.checkDigit"),
      applicantPhone: en("application:errors.phone.notMobile"),
    });
    expect(data.values).toMatchObject(typed);
    const page = (await client.get("/apply/details", context)).data as { title: string };
    expect(page.title).toMatch(/^Error: /);
    // Nothing saved from the bad form.
    expect((await draftRow(client)).answers).toBe(before.answers);

    const short = await client.post("/apply/details", { ...typed, applicantIdNumber: "1101", applicantPhone: "1380013", applicantName: "" });
    expect((short.data as { errors: Record<string, string> }).errors).toEqual({
      applicantName: en("apply:errors.applicantName.required"),
      applicantIdNumber: en("application:errors.idNumber.length"),
      applicantPhone: en("application:errors.phone.tooShort"),
    });
    const noChoice = await client.post("/apply/who", {});
    expect(noChoice.status).toBe(400);
    expect((noChoice.data as { errors: Record<string, string> }).errors).toEqual({ forWhom: en("apply:errors.forWhom.required") });
  });

  it("refuses a hostile file with a reason, stores nothing and offers a call-back (upload_failed)", async () => {
    const client = new ApplyClient();
    await selfUpToDocuments(client, "13700137000");
    await client.post("/apply/programmes", { programs: ["dibao"] });
    const draftId = client.cookies.get("apply_draft")!;
    const filesBefore = filesIn(uploadDir).length;
    const reply = await client.upload("id_card", htmlNamedPdf(), "id.pdf", "application/pdf");
    expect(reply.status).toBe(400);
    const data = reply.data as { errors: Record<string, string>; uploadFailed: boolean };
    expect(data.errors["file-id_card"]).toBe(en("apply:errors.upload.unsupported"));
    expect(data.uploadFailed).toBe(true);
    expect(await db.evidence.count({ where: { draftId } })).toBe(0);
    expect(filesIn(uploadDir).length).toBe(filesBefore);

    const callback = await client.post("/apply/documents", { intent: "callback", phone: "137 0013 7000" });
    expect(callback.location).toBe("/apply/documents?callback=1");
    const row = await db.callbackRequest.findFirstOrThrow({ where: { source: "upload_failed", phone: "+8613700137000" } });
    expect(JSON.parse(row.context).application.answers.programs).toEqual(["dibao"]);
    // The answers are all still there.
    expect(statuses((await client.get("/apply")).data)).toMatchObject({ who: "completed", details: "completed", household: "completed", programmes: "completed" });
  });
});

describe("applying for someone else", () => {
  it("needs the code texted to their phone, then submits with the helper as proxy", async () => {
    const client = new ApplyClient();
    await client.finishCheck(lone_elder);
    const partial = await client.post("/apply/who", { forWhom: "other", relationship: "child" });
    expect(partial.status).toBe(400);
    expect((partial.data as { errors: Record<string, string> }).errors).toEqual({ consentMethod: en("apply:errors.consentMethod.required") });
    await client.post("/apply/who", { forWhom: "other", relationship: "child", consentMethod: "sms" });
    const details = await client.post("/apply/details", {
      applicantName: "王秀英",
      applicantIdNumber: APPLICANT_ID,
      applicantPhone: "13600136000",
      helperName: "李娜",
      helperPhone: "13500135000",
      district: "haidian",
      callMe: "yes",
    });
    expect(details.location).toBe("/apply/consent");
    expect((await draftRow(client)).phone).toBe("+8613500135000");
    expect(statuses((await client.get("/apply")).data)).toMatchObject({ consent: "not_started", submit: "cannot_start" });

    // Typing before a code was sent, then a wrong code.
    expect((await client.post("/apply/consent", { intent: "check", code: "123456" })).status).toBe(400);
    expect((await client.post("/apply/consent", { intent: "send" })).location).toBe("/apply/consent");
    const text = await db.outboxMessage.findFirstOrThrow({ where: { to: "+8613600136000" }, orderBy: { createdAt: "desc" } });
    expect(text.body).toContain("李娜");
    const code = /\b(\d{6})\b/.exec(text.body)![1];
    const stored = await db.oneTimeCode.findFirstOrThrow({ where: { phone: "+8613600136000" } });
    expect(stored.codeHash).not.toContain(code);
    const wrong = await client.post("/apply/consent", { intent: "check", code: code === "000000" ? "111111" : "000000" });
    expect((wrong.data as { errors: Record<string, string> }).errors.code).toBe(en("apply:errors.code.wrong"));
    expect((await client.post("/apply/consent", { intent: "check", code: ` ${code.slice(0, 3)} ${code.slice(3)} ` })).location).toBe("/apply/household");
    expect(statuses((await client.get("/apply")).data).consent).toBe("completed");

    await client.post("/apply/household");
    await client.post("/apply/programmes", { programs: ["dibao"] });
    // With the code confirmed, the letter of authorization is optional.
    const docs = (await client.get("/apply/documents")).data as { items: { type: string; required: boolean }[] };
    expect(docs.items.find((i) => i.type === "authorization")?.required).toBe(false);
    await uploadRequired(client);
    await client.post("/apply/documents", { intent: "done" });
    const { token } = (await client.get("/apply/declaration")).data as { token: string };
    const sent = await client.post("/apply/declaration", { token, declare: "yes" });
    const reference = sent.location!.replace("/apply/done/", "");
    const app = await db.application.findUniqueOrThrow({ where: { reference } });
    expect(app).toMatchObject({ channel: "web", applicantPhone: "+8613600136000", proxyName: "李娜", proxyPhone: "+8613500135000", proxyRelationship: "child", proxyConsent: "sms" });
    // Receipts to both phones.
    expect(await db.outboxMessage.count({ where: { dedupeKey: { startsWith: `receipt:${reference}:` } } })).toBe(2);
  });

  it("with a signed letter, the authorization document is required", async () => {
    const client = new ApplyClient();
    await client.finishCheck(lone_elder);
    await client.post("/apply/who", { forWhom: "other", relationship: "social_worker", consentMethod: "document" });
    const details = await client.post("/apply/details", {
      applicantName: "王秀英",
      applicantIdNumber: HELPER_ID,
      applicantPhone: "13600136001",
      helperName: "",
      helperPhone: "",
      district: "haidian",
      callMe: "no",
    });
    expect((details.data as { errors: Record<string, string> }).errors).toMatchObject({
      helperName: en("apply:errors.helperName.required"),
      helperPhone: en("application:errors.phone.required"),
    });
    await client.post("/apply/details", { applicantName: "王秀英", applicantIdNumber: HELPER_ID, applicantPhone: "13600136001", helperName: "张伟", helperPhone: "13500135001", district: "haidian", callMe: "no" });
    expect((await client.post("/apply/household")).location).toBe("/apply/programmes");
    await client.post("/apply/programmes", { programs: ["dibao"] });
    await uploadRequired(client);
    const missing = await client.post("/apply/documents", { intent: "done" });
    expect(Object.keys((missing.data as { errors: Record<string, string> }).errors)).toEqual(["file-authorization"]);
  });
});
