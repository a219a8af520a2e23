// CSRF on the /apply journey in staff-assisted mode (issue 5: "CSRF tokens on
// every state-changing form"). A caseworker continuing a resident's draft
// changes it from their signed-in browser, so every /apply action must carry
// the staff session's token: without it, with a forged one or with another
// caseworker's, each action answers 403 and nothing changes (the draft, texts,
// codes, call-backs, files, applications, cookies); with it, the journey runs
// to a staff_assisted application. The resident's own journey asks for no
// staff token and is otherwise unchanged. A source check keeps every apply
// action and form on the shared guard (app/services/apply-csrf.server.ts,
// app/components/apply/assisted-csrf.tsx).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startAssistedDraft } from "~/models/application-draft.server";
import * as applyFrame from "~/routes/apply";
import * as invite from "~/routes/apply.invite.$token";
import { db } from "~/services/db.server";
import { lone_elder } from "../../fixtures/check-personas";
import { callRoute, signInAs, type TestStaffSession } from "../../support/staff";
import { pdfFile } from "../../unit/evidence/sample-files";
import { APPLICANT_ID, filesIn, makeTemporaryUploadDir } from "../applications/helpers";
import { ApplyClient, type Fields, type Reply } from "./client";

const REQUIRED_DOCUMENTS = ["id_card", "household_register", "income_proof"];
let uploadDir = "";
let worker: TestStaffSession;
let colleague: TestStaffSession;

beforeAll(async () => {
  uploadDir = makeTemporaryUploadDir();
  worker = await signInAs("caseworker", { username: "csrf-worker" });
  colleague = await signInAs("caseworker", { username: "csrf-colleague" });
});

/** The resident starts an application for their mother (consent by texted code) and stops. */
async function residentDraft(): Promise<ApplyClient> {
  const resident = new ApplyClient();
  await resident.finishCheck(lone_elder);
  expect((await resident.post("/apply/who", { forWhom: "other", relationship: "child", consentMethod: "sms" })).location).toBe("/apply/details");
  return resident;
}

/** The caseworker's browser after "continue for them": their staff cookie and the resident's draft (and check) in assisted mode. */
async function assistedBrowser(resident: ApplyClient, session: TestStaffSession): Promise<ApplyClient> {
  const draftId = resident.cookies.get("apply_draft")!;
  expect(await startAssistedDraft(db, draftId, session.staffId)).toBe(true);
  const staff = new ApplyClient();
  staff.cookies.set("apply_draft", draftId);
  staff.cookies.set("check_draft", resident.cookies.get("check_draft")!);
  const [name, value] = session.cookie.split(/=(.*)/s);
  staff.cookies.set(name, value);
  return staff;
}

