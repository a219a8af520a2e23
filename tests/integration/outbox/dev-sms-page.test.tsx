// /dev/sms, the phone simulator's inbox: lists the texts to one phone, oldest
// first, with time and status, in both languages; the form posts and is
// redirected to ?phone=; bad numbers answer 400 with the field's message; and
// outside demo mode both the page and its form are 404.
import type { AppLoadContext } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import PhoneSimulator, { action, loader } from "~/routes/dev.sms";
import { resetConfigForTests } from "~/services/config.server";
import { db } from "~/services/db.server";
import { deliverDueTexts, queueText } from "~/services/outbox.server";
import { simulatorSender } from "~/services/sms-sender.server";
import { hasFormErrors } from "~/utils/form-errors";
import { renderRoute } from "../callback/render";

type Lng = "zh-CN" | "en";
const PHONE = "+8613812345678";

async function loadJson(query: string, lng: Lng = "en") {
  const url = `http://localhost/dev/sms?lng=${lng}${query ? `&${query}` : ""}`;
  const response = (await loader({ request: new Request(url), params: {}, context: {} })) as Response;
  type Data = {
    pageTitle: string;
    simulated: boolean;
    phoneInput: string;
    error: string | null;
    inbox: { maskedPhone: string; refreshUrl: string; texts: Array<{ id: string; body: string; lang: string; status: string; at: string; time: string }> } | null;
  };
  return { status: response.status, headers: response.headers, data: (await response.json()) as Data };
}

function render(lng: Lng, loaderData: unknown, actionData?: unknown) {
  return renderRoute(PhoneSimulator, { path: "/dev/sms", url: `/dev/sms?lng=${lng}`, lng, loaderData, actionData });
}

