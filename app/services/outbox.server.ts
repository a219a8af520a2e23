// The durable outbox for outbound texts. Code that causes a text (a receipt,
// a code, a resume link) queues it with queueText inside its own transaction,
// so the text exists exactly when the change does; the worker then delivers it
// at least once, retrying with backoff (domain/sms/backoff.ts).
//
// Claims: a worker takes due texts with one conditional UPDATE … RETURNING
// (raw SQL; on PostgreSQL its pick adds FOR UPDATE SKIP LOCKED:
// services/sql-dialect.server.ts claimPick), which re-checks "still due" on every row as
// it writes, so two workers (or two processes, or two app instances on one
// PostgreSQL) never both take one text. While a text is
// being sent its status is "sending" and nextAttemptAt holds the end of the
// claim (CLAIM_LEASE_MS, far beyond the 10 s send timeout): a worker that died
// mid-send leaves a claim that runs out, and the text is taken again. That
// retry may repeat a text the provider had already accepted: at least once,
// never lost. Nothing here logs a phone number or a text's body.
import { MAX_SEND_ATTEMPTS, retryDelayMs } from "~/domain/sms/backoff";
import { Prisma } from "~/generated/prisma/client";
import { isLanguage, type Language } from "~/i18n";
import { config } from "./config.server";
import { newRowId, type Db } from "./db.server";
import { senderFromConfig, SmsSendError, type SmsSender } from "./sms-sender.server";
import { claimPick } from "./sql-dialect.server";

/** How long a claim lasts before another worker may take the text again. */
export const CLAIM_LEASE_MS = 2 * 60_000;

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";

