// The signed-in case page: uploads (accepted, refused with a plain message and
// nothing stored, a call-back offered), call-backs, withdrawing, the applicant
// stopping the proxy, and one case's sign-in never opening another case.
import { beforeAll, describe, expect, it } from "vitest";
import { action as caseAction } from "~/routes/track.case";
import { action as withdrawAction, loader as withdrawLoader } from "~/routes/track.withdraw";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { htmlNamedPdf, pngParts } from "../../unit/evidence/sample-files";
import { filesIn, makeTemporaryUploadDir } from "../applications/helpers";
import { APPLICANT_PHONE, Browser, createCase, PROXY_PHONE } from "./helpers";

const uploadDir = makeTemporaryUploadDir();
const t = fixedT("en", "track");

let caseA: { id: string; reference: string };
let caseB: { id: string; reference: string };

beforeAll(async () => {
  caseA = await createCase();
  caseB = await createCase({ applicantPhone: "13700137000", proxyPhone: "13600136000" });
});

async function signedIn(reference: string, phone: string, ip = "203.0.113.1"): Promise<Browser> {
  await db.oneTimeCode.deleteMany();
  const browser = new Browser(ip);
  const answer = await browser.signIn(reference, phone);
  expect(answer.location).toBe("/track/case");
  return browser;
}

function uploadForm(type: string, bytes: Uint8Array, filename: string, mime: string): FormData {
  const form = new FormData();
  form.append("type", type);
  form.append("file", new Blob([Uint8Array.from(bytes)], { type: mime }), filename);
  return form;
}

describe("upload more", () => {
  it("takes a PNG and lists it as received; the missing list no longer asks for it", async () => {
    const browser = await signedIn(caseA.reference, APPLICANT_PHONE);
    const before = await browser.casePage();
    expect((before.data?.missing as Array<{ type: string }>).map((m) => m.type)).toContain("id_card");

    const answer = await browser.postForm(caseAction, "/track/case", uploadForm("id_card", pngParts().file, "photo.png", "image/png"));
    expect(answer).toMatchObject({ status: 303, location: "/track/case" });
    const page = await browser.casePage();
    expect(page.data?.notice).toEqual({ kind: "uploaded" });
    expect(page.data?.evidence).toEqual([expect.objectContaining({ type: "id_card", status: "received" })]);
    expect((page.data?.missing as Array<{ type: string }>).map((m) => m.type)).not.toContain("id_card");
    expect(page.data?.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: "evidence_received", evidenceType: "id_card" })]));
    expect(filesIn(uploadDir)).toHaveLength(1);
    // The notice is shown once.
    expect((await browser.casePage()).data?.notice).toBeNull();
  });

  it("refuses an HTML file named .pdf with a plain message, stores nothing, and offers a call-back", async () => {
    const browser = await signedIn(caseA.reference, APPLICANT_PHONE);
    const rows = await db.evidence.count();
    const files = filesIn(uploadDir);
    const answer = await browser.postForm(caseAction, "/track/case", uploadForm("income_proof", htmlNamedPdf(), "payslip.pdf", "application/pdf"));
    expect(answer.status).toBe(415);
    expect(answer.data).toEqual({ errors: { file: t("case.uploadErrors.unsupported") }, uploadFailed: true });
    expect(await db.evidence.count()).toBe(rows);
    expect(filesIn(uploadDir)).toEqual(files);

    const callback = await browser.caseAction({ intent: "uploadCallback" });
    expect(callback.location).toBe("/track/case");
    const row = await db.callbackRequest.findFirstOrThrow({ where: { source: "upload_failed" } });
    expect(row.phone).toBe(`+86${APPLICANT_PHONE}`);
    expect(JSON.parse(row.context)).toMatchObject({ application: { reference: caseA.reference } });
    expect((await browser.casePage()).data?.notice).toEqual({ kind: "callback", reference: row.reference });
  });

  it("answers 400 when the file is missing, with the message at the file field", async () => {
    const browser = await signedIn(caseA.reference, APPLICANT_PHONE);
    const form = new FormData();
    form.append("type", "id_card");
    const answer = await browser.postForm(caseAction, "/track/case", form);
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ file: t("case.uploadErrors.fileMissing") });
  });

  it("does not read an upload from someone not signed in", async () => {
    const rows = await db.evidence.count();
    const answer = await new Browser().postForm(caseAction, "/track/case", uploadForm("id_card", pngParts().file, "photo.png", "image/png"));
    expect(answer).toMatchObject({ status: 303, location: "/track" });
    expect(await db.evidence.count()).toBe(rows);
  });
});

