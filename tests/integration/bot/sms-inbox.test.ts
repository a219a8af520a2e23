// The SMS webhook acknowledges first and answers later (issue 4's performance
// target): the 200 comes once the text is stored, before any turn; the inbox
// worker then answers in arrival order per phone, each text exactly once in
// effect, also across a crash after the acknowledgement or in the middle of a
// turn; a repeated MessageSid has no second effect; acknowledgements are not
// held up by a backlog; and rows written with raw SQL read back through
// typed Prisma.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countWaitingInboundTexts } from "~/models/inbound-message.server";
import { db, prepareDatabase } from "~/services/db.server";
import { twilioSignature } from "~/services/twilio-signature.server";
import { createBot, type Bot } from "../../../bot/controller";
import { botRouter } from "../../../bot/http";
import { acceptInboundText, inboundStoreStats, startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { APPLICANT_PHONE, createCase } from "../track/helpers";

const PUBLIC_URL = "https://lifeline.test";
const TOKEN = "twilio-test-token";
let bot: Bot;
/** The worker the webhook wakes; null: none running (texts wait, as after a crash). */
let live: SmsInbox | null = null;
let server: Server;
let base: string;

beforeAll(async () => {
  await prepareDatabase();
  bot = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
  const app = express();
  app.use(botRouter({ db, bot, inbox: () => live, settings: () => ({ publicUrl: PUBLIC_URL, authToken: TOKEN }) }));
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await live?.stop();
  live = null;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let sidCounter = 0;
const newSid = () => `SMinbox${String(++sidCounter).padStart(26, "0")}`;

function form(from: string, body: string, sid = newSid()) {
  return { MessageSid: sid, AccountSid: "AC00000000000000000000000000000000", From: from, To: "+8610000000000", Body: body, NumMedia: "0" };
}

async function post(params: Record<string, string>) {
  const res = await fetch(`${base}/sms/twilio`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilioSignature(TOKEN, `${PUBLIC_URL}/sms/twilio`, params) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}

const repliesTo = async (phone: string) =>
  (await db.outboxMessage.findMany({ where: { to: phone }, orderBy: [{ createdAt: "asc" }, { dedupeKey: "asc" }] })).map((t) => t.body);

const residentLines = async (phone: string) => {
  const row = await db.conversation.findUnique({ where: { id: `sms:${phone}` }, select: { transcript: true } });
  return row ? (JSON.parse(row.transcript) as Array<{ from: string; text: string }>).filter((l) => l.from === "resident").map((l) => l.text) : [];
};

describe("acknowledged before it is answered", () => {
  it("the 200 comes with the text stored and nothing answered; the worker answers it afterwards", async () => {
    const phone = "+8613700001001";
    const params = form(phone, "你好");
    expect(await post(params)).toEqual({ status: 200, body: expect.stringContaining("<Response></Response>") });
    // Stored (MessageSid and the message), not answered: no conversation, no reply.
    expect(await db.inboundMessage.count({ where: { sid: params.MessageSid } })).toBe(1);
    expect(await countWaitingInboundTexts(db)).toBe(1);
    expect(await repliesTo(phone)).toEqual([]);
    expect(await db.conversation.count({ where: { address: phone } })).toBe(0);

    live = startSmsInbox(db, bot);
    await live.drain();
    expect(await countWaitingInboundTexts(db)).toBe(0);
    expect(await repliesTo(phone)).toEqual([expect.stringContaining("援手"), expect.stringContaining("请回复数字")]);
    expect(await residentLines(phone)).toEqual(["你好"]);
  });

  it("a running worker is woken by the arrival (no polling) and answers", async () => {
    live = startSmsInbox(db, bot);
    await live.drain();
    const phone = "+8613700001002";
    expect((await post(form(phone, "EN"))).status).toBe(200);
    await live.drain();
    expect((await repliesTo(phone)).join("\n")).toContain("English");
  });
});

describe("group commit", () => {
  it("texts arriving together share one transaction; each is acknowledged only once it is stored", async () => {
    const before = { ...inboundStoreStats };
    const sids = Array.from({ length: 32 }, () => newSid());
    // 32 requests read in one turn of the event loop (as under load): one transaction, one disk flush.
    const outcomes = sids.map((sid, i) =>
      acceptInboundText(db, { sid, from: `+86137000030${String(i).padStart(2, "0")}`, body: "你好" }).then(async (outcome) => {
        // Resolved only once it is on disk.
        expect(await db.inboundMessage.count({ where: { sid } })).toBe(1);
        return outcome;
      }),
    );
    expect(await Promise.all(outcomes)).toEqual(sids.map(() => "accepted"));
    expect(inboundStoreStats.deliveries - before.deliveries).toBe(32);
    expect(inboundStoreStats.transactions - before.transactions).toBe(1);
    // And over HTTP: signed, acknowledged, stored.
    const params = form("+8613700003099", "你好");
    expect((await post(params)).status).toBe(200);
    expect(await db.inboundMessage.count({ where: { sid: params.MessageSid } })).toBe(1);
    live = startSmsInbox(db, bot);
    await live.drain();
    expect(live.stats.answered).toBe(33);
  });
});

describe("a repeated MessageSid has no second effect", () => {
  it("at once, while waiting, and after it was answered", async () => {
    const phone = "+8613700001003";
    const params = form(phone, "人工");
    // Twice at once (one batch), then again while the first still waits.
    const statuses = await Promise.all([post(params), post(params)]);
    expect(statuses.map((s) => s.status)).toEqual([200, 200]);
    expect((await post(params)).status).toBe(200);
    expect(await countWaitingInboundTexts(db)).toBe(1);
    live = startSmsInbox(db, bot);
    await live.drain();
    // And once more after it was answered (its queue row is gone; the MessageSid is remembered).
    expect((await post(params)).status).toBe(200);
    await live.drain();
    expect(await db.inboundMessage.count({ where: { sid: params.MessageSid } })).toBe(1);
    expect(await db.callbackRequest.count({ where: { phone } })).toBe(1);
    expect(await repliesTo(phone)).toHaveLength(2); // welcome + call-back confirmation, once
    expect(await residentLines(phone)).toEqual(["人工"]);
  });
});

describe("a crash after the acknowledgement", () => {
  it("texts stored and never answered are answered once by the next worker, even two at once", async () => {
    const phone = "+8613700001004";
    // Acknowledged (stored), then the process "died": no worker ran.
    for (const body of ["1", "2"]) expect(await acceptInboundText(db, { sid: newSid(), from: phone, body })).toBe("accepted");
    expect(await countWaitingInboundTexts(db)).toBe(2);
    // After the restart: two workers race for the same rows (as a careless deployment might).
    const a = startSmsInbox(db, createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL }));
    const b = startSmsInbox(db, createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL }));
    await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(a.stats.answered + b.stats.answered).toBe(2);
    expect(await residentLines(phone)).toEqual(["1", "2"]);
    const replies = await repliesTo(phone);
    expect(replies.filter((r) => r.includes("（1/9）"))).toHaveLength(1);
    expect(replies.filter((r) => r.includes("（2/9）"))).toHaveLength(1);
  });

  it("a turn that fails half-way leaves nothing of itself, and the retry answers the text once", async () => {
    const phone = "+8613700001005";
    let failNext = true;
    // The turn runs (state, transcript written in its transaction) and then the "crash".
    const flaky: Bot = {
      ...bot,
      async turn(input, options) {
        const out = await bot.turn(input, options);
        if (failNext) {
          failNext = false;
          throw new Error("simulated crash mid-turn");
        }
        return out;
      },
    };
    expect(await acceptInboundText(db, { sid: newSid(), from: phone, body: "人工" })).toBe("accepted");
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      live = startSmsInbox(db, flaky);
      await live.drain();
    } finally {
      console.error = original;
    }
    expect(errors.length).toBe(1); // the one failed try, logged without the text
    expect(JSON.stringify(errors)).not.toContain(phone);
    expect(live.stats.answered).toBe(1);
    expect(await residentLines(phone)).toEqual(["人工"]);
    expect(await db.callbackRequest.count({ where: { phone } })).toBe(1);
    expect(await repliesTo(phone)).toHaveLength(2);
  });
});

