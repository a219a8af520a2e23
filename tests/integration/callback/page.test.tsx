// The /callback page and its confirmation, through the route modules: a good
// request is stored and redirected to /callback/done/<reference>; each kind of
// bad input answers 400 with its translated message and stores nothing; the
// confirmation shows the reference and when we will call, never the full phone.
import type { AppLoadContext } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { isValidReference } from "~/domain/callback";
import { saveCheckAnswers } from "~/models/check-draft.server";
import CallbackPage, { action, loader } from "~/routes/callback";
import CallbackDone, { loader as doneLoader } from "~/routes/callback_.done.$reference";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { hasFormErrors } from "~/utils/form-errors";
import { renderRoute } from "./render";

type Lng = "zh-CN" | "en";

const GOOD = { phone: "138 1234 5678", name: "王芳", language: "zh-CN", bestTime: "morning", oldestAge: "", reason: "房租交不上了" };

/** The whole <input …> tag with this id. */
function inputTag(html: string, id: string): string {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((t) => t.includes(` id="${id}"`));
  if (!tag) throw new Error(`no input #${id}`);
  return tag;
}

function pageUrl(lng: Lng): string {
  return `http://localhost/callback?lng=${lng}`;
}

async function post(fields: Record<string, string>, { lng = "zh-CN" as Lng, cookie = "" } = {}) {
  const request = new Request(pageUrl(lng), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams(fields),
  });
  const context: AppLoadContext = {};
  const response = (await action({ request, params: {}, context })) as Response;
  const location = response.headers.get("Location");
  const data = location ? null : ((await response.json()) as { errors: Record<string, string>; values: Record<string, unknown> });
  return { status: response.status, location, data, context };
}

async function loadPage(lng: Lng, context: AppLoadContext = {}, cookie = "") {
  const response = (await loader({ request: new Request(pageUrl(lng), { headers: { Cookie: cookie } }), params: {}, context })) as Response;
  return (await response.json()) as { lng: Lng; hasCheckDraft: boolean; pageTitle: string };
}

async function loadDone(reference: string, lng: Lng = "zh-CN") {
  const request = new Request(`http://localhost/callback/done/${reference}?lng=${lng}`);
  const response = (await doneLoader({ request, params: { reference }, context: {} })) as Response;
  return { response, data: (await response.clone().json()) as { title: string; groups: string[]; maskedPhone: string; due: { day: string; time: string; date: string } } };
}

beforeEach(async () => {
  await db.callbackRequest.deleteMany();
});

describe("GET /callback", () => {
  it("has a plain title, and no check notice without a draft", async () => {
    const data = await loadPage("en");
    expect(data).toMatchObject({ lng: "en", hasCheckDraft: false, pageTitle: "Ask us to call you back – Lifeline · Social assistance" });
  });

  it("renders every field with a label, the language preset to the page's, and no JavaScript needed", async () => {
    const html = renderRoute(CallbackPage, { path: "/callback", url: "/callback", lng: "en", loaderData: await loadPage("en") });
    expect(html).toMatch(/<form[^>]*method="post"/);
    for (const id of ["phone", "name", "language", "bestTime", "urgent", "oldestAge", "reason"]) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(`for="${id}"`);
    }
    expect(inputTag(html, "language-1")).toContain('value="en"');
    expect(inputTag(html, "language-1")).toContain('checked=""');
    expect(inputTag(html, "language")).not.toContain('checked=""');
    expect(inputTag(html, "bestTime-3")).toContain('value="any"');
    expect(inputTag(html, "bestTime-3")).toContain('checked=""');
    expect(html).toContain("call 120 for an ambulance");
    expect(html).not.toContain("error-summary");
  });
});

describe("POST /callback: a good request", () => {
  it("stores it and redirects (303) to the confirmation with only the reference in the address", async () => {
    const reply = await post({ ...GOOD, urgent: "yes", oldestAge: "７２" });
    expect(reply.status).toBe(303);
    const match = /^\/callback\/done\/(CB-[A-Z0-9]{4}-[A-Z0-9]{4})$/.exec(reply.location ?? "");
    expect(match, reply.location ?? "").not.toBeNull();
    const reference = match![1];
    expect(isValidReference(reference, "CB")).toBe(true);
    expect(hasFormErrors(reply.context)).toBe(false);

    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference } });
    expect(row).toMatchObject({
      phone: "+8613812345678",
      name: "王芳",
      language: "zh-CN",
      source: "web_request",
      bestTime: "morning",
      reason: "房租交不上了",
      urgent: true,
      oldestAge: 72,
      priority: 3,
      status: "queued",
      context: "{}",
    });
  });

  it("keeps only the phone when everything optional is left out, and calls in the page's language", async () => {
    const reply = await post({ phone: "13812345678" }, { lng: "en" });
    expect(reply.status).toBe(303);
    const row = await db.callbackRequest.findFirstOrThrow();
    expect(row).toMatchObject({ name: null, reason: null, bestTime: null, language: "en", urgent: false, oldestAge: null, priority: 0 });
  });

  it("sends the web check answers along, with the oldest age from them, but not the draft's secret id", async () => {
    const answers = { forWhom: "self" as const, householdSize: 2, people: [{ age: 74 }, { age: 40 }] };
    const saved = await saveCheckAnswers(new Request("http://localhost/check"), answers);
    const cookie = saved.setCookie.split(";")[0];
    expect((await loadPage("zh-CN", {}, cookie)).hasCheckDraft).toBe(true);

    const reply = await post({ phone: "13812345678" }, { cookie });
    expect(reply.status).toBe(303);
    const row = await db.callbackRequest.findFirstOrThrow();
    expect(row.source).toBe("web_request");
    expect(row.oldestAge).toBe(74);
    expect(row.priority).toBe(1);
    const context = JSON.parse(row.context);
    expect(context.check.answers).toEqual(answers);
    expect(row.context).not.toContain(saved.id);
  });
});