describe("call back", () => {
  it("queues a web_request call-back with the reference, and 400 for a bad number", async () => {
    const browser = await signedIn(caseA.reference, PROXY_PHONE);
    const bad = await browser.caseAction({ intent: "callback", callbackPhone: "12345" });
    expect(bad.status).toBe(400);
    expect(bad.data?.errors).toEqual({ callbackPhone: t("case.callbackErrors.phone") });
    // Left empty: the number signed in with.
    const good = await browser.caseAction({ intent: "callback", callbackPhone: "" });
    expect(good.location).toBe("/track/case");
    const row = await db.callbackRequest.findFirstOrThrow({ where: { source: "web_request" }, orderBy: { createdAt: "desc" } });
    expect(row.phone).toBe(`+86${PROXY_PHONE}`);
    expect(JSON.parse(row.context)).toMatchObject({ application: { reference: caseA.reference, role: "proxy" } });
    const another = await browser.caseAction({ intent: "callback", callbackPhone: "135 0013 5000" });
    expect(another.location).toBe("/track/case");
    expect(await db.callbackRequest.count({ where: { source: "web_request", phone: "+8613500135000" } })).toBe(1);
  });
});

describe("cross-case isolation", () => {
  it("never opens case B with case A's reference, phone or code", async () => {
    await db.oneTimeCode.deleteMany();
    // A's code, typed after asking with B's reference and A's phone: B is not A's, so no text and nothing opens.
    const browser = new Browser("203.0.113.40");
    await browser.sendCode(caseA.reference, APPLICANT_PHONE);
    const codeForA = (await db.outboxMessage.findFirstOrThrow({ where: { to: `+86${APPLICANT_PHONE}` }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).body.match(/\d{6}/)![0];
    const sneaky = new Browser("203.0.113.41");
    await sneaky.sendCode(caseB.reference, APPLICANT_PHONE);
    const entered = await sneaky.enterCode(codeForA);
    expect(entered.status).toBe(400);
    expect((await sneaky.casePage()).location).toBe("/track");
  });

  it("shows only the signed-in case, and its uploads go only to that case", async () => {
    const onB = await signedIn(caseB.reference, "13700137000", "203.0.113.42");
    const page = await onB.casePage();
    expect(page.data?.reference).toBe(caseB.reference);
    expect(page.data?.evidence).toEqual([]);
    // The URL carries no case: a query naming case A changes nothing.
    const withQuery = await onB.get((await import("~/routes/track.case")).loader, `/track/case?reference=${caseA.reference}`);
    expect(withQuery.data?.reference).toBe(caseB.reference);
    await onB.postForm(caseAction, `/track/case?reference=${caseA.reference}`, uploadForm("other", pngParts().file, "x.png", "image/png"));
    expect(await db.evidence.count({ where: { applicationId: caseB.id } })).toBe(1);
    expect(await db.evidence.count({ where: { applicationId: caseA.id, type: "other" } })).toBe(0);
  });

  it("refuses a forged cookie", async () => {
    const onB = await signedIn(caseB.reference, "13700137000", "203.0.113.43");
    const [name, value] = onB.cookie.split("=");
    const forged = new Browser();
    forged.cookie = `${name}=${value.slice(0, -4)}AAAA`;
    expect((await forged.casePage()).location).toBe("/track");
  });
});

describe("the proxy and the applicant", () => {
  it("lets the proxy see but not stop themself; the applicant stops them and their sign-in stops working", async () => {
    const proxy = await signedIn(caseB.reference, "13600136000", "203.0.113.50");
    const proxyPage = await proxy.casePage();
    expect(proxyPage.data).toMatchObject({ role: "proxy" });
    await proxy.caseAction({ intent: "revokeProxy" });
    expect((await db.application.findUniqueOrThrow({ where: { id: caseB.id } })).proxyRevokedAt).toBeNull();

    const applicant = await signedIn(caseB.reference, "13700137000", "203.0.113.51");
    const applicantPage = await applicant.casePage();
    expect(applicantPage.data?.proxy).toEqual({ name: "李明", relationship: "child", phone: "136****6000", revoked: false });
    const revoked = await applicant.caseAction({ intent: "revokeProxy" });
    expect(revoked.location).toBe("/track/case");
    const after = await applicant.casePage();
    expect(after.data?.notice).toEqual({ kind: "proxyRevoked" });
    expect(after.data?.proxy).toMatchObject({ revoked: true });
    expect(await db.caseEvent.count({ where: { applicationId: caseB.id, type: "proxy_revoked" } })).toBe(1);

    // The proxy's open session is refused at once, and a new code opens nothing (no text is sent).
    expect((await proxy.casePage()).location).toBe("/track");
    await db.oneTimeCode.deleteMany();
    const texts = await db.outboxMessage.count({ where: { to: "+8613600136000" } });
    const again = new Browser("203.0.113.52");
    await again.sendCode(caseB.reference, "13600136000");
    expect(await db.outboxMessage.count({ where: { to: "+8613600136000" } })).toBe(texts);
  });
});

describe("withdraw", () => {
  it("asks first, then stops the case, once", async () => {
    const browser = await signedIn(caseA.reference, APPLICANT_PHONE, "203.0.113.60");
    const confirm = await browser.get(withdrawLoader, "/track/withdraw");
    expect(confirm.data).toMatchObject({ allowed: true });
    const done = await browser.post(withdrawAction, "/track/withdraw", {});
    expect(done.location).toBe("/track/case");
    const page = await browser.casePage();
    expect(page.data).toMatchObject({ status: "withdrawn", canWithdraw: false, canUpload: false, notice: { kind: "withdrawn" } });
    const events = await db.caseEvent.findMany({ where: { applicationId: caseA.id, toStatus: "withdrawn" } });
    expect(events).toEqual([expect.objectContaining({ actor: "resident", fromStatus: "submitted" })]);

    // A second confirmation (double click) changes nothing more.
    await browser.post(withdrawAction, "/track/withdraw", {});
    expect(await db.caseEvent.count({ where: { applicationId: caseA.id, toStatus: "withdrawn" } })).toBe(1);
    expect((await browser.get(withdrawLoader, "/track/withdraw")).data).toMatchObject({ allowed: false });
  });
});

describe("the sign-in's time", () => {
  it("renews on 'I need more time' and runs out after 30 idle minutes", async () => {
    const browser = await signedIn(caseB.reference, "13700137000", "203.0.113.70");
    const extended = await browser.caseAction({ intent: "extend" });
    expect(extended.location).toBe("/track/case");
    expect((await browser.casePage()).data?.notice).toEqual({ kind: "extended" });

    const { getTrackSession, commitTrackSession } = await import("~/services/track-session.server");
    const session = await getTrackSession(new Request("http://localhost/track", { headers: { Cookie: browser.cookie } }));
    session.set("tracked", { ...session.get("tracked")!, expiresAt: Date.now() - 1 });
    browser.cookie = (await commitTrackSession(session)).split(";")[0];
    expect((await browser.casePage()).location).toBe("/track?expired=1");
  });
});