describe("a failed turn inside a batch", () => {
  it("rolls back only that text's effects: the texts before it are answered, it and the ones after it wait, in order", async () => {
    const [a, b] = ["+8613700001010", "+8613700001011"];
    for (const [phone, body] of [
      [a, "1"],
      [b, "人工"],
      [a, "3"],
    ]) {
      await acceptInboundText(db, { sid: newSid(), from: phone, body });
    }
    // Quiet webhook: the worker takes all three in one transaction.
    await new Promise((resolve) => setTimeout(resolve, 150));
    let failB = true;
    const flaky: Bot = {
      ...bot,
      async turn(input, options) {
        const out = await bot.turn(input, options);
        if (input.address === b && failB) {
          failB = false;
          throw new Error("simulated failure");
        }
        return out;
      },
    };
    const original = console.error;
    console.error = () => undefined;
    try {
      live = startSmsInbox(db, flaky);
      await live.drain();
    } finally {
      console.error = original;
    }
    expect(live.stats.answered).toBe(3);
    expect(await residentLines(a)).toEqual(["1", "3"]);
    expect(await residentLines(b)).toEqual(["人工"]);
    expect(await db.callbackRequest.count({ where: { phone: b } })).toBe(1);
    const forA = await repliesTo(a);
    expect(forA.filter((r) => r.includes("（1/9）"))).toHaveLength(1);
    expect(forA[forA.length - 1]).toContain("（2/9）");
  });
});

