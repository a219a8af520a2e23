// Text messages behind the per-phone limit. Twilio needs a 200 for every
// signed text, so the webhook acknowledges as always; the inbox worker then
// handles a text over the limit without running it through the dialog, and
// sends ONE plain "too many texts" reply per window (through the outbox, not
// to a phone that sent STOP). STOP and START still work over the limit.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countWaitingInboundTexts } from "~/models/inbound-message.server";
import { ABUSE_LIMITS, limitText } from "~/services/abuse-limits.server";
import { db, prepareDatabase } from "~/services/db.server";
import { twilioSignature } from "~/services/twilio-signature.server";
import { createBot, type Bot } from "../../../bot/controller";
import { botRouter } from "../../../bot/http";
import { simulateText, startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { e164, realClock, setClock, windowStart } from "./helpers";

const PER_PHONE = ABUSE_LIMITS.textPerPhone.limit;
const PUBLIC_URL = "https://lifeline.test";
const TOKEN = "twilio-test-token";
let bot: Bot;
let inbox: SmsInbox;
let server: Server;
let base: string;

beforeAll(async () => {
  await prepareDatabase();
  bot = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
  inbox = startSmsInbox(db, bot);
  const app = express();
  app.use(botRouter({ db, bot, inbox: () => inbox, settings: () => ({ publicUrl: PUBLIC_URL, authToken: TOKEN }) }));
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await inbox.stop();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => realClock());

const outbox = async (phone: string) =>
  (await db.outboxMessage.findMany({ where: { to: phone }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((t) => t.body);

const residentLines = async (phone: string) => {
  const row = await db.conversation.findUnique({ where: { id: `sms:${phone}` }, select: { transcript: true } });
  return row ? (JSON.parse(row.transcript) as Array<{ from: string; text: string }>).filter((l) => l.from === "resident").map((l) => l.text) : [];
};

/** Earlier texts from this phone in the current window (counted as the worker counts them). */
async function alreadyTexted(phone: string, n: number) {
  for (let i = 0; i < n; i++) expect((await limitText(phone)).ok).toBe(true);
}

let sid = 0;
async function webhook(from: string, body: string) {
  const params = {
    MessageSid: `SMabuse${String(++sid).padStart(27, "0")}`,
    AccountSid: "AC00000000000000000000000000000000",
    From: from,
    To: "+8610000000000",
    Body: body,
    NumMedia: "0",
  };
  const res = await fetch(`${base}/sms/twilio`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilioSignature(TOKEN, `${PUBLIC_URL}/sms/twilio`, params) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text(), sid: params.MessageSid };
}

describe("too many texts from one phone", () => {
  it(`answers ${PER_PHONE} texts an hour; the next gets one plain reply, later ones none, none is run through the dialog; the hour ends`, async () => {
    setClock(windowStart(0));
    const phone = e164(1);
    expect(await simulateText(db, inbox, { from: phone, body: "你好" })).not.toEqual([]);
    await alreadyTexted(phone, PER_PHONE - 1);
    const before = await outbox(phone);

    const first = await simulateText(db, inbox, { from: phone, body: "1" });
    expect(first).toEqual(["您发来的短信太多了，60 分钟内我们不会回复。之后请再发短信给我们。"]);
    expect(await simulateText(db, inbox, { from: phone, body: "2" })).toEqual([]);
    expect(await simulateText(db, inbox, { from: phone, body: "3" })).toEqual([]);
    // One reply queued in the outbox for the whole window; the texts are not in the conversation.
    expect(await outbox(phone)).toEqual([...before, first![0]]);
    expect(await residentLines(phone)).toEqual(["你好"]);

    // Another phone is answered as usual.
    expect((await simulateText(db, inbox, { from: e164(2), body: "你好" }))?.length).toBeGreaterThan(0);

    setClock(windowStart(0) + 60 * 60_000);
    expect((await simulateText(db, inbox, { from: phone, body: "4" }))?.length).toBeGreaterThan(0);
    expect(await residentLines(phone)).toEqual(["你好", "4"]);
  });

  it("says it in the conversation's language", async () => {
    setClock(windowStart(1));
    const phone = e164(3);
    await simulateText(db, inbox, { from: phone, body: "EN" });
    await alreadyTexted(phone, PER_PHONE - 1);
    expect(await simulateText(db, inbox, { from: phone, body: "1" })).toEqual([
      "We have had a lot of texts from your phone, so we will not answer them for 60 minutes. Then text us again.",
    ]);
  });

  it("still takes STOP over the limit, and then sends no reply at all", async () => {
    setClock(windowStart(2));
    const phone = e164(4);
    await alreadyTexted(phone, PER_PHONE);
    await simulateText(db, inbox, { from: phone, body: "STOP" });
    expect(await db.smsOptOut.count({ where: { phone } })).toBe(1);
    const queued = (await outbox(phone)).length;
    // The first text over the limit after STOP: no "too many texts" reply (the phone said STOP).
    expect(await simulateText(db, inbox, { from: phone, body: "1" })).toEqual([]);
    expect((await outbox(phone)).length).toBe(queued);
  });

  it("the webhook acknowledges every signed text with 200 (Twilio needs it), over the limit too; the worker handles it", async () => {
    setClock(windowStart(3));
    const phone = e164(5);
    await alreadyTexted(phone, PER_PHONE);
    for (let i = 0; i < 3; i++) expect((await limitText(phone)).ok).toBe(false);
    const answer = await webhook(phone, "hello");
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("<Response></Response>");
    expect(await db.inboundMessage.count({ where: { sid: answer.sid } })).toBe(1);
    await inbox.drain();
    expect(await countWaitingInboundTexts(db)).toBe(0);
    expect(await residentLines(phone)).toEqual([]);
    expect(await outbox(phone)).toEqual([]);
  });
});
