// POST /api/v1/eligibility through the route module: the rule book's examples,
// the exact response shape, messages in both languages, 400s with the path of
// the problem, 405/413/415, and random bodies that may only ever get 200 or 400.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROGRAM_CODES, explainChange, explainReason, type Reason } from "~/domain/eligibility";
import { todayInShanghai } from "~/domain/validation/eligibility-api";
import { action, loader } from "~/routes/api.v1.eligibility";
import { fixedT } from "~/services/i18n.server";
import { invalidArbitrary, validArbitrary } from "../../support/json-schema-arbitraries";
import { POLICY_DIR, loadHouseholdJsonSchema } from "../../support/json-schema-reference";

const URL_ = "http://localhost/api/v1/eligibility";

interface Example {
  name: string;
  asOf: string;
  household: unknown;
  expected: { rulesVersion: string; results: Record<string, [string, { value: number; period: string } | null]> };
}

async function send(request: Request): Promise<Response> {
  const args = { request, params: {}, context: {} };
  try {
    return request.method === "GET" || request.method === "HEAD" ? await loader(args) : await action(args);
  } catch (thrown) {
    // Remix answers with a thrown Response as it is
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function post(body: unknown, { language, url = URL_, raw = false }: { language?: string; url?: string; raw?: boolean } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (language) headers["accept-language"] = language;
  return new Request(url, { method: "POST", headers, body: raw ? (body as string) : JSON.stringify(body) });
}

const examples = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "examples.json"), "utf8")) as Example[];
const firstExample = examples[0];

