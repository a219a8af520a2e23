// The hidden one-time token ("_once") on page forms: a form posted twice with
// one token answers the first answer again (status, Location or JSON) and
// creates or sends nothing more; another token is another request; a refused
// post (400) is not kept, so the corrected form with the same token goes through.
// Kinds covered: a public form that redirects (/callback), a staff form that
// answers JSON with a secret shown once (API tokens), a staff action that texts
// the resident (request information), a JSON answer that texts (track code
// resend), an upload (track case, token in the URL), plus two posts at once,
// a claim left by a crashed request, and the root loader's token.
import { describe, expect, it } from "vitest";
import { action as callbackAction } from "~/routes/callback";
import { action as tokensAction } from "~/routes/staff.admin.tokens";
import { action as codeAction } from "~/routes/track.code";
import { action as caseAction } from "~/routes/track.case";
import { loader as rootLoader } from "~/root";
import { db } from "~/services/db.server";
import { CLAIM_STALE_MS, newOnceToken, ONCE_FIELD, requestHash } from "~/services/idempotency.server";
import { fixedT } from "~/services/i18n.server";
import { makeTemporaryUploadDir, filesIn } from "../applications/helpers";
import { actOnCase, makeCase, textsTo } from "../staff/case-fixtures";
import { APPLICANT_PHONE, Browser, createCase, lastCodeTo, textsTo as trackTextsTo } from "../track/helpers";
import { pngParts } from "../../unit/evidence/sample-files";
import { callRoute, signInAs, staffPost } from "../../support/staff";

const uploadDir = makeTemporaryUploadDir();

function callbackPost(fields: Record<string, string>) {
  return callRoute(
    callbackAction as never,
    new Request("http://localhost/callback?lng=en", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    })
  );
}

const GOOD = { phone: "13812345678", name: "Li Ming", language: "en", reason: "Rent" };

describe("a public form that redirects (/callback)", () => {
  it("answers a repeat with the first redirect and queues one call", async () => {
    const once = newOnceToken();
    const before = await db.callbackRequest.count();
    const first = await callbackPost({ ...GOOD, [ONCE_FIELD]: once });
    const second = await callbackPost({ ...GOOD, [ONCE_FIELD]: once });
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/callback\/done\/CB-/);
    expect(second).toMatchObject({ status: 303, location: first.location });
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await db.callbackRequest.count()).toBe(before + 1);
  });

  it("queues two calls for two tokens, and for posts without a token (old pages)", async () => {
    const before = await db.callbackRequest.count();
    const a = await callbackPost({ ...GOOD, phone: "13812345671", [ONCE_FIELD]: newOnceToken() });
    const b = await callbackPost({ ...GOOD, phone: "13812345671", [ONCE_FIELD]: newOnceToken() });
    const c = await callbackPost({ ...GOOD, phone: "13812345672" });
    const d = await callbackPost({ ...GOOD, phone: "13812345672" });
    expect([a, b, c, d].map((r) => r.status)).toEqual([303, 303, 303, 303]);
    expect(new Set([a, b, c, d].map((r) => r.location)).size).toBe(4);
    expect(await db.callbackRequest.count()).toBe(before + 4);
  });

  it("keeps no refusal: after a 400, the corrected form with the same token goes through once", async () => {
    const once = newOnceToken();
    const before = await db.callbackRequest.count();
    const refused = await callbackPost({ ...GOOD, phone: "12", [ONCE_FIELD]: once });
    expect(refused.status).toBe(400);
    expect(refused.data?.errors).toHaveProperty("phone");
    const again = await callbackPost({ ...GOOD, phone: "12", [ONCE_FIELD]: once });
    expect(again.status).toBe(400);
    const fixed = await callbackPost({ ...GOOD, phone: "13812345673", [ONCE_FIELD]: once });
    const repeat = await callbackPost({ ...GOOD, phone: "13812345673", [ONCE_FIELD]: once });
    expect(fixed.status).toBe(303);
    expect(repeat.location).toBe(fixed.location);
    expect(await db.callbackRequest.count()).toBe(before + 1);
  });

  it("runs one of two identical posts sent at the same moment (a double click)", async () => {
    const once = newOnceToken();
    const before = await db.callbackRequest.count();
    const [a, b] = await Promise.all([
      callbackPost({ ...GOOD, phone: "13812345674", [ONCE_FIELD]: once }),
      callbackPost({ ...GOOD, phone: "13812345674", [ONCE_FIELD]: once }),
    ]);
    expect(a.status).toBe(303);
    expect(b).toMatchObject({ status: 303, location: a.location });
    expect(await db.callbackRequest.count()).toBe(before + 1);
  });

  it("takes over a claim left by a request that died, and waits for none", async () => {
    const once = newOnceToken();
    const fields = { ...GOOD, phone: "13812345675" };
    // What formFingerprint makes of this post: the claim a crashed first request left.
    const hash = requestHash({ method: "POST", path: "/callback", search: "?lng=en", fields: Object.entries(fields) });
    await db.idempotencyRecord.create({
      data: { scope: "form:callback", key: `${once}:${hash}`, requestHash: hash, status: 0, body: "", createdAt: new Date(Date.now() - CLAIM_STALE_MS - 1000) },
    });
    const before = await db.callbackRequest.count();
    const answer = await callbackPost({ ...fields, [ONCE_FIELD]: once });
    expect(answer.status).toBe(303);
    expect(await db.callbackRequest.count()).toBe(before + 1);
    const row = await db.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope: "form:callback", key: `${once}:${hash}` } } });
    expect(row.status).toBe(303);
    expect(row.createdAt).toBeInstanceOf(Date);
  });
});