async function frameCsrf(client: ApplyClient): Promise<string | null> {
  const request = new Request("http://localhost/apply", { headers: { Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
  const answer = await callRoute(applyFrame.loader, request);
  return (answer.data as { csrf: string | null }).csrf;
}

/** Everything an /apply action could change. */
async function snapshot(draftId: string) {
  const draft = await db.applicationDraft.findUniqueOrThrow({
    where: { id: draftId },
    select: { answers: true, step: true, phone: true, callbackConsent: true, language: true, submittedReference: true, assistedBy: true, lastActivityAt: true, expiresAt: true },
  });
  return {
    draft,
    evidence: await db.evidence.count({ where: { draftId } }),
    files: filesIn(uploadDir).length,
    outbox: await db.outboxMessage.count(),
    codes: await db.oneTimeCode.count(),
    callbacks: await db.callbackRequest.count(),
    applications: await db.application.count(),
    optOuts: await db.screeningOptOut.count(),
    onceRecords: await db.idempotencyRecord.count(),
  };
}

/** Tokens that must not open an action: none, a forged one, a colleague's (their own live session's). */
function badTokens(): Array<string | undefined> {
  return [undefined, "forged", colleague.csrf];
}

function withToken(fields: Fields, csrf: string | undefined): Fields {
  return csrf === undefined ? fields : { ...fields, csrf };
}

/** Each bad token: 403, no cookie, nothing changed. */
async function expectRefused(draftId: string, send: (csrf: string | undefined) => Promise<Reply>): Promise<void> {
  const before = await snapshot(draftId);
  for (const csrf of badTokens()) {
    const reply = await send(csrf);
    expect(reply.status, `csrf ${String(csrf)}`).toBe(403);
    expect(reply.setCookie).toBeNull();
  }
  expect(await snapshot(draftId)).toEqual(before);
}

/** Refused without the right token, then the same post with it: its answer. */
async function post(client: ApplyClient, draftId: string, pathname: string, fields: Fields = {}): Promise<Reply> {
  await expectRefused(draftId, (csrf) => client.post(pathname, withToken(fields, csrf)));
  return client.post(pathname, withToken(fields, worker.csrf));
}

describe("assisted mode: every /apply action needs the staff session's CSRF token", () => {
  it("refuses each action without the token (403, nothing changed) and runs the journey with it", async () => {
    const resident = await residentDraft();
    const staff = await assistedBrowser(resident, worker);
    const draftId = staff.cookies.get("apply_draft")!;

    // The apply layout hands the token to the forms only in assisted mode.
    expect(await frameCsrf(staff)).toBe(worker.csrf);
    expect(await frameCsrf(resident)).toBeNull();

    expect((await post(staff, draftId, "/apply/who", { forWhom: "other", relationship: "child", consentMethod: "sms" })).location).toBe("/apply/details");
    const details = { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID, applicantPhone: "13600136100", helperName: "李娜", helperPhone: "13500135100", district: "haidian", callMe: "yes" };
    expect((await post(staff, draftId, "/apply/details", details)).location).toBe("/apply/consent");

    // Consent code: no text and no code without the token.
    expect((await post(staff, draftId, "/apply/consent", { intent: "send" })).location).toBe("/apply/consent");
    const text = await db.outboxMessage.findFirstOrThrow({ where: { to: "+8613600136100" }, orderBy: { createdAt: "desc" } });
    const code = /\b(\d{6})\b/.exec(text.body)![1];
    expect((await post(staff, draftId, "/apply/consent", { intent: "check", code })).location).toBe("/apply/household");

    expect((await post(staff, draftId, "/apply/household")).location).toBe("/apply/programmes");
    expect((await post(staff, draftId, "/apply/programmes", { programs: ["dibao"] })).location).toBe("/apply/documents");

    // Uploads carry the token in the form's URL; refused before a byte is stored.
    for (const type of REQUIRED_DOCUMENTS) {
      await expectRefused(draftId, (csrf) => staff.upload(type, pdfFile(), `${type}.pdf`, "application/pdf", csrf === undefined ? {} : { csrf }));
      expect((await staff.upload(type, pdfFile(), `${type}.pdf`, "application/pdf", { csrf: worker.csrf })).location).toBe(`/apply/documents#doc-${type}`);
    }
    // The call-back offered after a failed upload: none queued without the token.
    expect((await post(staff, draftId, "/apply/documents", { intent: "callback", phone: "13600136100" })).location).toBe("/apply/documents?callback=1");
    expect((await post(staff, draftId, "/apply/documents", { intent: "done" })).location).toBe("/apply/answers");

    // Save and come back later: no link texted without the token.
    expect((await post(staff, draftId, "/apply/save", { phone: "13600136100" })).location).toMatch(/^\/apply\/save\?sent=/);

    const form = (await staff.get("/apply/declaration")).data as { token: string };
    const sent = await post(staff, draftId, "/apply/declaration", { token: form.token, declare: "yes" });
    expect(sent.location).toMatch(/^\/apply\/done\/LA-/);
    const app = await db.application.findUniqueOrThrow({ where: { reference: sent.location!.replace("/apply/done/", "") } });
    expect(app.channel).toBe("staff_assisted");

    // "Start a new application" (forgets the sent draft's cookie): not without the token either.
    const restart = await post(staff, draftId, "/apply");
    expect(restart.location).toBe("/apply");
    expect(restart.setCookie).toMatch(/^apply_draft=;/);
  });

  it("guards the invitation page's action too", async () => {
    const resident = await residentDraft();
    const staff = await assistedBrowser(resident, worker);
    const draftId = staff.cookies.get("apply_draft")!;
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const optOut = (csrf: string | undefined) => {
      const body = new URLSearchParams(withToken({ intent: "optOut" }, csrf) as Record<string, string>);
      const request = new Request("http://localhost/apply/invite/not-a-real-token", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body });
      return callRoute(invite.action, request, { params: { token: "not-a-real-token" } });
    };
    const before = await snapshot(draftId);
    for (const csrf of badTokens()) expect((await optOut(csrf)).status).toBe(403);
    expect(await snapshot(draftId)).toEqual(before);
    // With the token the action itself answers (this link opens nothing).
    expect((await optOut(worker.csrf)).status).toBe(404);
  });

  it("refuses a token once the caseworker's session has ended", async () => {
    const resident = await residentDraft();
    const session = await signInAs("caseworker", { username: "csrf-leaver" });
    const staff = await assistedBrowser(resident, session);
    const draftId = staff.cookies.get("apply_draft")!;
    await db.staffSession.update({ where: { id: session.sessionId }, data: { endedAt: new Date() } });
    const before = await snapshot(draftId);
    // Signed out, the draft no longer opens for this browser: no assisted mode, and the assisted draft is untouched.
    const reply = await staff.post("/apply/who", { forWhom: "self", csrf: session.csrf });
    expect(reply.status).toBe(302);
    expect(await snapshot(draftId)).toMatchObject({ draft: before.draft, evidence: before.evidence });
  });
});

describe("the resident's own journey", () => {
  it("asks for no staff token, from the check to a sent web application", async () => {
    const client = new ApplyClient();
    await client.finishCheck(lone_elder);
    expect(await frameCsrf(client)).toBeNull();
    expect((await client.post("/apply/who", { forWhom: "self" })).location).toBe("/apply/details");
    const details = await client.post("/apply/details", { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID, applicantPhone: "13800138400", district: "dongcheng", callMe: "yes" });
    expect(details.location).toBe("/apply/household");
    expect((await client.post("/apply/household")).location).toBe("/apply/programmes");
    expect((await client.post("/apply/programmes", { programs: ["dibao"] })).location).toBe("/apply/documents");
    for (const type of REQUIRED_DOCUMENTS) expect((await client.upload(type, pdfFile(), `${type}.pdf`, "application/pdf")).location).toBe(`/apply/documents#doc-${type}`);
    expect((await client.post("/apply/documents", { intent: "done" })).location).toBe("/apply/answers");
    expect((await client.post("/apply/save", { phone: "13800138400" })).location).toMatch(/^\/apply\/save\?sent=/);
    const { token } = (await client.get("/apply/declaration")).data as { token: string };
    const sent = await client.post("/apply/declaration", { token, declare: "yes" });
    expect(sent.location).toMatch(/^\/apply\/done\/LA-/);
    expect((await db.application.findUniqueOrThrow({ where: { reference: sent.location!.replace("/apply/done/", "") } })).channel).toBe("web");
    const restart = await client.post("/apply");
    expect(restart.setCookie).toMatch(/^apply_draft=;/);
  });

  it("asks for no staff token from a signed-in caseworker's browser working on its own, unassisted draft", async () => {
    const client = new ApplyClient();
    const [name, value] = worker.cookie.split(/=(.*)/s);
    client.cookies.set(name, value);
    await client.finishCheck(lone_elder);
    expect((await client.post("/apply/who", { forWhom: "self" })).location).toBe("/apply/details");
    expect(await frameCsrf(client)).toBeNull();
    const draft = await db.applicationDraft.findUniqueOrThrow({ where: { id: client.cookies.get("apply_draft")! } });
    expect(draft.assistedBy).toBeNull();
  });
});

describe("every /apply action and form is on the shared guard", () => {
  const ROUTES = path.resolve("app/routes");
  const files = fs
    .readdirSync(ROUTES)
    .filter((file) => /^apply[._].*\.tsx$|^apply\.tsx$/.test(file))
    .map((file) => ({ file, source: fs.readFileSync(path.join(ROUTES, file), "utf8") }));
  const withActions = files.filter(({ source }) => /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source));

  it("finds the apply routes with actions", () => {
    expect(withActions.map((r) => r.file).sort()).toEqual(
      expect.arrayContaining(["apply._index.tsx", "apply.consent.tsx", "apply.declaration.tsx", "apply.details.tsx", "apply.documents.tsx", "apply.household.tsx", "apply.programmes.tsx", "apply.save.tsx", "apply.who.tsx"]),
    );
  });

  it.each(withActions.map(({ file }) => [file]))("%s checks the assisted CSRF token and its post forms carry it", (file) => {
    const { source } = withActions.find((r) => r.file === file)!;
    expect(source, `${file}: its action is not wrapped in assistedCsrf(…)`).toMatch(/export function action\([^)]*\)\s*\{\s*return assistedCsrf\(/);
    const forms = (source.match(/<(Form|form)\b[^>]*method="post"/g) ?? []).length;
    const tokens = (source.match(/<AssistedCsrfField \/>|withAssistedCsrf\(/g) ?? []).length;
    expect(tokens, `${file}: ${forms} post forms, ${tokens} carry the token`).toBeGreaterThanOrEqual(forms);
  });
});
