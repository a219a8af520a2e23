// POST /api/v1/applications: who may call it (401/403), the 201 answer and
// what it stores (receipt texts for applicant and proxy, channel, creator),
// 400 with paths for bad fields, and Idempotency-Key (repeat, concurrent
// repeat, different body, bad key).
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken, revokeApiToken } from "~/models/api-token.server";
import { action, loader } from "~/routes/api.v1.applications";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { APPLICANT_ID_WRONG_CHECK, applicationBody, bearer, callAction, callLoader, STAFF_TOKEN } from "./helpers";

const URL_ = "http://localhost/api/v1/applications";
let partner: { id: string; token: string };
let otherPartner: { id: string; token: string };
let staffDbToken: { id: string; token: string };
let revoked: { id: string; token: string };

beforeAll(async () => {
  partner = await createApiToken(db, { name: "Sunshine community centre", scope: "partner" });
  otherPartner = await createApiToken(db, { name: "Another NGO", scope: "partner" });
  staffDbToken = await createApiToken(db, { name: "Case system", scope: "staff" });
  revoked = await createApiToken(db, { name: "Old partner", scope: "partner" });
  await revokeApiToken(db, revoked.id);
});

function post(body: unknown, headers: Record<string, string> = bearer(partner.token)) {
  const request = new Request(URL_, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return callAction(action, request);
}

describe("POST /api/v1/applications: who may call", () => {
  it("answers 401 without a token, with a wrong one and with a revoked one, and stores nothing", async () => {
    const before = await db.application.count();
    const none = await post(applicationBody(), { "Accept-Language": "en" });
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
    expect(none.body).toEqual({ errors: [{ path: "", message: fixedT("en", "api")("auth.missing") }] });
    for (const token of [`${partner.token}x`, "ll_not_a_token", revoked.token]) {
      const reply = await post(applicationBody(), bearer(token));
      expect(reply.status).toBe(401);
      expect(reply.headers.get("WWW-Authenticate")).toMatch(/error="invalid_token"/);
    }
    expect(await db.application.count()).toBe(before);
  });

  it("keeps only a hash of each token", async () => {
    const rows = await db.apiToken.findMany();
    for (const row of rows) {
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect([partner.token, otherPartner.token, staffDbToken.token]).not.toContain(row.tokenHash);
    }
    expect(partner.token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
  });

  it("answers 405 to GET", async () => {
    const reply = await callLoader(loader, new Request(URL_));
    expect(reply.status).toBe(405);
    expect(reply.headers.get("Allow")).toBe("POST");
  });
});

describe("POST /api/v1/applications: a good application", () => {
  it("answers 201 with the reference, records the partner as channel and creator, and queues both receipts", async () => {
    const reply = await post(applicationBody());
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ reference: expect.stringMatching(/^LA-[2-9A-Z]{4}-[2-9A-Z]{4}$/), status: "submitted" });
    const reference = reply.body.reference as string;
    const row = await db.application.findUniqueOrThrow({ where: { reference }, include: { events: true } });
    expect(row).toMatchObject({ channel: "partner", createdByTokenId: partner.id, language: "zh-CN", applicantPhone: "+8613800138000", proxyPhone: "+8613900139000" });
    expect(row.events).toMatchObject([{ type: "status", toStatus: "submitted", actor: `partner:${partner.id}` }]);
    const texts = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `receipt:${reference}:` } }, orderBy: { to: "asc" } });
    expect(texts.map((t) => [t.to, t.language])).toEqual([
      ["+8613800138000", "zh-CN"],
      ["+8613900139000", "zh-CN"],
    ]);
    expect(texts[0].body).toContain(reference);
  });

  it("records staff tokens as staff-assisted, and takes the request's language when the applicant's is not given", async () => {
    const body = applicationBody({ onBehalfOf: undefined });
    delete (body.applicant as Record<string, unknown>).language;
    const viaEnv = await post(body, { ...bearer(STAFF_TOKEN), "Accept-Language": "en" });
    const viaDb = await post(body, bearer(staffDbToken.token));
    expect([viaEnv.status, viaDb.status]).toEqual([201, 201]);
    const envRow = await db.application.findUniqueOrThrow({ where: { reference: viaEnv.body.reference as string } });
    const dbRow = await db.application.findUniqueOrThrow({ where: { reference: viaDb.body.reference as string } });
    expect(envRow).toMatchObject({ channel: "staff_assisted", createdByTokenId: null, language: "en", proxyName: null });
    expect(dbRow).toMatchObject({ channel: "staff_assisted", createdByTokenId: staffDbToken.id, language: "zh-CN" });
  });
});

