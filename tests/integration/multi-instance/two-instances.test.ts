// Issue 8 items 2 and 3: two app instances on ONE database, the way several
// instances run behind a load balancer. The same checks for both databases:
//   (a) sixteen caseworkers pressing "take the next" on the staff queue page,
//       each time on the other instance, until the queue is empty: every
//       call-back is taken by exactly one of them, and the database says so;
//   (b) 300 texts queued at once are each sent exactly once to a fake Twilio
//       API while both instances' outbox workers run, and both workers took
//       part (each instance sends from its own number);
//   (c) text messages, two from each phone, the second to the other instance
//       right after the first: each is answered exactly once (its turn is in
//       the conversation once, in order, and each reply reaches Twilio once).
//
// PostgreSQL (LIFELINE_TEST_POSTGRES_URL set): two real server processes
// (app/server/main.ts, as `npm start` runs them, each with its own port,
// outbox and inbox workers) on this file's own copy of the migrated template,
// with TWILIO_API_URL pointing at the fake; claims go through the staff queue
// page over HTTP and texts through the signed /sms/twilio webhook.
//
// SQLite: two server processes on one SQLite file would be the natural
// variant, but today the second one cannot start while the first runs: every
// start runs `prisma migrate deploy` (app/services/migrate.server.ts), and on
// SQLite that fails ("SocketTimeout" at sql_migration_persistence::initialize)
// whenever another connection has the file open, even an idle reader in WAL
// mode (tried: a plain better-sqlite3 reader is enough). Until start-up skips
// the CLI when nothing is pending, the SQLite variant runs two "instances" in
// this process: two outbox workers (each its own Twilio number) and two inbox
// workers on one client, with the staff route's action called concurrently;
// it checks the single-writer claims with the same three checks.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBot } from "../../../bot/controller";
import { acceptInboundText, startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { queueCallback } from "~/models/callback.server";
import { loadTranscript } from "~/models/conversation.server";
import * as queuePage from "~/routes/staff.callbacks._index";
import { db, dialect } from "~/services/db.server";
import { queueText, startOutboxWorker, type OutboxWorker } from "~/services/outbox.server";
import { twilioSender } from "~/services/sms-sender.server";
import { twilioSignature } from "~/services/twilio-signature.server";
import { buildApp, startServerProcess, type ServerProcess } from "../../support/app-server";
import { callRoute, signInAs, staffPost, type TestStaffSession } from "../../support/staff";
import { startFakeTwilio, type FakeTwilio } from "../outbox/fake-twilio";

const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_TOKEN = "multi-instance-twilio-token";
/** Each instance texts from its own number, so the fake Twilio can tell who sent what. */
const FROM = ["+15005550001", "+15005550002"];
/** One public address for both, as behind a load balancer: Twilio signs this URL. */
const PUBLIC_URL = "https://lifeline.example.org";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-two-instances-"));
let fake: FakeTwilio;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface InboundText {
  sid: string;
  from: string;
  body: string;
}

/** One app instance, as the checks use it. */
interface Instance {
  /** "Take the next" as this caseworker: the reference taken, or null when the queue is empty. */
  takeNext(session: TestStaffSession): Promise<string | null>;
  /** Delivers a text message as Twilio would; resolves once it is acknowledged. */
  receiveText(text: InboundText, n: number): Promise<void>;
  /** The last lines of its output, for a failure's message. */
  log(): string;
  stop(): Promise<void>;
}

const instances: Instance[] = [];

/** A server process (PostgreSQL), reached over HTTP. */
async function processInstance(i: number): Promise<Instance> {
  const server: ServerProcess = await startServerProcess({
    dataDir: path.join(work, `instance-${i}`),
    keepLines: 300,
    startTimeoutMs: 180_000,
    env: {
      DATABASE_URL: process.env.DATABASE_URL,
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_NUMBER: FROM[i],
      TWILIO_API_URL: fake.url,
    },
  });
  return {
    async takeNext(session) {
      const response = await fetch(`${server.baseURL}/staff/callbacks?index`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: session.cookie },
        body: new URLSearchParams({ csrf: session.csrf, intent: "next" }).toString(),
        redirect: "manual",
      });
      const body = await response.text();
      // 200 with the "queue is empty" notice.
      if (response.status === 200) return null;
      if (response.status !== 303) throw new Error(`take the next: ${response.status} ${body.slice(0, 200)}`);
      return decodeURIComponent((response.headers.get("Location") ?? "").replace(/^.*\/staff\/callbacks\//, ""));
    },
    async receiveText(text, n) {
      const params = { MessageSid: text.sid, From: text.from, To: FROM[0], Body: text.body, AccountSid: TWILIO_SID };
      const response = await fetch(`${server.baseURL}/sms/twilio`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": twilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}/sms/twilio`, params),
          // Each phone from its own address: no per-address limit meets another phone.
          "X-Forwarded-For": `10.8.${(n >> 8) & 255}.${n & 255}`,
        },
        body: new URLSearchParams(params).toString(),
      });
      if (response.status >= 300) throw new Error(`text to instance ${i}: ${response.status}`);
    },
    log: () => server.log().split("\n").slice(-30).join("\n"),
    stop: () => server.stop(),
  };
}