export interface QueueTextInput {
  /** E.164, e.g. "+8613812345678" (normalizeMobile gives this) */
  to: string;
  body: string;
  language: Language;
  /** The same key queued twice gives one text (e.g. `receipt:LA-7K4M-Q9XA`). */
  dedupeKey?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Queues a text to go out. Call it with the transaction client of the change
 * that causes the text; a rollback then leaves no text behind. With a
 * dedupeKey already queued, nothing is inserted and the first text's id comes
 * back with duplicate: true.
 *
 * Raw SQL (portable: PostgreSQL has the same INSERT … ON CONFLICT DO NOTHING):
 * every submission queues its receipt here, and a typed create costs several
 * times more CPU (Prisma's query compiler). The insert itself is the dedupe
 * check: no look-up first, and no failed statement (which would end a
 * transaction on PostgreSQL) when the key is already there.
 */
export async function queueText(client: Db | Prisma.TransactionClient, msg: QueueTextInput): Promise<{ id: string; duplicate: boolean }> {
  // Programming errors, not user input: say what is wrong without the values.
  if (!E164.test(msg.to)) throw new Error("queueText: `to` must be an E.164 number");
  if (msg.body.trim() === "") throw new Error("queueText: `body` is empty");
  if (!isLanguage(msg.language)) throw new Error("queueText: unsupported language");

  const dedupeKey = msg.dedupeKey ?? null;
  const now = new Date();
  const id = newRowId(now.getTime());
  const inserted = await client.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "channel", "to", "body", "language", "status", "attempts", "nextAttemptAt", "dedupeKey", "createdAt")
    VALUES (${id}, 'sms', ${msg.to}, ${msg.body}, ${msg.language}, 'pending', 0, ${now}, ${dedupeKey}, ${now})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
  if (inserted === 1) return { id, duplicate: false };
  // Only a dedupeKey already queued makes the insert do nothing (a NULL key never conflicts).
  const existing = await client.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "OutboxMessage" WHERE "dedupeKey" = ${dedupeKey}`;
  if (existing.length === 0) throw new Error("queueText: the text was neither inserted nor found");
  return { id: existing[0].id, duplicate: true };
}

export interface DeliverOptions {
  /**
   * Opt-out hook (STOP / 退订, added with the chat and SMS channel): when it
   * answers true the text is not sent and is marked failed ("opted out").
   * Without it every text is sent.
   */
  isOptedOut?: (phone: string) => boolean | Promise<boolean>;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** failed this time, another try is scheduled */
  retrying: number;
  /** given up: a permanent error, no tries left, or opted out */
  failed: number;
}

interface ClaimedText {
  id: string;
  to: string;
  body: string;
  /** including this try */
  attempts: number;
}

/**
 * Claims up to `limit` due texts with ONE statement (UPDATE … RETURNING, in
 * SQLite and PostgreSQL alike): the outer WHERE re-checks "still due" on every
 * row as it is written, so a row another worker claimed meanwhile (its
 * nextAttemptAt now in the future) is skipped. On PostgreSQL the subquery
 * also locks what it picks and skips rows another instance's claim holds
 * (claimPick), so two instances claiming together take different texts at
 * once; on SQLite the statement holds the single write lock throughout.
 * Raw SQL: the worker runs beside every submission, and the typed look-up
 * plus updateManyAndReturn cost several times more CPU.
 */
async function claimDueTexts(db: Db, now: Date, limit: number): Promise<ClaimedText[]> {
  const leaseEnds = new Date(now.getTime() + CLAIM_LEASE_MS);
  const picked = claimPick(Prisma.sql`
    SELECT "id" FROM "OutboxMessage"
    WHERE "status" IN ('pending', 'sending') AND "nextAttemptAt" <= ${now}
    ORDER BY "nextAttemptAt" ASC, "createdAt" ASC
    LIMIT ${limit}`);
  const rows = await db.$queryRaw<Array<{ id: string; to: string; body: string; attempts: number | bigint; createdAt: unknown }>>`
    ${picked.prefix}UPDATE "OutboxMessage"
    SET "status" = 'sending', "attempts" = "attempts" + 1, "nextAttemptAt" = ${leaseEnds}
    WHERE "id" IN ${picked.ids}
      AND "status" IN ('pending', 'sending') AND "nextAttemptAt" <= ${now}
    RETURNING "id", "to", "body", "attempts", "createdAt"`;
  // RETURNING comes in no promised order: send in the order the texts were
  // queued (a turn's replies share a millisecond; their ids count up within it).
  const queuedAt = (row: { createdAt: unknown }) => new Date(row.createdAt as string | Date).getTime();
  rows.sort((a, b) => queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((row) => ({ id: row.id, to: row.to, body: row.body, attempts: Number(row.attempts) }));
}

/**
 * Records the texts of one run that went out, in one statement (one commit,
 * one fsync, instead of one per text). Only our own claims are updated: the
 * same id, still sending, this try's count.
 */
async function markSent(db: Db, sent: Array<{ text: ClaimedText; providerId: string }>, now: Date): Promise<void> {
  if (sent.length === 0) return;
  const providerIds = Prisma.join(
    sent.map(({ text, providerId }) => Prisma.sql`WHEN ${text.id} THEN ${providerId}`),
    " ",
  );
  const ours = Prisma.join(
    sent.map(({ text }) => Prisma.sql`("id" = ${text.id} AND "attempts" = ${text.attempts})`),
    " OR ",
  );
  await db.$executeRaw`
    UPDATE "OutboxMessage"
    SET "status" = 'sent', "sentAt" = ${now}, "lastError" = NULL, "providerId" = CASE "id" ${providerIds} END
    WHERE "status" = 'sending' AND (${ours})`;
}

type Outcome = { kind: "sent"; providerId: string } | { kind: "retry"; reason: string } | { kind: "failed"; reason: string };

async function attempt(sender: SmsSender, text: ClaimedText, options: DeliverOptions): Promise<Outcome> {
  // A text whose last claim ran out after its final try: it may have gone, do not try again.
  if (text.attempts > MAX_SEND_ATTEMPTS) return { kind: "failed", reason: "no tries left" };
  if (options.isOptedOut && (await options.isOptedOut(text.to))) return { kind: "failed", reason: "opted out" };
  try {
    const { providerId } = await sender.send({ to: text.to, body: text.body });
    return { kind: "sent", providerId };
  } catch (error) {
    if (error instanceof SmsSendError) return error.permanent ? { kind: "failed", reason: error.reason } : { kind: "retry", reason: error.reason };
    // A bug in a sender: its message might hold anything, so keep only its kind.
    return { kind: "retry", reason: `sender ${error instanceof Error ? error.name : "error"}` };
  }
}

/**
 * Claims up to `limit` due texts, sends each and records what happened: sent
 * (sentAt, providerId), another try later (pending, nextAttemptAt after the
 * backoff), or failed (lastError, free of personal data).
 */
export async function deliverDueTexts(
  db: Db,
  sender: SmsSender,
  now: Date = new Date(),
  limit = 20,
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  const claimed = await claimDueTexts(db, now, limit);
  report.claimed = claimed.length;
  // Texts that went out are recorded together after the run (one statement):
  // a crash before that leaves them "sending" until their claim runs out, and
  // then they are sent again (at least once, never lost).
  const sent: Array<{ text: ClaimedText; providerId: string }> = [];
  try {
    for (const text of claimed) {
      let outcome = await attempt(sender, text, options);
      if (outcome.kind === "retry") {
        const delay = retryDelayMs(Math.min(text.attempts, MAX_SEND_ATTEMPTS));
        if (delay === null) outcome = { kind: "failed", reason: `${outcome.reason}; no tries left` };
        else {
          // Only our own claim is updated: the same id, still sending, this try's count.
          await db.outboxMessage.updateMany({
            where: { id: text.id, status: "sending", attempts: text.attempts },
            data: { status: "pending", nextAttemptAt: new Date(now.getTime() + delay), lastError: outcome.reason },
          });
          report.retrying++;
          continue;
        }
      }
      if (outcome.kind === "sent") {
        sent.push({ text, providerId: outcome.providerId });
        report.sent++;
      } else {
        await db.outboxMessage.updateMany({
          where: { id: text.id, status: "sending", attempts: text.attempts },
          data: { status: "failed", lastError: outcome.reason },
        });
        report.failed++;
        console.warn(`outbox: text ${text.id} not sent after ${text.attempts} tries (${outcome.reason})`);
      }
    }
  } finally {
    await markSent(db, sent, now);
  }
  return report;
}

export interface OutboxWorkerOptions extends DeliverOptions {
  /** pause between runs */
  intervalMs: number;
  /** default: senderFromConfig(config()) */
  sender?: SmsSender;
  /** texts per claim */
  batchSize?: number;
}

export interface OutboxWorker {
  /** No new run starts; resolves when the current run has finished. */
  stop(): Promise<void>;
}

function errorKind(error: unknown): string {
  if (typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string") return (error as { code: string }).code;
  return error instanceof Error ? error.name : "error";
}

/**
 * Delivers due texts now and then every intervalMs after the previous run
 * ends, so runs never overlap. A full batch is followed at once by the next.
 */
export function startOutboxWorker(db: Db, { intervalMs, sender, batchSize = 20, ...deliverOptions }: OutboxWorkerOptions): OutboxWorker {
  const textSender = sender ?? senderFromConfig(config());
  if (textSender.kind === "simulator" && !config().demo) {
    console.warn("outbox: no Twilio settings (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER): texts are recorded but not sent");
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | null = null;

  async function run(): Promise<void> {
    try {
      while (!stopped) {
        const report = await deliverDueTexts(db, textSender, new Date(), batchSize, deliverOptions);
        if (report.claimed < batchSize) break;
      }
    } catch (error) {
      // The database may be briefly busy or gone; the next run tries again.
      console.error(`outbox: delivery run failed (${errorKind(error)})`);
    }
  }

  function tick(): void {
    timer = undefined;
    current = run().finally(() => {
      current = null;
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    });
  }

  timer = setTimeout(tick, 0);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}

export interface TextForPhone {
  id: string;
  body: string;
  language: string;
  status: OutboxStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
}

/** The latest texts to one phone (E.164), oldest first, for the phone simulator. */
export async function textsSentTo(db: Db, phone: string, limit = 50): Promise<TextForPhone[]> {
  const rows = await db.outboxMessage.findMany({
    where: { channel: "sms", to: phone },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, body: true, language: true, status: true, attempts: true, createdAt: true, sentAt: true },
  });
  return rows.reverse().map((row) => ({ ...row, status: row.status as OutboxStatus }));
}