describe("order", () => {
  it("each phone's texts are answered in the order they came, with two phones interleaved", async () => {
    const [a, b] = ["+8613700001006", "+8613700001007"];
    const sent: Array<[string, string]> = [
      [a, "1"],
      [b, "EN"],
      [a, "3"],
      [b, "1"],
      [a, "40"],
      [b, "2"],
    ];
    // Some arrive while the worker is busy with the first ones.
    live = startSmsInbox(db, bot);
    for (const [phone, body] of sent) expect((await post(form(phone, body))).status).toBe(200);
    await live.drain();
    expect(await residentLines(a)).toEqual(["1", "3", "40"]);
    expect(await residentLines(b)).toEqual(["EN", "1", "2"]);
    const forA = await repliesTo(a);
    expect(forA.findIndex((r) => r.includes("（1/9）"))).toBeLessThan(forA.findIndex((r) => r.includes("（2/9）")));
    expect(forA[forA.length - 1]).toContain("（3/9）");
    const forB = await repliesTo(b);
    expect(forB[forB.length - 1]).toContain("(2/9)");
  });
});

describe("acknowledgements beside a backlog", () => {
  it("are answered while the worker is still working through earlier texts", async () => {
    for (let i = 0; i < 48; i++) await acceptInboundText(db, { sid: newSid(), from: `+86137000020${String(i % 10).padStart(2, "0")}`, body: "1" });
    live = startSmsInbox(db, bot);
    const ack = await post(form("+8613700001008", "1"));
    expect(ack.status).toBe(200);
    // Acknowledged with most of the backlog still waiting: the worker gives way
    // between batches (of at most 16 texts), and takes small bites while texts arrive.
    expect(await countWaitingInboundTexts(db)).toBeGreaterThan(16);
    await live.drain();
    expect(await countWaitingInboundTexts(db)).toBe(0);
    expect(live.stats.answered).toBe(49);
  });
});

describe("a whole dialog by text through the worker", () => {
  it("my case: reference → code texted → status, with the code's own transaction inside the turn's", async () => {
    const created = await createCase({ proxyPhone: null });
    const phone = `+86${APPLICANT_PHONE}`;
    live = startSmsInbox(db, bot);
    for (const body of ["EN", "2", created.reference]) await post(form(phone, body));
    await live.drain();
    // The text carrying the code (queued by the code's own model, inside the turn's transaction).
    const code = (await repliesTo(phone)).map((body) => /\b\d{6}\b/.exec(body)?.[0]).find(Boolean) ?? "";
    expect(code).toHaveLength(6);
    await post(form(phone, code));
    await live.drain();
    const replies = await repliesTo(phone);
    expect(replies.slice(-2)[0]).toBe(`Application ${created.reference}: we have it, and it is waiting to be checked.`);
  });
});

describe("rows written with raw SQL", () => {
  it("read back through typed Prisma with their dates as dates", async () => {
    const sid = newSid();
    const at = new Date("2026-11-29T02:24:36.388Z");
    await acceptInboundText(db, { sid, from: "+8613700001009", body: "你好" }, at);
    const stored = await db.inboundMessage.findUniqueOrThrow({ where: { sid } });
    expect(stored.receivedAt).toBeInstanceOf(Date);
    expect(stored.receivedAt.toISOString()).toBe(at.toISOString());
    const queued = await db.botState.findFirstOrThrow({ where: { key: { endsWith: sid } } });
    expect(queued.updatedAt.toISOString()).toBe(at.toISOString());
    expect(JSON.parse(queued.value)).toEqual({ sid, from: "+8613700001009", body: "你好" });

    live = startSmsInbox(db, bot);
    await live.drain();
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: "sms:+8613700001009" } });
    expect(conversation.lastMessageAt).toBeInstanceOf(Date);
    expect(conversation.updatedAt).toBeInstanceOf(Date);
    expect(Math.abs(conversation.lastMessageAt.getTime() - Date.now())).toBeLessThan(60_000);
    const state = await db.botState.findFirstOrThrow({ where: { key: { startsWith: "sms/conversations/+8613700001009" } } });
    expect(state.updatedAt).toBeInstanceOf(Date);
    expect(JSON.parse(state.value)).toHaveProperty("dialogState");
  });
});
