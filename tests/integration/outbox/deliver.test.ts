// deliverDueTexts with the Twilio sender against a fake Twilio on loopback:
// what is posted, how each answer is recorded, the retry schedule, stale
// claims, and that two workers at once never send one text twice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests, type Config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { CLAIM_LEASE_MS, deliverDueTexts, queueText, startOutboxWorker } from "~/services/outbox.server";
import { senderFromConfig, simulatorSender, SmsSendError, twilioSender, type SmsSender } from "~/services/sms-sender.server";
import { startFakeTwilio, type FakeTwilio } from "./fake-twilio";

const TO = "+8613812345678";
const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "fake-auth-token";
const FROM = "+15005550006";

let fake: FakeTwilio;
let sender: SmsSender;
const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
const error = vi.spyOn(console, "error").mockImplementation(() => undefined);

beforeAll(async () => {
  fake = await startFakeTwilio();
  sender = twilioSender({ accountSid: SID, authToken: TOKEN, from: FROM, apiUrl: fake.url });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  await db.outboxMessage.deleteMany();
  fake.requests.length = 0;
  fake.script.length = 0;
  fake.delayMs = 0;
  warn.mockClear();
  error.mockClear();
});

afterEach(() => {
  // Nothing this module logs may hold the number or the text.
  for (const call of [...warn.mock.calls, ...error.mock.calls]) {
    const line = call.map(String).join(" ");
    expect(line).not.toContain("13812345678");
    expect(line).not.toContain("secret text");
  }
});

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function queue(body = "secret text", to = TO) {
  return (await queueText(db, { to, body, language: "en" })).id;
}