describe("POST /api/v1/eligibility: answers", () => {
  it.each(examples.map((e) => [e.name, e] as const))("gives the rule book's answer for %s", async (_name, example) => {
    const response = await send(post({ asOf: example.asOf, household: example.household }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.asOf).toBe(example.asOf);
    expect(body.rulesVersion).toBe(example.expected.rulesVersion);
    const got = Object.fromEntries(body.results.map((r: { program: string; outcome: string; amount: unknown }) => [r.program, [r.outcome, r.amount]]));
    expect(got).toEqual(example.expected.results);
  });

  it("has exactly the contract's shape, plus changes and missing, for all nine programmes in rule-book order", async () => {
    const body = await (await send(post({ asOf: firstExample.asOf, household: firstExample.household }))).json();
    expect(Object.keys(body).sort()).toEqual(["asOf", "results", "rulesVersion"]);
    expect(body.results.map((r: { program: string }) => r.program)).toEqual([...PROGRAM_CODES]);
    for (const result of body.results) {
      expect(Object.keys(result).sort()).toEqual(["amount", "changes", "missing", "outcome", "program", "reasons"]);
      expect(["eligible", "not_eligible", "needs_review"]).toContain(result.outcome);
      if (result.amount !== null) {
        expect(Object.keys(result.amount).sort()).toEqual(["period", "value"]);
        expect(typeof result.amount.value).toBe("number");
        expect(["month", "year", "once"]).toContain(result.amount.period);
      }
      expect(result.reasons.length).toBeGreaterThan(0);
      for (const reason of result.reasons) {
        expect(Object.keys(reason).sort()).toEqual(["code", "message", "passed", "values"]);
        expect(typeof reason.passed).toBe("boolean");
        expect(typeof reason.message).toBe("string");
      }
      for (const change of result.changes) expect(Object.keys(change).sort()).toEqual(["code", "message", "values"]);
      expect(Array.isArray(result.missing)).toBe(true);
    }
  });

  it("lists missing answers and says needs_review when fields are left out", async () => {
    const body = await (await send(post({ asOf: "2026-06-01", household: { members: [{}] } }))).json();
    const dibao = body.results.find((r: { program: string }) => r.program === "dibao");
    expect(dibao.outcome).toBe("needs_review");
    expect(dibao.missing).toContain("members[0].monthlyIncome");
  });

  it("uses the rules in force on asOf", async () => {
    const body = await (await send(post({ asOf: "2027-03-01", household: firstExample.household }))).json();
    expect(body.rulesVersion).toBe("demo-city@2027-01-01");
  });

  it("assesses on today's date in Shanghai when asOf is left out", async () => {
    const before = todayInShanghai(new Date());
    const body = await (await send(post({ household: firstExample.household }))).json();
    const after = todayInShanghai(new Date());
    expect([before, after]).toContain(body.asOf);
  });
});

describe("POST /api/v1/eligibility: language", () => {
  const rulesKey = /^(rules:)?(reason|change)\./;

  async function messages(request: Request) {
    const body = await (await send(request)).json();
    return body.results.flatMap((r: { reasons: Array<Reason & { message: string }>; changes: Array<{ code: string; values: Reason["values"]; message: string }> }) => [
      ...r.reasons.map((reason) => ({ kind: "reason" as const, item: reason })),
      ...r.changes.map((change) => ({ kind: "change" as const, item: change })),
    ]);
  }

  it.each(["en", "zh-CN"] as const)("explains every reason and change in %s (Accept-Language)", async (lng) => {
    const t = fixedT(lng, "rules");
    const all = await messages(post({ asOf: firstExample.asOf, household: firstExample.household }, { language: lng === "en" ? "en-GB,en;q=0.9" : "zh-CN,zh;q=0.9" }));
    expect(all.length).toBeGreaterThan(9);
    for (const { kind, item } of all) {
      const expected = kind === "reason" ? explainReason(t, item as Reason) : explainChange(t, item);
      expect(item.message).toBe(expected);
      expect(item.message).not.toMatch(rulesKey);
      expect(item.message.trim()).not.toBe("");
    }
  });

  it("says things differently in the two languages, Chinese by default, and honours ?lng=", async () => {
    const body = { asOf: firstExample.asOf, household: firstExample.household };
    const zh = await messages(post(body));
    const en = await messages(post(body, { language: "en" }));
    const viaQuery = await messages(post(body, { language: "zh-CN", url: `${URL_}?lng=en` }));
    expect(zh[1].item.message).toMatch(/[\u4e00-\u9fff]/);
    expect(en[1].item.message).not.toBe(zh[1].item.message);
    expect(viaQuery.map((m: { item: { message: string } }) => m.item.message)).toEqual(en.map((m: { item: { message: string } }) => m.item.message));
  });

  it("sends error messages in the request's language", async () => {
    const zh = await (await send(post({ household: { members: [] } }))).json();
    const en = await (await send(post({ household: { members: [] } }, { language: "en" }))).json();
    expect(zh.errors[0].message).toBe("一个家庭至少要有 1 个人。");
    expect(en.errors[0].message).toBe("A household needs at least 1 person.");
  });
});

describe("POST /api/v1/eligibility: refusals", () => {
  const household = { members: [{ age: 40 }] };
  const cases: Array<[string, unknown, string[]]> = [
    ["no household", {}, ["household"]],
    ["a list as the body", [household], [""]],
    ["a number as the body", 42, [""]],
    ["null as the body", null, [""]],
    ["household as a string", { household: "x" }, ["household"]],
    ["no members", { household: {} }, ["household.members"]],
    ["empty members", { household: { members: [] } }, ["household.members"]],
    ["31 members", { household: { members: Array.from({ length: 31 }, () => ({})) } }, ["household.members"]],
    ["a fractional age", { household: { members: [{}, { age: 7.5 }] } }, ["household.members[1].age"]],
    ["a negative age", { household: { members: [{ age: -1 }] } }, ["household.members[0].age"]],
    ["an age of 131", { household: { members: [{ age: 131 }] } }, ["household.members[0].age"]],
    ["income as text", { household: { members: [{ monthlyIncome: "800" }] } }, ["household.members[0].monthlyIncome"]],
    ["an unknown disability", { household: { members: [{ disability: "some" }] } }, ["household.members[0].disability"]],
    ["an unknown member field", { household: { members: [{ name: "张三" }] } }, ["household.members[0].name"]],
    ["an unknown top-level field", { household, programs: ["dibao"] }, ["programs"]],
    ["negative assets", { household: { ...household, assets: { financial: -5 } } }, ["household.assets.financial"]],
    ["two vehicles and a half", { household: { ...household, assets: { vehicles: 2.5 } } }, ["household.assets.vehicles"]],
    ["an unknown emergency", { household: { ...household, emergency: { type: "flood" } } }, ["household.emergency.type"]],
    ["supporters as a list", { household: { ...household, supporters: [] } }, ["household.supporters"]],
    ["disasterAffected as 1", { household: { ...household, disasterAffected: 1 } }, ["household.disasterAffected"]],
    ["asOf not a date", { asOf: "2026-02-30", household }, ["asOf"]],
    ["asOf as a number", { asOf: 20260601, household }, ["asOf"]],
    ["asOf before the first rules", { asOf: "2025-12-31", household }, ["asOf"]],
    ["two problems", { asOf: "x", household: { members: [{ age: "40" }] } }, ["asOf", "household.members[0].age"]],
  ];

  it.each(cases)("400 for %s, with the path of the problem", async (_name, body, paths) => {
    const response = await send(post(body, { language: "en" }));
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
    for (const error of errors) {
      expect(Object.keys(error).sort()).toEqual(["message", "path"]);
      expect(error.message).not.toMatch(/^validation[:.]/);
    }
  });

  it("says clearly why a date before the rules is refused", async () => {
    const { errors } = await (await send(post({ asOf: "2020-01-01", household }, { language: "en" }))).json();
    expect(errors).toEqual([
      { path: "asOf", message: "We have no rules for 2020-01-01. The first rules start on 2026-01-01, so use that date or a later one." },
    ]);
  });

  it("400 for malformed JSON", async () => {
    const response = await send(post('{"household": {"members": [', { raw: true, language: "en" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ path: "", message: "The request body is not valid JSON." }] });
  });

  it("415 for a body that is not JSON", async () => {
    const request = new Request(URL_, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "household=1",
    });
    const response = await send(request);
    expect(response.status).toBe(415);
    expect((await response.json()).errors[0].path).toBe("");
  });

  it("413 for a body over 256 KB", async () => {
    const members = Array.from({ length: 30 }, () => ({ id: "x".repeat(64) }));
    const padded = JSON.stringify({ household: { members } }) + " ".repeat(256 * 1024);
    const response = await send(post(padded, { raw: true }));
    expect(response.status).toBe(413);
    expect((await response.json()).errors).toHaveLength(1);
    // just under the limit is still read
    const fits = JSON.stringify({ household: { members } }).padEnd(256 * 1024, " ");
    expect((await send(post(fits, { raw: true }))).status).toBe(200);
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("405 with Allow: POST for %s", async (method) => {
    const request = new Request(URL_, {
      method,
      headers: { "content-type": "application/json", "accept-language": "en" },
      body: method === "GET" ? undefined : "{}",
    });
    const response = await send(request);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ errors: [{ path: "", message: "This address only accepts POST requests." }] });
  });
});

describe("POST /api/v1/eligibility: any body", () => {
  const schema = loadHouseholdJsonSchema();
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record({ household: fc.jsonValue() }, { requiredKeys: [] }),
    fc.record(
      {
        asOf: fc.oneof(fc.constantFrom("2026-06-01", "2027-01-01", "2025-12-31", "2026-02-29"), fc.string({ maxLength: 10 })),
        household: fc.oneof(validArbitrary(schema), invalidArbitrary(schema)),
      },
      { requiredKeys: ["household"] },
    ),
  );

  it("gets 200 with nine results or 400 with errors, never anything else", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const response = await send(post(value, { language: "en" }));
        const json = await response.json();
        if (response.status === 200) return json.results.length === 9;
        return response.status === 400 && Array.isArray(json.errors) && json.errors.length > 0;
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it("gets 200 or 400 for any text sent as JSON", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const response = await send(post(text, { raw: true }));
        return response.status === 200 || response.status === 400;
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