describe("POST /api/v1/applications: bad input", () => {
  it("answers 400 with a path and a translated message per wrong field, and stores nothing", async () => {
    const before = await db.application.count();
    const t = fixedT("en", "application");
    const reply = await post(
      applicationBody({
        applicant: { name: "王秀英", idNumber: APPLICANT_ID_WRONG_CHECK, phone: "138 0013", language: "en" },
        programs: ["dibao", "free_money"],
      }),
      { ...bearer(partner.token), "Accept-Language": "en" },
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      errors: [
        { path: "applicant.idNumber", message: t("errors.idNumber.checkDigit") },
        { path: "applicant.phone", message: t("errors.phone.tooShort") },
        { path: "programs[1]", message: t("errors.programs.unknown") },
      ],
    });
    expect(await db.application.count()).toBe(before);
  });

  it("answers 400 for an unknown field, a wrong relationship and a bad household, in Chinese by default", async () => {
    const v = fixedT("zh-CN", "validation");
    const extra = await post(applicationBody({ note: "hi" }));
    expect(extra.status).toBe(400);
    expect(extra.body).toEqual({ errors: [{ path: "note", message: v("unknownField", { replace: { field: "note" } }) }] });

    const nested = await post(applicationBody({ applicant: { name: "王", idNumber: "x", phone: "13800138000", age: 70 } }));
    expect(nested.status).toBe(400);
    expect(nested.body.errors).toEqual([{ path: "applicant.age", message: v("unknownField", { replace: { field: "age" } }) }]);

    const relation = await post(applicationBody({ onBehalfOf: { name: "李明", phone: "13900139000", relationship: "boss", consent: "sms" } }));
    expect(relation.status).toBe(400);
    expect(relation.body.errors).toEqual([{ path: "onBehalfOf.relationship", message: fixedT("zh-CN", "application")("errors.relationship.invalid") }]);

    const household = await post(applicationBody({ household: { members: [] } }));
    expect(household.status).toBe(400);
    expect((household.body.errors as Array<{ path: string }>)[0].path).toBe("household.members");
  });

  it("answers 400 for a body that is not JSON and 415 for one not declared as JSON", async () => {
    expect((await post("{not json")).status).toBe(400);
    const request = new Request(URL_, { method: "POST", headers: { ...bearer(partner.token), "Content-Type": "text/plain" }, body: "{}" });
    expect((await callAction(action, request)).status).toBe(415);
  });
});

describe("POST /api/v1/applications: Idempotency-Key", () => {
  it("answers a repeat with the first answer and creates one application and one set of texts", async () => {
    const before = { applications: await db.application.count(), texts: await db.outboxMessage.count() };
    const headers = { ...bearer(partner.token), "Idempotency-Key": "order-0001" };
    const first = await post(applicationBody(), headers);
    // The same data in another key order is the same request.
    const reordered = applicationBody();
    const second = await post({ programs: reordered.programs, household: reordered.household, onBehalfOf: reordered.onBehalfOf, applicant: reordered.applicant }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await db.application.count()).toBe(before.applications + 1);
    expect(await db.outboxMessage.count()).toBe(before.texts + 2);
  });

  it("creates one application when two requests with one key arrive at once", async () => {
    const before = await db.application.count();
    const headers = { ...bearer(partner.token), "Idempotency-Key": "double-click-7" };
    const replies = await Promise.all([post(applicationBody(), headers), post(applicationBody(), headers), post(applicationBody(), headers)]);
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.reference)).size).toBe(1);
    expect(await db.application.count()).toBe(before + 1);
  });

  it("answers 422 to the same key with a different body, and creates nothing", async () => {
    const headers = { ...bearer(partner.token), "Idempotency-Key": "order-0002", "Accept-Language": "en" };
    expect((await post(applicationBody(), headers)).status).toBe(201);
    const before = await db.application.count();
    const reply = await post(applicationBody({ programs: ["dibao"] }), headers);
    expect(reply.status).toBe(422);
    expect(reply.body).toEqual({ errors: [{ path: "Idempotency-Key", message: fixedT("en", "application")("idempotency.mismatch") }] });
    expect(await db.application.count()).toBe(before);
  });

  it("keeps keys apart per token: another partner's same key is a new application", async () => {
    const first = await post(applicationBody(), { ...bearer(partner.token), "Idempotency-Key": "shared-key" });
    const other = await post(applicationBody(), { ...bearer(otherPartner.token), "Idempotency-Key": "shared-key" });
    expect([first.status, other.status]).toEqual([201, 201]);
    expect(other.body.reference).not.toBe(first.body.reference);
  });

  it("does not keep a refused request: the corrected request with the same key goes through", async () => {
    const headers = { ...bearer(partner.token), "Idempotency-Key": "fix-and-retry" };
    const bad = await post(applicationBody({ programs: ["nope"] }), headers);
    expect(bad.status).toBe(400);
    const good = await post(applicationBody(), headers);
    expect(good.status).toBe(201);
  });

  it("answers 400 to a key longer than 255 characters or with characters a header cannot carry plainly", async () => {
    const before = await db.application.count();
    const long = await post(applicationBody(), { ...bearer(partner.token), "Idempotency-Key": "k".repeat(256), "Accept-Language": "en" });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({ errors: [{ path: "Idempotency-Key", message: fixedT("en", "application")("idempotency.tooLong") }] });
    expect((await post(applicationBody(), { ...bearer(partner.token), "Idempotency-Key": "k".repeat(255) })).status).toBe(201);
    const blank = await post(applicationBody(), { ...bearer(partner.token), "Idempotency-Key": "   " });
    expect(blank.status).toBe(400);
    expect(await db.application.count()).toBe(before + 1);
  });
});
