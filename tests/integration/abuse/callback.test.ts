// Call-back requests behind the abuse limits (app/services/abuse-limits.server.ts):
// per IP and per phone, shared by every channel that queues one (the web form,
// the results page's "call me", the JSON API, the chat and SMS bot). The
// request over a limit is answered 429 with a plain message in the person's
// language and stores nothing; other addresses and phones go on; the window ends.
import { afterEach, describe, expect, it } from "vitest";
import { converse } from "../../../bot";
import { getBot } from "../../../bot/controller";
import { ensureSmsInbox, simulateText } from "../../../bot/sms";
import { action as apiAction } from "~/routes/api.v1.callbacks";
import { action as pageAction } from "~/routes/callback";
import { ABUSE_LIMITS } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { lone_elder } from "../../fixtures/check-personas";
import { CheckClient } from "../check/client";
import { callRoute, e164, formPost, ip, jsonPost, phone, realClock, setClock, windowStart } from "./helpers";

const PER_IP = ABUSE_LIMITS.callbackPerIp.limit;
const PER_PHONE = ABUSE_LIMITS.callbackPerPhone.limit;

afterEach(() => realClock());

function webForm(lng: "en" | "zh-CN", phoneNumber: string, from: string | null) {
  return callRoute(pageAction, formPost(`http://localhost/callback?lng=${lng}`, { phone: phoneNumber, language: lng, bestTime: "any" }), { ip: from });
}

function api(lng: "en" | "zh-CN", phoneNumber: string, from: string | null) {
  return callRoute(apiAction, jsonPost("http://localhost/api/v1/callbacks", { phone: phoneNumber }, { "Accept-Language": lng }), { ip: from });
}

const count = (p: string) => db.callbackRequest.count({ where: { phone: p } });

describe("the /callback form", () => {
  it(`takes ${PER_IP} requests an hour from one address; the next is 429 with a plain message, stores nothing, and the hour ends`, async () => {
    setClock(windowStart(0));
    const from = ip(1);
    for (let i = 0; i < PER_IP; i++) expect((await webForm("en", phone(100 + i), from)).status).toBe(303);
    const before = await db.callbackRequest.count();

    const refused = await webForm("en", phone(200), from);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("3600");
    expect(refused.data?.limited).toEqual({
      title: "Too many call-back requests",
      body: expect.stringMatching(/^We have had a lot of call-back requests from this phone number or this network\..*try again in 60 minutes\.$/),
    });
    expect(await db.callbackRequest.count()).toBe(before);
    expect(await count(e164(200))).toBe(0);

    // In Chinese too.
    const zh = await webForm("zh-CN", phone(201), from);
    expect(zh.status).toBe(429);
    expect(zh.data?.limited).toEqual({ title: "请求回电的次数太多了", body: expect.stringMatching(/请求回电的次数太多了.*请在60 分钟后再试。$/) });

    // Another address is not affected.
    expect((await webForm("en", phone(202), ip(2))).status).toBe(303);

    // The next hour, this address may ask again.
    setClock(windowStart(0) + 60 * 60_000);
    expect((await webForm("en", phone(203), from)).status).toBe(303);
  });

  it(`takes ${PER_PHONE} requests a day for one phone from any addresses; then 429 until the day ends; other phones go on`, async () => {
    setClock(windowStart(1));
    const target = phone(300);
    for (let i = 0; i < PER_PHONE; i++) expect((await webForm("zh-CN", target, ip(10 + i))).status).toBe(303);
    const refused = await webForm("zh-CN", target, ip(40));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(24 * 3600));
    expect(String((refused.data?.limited as { body: string }).body)).toContain("请在24 小时后再试");
    expect(await count(e164(300))).toBe(PER_PHONE);
    expect((await webForm("zh-CN", phone(301), ip(40))).status).toBe(303);
    setClock(windowStart(2));
    expect((await webForm("zh-CN", target, ip(40))).status).toBe(303);
  });

  it("never counts a form with mistakes: a person who keeps getting it wrong still gets through", async () => {
    setClock(windowStart(3));
    const from = ip(50);
    for (let i = 0; i < PER_IP + 5; i++) expect((await webForm("en", "138 1234 567", from)).status).toBe(400);
    expect((await webForm("en", phone(500), from)).status).toBe(303);
  });
});

