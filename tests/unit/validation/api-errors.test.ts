// API error answers: paths written household.members[0].age, one translated
// message per wrong place, in both languages, and the JSON body reader's 415/413/400.
import { describe, expect, it } from "vitest";
import { formatFieldPath } from "~/domain/validation/field-path";
import { eligibilityRequestSchema } from "~/domain/validation/eligibility-api";
import {
  apiErrors,
  methodNotAllowed,
  readJsonBody,
  zodIssuesToApiErrors,
  type ApiError,
} from "~/services/api-errors.server";
import { fixedT } from "~/services/i18n.server";

const en = fixedT("en", "validation");
const zh = fixedT("zh-CN", "validation");

function errorsFor(body: unknown, t = en): ApiError[] {
  const result = eligibilityRequestSchema.safeParse(body);
  if (result.success) return [];
  return zodIssuesToApiErrors(result.error.issues, t);
}

const member = (fields: Record<string, unknown>) => ({ household: { members: [fields] } });

describe("formatFieldPath", () => {
  it.each([
    [[], ""],
    [["asOf"], "asOf"],
    [["household", "members", 0, "age"], "household.members[0].age"],
    [["household", "members", 12], "household.members[12]"],
    [["household", "a b"], 'household["a b"]'],
    [["household", ""], 'household[""]'],
    [["household", 'say "hi"'], 'household["say \\"hi\\""]'],
  ] as const)("%j → %s", (segments, expected) => {
    expect(formatFieldPath(segments)).toBe(expected);
  });
});

describe("zodIssuesToApiErrors", () => {
  it("says what is required", () => {
    expect(errorsFor({})).toEqual([{ path: "household", message: "This is required." }]);
    expect(errorsFor({ household: {} })).toEqual([{ path: "household.members", message: "This is required." }]);
  });

  it("names the expected and the received type", () => {
    expect(errorsFor(member({ monthlyIncome: "1800" }))).toEqual([
      { path: "household.members[0].monthlyIncome", message: "This must be a number, not text." },
    ]);
    expect(errorsFor(member({ canWork: null }), zh)).toEqual([
      { path: "household.members[0].canWork", message: "这里应该是true 或 false，不能是空值 null。" },
    ]);
    expect(errorsFor([])).toEqual([{ path: "", message: "This must be an object {…}, not a list […]." }]);
  });

  it("gives the limits that were broken", () => {
    expect(errorsFor(member({ age: 131 }))).toEqual([{ path: "household.members[0].age", message: "This must be 130 or less." }]);
    expect(errorsFor(member({ monthlyIncome: -1 }))).toEqual([
      { path: "household.members[0].monthlyIncome", message: "This must be 0 or more." },
    ]);
    expect(errorsFor(member({ id: "x".repeat(65) }))).toEqual([
      { path: "household.members[0].id", message: "This can be at most 64 characters long." },
    ]);
  });

  it("asks for whole numbers where the schema has integers", () => {
    expect(errorsFor(member({ age: 40.5 }))).toEqual([
      { path: "household.members[0].age", message: "This must be a whole number, with no decimals." },
    ]);
  });

  it("refuses a number that overflowed to Infinity", () => {
    expect(errorsFor(JSON.parse('{"household":{"members":[{}],"assets":{"financial":1e400}}}'))).toEqual([
      { path: "household.assets.financial", message: "This number is too big to use." },
    ]);
  });

  it("lists the allowed values of an enum, for a wrong string and for a wrong type", () => {
    const allowed = "self, spouse, child, parent, grandparent, grandchild, sibling, other";
    expect(errorsFor(member({ relation: "cousin" }))).toEqual([
      { path: "household.members[0].relation", message: `This must be one of: ${allowed}.` },
    ]);
    expect(errorsFor(member({ relation: 3 }))).toEqual([
      { path: "household.members[0].relation", message: `This must be one of: ${allowed}.` },
    ]);
  });

  it("names each unknown field at its own path, including __proto__", () => {
    const body = JSON.parse('{"household":{"members":[{"name":"x"}],"__proto__":{},"a b":1},"extra":true}');
    expect(errorsFor(body)).toEqual(
      expect.arrayContaining([
        { path: "extra", message: '"extra" is not a field we know. Take it out.' },
        { path: "household.members[0].name", message: '"name" is not a field we know. Take it out.' },
        { path: "household.__proto__", message: '"__proto__" is not a field we know. Take it out.' },
        { path: 'household["a b"]', message: '"a b" is not a field we know. Take it out.' },
      ]),
    );
    expect(errorsFor(body)).toHaveLength(4);
  });

  it("speaks of people when the household is empty or too big", () => {
    expect(errorsFor({ household: { members: [] } })).toEqual([
      { path: "household.members", message: "A household needs at least 1 person." },
    ]);
    expect(errorsFor({ household: { members: Array.from({ length: 31 }, () => ({})) } }, zh)).toEqual([
      { path: "household.members", message: "一个家庭最多只能有 30 个人。" },
    ]);
  });

  it("checks asOf is a real date on which rules were in force", () => {
    const household = { members: [{}] };
    for (const asOf of ["2026-02-30", "2026-6-1", "today", "2026-13-01"]) {
      expect(errorsFor({ asOf, household })).toEqual([
        { path: "asOf", message: "This must be a real date written as YYYY-MM-DD, for example 2026-06-01." },
      ]);
    }
    expect(errorsFor({ asOf: "2025-12-31", household })).toEqual([
      {
        path: "asOf",
        message: "We have no rules for 2025-12-31. The first rules start on 2026-01-01, so use that date or a later one.",
      },
    ]);
    expect(errorsFor({ asOf: "2026-01-01", household })).toEqual([]);
    expect(errorsFor({ asOf: "2028-02-29", household })).toEqual([]);
  });

  it("reports one message per place, the first zod found", () => {
    // a fractional age above the maximum is both; the person reads one message
    expect(errorsFor(member({ age: 140.5 }))).toHaveLength(1);
  });

  it("uses a schema's own message key for custom checks", () => {
    const errors = zodIssuesToApiErrors(
      [{ code: "custom", path: ["phone"], message: "", params: { key: "common:errors.goHome" } }],
      fixedT("en"),
    );
    expect(errors).toEqual([{ path: "phone", message: "Go to the start page" }]);
  });
});

