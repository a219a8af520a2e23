// The bot over HTTP and across restarts: the chat webhook, the signed Twilio
// webhook (403 and nothing stored when the signature is missing or wrong, a
// repeated MessageSid answered once, replies through the outbox), STOP holding
// back delivery, a restart mid-conversation, 24 hours of silence, a real case
// looked up by text, and the phone simulator's JSON API.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/services/db.server";
import { deliverDueTexts, queueText } from "~/services/outbox.server";
import type { SmsSender } from "~/services/sms-sender.server";
import { twilioSignature } from "~/services/twilio-signature.server";
import { createBot, type Bot } from "../../../bot/controller";
import { botRouter } from "../../../bot/http";
import { optOutAwareSender } from "../../../bot/opt-out-sender";
import { startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { APPLICANT_PHONE, createCase } from "../track/helpers";

const PUBLIC_URL = "https://lifeline.test";
const TOKEN = "twilio-test-token";
let authToken: string | null = TOKEN;
let bot: Bot;
let inbox: SmsInbox;
let server: Server;
let base: string;

beforeAll(async () => {
  await prepareDatabase();
  bot = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
  inbox = startSmsInbox(db, bot);
  const app = express();
  app.use(botRouter({ db, bot, inbox: () => inbox, settings: () => ({ publicUrl: PUBLIC_URL, authToken }) }));
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await inbox.stop();
  await new Promise((resolve) => server.close(resolve));
});

let sidCounter = 0;
function twilioForm(from: string, body: string, sid = `SM${String(++sidCounter).padStart(32, "0")}`) {
  return { MessageSid: sid, AccountSid: "AC00000000000000000000000000000000", From: from, To: "+8610000000000", Body: body, NumMedia: "0" };
}

async function postTwilio(params: Record<string, string>, signature: string | null = twilioSignature(TOKEN, `${PUBLIC_URL}/sms/twilio`, params)) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (signature !== null) headers["X-Twilio-Signature"] = signature;
  return fetch(`${base}/sms/twilio`, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}

// A turn's replies are queued in one millisecond; their keys (bot-reply:<sid>:<n>) keep their order.
async function outboxTo(phone: string) {
  return db.outboxMessage.findMany({ where: { to: phone }, orderBy: [{ createdAt: "asc" }, { dedupeKey: "asc" }, { id: "asc" }] });
}

describe("POST /chat/messages", () => {
  it("answers with the bot's replies as a JSON array", async () => {
    const res = await fetch(`${base}/chat/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "message", user: "chat-user-1", channel: "chat-user-1", text: "hello", language: "en" }),
    });
    expect(res.status).toBe(200);
    const replies = (await res.json()) as Array<{ type: string; text: string; quick_replies?: Array<{ title: string; payload: string }> }>;
    expect(replies[0].text).toContain("Lifeline");
    expect(replies[1].quick_replies?.map((q) => q.payload)).toEqual(["1", "2", "3", "4"]);
  });
  it("refuses what is not a message", async () => {
    const res = await fetch(`${base}/chat/messages`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "hi" }) });
    expect(res.status).toBe(400);
  });
});

describe("POST /sms/twilio", () => {
  it("acknowledges a signed text with empty TwiML and answers through the outbox", async () => {
    const res = await postTwilio(twilioForm("+8613700000001", "你好"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Response></Response>");
    await inbox.drain();
    const texts = await outboxTo("+8613700000001");
    expect(texts.map((t) => t.body)).toEqual([expect.stringContaining("援手"), expect.stringContaining("请回复数字")]);
  });

  it.each([
    ["no signature", (p: Record<string, string>) => postTwilio(p, null)],
    ["a wrong signature", (p: Record<string, string>) => postTwilio(p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")],
    ["a tampered Body", (p: Record<string, string>) => postTwilio({ ...p, Body: "STOP" }, twilioSignature(TOKEN, `${PUBLIC_URL}/sms/twilio`, p))],
    ["a tampered From", (p: Record<string, string>) => postTwilio({ ...p, From: "+8613700000099" }, twilioSignature(TOKEN, `${PUBLIC_URL}/sms/twilio`, p))],
    ["another URL signed", (p: Record<string, string>) => postTwilio(p, twilioSignature(TOKEN, `${PUBLIC_URL}/sms/other`, p))],
    ["another token", (p: Record<string, string>) => postTwilio(p, twilioSignature("other-token", `${PUBLIC_URL}/sms/twilio`, p))],
  ])("403 and nothing stored for %s", async (_what, send) => {
    const params = twilioForm("+8613700000002", "人工");
    const res = await send(params);
    expect(res.status).toBe(403);
    await inbox.drain();
    expect(await db.inboundMessage.count({ where: { sid: params.MessageSid } })).toBe(0);
    expect(await db.botState.count({ where: { key: { contains: params.MessageSid } } })).toBe(0);
    expect(await db.conversation.count({ where: { address: { in: ["+8613700000002", "+8613700000099"] } } })).toBe(0);
    expect(await db.callbackRequest.count({ where: { phone: { in: ["+8613700000002", "+8613700000099"] } } })).toBe(0);
  });

  it("403 while TWILIO_AUTH_TOKEN is unset, even with a signature", async () => {
    authToken = null;
    try {
      const params = twilioForm("+8613700000003", "1");
      expect((await postTwilio(params)).status).toBe(403);
      expect(await db.inboundMessage.count({ where: { sid: params.MessageSid } })).toBe(0);
    } finally {
      authToken = TOKEN;
    }
  });

  it("a repeated MessageSid has no second effect", async () => {
    const params = twilioForm("+8613700000004", "人工");
    const [a, b] = await Promise.all([postTwilio(params), postTwilio(params)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await postTwilio(params)).status).toBe(200);
    await inbox.drain();
    expect(await db.callbackRequest.count({ where: { phone: "+8613700000004" } })).toBe(1);
    const texts = await outboxTo("+8613700000004");
    expect(texts).toHaveLength(2); // welcome + call-back confirmation, once
  });

  it("answers one phone's texts in the order they came", async () => {
    for (const body of ["1", "3", "40"]) expect((await postTwilio(twilioForm("+8613700000005", body))).status).toBe(200);
    await inbox.drain();
    const bodies = (await outboxTo("+8613700000005")).map((t) => t.body);
    expect(bodies.findIndex((b) => b.includes("（1/9）"))).toBeLessThan(bodies.findIndex((b) => b.includes("（2/9）")));
    expect(bodies[bodies.length - 1]).toContain("（3/9）");
  });

  it("a text stored before a crash is answered when the worker starts", async () => {
    const params = twilioForm("+8613700000006", "1");
    await db.$transaction([
      db.inboundMessage.create({ data: { sid: params.MessageSid } }),
      db.botState.create({ data: { key: `sms-in:000000000000001:000000000:${params.MessageSid}`, value: JSON.stringify({ sid: params.MessageSid, from: params.From, body: params.Body }) } }),
    ]);
    const restarted = startSmsInbox(db, createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL }));
    await restarted.drain();
    await restarted.stop();
    expect((await outboxTo("+8613700000006")).map((t) => t.body).join("\n")).toContain("（1/9）");
    expect(await db.botState.count({ where: { key: { contains: params.MessageSid } } })).toBe(0);
  });
});

describe("STOP holds back delivery", () => {
  it("sends the one confirmation and nothing else, until START", async () => {
    const phone = "+8613700000007";
    await postTwilio(twilioForm(phone, "退订"));
    await inbox.drain();
    // Something queued for this phone afterwards (e.g. by another part of the portal).
    await queueText(db, { to: phone, body: "【援手】测试短信", language: "zh-CN" });
    const sent: string[] = [];
    const fake: SmsSender = { kind: "twilio", send: async (t) => (sent.push(t.body), { providerId: `SM${sent.length}` }) };
    await deliverDueTexts(db, optOutAwareSender(db, fake), new Date(Date.now() + 1000), 100);
    const mine = await outboxTo(phone);
    expect(mine.map((t) => t.status)).toEqual(["sent", "failed"]);
    expect(mine[1].lastError).toBe("opted out");
    expect(sent.filter((b) => mine.some((t) => t.body === b))).toEqual([mine[0].body]);

    await postTwilio(twilioForm(phone, "START"));
    await inbox.drain();
    await deliverDueTexts(db, optOutAwareSender(db, fake), new Date(Date.now() + 2000), 100);
    expect((await outboxTo(phone)).slice(2).map((t) => t.status)).toEqual(["sent", "sent"]);
  });
});

describe("state in the database", () => {
  it("a restart mid-conversation continues it", async () => {
    const before = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
    await before.turn({ channel: "chat", address: "restart-user", text: "1", language: "en" });
    await before.turn({ channel: "chat", address: "restart-user", text: "2" });
    const after = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
    const { replies, language } = await after.turn({ channel: "chat", address: "restart-user", text: "45" });
    expect(language).toBe("en");
    expect(replies.map((r) => r.text)).toEqual([expect.stringContaining("(3/9)")]);
  });

  it("after 24 hours of silence the next message starts afresh, politely", async () => {
    let now = new Date("2026-11-20T02:00:00Z");
    const clocked = createBot({ db, now: () => now, publicUrl: PUBLIC_URL });
    await clocked.turn({ channel: "chat", address: "silent-user", text: "1", language: "en" });
    await clocked.turn({ channel: "chat", address: "silent-user", text: "2" });
    now = new Date(now.getTime() + 23 * 3600_000);
    expect((await clocked.turn({ channel: "chat", address: "silent-user", text: "30" })).replies[0].text).toContain("(3/9)");
    now = new Date(now.getTime() + 25 * 3600_000);
    const fresh = (await clocked.turn({ channel: "chat", address: "silent-user", text: "2" })).replies.map((r) => r.text);
    expect(fresh[0]).toContain("Hello again");
    expect(fresh[1]).toContain("reference");
  });
});

describe("my case by text", () => {
  it("reference → code texted to the applicant's phone → status in plain words", async () => {
    const created = await createCase({ proxyPhone: null });
    const phone = `+86${APPLICANT_PHONE}`;
    await bot.turn({ channel: "sms", address: phone, text: "EN" });
    await bot.turn({ channel: "sms", address: phone, text: "2" });
    const sent = await bot.turn({ channel: "sms", address: phone, text: created.reference });
    expect(sent.replies[0].text).toContain("138****8000");
    const codeText = await db.outboxMessage.findFirstOrThrow({ where: { to: phone, body: { contains: "code" } }, orderBy: { createdAt: "desc" } });
    const code = /\d{6}/.exec(codeText.body)?.[0] ?? "";
    const status = await bot.turn({ channel: "sms", address: phone, text: code.split("").join(" ") });
    expect(status.replies[0].text).toBe(`Application ${created.reference}: we have it, and it is waiting to be checked.`);
  });
});

describe("POST /dev/sms (phone simulator API)", () => {
  const simulate = (body: unknown) =>
    fetch(`${base}/dev/sms`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("runs the same dialogs and returns the replies", async () => {
    const first = await simulate({ from: "13600000001", body: "人工" });
    expect(first.status).toBe(200);
    const data = (await first.json()) as { replies: string[] };
    expect(data.replies).toEqual([expect.stringContaining("援手"), expect.stringMatching(/编号CB-/)]);
    expect(await db.callbackRequest.count({ where: { phone: "+8613600000001", source: "sms" } })).toBe(1);
    expect((await outboxTo("+8613600000001")).map((t) => t.body)).toEqual(data.replies);
  });
  it("400 for a bad number or an empty text", async () => {
    expect((await simulate({ from: "123", body: "hi" })).status).toBe(400);
    expect((await simulate({ from: "13600000002", body: " " })).status).toBe(400);
  });
  it("leaves a form POST to the page", async () => {
    const res = await fetch(`${base}/dev/sms`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "phone=13600000003" });
    expect(res.status).toBe(404); // no Remix in this test app: the request went on
  });
});

describe("MessageSid records", () => {
  it("are forgotten after 30 days, not before", async () => {
    const { purgeInboundMessages } = await import("../../../bot/sms");
    const now = new Date("2026-11-29T00:00:00Z");
    await db.inboundMessage.createMany({
      data: [
        { sid: "SMold", receivedAt: new Date(now.getTime() - 31 * 86_400_000) },
        { sid: "SMrecent", receivedAt: new Date(now.getTime() - 29 * 86_400_000) },
      ],
    });
    expect(await purgeInboundMessages(db, now)).toBeGreaterThanOrEqual(1);
    expect(await db.inboundMessage.findUnique({ where: { sid: "SMold" } })).toBeNull();
    expect(await db.inboundMessage.findUnique({ where: { sid: "SMrecent" } })).not.toBeNull();
  });
});
