// "Continue for them": a caseworker takes a web_abandoned call-back, opens the
// resident's own draft in assisted mode, finishes it on the phone and sends
// it as a staff_assisted application in their name, with the resident's
// agreement to the declaration on the record; the call-back is then done.
// The resident's cookie no longer opens the draft while staff hold it. A
// call-back without a draft starts a new one from what the context holds.
import { beforeAll, describe, expect, it } from "vitest";
import { queueAbandonedDraftCallbacks } from "~/models/application-draft.server";
import { queueCallback } from "~/models/callback.server";
import * as applyFrame from "~/routes/apply";
import * as cont from "~/routes/staff.callbacks.$reference.continue";
import * as detail from "~/routes/staff.callbacks.$reference";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { lone_elder } from "../../fixtures/check-personas";
import { APPLICANT_ID, makeTemporaryUploadDir } from "../applications/helpers";
import { ApplyClient } from "../apply/client";
import { pdfFile } from "../../unit/evidence/sample-files";
import { signInAs, staffPost, type TestStaffSession } from "../../support/staff";

const en = fixedT("en", ["queue"]);
let worker: TestStaffSession;

beforeAll(async () => {
  makeTemporaryUploadDir();
  worker = await signInAs("caseworker");
});

async function respond(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return (await fn()) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A browser of the caseworker: their staff cookie plus what "continue" set. */
async function continueFor(reference: string, session: TestStaffSession): Promise<{ reply: Response; client: ApplyClient }> {
  await respond(() => detail.action({ request: staffPost(`/staff/callbacks/${reference}`, session, { intent: "claim" }), params: { reference }, context: {} }));
  const reply = await respond(() => cont.action({ request: staffPost(`/staff/callbacks/${reference}/continue`, session, {}), params: { reference }, context: {} }));
  const client = new ApplyClient();
  const [name, value] = session.cookie.split(/=(.*)/s);
  client.cookies.set(name, value);
  for (const set of reply.headers.getSetCookie()) {
    const [pair] = set.split(";");
    const eq = pair.indexOf("=");
    client.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return { reply, client };
}

async function frame(client: ApplyClient): Promise<{ assisted: { maskedPhone: string } | null }> {
  const request = new Request("http://localhost/apply", { headers: { Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
  return (await (await respond(() => applyFrame.loader({ request, params: {}, context: {} }))).json()) as { assisted: { maskedPhone: string } | null };
}

describe("continue for them", () => {
  it("finishes the resident's abandoned draft as a staff-assisted application and closes the call-back", async () => {
    // The resident stops after confirming the household, having agreed to be called.
    const resident = new ApplyClient();
    await resident.finishCheck(lone_elder);
    await resident.post("/apply/who", { forWhom: "self" });
    await resident.post("/apply/details", { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID, applicantPhone: "13800138000", district: "chaoyang", callMe: "yes" });
    await resident.post("/apply/household");
    const draftId = resident.cookies.get("apply_draft")!;
    expect(await queueAbandonedDraftCallbacks(db, new Date(Date.now() + 25 * 60 * 60 * 1000))).toBe(1);
    const callback = await db.callbackRequest.findFirstOrThrow({ where: { source: "web_abandoned" } });

    // Staff page data never carries the draft id.
    const page = await respond(() => detail.loader({ request: new Request(`http://localhost/staff/callbacks/${callback.reference}`, { headers: { Cookie: worker.cookie } }), params: { reference: callback.reference }, context: {} }));
    const pageText = await page.text();
    expect(pageText).not.toContain(draftId);
    expect(JSON.parse(pageText)).toMatchObject({ hasDraft: true, step: "programmes" });

    // Not yet claimed: "continue" sends the caseworker back to the page.
    const early = await respond(() => cont.action({ request: staffPost(`/staff/callbacks/${callback.reference}/continue`, worker, {}), params: { reference: callback.reference }, context: {} }));
    expect(early.headers.get("Location")).toContain("notice=notYours");

    const { reply, client: staff } = await continueFor(callback.reference, worker);
    expect(reply.status).toBe(303);
    expect(reply.headers.get("Location")).toBe("/apply");
    expect(staff.cookies.get("apply_draft")).toBe(draftId);
    expect((await db.applicationDraft.findUniqueOrThrow({ where: { id: draftId } })).assistedBy).toBe(worker.staffId);
    expect(await db.auditEntry.count({ where: { action: "assist_application", subjectId: callback.reference } })).toBe(1);

    // The caseworker sees the banner with the masked number; the resident's own cookie no longer opens the draft.
    expect((await frame(staff)).assisted).toEqual({ maskedPhone: "138****8000" });
    expect((await frame(resident)).assisted).toBeNull();
    expect(((await resident.get("/apply")).data as { hasDraft: boolean }).hasDraft).toBe(false);
    // Another caseworker with the same cookie is not in staff mode either.
    const colleague = await signInAs("caseworker", { username: "colleague" });
    const borrowed = new ApplyClient();
    borrowed.cookies.set("apply_draft", draftId);
    borrowed.cookies.set("__staff", colleague.cookie.split(/=(.*)/s)[1]);
    expect((await frame(borrowed)).assisted).toBeNull();

    // Nothing asked twice: who, details and household are done.
    const tasks = ((await staff.get("/apply")).data as { tasks: { id: string; status: string }[] }).tasks;
    expect(Object.fromEntries(tasks.map((t) => [t.id, t.status]))).toMatchObject({ who: "completed", details: "completed", household: "completed", programmes: "not_started" });
    // Every /apply post in assisted mode carries the staff session's CSRF token (tests/integration/apply/assisted-csrf.test.ts).
    expect((await staff.post("/apply/programmes", { programs: ["dibao"] })).status).toBe(403);
    expect((await staff.post("/apply/programmes", { programs: ["dibao"], csrf: worker.csrf })).location).toBe("/apply/documents");
    for (const type of ["id_card", "household_register", "income_proof"]) await staff.upload(type, pdfFile(), `${type}.pdf`, "application/pdf", { csrf: worker.csrf });
    expect((await staff.post("/apply/documents", { intent: "done", csrf: worker.csrf })).location).toBe("/apply/answers");

    const form = (await staff.get("/apply/declaration")).data as { token: string; assisted: { csrf: string } | null };
    expect(form.assisted?.csrf).toBe(worker.csrf);
    const unticked = await staff.post("/apply/declaration", { token: form.token, csrf: worker.csrf });
    expect(unticked.status).toBe(400);
    expect((unticked.data as { errors: Record<string, string> }).errors.declare).toBe(en("queue:assisted.agreedRequired"));
    expect((await staff.post("/apply/declaration", { token: form.token, declare: "yes", csrf: "forged" })).status).toBe(403);

    const sent = await staff.post("/apply/declaration", { token: form.token, declare: "yes", csrf: worker.csrf });
    const reference = sent.location!.replace("/apply/done/", "");
    const app = await db.application.findUniqueOrThrow({ where: { reference }, include: { events: true } });
    expect(app.channel).toBe("staff_assisted");
    expect(app.applicantPhone).toBe("+8613800138000");
    expect(app.events.find((e) => e.type === "status")?.actor).toBe(`staff:${worker.staffId}`);
    const agreed = app.events.find((e) => e.type === "declaration_agreed_by_phone");
    expect(agreed?.actor).toBe(`staff:${worker.staffId}`);
    expect(JSON.parse(agreed!.detail)).toMatchObject({ agreedBy: "resident", callbacks: [callback.reference] });

    const closed = await db.callbackRequest.findUniqueOrThrow({ where: { id: callback.id } });
    expect(closed.status).toBe("done");
    expect(JSON.parse(closed.context)).toMatchObject({ applicationReference: reference });
    expect(await db.auditEntry.count({ where: { action: "submit_assisted_application", subjectId: reference } })).toBe(1);
    // The receipt goes to the resident in their language.
    expect(await db.outboxMessage.count({ where: { dedupeKey: `receipt:${reference}:+8613800138000` } })).toBe(1);
  });

  it("starts a new draft from a chat call-back's check answers", async () => {
    const check = new ApplyClient();
    await check.finishCheck(lone_elder);
    const answers = JSON.parse((await db.checkDraft.findUniqueOrThrow({ where: { id: check.cookies.get("check_draft")! } })).answers);
    const queued = await queueCallback(db, { phone: "13900139001", language: "en", source: "chat", context: { check: { answers }, transcript: [{ from: "resident", text: "help", at: new Date().toISOString() }] } });
    if (!queued.ok) throw new Error("seed");
    const { reply, client } = await continueFor(queued.reference, worker);
    expect(reply.headers.get("Location")).toBe("/apply");
    const draftId = client.cookies.get("apply_draft")!;
    const draft = await db.applicationDraft.findUniqueOrThrow({ where: { id: draftId } });
    expect(draft).toMatchObject({ assistedBy: worker.staffId, phone: "+8613900139001", language: "en" });
    expect(client.cookies.get("check_draft")).toMatch(/^[0-9a-f]{32}$/);
    const tasks = ((await client.get("/apply")).data as { tasks: { id: string; status: string }[] }).tasks;
    // The niece filled in the check for her aunt: she is the helper, and her number is already in place.
    expect(Object.fromEntries(tasks.map((t) => [t.id, t.status]))).toMatchObject({ who: "in_progress", household: "completed" });
    expect(JSON.parse(draft.answers)).toMatchObject({ forWhom: "other", helper: { phone: "+8613900139001" } });
    // The call-back now links the draft (server side only).
    expect(JSON.parse((await db.callbackRequest.findUniqueOrThrow({ where: { reference: queued.reference } })).context).draftId).toBe(draftId);
  });
});