async function post(body: BodyInit, contentType = "application/x-www-form-urlencoded", lng: Lng = "en") {
  const context: AppLoadContext = {};
  const request = new Request(`http://localhost/dev/sms?lng=${lng}`, { method: "POST", headers: { "Content-Type": contentType }, body });
  let response: Response;
  try {
    response = (await action({ request, params: {}, context })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { response, context };
}

beforeEach(async () => {
  await db.outboxMessage.deleteMany();
});

afterEach(() => {
  process.env.DEMO = "1";
  resetConfigForTests();
});

describe("GET /dev/sms", () => {
  it("lists the texts sent to one phone only, oldest first, with time and status", async () => {
    await queueText(db, { to: PHONE, body: "First: your code is 111111", language: "en" });
    await new Promise((r) => setTimeout(r, 5));
    await queueText(db, { to: "+8613900000000", body: "Someone else's text", language: "en" });
    await deliverDueTexts(db, simulatorSender(), new Date(Date.now() + 1000));
    await new Promise((r) => setTimeout(r, 5));
    await queueText(db, { to: PHONE, body: "【援手】第二条短信", language: "zh-CN" });

    const { status, headers, data } = await loadJson(`phone=${encodeURIComponent("138 1234 5678")}`);
    expect(status).toBe(200);
    expect(headers.get("Cache-Control")).toBe("private, no-store");
    expect(data.error).toBeNull();
    expect(data.inbox?.maskedPhone).toBe("138****5678");
    expect(data.inbox?.texts.map((t) => [t.body, t.status, t.lang])).toEqual([
      ["First: your code is 111111", "sent", "en"],
      ["【援手】第二条短信", "pending", "zh-CN"],
    ]);
    expect(data.inbox?.texts[0].time).toMatch(/\d{2}:\d{2}/);
    expect(data.inbox?.refreshUrl).toBe("/dev/sms?phone=%2B8613812345678&lng=en");

    const html = render("en", data);
    expect(html).toContain("Texts to 138****5678");
    expect(html.indexOf("First: your code is 111111")).toBeLessThan(html.indexOf("【援手】第二条短信"));
    expect(html).not.toContain("Someone else");
    expect(html).toMatch(/<time dateTime="[^"]+">[^<]*\d{2}:\d{2}<\/time>/i);
    expect(html).toContain("Sent");
    expect(html).toContain("Waiting to be sent");
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("No real texts are sent");
  });

  it("makes the links in a text followable, leaving punctuation after them out", async () => {
    await queueText(db, { to: PHONE, body: "【援手】查进度：http://localhost:3000/track。Or open https://x.example/apply/resume/Ab-9_z. Thanks", language: "zh-CN" });
    const { data } = await loadJson(`phone=${encodeURIComponent(PHONE)}`);
    const html = render("en", data);
    expect(html).toContain('<a href="http://localhost:3000/track">http://localhost:3000/track</a>。Or open ');
    expect(html).toContain('<a href="https://x.example/apply/resume/Ab-9_z">https://x.example/apply/resume/Ab-9_z</a>. Thanks');
  });

  it("says when a text is being retried or could not be sent", async () => {
    const a = await queueText(db, { to: PHONE, body: "retrying", language: "en" });
    const b = await queueText(db, { to: PHONE, body: "failed", language: "en" });
    await db.outboxMessage.update({ where: { id: a.id }, data: { attempts: 1, lastError: "twilio http 503" } });
    await db.outboxMessage.update({ where: { id: b.id }, data: { attempts: 1, status: "failed" } });
    const { data } = await loadJson(`phone=${encodeURIComponent(PHONE)}`, "zh-CN");
    expect(data.inbox?.texts.map((t) => t.status)).toEqual(["retrying", "failed"]);
    const html = render("zh-CN", data);
    expect(html).toContain("还没发出，稍后会再试");
    expect(html).toContain("发送失败");
    expect(html).toContain("发给 138****5678 的短信");
  });

  it("shows the form alone without a phone, and an empty inbox for a phone without texts", async () => {
    const bare = await loadJson("", "zh-CN");
    expect(bare.data.inbox).toBeNull();
    const bareHtml = render("zh-CN", bare.data);
    expect(bareHtml).toMatch(/<form[^>]*method="post"/);
    expect(bareHtml).toContain('id="phone"');
    expect(bareHtml).toContain('for="phone"');
    expect(bareHtml).toContain("<h1>手机模拟器</h1>");
    expect(bareHtml).not.toContain("sms-phone");
    expect(bare.data.pageTitle).toMatch(/^手机模拟器 – /);

    const empty = await loadJson("phone=13812345678");
    expect(render("en", empty.data)).toContain("No texts to this number yet.");
  });

  it("answers 400 with the number's problem for a bad ?phone=", async () => {
    const { status, data } = await loadJson("phone=1381234");
    expect(status).toBe(400);
    expect(data.inbox).toBeNull();
    expect(data.error).toMatch(/too short/i);
    expect(data.pageTitle).toMatch(/^Error: /);
    const html = render("en", data);
    expect(html).toContain("error-summary");
    expect(html).toContain('href="#phone"');
    expect(html).toContain('aria-invalid="true"');
  });

  it("is not there outside demo mode", async () => {
    process.env.DEMO = "0";
    resetConfigForTests();
    await queueText(db, { to: PHONE, body: "hidden", language: "en" });
    await expect(loader({ request: new Request(`http://localhost/dev/sms?phone=${encodeURIComponent(PHONE)}`), params: {}, context: {} })).rejects.toMatchObject({
      status: 404,
    });
    const { response } = await post(new URLSearchParams({ phone: PHONE }));
    expect(response.status).toBe(404);
  });
});

describe("POST /dev/sms (the form)", () => {
  it("redirects to the inbox of the normalized number, keeping ?lng=", async () => {
    const { response } = await post(new URLSearchParams({ phone: "+86 138-1234-5678" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/dev/sms?phone=%2B8613812345678&lng=en");
  });

  it("answers 400 with the field's message in the page's language for a bad number", async () => {
    const { response, context } = await post(new URLSearchParams({ phone: "010 1234 5678" }), undefined, "zh-CN");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: { phone: string } };
    expect(Object.keys(body.errors)).toEqual(["phone"]);
    expect(body.errors.phone).toMatch(/手机号/);
    expect(body.values.phone).toBe("010 1234 5678");
    expect(hasFormErrors(context)).toBe(true);
    const page = await loadJson("", "zh-CN");
    const html = render("zh-CN", page.data, body);
    expect(html).toContain('href="#phone"');
    expect(html).toContain('value="010 1234 5678"');
  });

  it("takes only a form: other bodies get 415", async () => {
    const { response } = await post(JSON.stringify({ phone: PHONE }), "application/json");
    expect(response.status).toBe(415);
  });
});

describe("sending a text from the simulated phone", () => {
  it("runs the assistant: the phone's text and the replies show in one thread, oldest first", async () => {
    const { response } = await post(new URLSearchParams({ phone: "138 1234 5678", intent: "send", body: "hello" }).toString());
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/dev/sms?phone=%2B8613812345678&lng=en#latest`);
    const { data } = await loadJson(`phone=${encodeURIComponent(PHONE)}`);
    const texts = data.inbox?.texts ?? [];
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts[0]).toMatchObject({ from: "phone", body: "hello" });
    // The assistant's answer went to the outbox like any text: the main menu, numbered.
    expect(texts.slice(1).some((t) => (t as { from?: string }).from === "service" && /1/.test(t.body))).toBe(true);
    const html = render("en", data);
    expect(html).toContain("This phone");
    expect(html).toContain('id="latest"');
  });

  it("answers 400 with the field's message for an empty text, and sends nothing", async () => {
    const { response, context } = await post(new URLSearchParams({ phone: PHONE, intent: "send", body: "   " }).toString(), undefined, "zh-CN");
    expect(response.status).toBe(400);
    expect(hasFormErrors(context)).toBe(true);
    expect(await response.json()).toMatchObject({ errors: { body: "请输入要发送的内容。" } });
    expect(await db.outboxMessage.count()).toBe(0);
  });
});