describe("error responses", () => {
  it("apiErrors answers JSON with the status", async () => {
    const response = apiErrors([{ path: "x", message: "y" }], 422);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({ errors: [{ path: "x", message: "y" }] });
  });

  it("methodNotAllowed says which methods work, in the Allow header too", async () => {
    const response = methodNotAllowed(zh, ["POST"]);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ errors: [{ path: "", message: "这个地址只接受 POST 请求。" }] });
  });
});

describe("readJsonBody", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
    new Request("http://localhost/api", { method: "POST", body, headers });

  async function refusal(request: Request, maxBytes?: number): Promise<Response> {
    try {
      await readJsonBody(request, en, { maxBytes });
    } catch (error) {
      if (error instanceof Response) return error;
      throw error;
    }
    throw new Error("the body was accepted");
  }

  it("parses JSON, with or without a charset and for +json types", async () => {
    expect(await readJsonBody(post('{"a":1}'), en)).toEqual({ a: 1 });
    expect(await readJsonBody(post("[1]", { "content-type": "application/json; charset=utf-8" }), en)).toEqual([1]);
    expect(await readJsonBody(post('"x"', { "content-type": "application/problem+json" }), en)).toBe("x");
  });

  it("refuses another content type with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect((await refusal(post("{}", { "content-type": type }))).status).toBe(415);
    }
    expect((await refusal(post("{}", {}))).status).toBe(415);
  });

  it("refuses malformed JSON, an empty body and bad UTF-8 with 400", async () => {
    for (const body of ["{", "", "{'a':1}", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const response = await refusal(post(body));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ path: "", message: "The request body is not valid JSON." }] });
    }
  });

  it("refuses a body over the limit with 413, counted while reading", async () => {
    const big = JSON.stringify({ pad: "x".repeat(300 * 1024) });
    const response = await refusal(post(big));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ path: "", message: "The request body is too large. It can be at most 256 KB." }],
    });
    // a stream with no Content-Length is cut off too
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1000)));
        controller.close();
      },
    });
    const streamed = new Request("http://localhost/api", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect((await refusal(streamed, 5000)).status).toBe(413);
    expect(await readJsonBody(post(" ".repeat(4000) + "1"), en, { maxBytes: 5000 })).toBe(1);
  });

  function streamOf(chunks: number, chunk: Uint8Array) {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk);
        else controller.close();
      },
    });
    return { stream, read: () => Math.min(sent, chunks) };
  }

  it("reads a refused body to its end before answering, so the connection survives", async () => {
    const { stream, read } = streamOf(100, new Uint8Array(10 * 1024).fill(32));
    const request = new Request("http://localhost/api", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const response = await refusal(request);
    expect(response.status).toBe(413);
    expect(read()).toBe(100);
    expect(response.headers.get("connection")).toBeNull();
  });

  it("stops reading a refused body after 16 MB and closes the connection", async () => {
    const { stream, read } = streamOf(40, new Uint8Array(1024 * 1024));
    const request = new Request("http://localhost/api", {
      method: "POST",
      body: stream,
      headers: { "content-type": "text/plain" },
      duplex: "half",
    } as RequestInit);
    const response = await refusal(request);
    expect(response.status).toBe(415);
    expect(read()).toBeLessThan(20);
    expect(response.headers.get("connection")).toBe("close");
  });
});