describe("POST /callback: bad input", () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ["no phone", { ...GOOD, phone: "  " }, "phone", "phone.required"],
    ["a landline", { ...GOOD, phone: "010-6512 3456" }, "phone", "phone.notMobile"],
    ["10 digits", { ...GOOD, phone: "138 1234 567" }, "phone", "phone.tooShort"],
    ["12 digits", { ...GOOD, phone: "138 1234 56789" }, "phone", "phone.tooLong"],
    ["letters in the phone", { ...GOOD, phone: "138 1234 567a" }, "phone", "phone.invalidChars"],
    ["a long name", { ...GOOD, name: "名".repeat(51) }, "name", "name.tooLong"],
    ["an unknown language", { ...GOOD, language: "fr" }, "language", "language.invalid"],
    ["an unknown time", { ...GOOD, bestTime: "midnight" }, "bestTime", "bestTime.invalid"],
    ["an age in words", { ...GOOD, oldestAge: "seventy" }, "oldestAge", "oldestAge.invalid"],
    ["an age too high", { ...GOOD, oldestAge: "170" }, "oldestAge", "oldestAge.invalid"],
    ["a long reason", { ...GOOD, reason: "字".repeat(1001) }, "reason", "reason.tooLong"],
  ];

  for (const lng of ["zh-CN", "en"] as const) {
    it.each(cases)(`${lng}: %s → 400 with its message, nothing stored`, async (_name, fields, field, key) => {
      const reply = await post(fields, { lng });
      expect(reply.status).toBe(400);
      expect(reply.data!.errors).toEqual({ [field]: fixedT(lng, "callback")(key) });
      expect(reply.data!.values).toMatchObject({ phone: fields.phone });
      expect(hasFormErrors(reply.context)).toBe(true);
      expect(await db.callbackRequest.count()).toBe(0);
    });
  }

  it("reports a bad age together with every other problem, in page order", async () => {
    const reply = await post({ ...GOOD, phone: "", name: "x".repeat(60), oldestAge: "abc" });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.data!.errors)).toEqual(["phone", "name", "oldestAge"]);
    expect(await db.callbackRequest.count()).toBe(0);
  });

  it("gives the next page an 'Error:' title and renders the summary, messages and typed values", async () => {
    const reply = await post({ ...GOOD, phone: "0755 1234 5678", urgent: "yes" }, { lng: "en" });
    const loaderData = await loadPage("en", reply.context);
    expect(loaderData.pageTitle).toBe("Error: Ask us to call you back – Lifeline · Social assistance");
    const html = renderRoute(CallbackPage, { path: "/callback", url: "/callback", lng: "en", loaderData, actionData: reply.data });
    const message = fixedT("en", "callback")("phone.notMobile");
    expect(html).toContain('class="error-summary"');
    expect(html).toContain(`href="#phone">${message}</a>`);
    expect(inputTag(html, "phone")).toContain('aria-invalid="true"');
    expect(inputTag(html, "phone")).toContain('value="0755 1234 5678"');
    expect(inputTag(html, "urgent")).toContain('checked=""');
    expect(inputTag(html, "name")).not.toContain("aria-invalid");
    expect(html).toContain("王芳");
  });
});

describe("GET /callback/done/<reference>", () => {
  async function queued(lng: Lng = "zh-CN") {
    const reply = await post({ ...GOOD, phone: "+86 138 1234 5678" }, { lng });
    return reply.location!.split("/").pop()!;
  }

  it("shows the reference in groups, the masked phone and when we will call; never the full phone", async () => {
    const reference = await queued();
    for (const lng of ["zh-CN", "en"] as const) {
      const { response, data } = await loadDone(reference, lng);
      expect(response.headers.get("Cache-Control")).toContain("no-store");
      expect(data.groups).toEqual(reference.split("-"));
      expect(data.maskedPhone).toBe("138****5678");
      expect(["today", "tomorrow", "onDay"]).toContain(data.due.day);
      const raw = JSON.stringify(data);
      expect(raw).not.toContain("13812345678");
      expect(raw).not.toContain("1234");

      const html = renderRoute(CallbackDone, { path: "/callback/done/:reference", url: `/callback/done/${reference}`, lng, loaderData: data });
      expect(html).toContain(reference.split("-").join(" "));
      expect(html).toContain("138****5678");
      expect(html).toContain(data.due.time);
      expect(html).not.toMatch(/1\s*3\s*8\s*1\s*2\s*3\s*4\s*5\s*6\s*7\s*8/);
      expect(html).not.toContain("王芳");
    }
  });

  it("accepts the reference as people type it", async () => {
    const reference = await queued();
    const { data } = await loadDone(reference.toLowerCase().replace(/-/g, ""));
    expect(data.groups).toEqual(reference.split("-"));
  });

  it("is 404 for an unknown, mistyped or malformed reference", async () => {
    const reference = await queued();
    const last = reference.at(-1)!;
    const typo = reference.slice(0, -1) + (last === "2" ? "3" : "2");
    for (const bad of [typo, "CB-2222-2222", "nonsense", "LA-" + reference.slice(3)]) {
      const thrown = await doneLoader({ request: new Request(`http://localhost/callback/done/${bad}`), params: { reference: bad }, context: {} }).catch((e: unknown) => e);
      expect(thrown, bad).toBeInstanceOf(Response);
      expect((thrown as Response).status, bad).toBe(404);
    }
  });
});