describe("deliverDueTexts with Twilio", () => {
  it("posts To, From and Body to the Messages resource with basic auth, and records the sid", async () => {
    const id = await queue("Your Lifeline code is 123456.");
    const now = new Date();
    const report = await deliverDueTexts(db, sender, now);
    expect(report).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0 });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`);
    expect(Object.fromEntries(request.form)).toEqual({ To: TO, From: FROM, Body: "Your Lifeline code is 123456." });

    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, providerId: expect.stringMatching(/^SM\d{32}$/) });
    expect(row.sentAt?.getTime()).toBe(now.getTime());
  });

  it("sends Chinese text intact", async () => {
    await queueText(db, { to: TO, body: "【援手】您的验证码是123456，10分钟内有效。", language: "zh-CN" });
    await deliverDueTexts(db, sender);
    expect(fake.requests[0].form.get("Body")).toBe("【援手】您的验证码是123456，10分钟内有效。");
  });

  it("retries after a 500 with backoff and succeeds later", async () => {
    const id = await queue();
    fake.script.push(500);
    const t0 = new Date();
    expect(await deliverDueTexts(db, sender, t0)).toEqual({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "twilio http 500 code 20500", sentAt: null });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 30_000);

    // Not due yet: nothing is claimed or sent.
    expect((await deliverDueTexts(db, sender, at(t0, 29_000))).claimed).toBe(0);
    expect(fake.requests).toHaveLength(1);

    expect(await deliverDueTexts(db, sender, at(t0, 30_000))).toMatchObject({ claimed: 1, sent: 1 });
    row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(fake.requests).toHaveLength(2);
  });

  it("retries 429 and network failures", async () => {
    const id = await queue();
    fake.script.push(429);
    const t0 = new Date();
    await deliverDueTexts(db, sender, t0);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", lastError: "twilio http 429 code 20500" });

    // Nothing listens on this port any more: connection refused.
    const closed = await startFakeTwilio();
    await closed.close();
    const unreachable = twilioSender({ accountSid: SID, authToken: TOKEN, from: FROM, apiUrl: closed.url });
    await deliverDueTexts(db, unreachable, at(t0, 30_000));
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 2, lastError: "network ECONNREFUSED" });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 30_000 + 120_000);
  });

  it("gives up on a request that times out only after its tries, and counts the timeout as retryable", async () => {
    const id = await queue();
    fake.delayMs = 300;
    const slow = twilioSender({ accountSid: SID, authToken: TOKEN, from: FROM, apiUrl: fake.url, timeoutMs: 50 });
    await deliverDueTexts(db, slow);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 1, lastError: "network timeout" });
  });

  it("fails at once on a 400 (invalid number), keeping only Twilio's code", async () => {
    const id = await queue();
    fake.script.push(400);
    expect(await deliverDueTexts(db, sender)).toEqual({ claimed: 1, sent: 0, retrying: 0, failed: 1 });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "twilio http 400 code 21211", sentAt: null });
    // A failed text is never picked up again.
    expect((await deliverDueTexts(db, sender, at(new Date(), 24 * 3_600_000))).claimed).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain(id);
  });

  it("tries 6 times on the 30 s, 2 min, 10 min, 1 h, 6 h schedule, then fails", async () => {
    const id = await queue();
    fake.script.push(503, 503, 503, 503, 503, 503);
    let now = new Date();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await deliverDueTexts(db, sender, now);
      const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row.attempts).toBe(i + 1);
      if (row.status === "failed") break;
      waits.push(row.nextAttemptAt.getTime() - now.getTime());
      now = row.nextAttemptAt;
    }
    expect(waits).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "failed", attempts: 6, lastError: "twilio http 503 code 20500; no tries left" });
    expect(fake.requests).toHaveLength(6);
  });

  it("takes a stale claim of a worker that died mid-send, and leaves a live claim alone", async () => {
    const now = new Date();
    const stale = await queue("stale");
    const live = await queue("live");
    await db.outboxMessage.update({ where: { id: stale }, data: { status: "sending", attempts: 1, nextAttemptAt: at(now, -1000) } });
    await db.outboxMessage.update({ where: { id: live }, data: { status: "sending", attempts: 1, nextAttemptAt: at(now, CLAIM_LEASE_MS - 1000) } });

    expect(await deliverDueTexts(db, sender, now)).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.requests.map((r) => r.form.get("Body"))).toEqual(["stale"]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: stale } })).toMatchObject({ status: "sent", attempts: 2 });
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: live } })).toMatchObject({ status: "sending", attempts: 1 });
  });

  it("does not send again a stale claim that was already the last try", async () => {
    const now = new Date();
    const id = await queue();
    await db.outboxMessage.update({ where: { id }, data: { status: "sending", attempts: 6, nextAttemptAt: at(now, -1000) } });
    expect(await deliverDueTexts(db, sender, now)).toMatchObject({ claimed: 1, failed: 1 });
    expect(fake.requests).toHaveLength(0);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", lastError: "no tries left" });
  });

  it("sends due texts oldest first, at most `limit` per run", async () => {
    for (let i = 1; i <= 5; i++) await queue(`text ${i}`);
    expect((await deliverDueTexts(db, sender, new Date(), 3)).claimed).toBe(3);
    expect((await deliverDueTexts(db, sender, new Date(), 3)).claimed).toBe(2);
    expect(fake.requests.map((r) => r.form.get("Body"))).toEqual(["text 1", "text 2", "text 3", "text 4", "text 5"]);
  });

  // One process holds one SQLite connection (better-sqlite3's busy wait blocks
  // the event loop, so two connections in one process can stall each other);
  // concurrent runs interleave their look-ups and claims on it. Several
  // instances on one database are the PostgreSQL set-up (issue 8).
  it("never sends a text twice when several runs claim at once", async () => {
    for (let i = 0; i < 12; i++) await queue(`text ${i}`);
    fake.delayMs = 15;
    const now = new Date();
    const reports = await Promise.all([deliverDueTexts(db, sender, now), deliverDueTexts(db, sender, now), deliverDueTexts(db, sender, now)]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(12);
    const bodies = fake.requests.map((r) => r.form.get("Body"));
    expect(bodies).toHaveLength(12);
    expect(new Set(bodies).size).toBe(12);
    expect(await db.outboxMessage.count({ where: { status: "sent", attempts: 1 } })).toBe(12);
  });

  it("skips a text to a phone the opt-out hook names, and sends the rest", async () => {
    const blocked = await queue("to blocked", "+8613900000000");
    await queue("to open");
    const report = await deliverDueTexts(db, sender, new Date(), 20, { isOptedOut: (phone) => phone === "+8613900000000" });
    expect(report).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(fake.requests.map((r) => r.form.get("Body"))).toEqual(["to open"]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: blocked } })).toMatchObject({ status: "failed", lastError: "opted out" });
  });

  it("retries when a sender throws something unexpected, without storing its message", async () => {
    const id = await queue();
    const broken: SmsSender = { kind: "twilio", send: () => Promise.reject(new TypeError(`bad ${TO}`)) };
    await deliverDueTexts(db, broken);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", lastError: "sender TypeError" });
  });
});

describe("simulator and choice of sender", () => {
  it("marks a text sent with a sim- id and sends nothing out", async () => {
    const id = await queue();
    expect(await deliverDueTexts(db, simulatorSender())).toMatchObject({ sent: 1 });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).providerId).toMatch(/^sim-[0-9a-f-]{36}$/);
    expect(fake.requests).toHaveLength(0);
  });

  it("uses Twilio only when sid, token and number are all set", async () => {
    const twilio = (over: Partial<Config["twilio"]>) => ({ twilio: { accountSid: SID, authToken: TOKEN, number: FROM, apiUrl: fake.url, ...over } });
    expect(senderFromConfig(twilio({})).kind).toBe("twilio");
    expect(senderFromConfig(twilio({ accountSid: null })).kind).toBe("simulator");
    expect(senderFromConfig(twilio({ authToken: null })).kind).toBe("simulator");
    expect(senderFromConfig(twilio({ number: null })).kind).toBe("simulator");

    await queue("via config");
    await deliverDueTexts(db, senderFromConfig(twilio({})));
    expect(fake.requests).toHaveLength(1);
  });

  it("reads the Twilio settings from the environment, with Twilio's own URL by default", async () => {
    const saved = { ...process.env };
    try {
      process.env.TWILIO_ACCOUNT_SID = SID;
      process.env.TWILIO_AUTH_TOKEN = TOKEN;
      process.env.TWILIO_NUMBER = FROM;
      delete process.env.TWILIO_API_URL;
      resetConfigForTests();
      const { config } = await import("~/services/config.server");
      expect(config().twilio).toEqual({ accountSid: SID, authToken: TOKEN, number: FROM, apiUrl: "https://api.twilio.com" });
      process.env.TWILIO_API_URL = `${fake.url}/`;
      resetConfigForTests();
      expect(config().twilio.apiUrl).toBe(fake.url);
    } finally {
      process.env = saved;
      resetConfigForTests();
    }
  });

  it("classifies Twilio answers: 4xx permanent except 401, 408 and 429", async () => {
    const { isRetryableStatus } = await import("~/services/sms-sender.server");
    expect([400, 403, 404, 422].map(isRetryableStatus)).toEqual([false, false, false, false]);
    expect([401, 408, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect(new SmsSendError("x", true)).toBeInstanceOf(Error);
  });
});

describe("startOutboxWorker", () => {
  async function waitFor(check: () => Promise<boolean>, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it("delivers what is queued, and after stop() sends nothing more", async () => {
    const worker = startOutboxWorker(db, { intervalMs: 20, sender });
    try {
      const id = await queue("first");
      await waitFor(async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id } })).status === "sent");
    } finally {
      await worker.stop();
    }
    const later = await queue("after stop");
    await new Promise((r) => setTimeout(r, 100));
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: later } })).status).toBe("pending");
    expect(fake.requests.map((r) => r.form.get("Body"))).toEqual(["first"]);
  });

  it("never overlaps runs, and stop() waits for the run in progress", async () => {
    let running = 0;
    let most = 0;
    let sends = 0;
    const slow: SmsSender = {
      kind: "simulator",
      async send() {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 40));
        running--;
        sends++;
        return { providerId: `sim-${sends}` };
      },
    };
    for (let i = 0; i < 3; i++) await queue(`t${i}`);
    const worker = startOutboxWorker(db, { intervalMs: 1, sender: slow, batchSize: 1 });
    await waitFor(async () => sends >= 1);
    await worker.stop();
    expect(running).toBe(0);
    expect(most).toBe(1);
    const sentNow = await db.outboxMessage.count({ where: { status: "sent" } });
    expect(sentNow).toBe(sends);
    expect(await db.outboxMessage.count({ where: { status: "sending" } })).toBe(0);
  });

  it("keeps going after a run fails, logging no personal data", async () => {
    let sends = 0;
    const counting: SmsSender = {
      kind: "simulator",
      send() {
        sends++;
        return Promise.resolve({ providerId: "sim-x" });
      },
    };
    // A database whose first claim of due texts (raw SQL) fails, with the number in the error.
    let failNext = true;
    const flakyDb = new Proxy(db, {
      get(target, prop) {
        if (prop === "$queryRaw" && failNext) {
          failNext = false;
          return () => Promise.reject(Object.assign(new Error(`SQLITE_BUSY while reading ${TO}`), { code: "SQLITE_BUSY" }));
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

    const id = await queue();
    const worker = startOutboxWorker(flakyDb, { intervalMs: 10, sender: counting });
    try {
      await waitFor(async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id } })).status === "sent");
    } finally {
      await worker.stop();
    }
    expect(failNext).toBe(false);
    expect(sends).toBe(1);
    expect(error).toHaveBeenCalledWith("outbox: delivery run failed (SQLITE_BUSY)");
  });
});