describe("POST /api/v1/callbacks", () => {
  it("answers 429 JSON with Retry-After and the message in the caller's language, and stores nothing", async () => {
    setClock(windowStart(4));
    const from = ip(60);
    for (let i = 0; i < PER_IP; i++) expect((await api("en", phone(600 + i), from)).status).toBe(201);
    const en = await api("en", phone(650), from);
    expect(en.status).toBe(429);
    expect(en.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(en.headers.get("Retry-After")).toBe("3600");
    expect(en.data).toEqual({ errors: [{ path: "", message: expect.stringMatching(/^We have had a lot of call-back requests.*try again in 60 minutes\.$/) }] });
    const zh = await api("zh-CN", phone(651), from);
    expect(zh.status).toBe(429);
    expect(zh.data).toEqual({ errors: [{ path: "", message: expect.stringMatching(/^这个手机号码或这个网络请求回电的次数太多了.*60 分钟/) }] });
    expect(await count(e164(650))).toBe(0);
    expect(await count(e164(651))).toBe(0);
    expect((await api("en", phone(652), ip(61))).status).toBe(201);
  });
});

describe("one limit for every channel", () => {
  it("the results page's call-back is refused (429, page state) once the phone used its day on other channels", async () => {
    setClock(windowStart(5));
    const target = phone(700);
    for (let i = 0; i < PER_PHONE; i++) expect((await api("en", target, ip(70 + i))).status).toBe(201);

    const client = new CheckClient();
    client.lng = "en";
    let path = "/check/who";
    while (path !== "/check/answers") path = (await client.post(path, lone_elder.pages[path.slice("/check/".length)])).location!;
    const reply = await client.post("/check/results", { phone: target });
    expect(reply.status).toBe(429);
    expect(reply.data).toMatchObject({ limited: { title: "Too many call-back requests", body: expect.stringContaining("try again in 24 hours") } });
    expect(await count(e164(700))).toBe(PER_PHONE);
  });

  it("the chat bot says so in the conversation's language (per phone and per IP) and queues nothing", async () => {
    setClock(windowStart(6));
    const target = phone(800);
    for (let i = 0; i < PER_PHONE; i++) expect((await api("en", target, ip(90 + i))).status).toBe(201);
    await converse({ channel: "chat", address: "abuse-chat-1", text: "0", language: "en" });
    const byPhone = await converse({ channel: "chat", address: "abuse-chat-1", text: target, language: "en", clientIp: ip(120) });
    expect(byPhone.replies.map((r) => r.text).join("\n")).toMatch(/We have had a lot of call-back requests for this number\..*try again in 24 hours\./);
    expect(await count(e164(800))).toBe(PER_PHONE);

    // Per IP: an address that used its hour on the API is refused in the chat too.
    const from = ip(121);
    for (let i = 0; i < PER_IP; i++) expect((await api("zh-CN", phone(810 + i), from)).status).toBe(201);
    await converse({ channel: "chat", address: "abuse-chat-2", text: "0", language: "zh-CN" });
    const byIp = await converse({ channel: "chat", address: "abuse-chat-2", text: phone(850), language: "zh-CN", clientIp: from });
    expect(byIp.replies.map((r) => r.text).join("\n")).toMatch(/这个号码请求回电的次数太多了。.*请在60 分钟后再试。/);
    expect(await count(e164(850))).toBe(0);
    // Without that address (another network), the same request goes through.
    const other = await converse({ channel: "chat", address: "abuse-chat-2", text: "0", language: "zh-CN", clientIp: ip(122) });
    expect(other.replies.length).toBeGreaterThan(0);
    const queued = await converse({ channel: "chat", address: "abuse-chat-2", text: phone(850), language: "zh-CN", clientIp: ip(122) });
    expect(queued.replies.map((r) => r.text).join("\n")).toMatch(/CB-/);
    expect(await count(e164(850))).toBe(1);
  });

  it("a text asking for a person from a phone over its limit gets the plain reply, and nothing is queued", async () => {
    setClock(windowStart(7));
    const target = phone(900);
    for (let i = 0; i < PER_PHONE; i++) expect((await api("en", target, ip(130 + i))).status).toBe(201);
    const inbox = ensureSmsInbox(db, getBot());
    const replies = await simulateText(db, inbox, { from: e164(900), body: "0" });
    expect((replies ?? []).join("\n")).toMatch(/这个号码请求回电的次数太多了/);
    expect(await count(e164(900))).toBe(PER_PHONE);
  });
});