describe("a staff form answering JSON with a secret shown once (API tokens)", () => {
  it("makes one token; the repeat says it was made and does not show it again", async () => {
    const admin = await signInAs("admin");
    const once = newOnceToken();
    const post = (fields: Record<string, string>) => callRoute(tokensAction as never, staffPost("/staff/admin/tokens?lng=en", admin, fields));
    const before = await db.apiToken.count();
    const refused = await post({ name: "", scope: "partner", [ONCE_FIELD]: once });
    expect(refused.status).toBe(400);
    const first = await post({ name: "Sunrise NGO", scope: "partner", [ONCE_FIELD]: once });
    const second = await post({ name: "Sunrise NGO", scope: "partner", [ONCE_FIELD]: once });
    expect(first.status).toBe(200);
    const made = first.data?.created as { name: string; token: string | null };
    expect(made.token).toMatch(/^ll_/);
    expect(second.status).toBe(200);
    expect(second.data?.created).toEqual({ name: "Sunrise NGO", scope: "partner", token: null });
    expect(await db.apiToken.count()).toBe(before + 1);
    // The secret is nowhere in the stored answers.
    const stored = await db.idempotencyRecord.findMany({ where: { scope: "form:staff.admin.tokens" } });
    expect(stored.some((r) => r.body.includes(made.token!))).toBe(false);
    const other = await post({ name: "Sunrise NGO", scope: "partner", [ONCE_FIELD]: newOnceToken() });
    expect((other.data?.created as { token: string }).token).toMatch(/^ll_/);
    expect(await db.apiToken.count()).toBe(before + 2);
  });

  it("says in both languages that the token was shown once", () => {
    for (const lng of ["en", "zh-CN"] as const) expect(fixedT(lng, "repeat")("tokenShownOnce")).not.toBe("tokenShownOnce");
  });
});

