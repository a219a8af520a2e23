// GET /api/v1/staff/callbacks: bearer token (401), status check (400), and the
// queue in due order with exactly the contract's fields.
import { beforeAll, describe, expect, it } from "vitest";
import { queueCallback } from "~/models/callback.server";
import { action, loader } from "~/routes/api.v1.staff.callbacks";
import { sameSecret } from "~/services/api-auth.server";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";

const TOKEN = "test-staff-token-0123456789";
const sh = (local: string) => new Date(`${local}:00+08:00`);

async function get(query = "", headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) {
  const request = new Request(`http://localhost/api/v1/staff/callbacks${query}`, { headers });
  let response: Response;
  try {
    response = (await loader({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const refs: Record<string, string> = {};

beforeAll(async () => {
  expect(process.env.STAFF_API_TOKEN).toBe(TOKEN);
  const add = async (key: string, input: Parameters<typeof queueCallback>[1], now: Date) => {
    const result = await queueCallback(db, input, now);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    refs[key] = result.reference;
  };
  await add("normal", { phone: "13811110001", language: "zh-CN", source: "web_request", reason: "房租", context: { check: { answers: { householdSize: 2 } } } }, sh("2026-11-30T09:30"));
  await add("elderly", { phone: "13811110002", language: "zh-CN", source: "eligibility_review", oldestAge: 81 }, sh("2026-11-30T10:00"));
  await add("urgent", { phone: "13811110003", language: "en", source: "sms", urgent: true }, sh("2026-11-30T10:00"));
  await add("early", { phone: "13811110004", language: "zh-CN", source: "chat", urgent: true }, sh("2026-11-30T08:00"));
  await add("claimed", { phone: "13811110005", language: "zh-CN", source: "staff" }, sh("2026-11-30T08:00"));
  await db.callbackRequest.update({ where: { reference: refs.claimed }, data: { status: "claimed" } });
});

describe("GET /api/v1/staff/callbacks: who may ask", () => {
  it("answers 401 with WWW-Authenticate: Bearer without a token", async () => {
    const reply = await get("", { "Accept-Language": "en" });
    expect(reply.status).toBe(401);
    expect(reply.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
    expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("en", "api")("auth.missing") }] });
  });

  it.each([
    ["a wrong token", `Bearer ${TOKEN}x`],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, 10)}`],
    ["another scheme", `Basic ${Buffer.from(`staff:${TOKEN}`).toString("base64")}`],
    ["no token after Bearer", "Bearer "],
  ])("answers 401 invalid_token for %s, in the request's language", async (_name, authorization) => {
    const reply = await get("", { Authorization: authorization, "Accept-Language": "zh-CN" });
    expect(reply.status).toBe(401);
    expect(reply.headers.get("WWW-Authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("zh-CN", "api")("auth.invalid") }] });
  });

  it("accepts the scheme in any case", async () => {
    expect((await get("", { Authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it("checks the token before anything else", async () => {
    expect((await get("?status=nonsense", { Authorization: "Bearer nope" })).status).toBe(401);
  });

  it("compares secrets exactly", () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(`${TOKEN} `, TOKEN)).toBe(false);
    expect(sameSecret("", TOKEN)).toBe(false);
  });
});

describe("GET /api/v1/staff/callbacks: the list", () => {
  it("lists queued requests soonest due first, most urgent first among equals, with the contract's fields", async () => {
    const reply = await get("?status=queued");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Cache-Control")).toBe("no-store");
    const items = reply.body.items as Array<Record<string, unknown>>;
    // early: due 13:00; urgent and elderly: 14:00 (urgent first); normal: tomorrow 17:00.
    expect(items.map((i) => i.reference)).toEqual([refs.early, refs.urgent, refs.elderly, refs.normal]);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(["context", "createdAt", "dueAt", "language", "phone", "reason", "reference", "source", "status"]);
    }
    expect(items[3]).toEqual({
      reference: refs.normal,
      phone: "+8613811110001",
      language: "zh-CN",
      source: "web_request",
      reason: "房租",
      context: { check: { answers: { householdSize: 2 } } },
      createdAt: "2026-11-30T01:30:00.000Z",
      status: "queued",
      dueAt: "2026-12-01T09:00:00.000Z",
    });
    expect(items[1]).toMatchObject({ source: "sms", language: "en", reason: null, context: {}, dueAt: "2026-11-30T06:00:00.000Z" });
  });

  it("lists queued requests when no status is given", async () => {
    const reply = await get();
    expect((reply.body.items as unknown[]).length).toBe(4);
  });

  it("filters by status", async () => {
    expect(((await get("?status=claimed")).body.items as Array<{ reference: string }>).map((i) => i.reference)).toEqual([refs.claimed]);
    expect((await get("?status=done")).body).toEqual({ items: [] });
  });

  it.each([["?status=open"], ["?status="], ["?status=QUEUED"], ["?status=queued&status=done"]])("answers 400 for %s", async (query) => {
    const reply = await get(query);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ errors: [{ path: "status", message: expect.stringContaining("queued, claimed, done") }] });
  });

  it("answers 405 to other methods", async () => {
    const response = await action({ request: new Request("http://localhost/api/v1/staff/callbacks", { method: "POST" }), params: {}, context: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET");
  });
});
