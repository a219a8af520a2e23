// POST /api/v1/callbacks: 201 with a reference; 400/415/405 in the
// {"errors":[{"path","message"}]} shape, messages in the request's language.
import { beforeEach, describe, expect, it } from "vitest";
import { isValidReference } from "~/domain/callback";
import { action, loader } from "~/routes/api.v1.callbacks";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";

const URL_ = "http://localhost/api/v1/callbacks";

async function call(body: unknown, { lng = "en", contentType = "application/json", raw }: { lng?: string; contentType?: string | null; raw?: string } = {}) {
  const headers = new Headers({ "Accept-Language": lng });
  if (contentType) headers.set("Content-Type", contentType);
  const request = new Request(URL_, { method: "POST", headers, body: raw ?? JSON.stringify(body) });
  let response: Response;
  try {
    response = (await action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { status: response.status, headers: response.headers, body: (await response.json()) as { reference?: string; errors?: Array<{ path: string; message: string }> } };
}

beforeEach(async () => {
  await db.callbackRequest.deleteMany();
});

describe("POST /api/v1/callbacks", () => {
  it("queues a request and answers 201 with its reference", async () => {
    const reply = await call({ phone: "+86 138 1234 5678", name: "Li Ming", language: "en", reason: "Need help with rent", context: { from: "partner-site", page: 3 } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(Object.keys(reply.body)).toEqual(["reference"]);
    expect(isValidReference(reply.body.reference!, "CB")).toBe(true);
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference: reply.body.reference } });
    expect(row).toMatchObject({
      phone: "+8613812345678",
      name: "Li Ming",
      language: "en",
      source: "web_request",
      reason: "Need help with rent",
      context: '{"from":"partner-site","page":3}',
      status: "queued",
    });
  });

  it("takes the call's language from the request when the body has none", async () => {
    const reply = await call({ phone: "13812345678", name: null, reason: null }, { lng: "zh-CN,zh;q=0.9" });
    expect(reply.status).toBe(201);
    expect((await db.callbackRequest.findFirstOrThrow()).language).toBe("zh-CN");
  });

  it("accepts a JSON media type with parameters", async () => {
    expect((await call({ phone: "13812345678" }, { contentType: "application/json; charset=utf-8" })).status).toBe(201);
  });

  it.each([
    ["en", "en"],
    ["zh-CN", "zh-CN"],
  ] as const)("explains a wrong phone in the request's language (%s)", async (header, lng) => {
    const reply = await call({ phone: "010 6512 3456" }, { lng: header });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ errors: [{ path: "phone", message: fixedT(lng, "callback")("phone.notMobile") }] });
    expect(await db.callbackRequest.count()).toBe(0);
  });

  it("lists every problem with its path", async () => {
    const reply = await call({ phone: "138", name: "n".repeat(51), reason: "r".repeat(1001) });
    expect(reply.status).toBe(400);
    expect(reply.body.errors!.map((e) => e.path)).toEqual(["phone", "name", "reason"]);
    expect(reply.body.errors![2].message).toBe(fixedT("en", "callback")("reason.tooLong"));
  });

  it("refuses unknown fields, wrong types, a missing phone and an unknown language", async () => {
    const unknown = await call({ phone: "13812345678", urgent: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: "urgent", message: expect.stringContaining('"urgent"') }]);

    const wrongType = await call({ phone: 13812345678 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([{ path: "phone", message: expect.any(String) }]);

    const missing = await call({ name: "Li" }, { lng: "zh-CN" });
    expect(missing.body.errors).toEqual([{ path: "phone", message: fixedT("zh-CN", "validation")("required") }]);

    const language = await call({ phone: "13812345678", language: "fr" });
    expect(language.body.errors).toEqual([{ path: "language", message: expect.stringContaining("zh-CN, en") }]);

    const notObject = await call(["13812345678"]);
    expect(notObject.status).toBe(400);
    expect(notObject.body.errors![0].path).toBe("");
    expect(await db.callbackRequest.count()).toBe(0);
  });

  it("refuses a context too big to keep", async () => {
    const reply = await call({ phone: "13812345678", context: { text: "x".repeat(70 * 1024) } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: "context", message: fixedT("en", "callback")("context.tooLarge") }]);
  });

  it("answers 400 in the same shape for a body that is not JSON", async () => {
    const reply = await call(null, { raw: '{"phone": "138', lng: "zh-CN" });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("zh-CN", "validation")("body.invalidJson") }] });
  });

  it("answers 415 in the same shape for a body not sent as JSON", async () => {
    for (const contentType of ["application/x-www-form-urlencoded", "text/plain", null]) {
      const reply = await call(null, { raw: "phone=13812345678", contentType });
      expect(reply.status, String(contentType)).toBe(415);
      expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("en", "validation")("body.unsupportedMediaType") }] });
    }
    expect(await db.callbackRequest.count()).toBe(0);
  });

  it("answers 405 with Allow: POST to a GET", async () => {
    const response = await loader({ request: new Request(URL_), params: {}, context: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });
});
