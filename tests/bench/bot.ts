// Issue 4's two figures:
//   bot_turn     one message through the bot (Botkit controller, dialog, engine,
//                storage and transcript on SQLite) in this process: p95 < 50 ms
//   sms_webhook  POST /sms/twilio on the real server, 32 senders at once, each
//                request signed with its own MessageSid: the acknowledgement
//                p95 < 100 ms (answering happens after it, in the inbox worker)
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import autocannon from "autocannon";
import { PrismaClient } from "~/generated/prisma/client";
import { migrateDatabase } from "~/services/migrate.server";
import { twilioSignature } from "~/services/twilio-signature.server";
import { createBot } from "../../bot/controller";
import { startAppServer } from "./servers";

const TURN_TARGET_MS = 50;
const WEBHOOK_TARGET_MS = 100;
const SENDERS = 32;
const DURATION_S = 10;
const round = (x: number) => Number(x.toFixed(2));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// A realistic conversation: menu, the short check (with a misunderstanding and
// a "don't know"), a language switch, and a call-back request.
const SCRIPT = ["你好", "1", "2", "七十", "随便", "3", "1", "9", "1", "2", "1", "1", "EN", "3", "yes", "2"];

async function botTurn(progress: (text: string) => void) {
  const dir = path.resolve("data", "bench", `bot-${crypto.randomBytes(4).toString("hex")}`);
  const url = `file:${path.join(dir, "bot.db")}`;
  migrateDatabase(url);
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 30_000 }) });
  try {
    await db.$executeRawUnsafe("PRAGMA journal_mode = WAL");
    const bot = createBot({ db: db as never, now: () => new Date(), publicUrl: "https://lifeline.example" });
    const run = async (n: number, times: number[] | null) => {
      for (let c = 0; c < n; c++) {
        const address = `+86139${String(c).padStart(8, "0")}`;
        for (const text of SCRIPT) {
          const start = process.hrtime.bigint();
          await bot.turn({ channel: c % 2 ? "sms" : "chat", address: times ? address : `warm-${c}`, text });
          if (times) times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
      }
    };
    await run(5, null); // warm-up
    const times: number[] = [];
    progress(`bot_turn: ${40 * SCRIPT.length} turns`);
    await run(40, times);
    const p95 = percentile(times, 95);
    return {
      name: "bot_turn",
      unit: "ms (p95)",
      value: round(p95),
      target: TURN_TARGET_MS,
      meetsTarget: p95 < TURN_TARGET_MS,
      turns: times.length,
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      note: "in process, one turn at a time: Botkit handleTurn + dialog + engine + BotState and Conversation on SQLite (WAL)",
    };
  } finally {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function smsWebhook(progress: (text: string) => void) {
  const token = crypto.randomBytes(16).toString("hex");
  // startAppServer passes this process's environment on: the server checks signatures with it.
  const before = process.env.TWILIO_AUTH_TOKEN;
  process.env.TWILIO_AUTH_TOKEN = token;
  const server = await startAppServer({ demo: true }).finally(() => {
    if (before === undefined) delete process.env.TWILIO_AUTH_TOKEN;
    else process.env.TWILIO_AUTH_TOKEN = before;
  });
  try {
    // PUBLIC_URL defaults to http://localhost:PORT, which is what the signature covers.
    const signedUrl = `http://localhost:${new URL(server.url).port}/sms/twilio`;
    let n = 0;
    const request = () => {
      n++;
      const params = {
        MessageSid: `SM${crypto.randomBytes(16).toString("hex")}`,
        AccountSid: "AC0123456789abcdef0123456789abcdef",
        From: `+86137${String(n % SENDERS).padStart(8, "0")}`,
        To: "+8610000000000",
        Body: ["你好", "1", "2", "3", "人工", "9"][n % 6],
        NumMedia: "0",
      };
      return {
        method: "POST",
        path: "/sms/twilio",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(token, signedUrl, params) },
        body: new URLSearchParams(params).toString(),
      };
    };
    const times: number[] = [];
    const options = {
      url: server.url,
      connections: SENDERS,
      duration: DURATION_S,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...request() }) }],
    };
    progress(`sms_webhook: ${SENDERS} senders for ${DURATION_S} s`);
    const instance = autocannon(options as never);
    instance.on("response", (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
    const result = await instance;
    const p95 = percentile(times, 95);
    return {
      name: "sms_webhook",
      unit: "ms (p95)",
      value: round(p95),
      target: WEBHOOK_TARGET_MS,
      meetsTarget: p95 < WEBHOOK_TARGET_MS && result.errors === 0 && result.non2xx === 0,
      requests: result.requests.total,
      requestsPerSecond: round(result.requests.total / (result.duration || DURATION_S)),
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      errors: result.errors,
      non2xx: result.non2xx,
      senders: SENDERS,
      note: "every request signed with its own MessageSid; acknowledged once stored, answered afterwards by the inbox worker (queued)",
    };
  } finally {
    await server.stop();
  }
}

/** Both figures, for tests/bench/run.ts. */
export async function botBenches(progress: (text: string) => void): Promise<Array<Record<string, unknown>>> {
  return [await botTurn(progress), await smsWebhook(progress)];
}