/** Two workers of each kind in this process, on one client (SQLite: see the header). */
function inProcessInstance(i: number): Instance {
  const outbox: OutboxWorker = startOutboxWorker(db, {
    intervalMs: 200,
    sender: twilioSender({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: FROM[i], apiUrl: fake.url }),
  });
  const inbox: SmsInbox = startSmsInbox(db, getBot());
  return {
    async takeNext(session) {
      const answer = await callRoute(queuePage.action as Parameters<typeof callRoute>[0], staffPost("/staff/callbacks?index", session, { intent: "next" }));
      if (answer.status === 200) return null;
      if (answer.status !== 303) throw new Error(`take the next: ${answer.status} ${JSON.stringify(answer.data)}`);
      return decodeURIComponent((answer.location ?? "").replace(/^.*\/staff\/callbacks\//, ""));
    },
    async receiveText(text) {
      const outcome = await acceptInboundText(db, text);
      if (outcome !== "accepted") throw new Error(`text to instance ${i}: ${outcome}`);
      inbox.kick();
    },
    log: () => "(in this process)",
    async stop() {
      await inbox.stop();
      await outbox.stop();
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}\n${instances.map((s, i) => `instance ${i} output:\n${s.log()}`).join("\n")}`);
}

beforeAll(async () => {
  fake = await startFakeTwilio();
  // A little time per text, so both workers' claims overlap.
  fake.delayMs = 5;
  if (dialect === "postgresql") {
    buildApp();
    // One after the other: each start migrates (already done) and seeds; then both run together.
    for (const i of [0, 1]) instances.push(await processInstance(i));
  } else {
    for (const i of [0, 1]) instances.push(inProcessInstance(i));
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(instances.map((s) => s.stop()));
  await fake?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe(dialect === "postgresql" ? "two app server processes on one PostgreSQL database" : "two in-process instances on one SQLite file", () => {
  it("(a) concurrent 'take the next' claims on both instances never give one call-back to two caseworkers", async () => {
    // Only this test's call-backs are queued (the demo seed may have queued some).
    await db.callbackRequest.updateMany({ where: { status: { in: ["queued", "claimed"] } }, data: { status: "done" } });
    const CALLBACKS = 120;
    const references = new Set<string>();
    const start = new Date(Date.now() - 72 * 3600_000);
    for (let i = 0; i < CALLBACKS; i++) {
      const queued = await queueCallback(db, { phone: `+86139${String(20_000_000 + i)}`, language: "zh-CN", source: "web_request" }, new Date(start.getTime() + (i % 7) * 60_000));
      if (!queued.ok) throw new Error(JSON.stringify(queued.errors));
      references.add(queued.reference);
    }
    const staff: TestStaffSession[] = [];
    for (let i = 0; i < 16; i++) staff.push(await signInAs("caseworker", { username: `two-instances-${i}` }));

    const taken: Array<{ reference: string; staffId: string; instance: number }> = [];
    const unexpected: string[] = [];
    await Promise.all(
      staff.map(async (session, s) => {
        for (let round = 0; ; round++) {
          const instance = (s + round) % 2;
          try {
            const reference = await instances[instance].takeNext(session);
            if (reference === null) return;
            taken.push({ reference, staffId: session.staffId, instance });
          } catch (error) {
            unexpected.push(String(error));
            return;
          }
        }
      }),
    );
    expect(unexpected).toEqual([]);
    expect(taken).toHaveLength(CALLBACKS);
    expect(new Set(taken.map((t) => t.reference))).toEqual(references);
    // Both instances handed out call-backs.
    expect(new Set(taken.map((t) => t.instance))).toEqual(new Set([0, 1]));
    const rows = await db.callbackRequest.findMany({ where: { reference: { in: [...references] } }, select: { reference: true, status: true, claimedById: true } });
    const takerOf = new Map(taken.map((t) => [t.reference, t.staffId]));
    for (const row of rows) {
      expect(row.status).toBe("claimed");
      expect(row.claimedById).toBe(takerOf.get(row.reference));
    }
  }, 180_000);

  it("(b) 300 queued texts are each sent exactly once while both instances' outbox workers run", async () => {
    const TEXTS = 300;
    const tag = crypto.randomBytes(3).toString("hex");
    const bodies = Array.from({ length: TEXTS }, (_, i) => `two-instances ${tag} text ${i}`);
    // Queued together, as a burst of receipts would be.
    await db.$transaction(async (tx) => {
      for (const [i, body] of bodies.entries()) await queueText(tx, { to: `+86138${String(30_000_000 + i)}`, body, language: "zh-CN" });
    }, { timeout: 60_000, maxWait: 60_000 });
    const ours = () => fake.requests.filter((r) => r.form.get("Body")?.startsWith(`two-instances ${tag} `));
    await until("every text to be sent", async () => (await db.outboxMessage.count({ where: { body: { startsWith: `two-instances ${tag} ` }, status: "sent" } })) === TEXTS, 120_000);
    // A send recorded late would still show here: wait a moment longer than one worker pause.
    await sleep(2_500);
    const requests = ours();
    const perBody = new Map<string, number>();
    for (const r of requests) perBody.set(r.form.get("Body") ?? "", (perBody.get(r.form.get("Body") ?? "") ?? 0) + 1);
    expect(requests).toHaveLength(TEXTS);
    expect([...perBody.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(perBody.keys())).toEqual(new Set(bodies));
    const byInstance = FROM.map((from) => requests.filter((r) => r.form.get("From") === from).length);
    expect(byInstance[0] + byInstance[1]).toBe(TEXTS);
    expect(byInstance.every((n) => n > 0), `texts sent per instance: ${byInstance.join(" / ")}`).toBe(true);
  }, 180_000);

  it("(c) text messages posted alternately to both instances are each answered exactly once, in order", async () => {
    const PHONES = 20;
    const texts: Array<{ sid: string; from: string; body: string }> = [];
    const phones = Array.from({ length: PHONES }, (_, i) => `+86137${String(40_000_000 + i)}`);
    await Promise.all(
      phones.map(async (from, p) => {
        const first = { sid: `SM${crypto.randomBytes(16).toString("hex")}`, from, body: "你好" };
        const second = { sid: `SM${crypto.randomBytes(16).toString("hex")}`, from, body: "hello" };
        texts.push(first, second);
        // The second right after the first is acknowledged, to the other instance.
        await instances[p % 2].receiveText(first, p);
        await instances[(p + 1) % 2].receiveText(second, p);
      }),
    );
    const sids = texts.map((t) => t.sid);
    const replyRows = () =>
      db.outboxMessage.findMany({
        where: { OR: sids.map((sid) => ({ dedupeKey: { startsWith: `bot-reply:${sid}:` } })) },
        select: { to: true, body: true, status: true, dedupeKey: true },
      });
    await until(
      "every text to be answered and every reply sent",
      async () => {
        const rows = await replyRows();
        const answered = new Set(rows.map((r) => r.dedupeKey?.split(":")[1]));
        return sids.every((sid) => answered.has(sid)) && rows.every((r) => r.status === "sent");
      },
      120_000,
    );
    await sleep(2_500);
    // Each text's turn ran once, in the order sent: the conversation holds each once.
    for (const from of phones) {
      const said = (await loadTranscript(db, "sms", from)).filter((e) => e.from === "resident").map((e) => e.text);
      expect(said, `conversation of phone #${phones.indexOf(from)}`).toEqual(["你好", "hello"]);
    }
    // Each reply went out once: per phone, the fake Twilio saw exactly the replies queued for it.
    const rows = await replyRows();
    for (const from of phones) {
      const queued = rows.filter((r) => r.to === from).map((r) => r.body).sort();
      const delivered = fake.requests.filter((r) => r.form.get("To") === from).map((r) => r.form.get("Body") ?? "").sort();
      expect(queued.length).toBeGreaterThan(0);
      expect(delivered).toEqual(queued);
    }
  }, 180_000);
});