describe("a staff action that texts the resident (request information)", () => {
  it("texts once for a repeat; a new token is a new request (which the case then refuses)", async () => {
    const caseworker = await signInAs("caseworker");
    const c = await makeCase();
    expect((await actOnCase(caseworker, c.reference, { intent: "screening", [ONCE_FIELD]: newOnceToken() })).status).toBe(303);
    const before = (await textsTo(c.applicantPhone)).length;
    const once = newOnceToken();
    const fields = { intent: "request_information", types: "id_card", note: "请拍清楚", [ONCE_FIELD]: once };
    const first = await actOnCase(caseworker, c.reference, fields);
    const second = await actOnCase(caseworker, c.reference, fields);
    expect(first.status).toBe(303);
    expect(second).toMatchObject({ status: 303, location: first.location });
    const afterOne = (await textsTo(c.applicantPhone)).length;
    expect(afterOne).toBeGreaterThan(before);
    const requested = () => db.caseEvent.count({ where: { applicationId: c.id, toStatus: "needs_information" } });
    expect(await requested()).toBe(1);
    // Without the guard the same post is a second request: the case (now waiting) refuses it.
    const third = await actOnCase(caseworker, c.reference, { ...fields, [ONCE_FIELD]: newOnceToken() });
    expect(third.status).toBe(400);
    expect((await textsTo(c.applicantPhone)).length).toBe(afterOne);
    expect(await requested()).toBe(1);
  });

  it("does not replay one case's answer on another case (same token after client navigation)", async () => {
    const caseworker = await signInAs("caseworker");
    const a = await makeCase();
    const b = await makeCase();
    for (const c of [a, b]) await actOnCase(caseworker, c.reference, { intent: "screening" });
    const once = newOnceToken();
    const fields = { intent: "request_information", types: "id_card", note: "", [ONCE_FIELD]: once };
    const onA = await actOnCase(caseworker, a.reference, fields);
    const onB = await actOnCase(caseworker, b.reference, fields);
    expect(onA.location).toContain(a.reference);
    expect(onB.location).toContain(b.reference);
    expect(onB.headers.get("Idempotent-Replayed")).toBeNull();
  });
});

describe("a JSON answer that texts (track: send the code again)", () => {
  it("sends one code for a repeat", async () => {
    const made = await createCase();
    const browser = new Browser("203.0.113.90");
    await browser.sendCode(made.reference, APPLICANT_PHONE);
    const before = await trackTextsTo(APPLICANT_PHONE);
    const once = newOnceToken();
    const first = await browser.post(codeAction as never, "/track/code", { intent: "resend", [ONCE_FIELD]: once });
    const second = await browser.post(codeAction as never, "/track/code", { intent: "resend", [ONCE_FIELD]: once });
    expect(first).toMatchObject({ status: 200, data: { resent: true } });
    expect(second).toMatchObject({ status: 200, data: first.data });
    expect(await trackTextsTo(APPLICANT_PHONE)).toBe(before + 1);
    expect(await lastCodeTo(APPLICANT_PHONE)).toMatch(/^\d{6}$/);
  });
});

describe("an upload form (track case; the token is in the form's URL)", () => {
  function upload(browser: Browser, once: string, bytes: Uint8Array) {
    const form = new FormData();
    form.append("type", "id_card");
    form.append("file", new Blob([Uint8Array.from(bytes)], { type: "image/png" }), "photo.png");
    return browser.run(
      caseAction as never,
      new Request(`http://localhost/track/case?${ONCE_FIELD}=${once}&lng=en`, { method: "POST", headers: { Cookie: browser.cookie }, body: form })
    );
  }

  it("keeps one document and one file for a repeat, two for two tokens", async () => {
    const made = await createCase({ applicantPhone: "13700137111", proxyPhone: null });
    const browser = new Browser("203.0.113.91");
    await db.oneTimeCode.deleteMany();
    expect((await browser.signIn(made.reference, "13700137111")).location).toBe("/track/case");
    const once = newOnceToken();
    const bytes = pngParts().file;
    const first = await upload(browser, once, bytes);
    const second = await upload(browser, once, bytes);
    expect(first).toMatchObject({ status: 303, location: "/track/case" });
    expect(second).toMatchObject({ status: 303, location: "/track/case" });
    expect(await db.evidence.count({ where: { applicationId: made.id } })).toBe(1);
    expect(filesIn(uploadDir).filter((f) => !f.startsWith("."))).toHaveLength(1);
    await upload(browser, newOnceToken(), bytes);
    expect(await db.evidence.count({ where: { applicationId: made.id } })).toBe(2);
    expect(filesIn(uploadDir).filter((f) => !f.startsWith("."))).toHaveLength(2);
  });
});

describe("the token", () => {
  it("is new on every page load (root loader), unguessable and URL-safe", async () => {
    const load = async () =>
      (await (rootLoader({ request: new Request("http://localhost/"), params: {}, context: {} }) as Promise<Response>)).json() as Promise<{ once: string }>;
    const [a, b] = [await load(), await load()];
    expect(a.once).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.once).not.toBe(b.once);
  });
});
