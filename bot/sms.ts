// Text messages in and out. The webhook only makes a delivery durable
// (app/models/inbound-message.server.ts: its MessageSid and the message, one
// transaction shared with the other deliveries arriving meanwhile, so many
// acknowledgements share one disk flush) and acknowledges it. The inbox
// worker then answers the stored texts one after another in arrival order (so
// one phone's texts are never answered out of order or at once), in small
// batches, each ONE transaction: the queue rows' removal, the whole turns
// (dialog state, transcript, call-backs…) and the replies into the outbox. A
// crash after the acknowledgement leaves the rows, and the worker answers them
// at the next start; a crash mid-turn leaves nothing of the batch. The worker
// is woken by new arrivals (no polling) and gives way to the event loop after
// every batch (one turn while texts are arriving), so an acknowledgement waits
// behind one turn at most, never behind a backlog of turns.
//
// Several instances (issue 8): every instance runs this worker on the one
// database. On PostgreSQL a worker reads and takes only texts no other
// worker holds (SKIP LOCKED), and never a text whose phone has an earlier
// text still queued elsewhere (claimInboundTexts), so the workers answer
// different phones side by side and each text once. On SQLite the removal of
// the queue rows decides: a text another process answered is simply gone.
//
// Too many texts from one phone (app/services/abuse-limits.server.ts): the
// worker still takes each text off the queue (it is handled: its MessageSid
// stays against repeats), but does not run it through the dialog; the first
// text over the limit in a window gets ONE "too many texts" reply through
// the outbox (not to a phone that sent STOP), the rest none. STOP and START
// are always run through the dialog. The webhook is not involved: Twilio
// gets its 200 for every signed text whatever the count.
import crypto from "node:crypto";
import { detectKeyword } from "~/domain/bot";
import {
  claimInboundTexts,
  inboundQueueKey,
  storeInboundTexts,
  takeInboundTexts,
  waitingInboundTexts,
  type InboundDelivery,
  type InboundText,
  type QueuedText,
} from "~/models/inbound-message.server";
import type { Prisma } from "~/generated/prisma/client";
import { findConversation } from "~/models/conversation.server";
import { isOptedOut } from "~/models/opt-out.server";
import { firstOverTextLimit, limitText, waitText } from "~/services/abuse-limits.server";
import type { Db } from "~/services/db.server";
import { queueText } from "~/services/outbox.server";
import { answerFollowUpText } from "~/services/follow-up.server";
import type { Bot } from "./controller";
import { renderReply } from "./render";
import { flattenTransactions } from "./turn-client";
import { withTurnLocks } from "./turn-lock";

export type { InboundText } from "~/models/inbound-message.server";
export {
  INBOUND_KEEP_MS,
  purgeInboundMessages,
} from "~/models/inbound-message.server";

// ---------------------------------------------------------------------------
// Acknowledging: group commit of the deliveries.

interface PendingDelivery {
  delivery: InboundDelivery;
  resolve(outcome: "accepted" | "duplicate"): void;
  reject(error: unknown): void;
}

interface DeliveryQueue {
  items: PendingDelivery[];
  flushing: boolean;
  scheduled: boolean;
}

// Group commit. better-sqlite3 writes synchronously, so while one commit
// waits for the disk no request is even read; and a commit started from the
// first request of a burst would run (all promise callbacks) before the next
// request's handler. So the write is put off with setImmediate: it runs
// after the event loop has read every request that is waiting, and all of
// them share one transaction and one disk flush. Writes that arrive during a
// commit go together in the next one.
const queues = new WeakMap<Db, DeliveryQueue>();
const BATCH_MAX = 200;
/** Transactions and deliveries stored so far in this process (tests, diagnostics). */
export const inboundStoreStats = { transactions: 0, deliveries: 0 };
let sequence = 0;
/** When the webhook last stored a text (the worker takes smaller bites while texts are arriving). */
let lastArrivalAt = 0;

/** Stores a delivery for answering; "duplicate" when this MessageSid came before. Resolves once it is on disk. */
export function acceptInboundText(
  db: Db,
  text: InboundText,
  now: Date = new Date()
): Promise<"accepted" | "duplicate"> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(db);
    if (!queue) {
      queue = { items: [], flushing: false, scheduled: false };
      queues.set(db, queue);
    }
    lastArrivalAt = now.getTime();
    const delivery = {
      ...text,
      receivedAt: now,
      key: inboundQueueKey(now, sequence++, text.sid),
    };
    queue.items.push({ delivery, resolve, reject });
    scheduleFlush(db, queue);
  });
}

function scheduleFlush(db: Db, queue: DeliveryQueue): void {
  if (queue.flushing || queue.scheduled || queue.items.length === 0) return;
  queue.scheduled = true;
  setImmediate(() => {
    queue.scheduled = false;
    void flush(db, queue);
  });
}

async function flush(db: Db, queue: DeliveryQueue): Promise<void> {
  queue.flushing = true;
  const batch = queue.items.splice(0, BATCH_MAX);
  try {
    // The same sid twice in one batch (a hasty retry): stored once, the later one a duplicate.
    const first = new Map<string, PendingDelivery>();
    for (const pending of batch)
      if (!first.has(pending.delivery.sid))
        first.set(pending.delivery.sid, pending);
    const fresh = await storeInboundTexts(
      db,
      [...first.values()].map((p) => p.delivery)
    );
    inboundStoreStats.transactions++;
    inboundStoreStats.deliveries += batch.length;
    for (const pending of batch)
      pending.resolve(
        first.get(pending.delivery.sid) === pending &&
          fresh.has(pending.delivery.sid)
          ? "accepted"
          : "duplicate"
      );
  } catch (error) {
    for (const pending of batch) pending.reject(error);
  } finally {
    queue.flushing = false;
    scheduleFlush(db, queue);
  }
}

// ---------------------------------------------------------------------------
// Answering: the inbox worker.

/** A text whose turn fails this many times is dropped (a warning is logged, without its content). */
const MAX_TRIES = 3;
/** Wait before trying a failed text again (times the tries so far). */
const RETRY_DELAY_MS = 500;
/**
 * Texts per transaction: while texts are arriving, one (an acknowledgement
 * never waits behind more than one turn); when the webhook is quiet, more
 * (fewer commits, a faster drain).
 */
const BUSY_BATCH = 1;
const QUIET_BATCH = 8;
/** Wait before looking again when another instance holds every text read (PostgreSQL). */
const HELD_RETRY_MS = 50;
/** "Texts are arriving": one was stored within this long. */
const ARRIVING_WITHIN_MS = 100;
/** A batch of turns: long enough to queue behind the webhook's batches under load. */
const TURN_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;

export interface SmsInbox {
  /** Look for waiting texts now (after a delivery was stored). */
  kick(): void;
  /** Resolves when no text waits, no turn runs and no retry is due. */
  drain(): Promise<void>;
  /** No new turn starts; resolves when the current one has ended. */
  stop(): Promise<void>;
  /** The replies to one text once it is answered; null if it is not answered within timeoutMs (or is dropped). */
  answered(sid: string, timeoutMs: number): Promise<string[] | null>;
  /** texts answered and dropped by this worker, and transactions used, so far */
  readonly stats: { answered: number; dropped: number; transactions: number };
}

/** A turn that failed (text: the one to blame, counted towards dropping it) or a transaction that did (text: null). */
interface Failure {
  text: QueuedText | null;
  error: unknown;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const arriving = () => Date.now() - lastArrivalAt < ARRIVING_WITHIN_MS;

export function startSmsInbox(db: Db, bot: Bot): SmsInbox {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let retry: {
    timer: NodeJS.Timeout;
    done: Promise<void>;
    fire(): void;
  } | null = null;
  const failures = new Map<string, number>();
  /** How many texts the last batch took (0: all were answered or held elsewhere). */
  let lastTaken = 0;
  const waiters = new Map<string, Array<(replies: string[] | null) => void>>();
  const stats = { answered: 0, dropped: 0, transactions: 0 };

  function settle(sid: string, replies: string[] | null): void {
    const waiting = waiters.get(sid);
    if (!waiting) return;
    waiters.delete(sid);
    for (const resolve of waiting) resolve(replies);
  }

  /** One text inside the batch's transaction: its turn and its replies. */
  async function answer(
    tx: Prisma.TransactionClient,
    text: QueuedText
  ): Promise<string[]> {
    const client = flattenTransactions(tx);
    const verdict = await limitText(text.from, { db: client });
    const keyword = detectKeyword(text.body);
    if (!verdict.ok && keyword !== "stop" && keyword !== "start") {
      if (!firstOverTextLimit(verdict) || (await isOptedOut(tx, text.from)))
        return [];
      const language =
        (await findConversation(client, "sms", text.from))?.language ??
        "zh-CN";
      const body = renderReply(
        { key: "rateLimit.sms", params: { wait: waitText(language, verdict) } },
        language
      ).text;
      await queueText(tx, {
        to: text.from,
        body,
        language,
        dedupeKey: `bot-reply:${text.sid}:0`,
      });
      return [body];
    }
    // Issue 9: while a follow-up question is open for this phone, its digit answers it first.
    const followUp = await answerFollowUpText(client, text.from, text.body);
    if (followUp) {
      for (const [i, body] of followUp.replies.entries())
        await queueText(tx, { to: text.from, body, language: followUp.language, dedupeKey: `bot-reply:${text.sid}:${i}` });
      return followUp.replies;
    }
    const { replies, language } = await bot.turn(
      { channel: "sms", address: text.from, text: text.body },
      { db: client, lock: false }
    );
    for (const [i, reply] of replies.entries()) {
      await queueText(tx, {
        to: text.from,
        body: reply.text,
        language,
        dedupeKey: `bot-reply:${text.sid}:${i}`,
      });
    }
    return replies.map((r) => r.text);
  }

  /**
   * Answers texts from the front of the queue in ONE transaction: takes them
   * off the queue (one statement), runs their turns in order and queues the
   * replies. If a turn fails, the whole transaction is rolled back (every
   * text back in the queue) and the texts before the failed one are answered
   * again in a new one; the failed one and those after it wait (one phone's
   * texts stay in order). Returns the failure, if any.
   */
  async function answerBatch(texts: QueuedText[]): Promise<Failure | null> {
    const done: Array<{ text: QueuedText; replies: string[] }> = [];
    let failedAt = -1;
    let cause: unknown = null;
    // Thrown to roll the transaction back when a turn failed (its own error is kept in `cause`).
    const turnFailed = new Error("a turn failed");
    try {
      // The conversations' locks first, then the transaction: never the other way round.
      await withTurnLocks(
        texts.map((t) => `sms:${t.from}`),
        () =>
          db.$transaction(async (tx) => {
            // Taken off the queue: those still there and (PostgreSQL) not
            // held by another instance's worker, each phone's in order.
            const taken = await claimInboundTexts(tx, texts);
            lastTaken = taken.size;
            for (const [i, text] of texts.entries()) {
              if (!taken.has(text.key)) continue; // answered already, or another worker is on it or its phone
              try {
                done.push({ text, replies: await answer(tx, text) });
              } catch (error) {
                failedAt = i;
                cause = error;
                throw turnFailed;
              }
            }
          }, TURN_TRANSACTION)
      );
    } catch (error) {
      done.length = 0;
      // The transaction itself failed (the database, not a text): try again later, no text to blame.
      if (error !== turnFailed) return { text: null, error };
      // The texts before the failed one did nothing wrong: answer them now.
      const before =
        failedAt > 0 ? await answerBatch(texts.slice(0, failedAt)) : null;
      return before ?? { text: texts[failedAt], error: cause };
    }
    stats.transactions++;
    for (const { text, replies } of done) {
      failures.delete(text.key);
      stats.answered++;
      settle(text.sid, replies);
    }
    return null;
  }

  async function drop(text: QueuedText, why: string): Promise<void> {
    console.error(`sms inbox: a text was dropped (${why})`);
    await takeInboundTexts(db, [text.key]).catch(() => null);
    failures.delete(text.key);
    stats.dropped++;
    settle(text.sid, null);
  }

  /** After a failure: false stops this run (a retry is scheduled). */
  async function failedOnce({ text, error }: Failure): Promise<boolean> {
    const kind = error instanceof Error ? error.name : "error";
    if (!text) {
      console.error(`sms inbox: a batch could not be saved (${kind})`);
      scheduleRetry(RETRY_DELAY_MS * 4);
      return false;
    }
    const tries = (failures.get(text.key) ?? 0) + 1;
    failures.set(text.key, tries);
    if (tries >= MAX_TRIES) {
      await drop(text, `${tries} tries, ${kind}`);
      return true;
    }
    console.error(
      `sms inbox: a text could not be answered (try ${tries}: ${kind})`
    );
    scheduleRetry(RETRY_DELAY_MS * tries);
    return false;
  }

  function scheduleRetry(ms: number): void {
    if (retry || stopped) return;
    let fire!: () => void;
    const done = new Promise<void>((resolve) => (fire = resolve));
    const timer = setTimeout(() => {
      retry = null;
      fire();
      kick();
    }, ms);
    timer.unref();
    retry = { timer, done, fire };
  }

  async function run(): Promise<void> {
    while (!stopped) {
      const texts = await waitingInboundTexts(
        db,
        arriving() ? BUSY_BATCH : QUIET_BATCH
      );
      if (texts.length === 0) return;
      const unreadable = texts.findIndex((t) => t.sid === "");
      if (unreadable === 0) {
        await drop(texts[0], "unreadable row");
        continue;
      }
      const failed = await answerBatch(
        unreadable > 0 ? texts.slice(0, unreadable) : texts
      );
      if (failed && !(await failedOnce(failed))) return;
      if (!failed && lastTaken === 0) {
        // Every text read is being answered by another instance (or waits
        // behind one of its phone's texts that is): look again shortly
        // instead of reading the same texts again at once.
        scheduleRetry(HELD_RETRY_MS);
        return;
      }
      // Let waiting requests (acknowledgements) in between two batches: an
      // acknowledgement waits behind one turn at most (BUSY_BATCH), and the
      // worker never idles while texts wait, so a steady stream well below
      // the machine's capacity is answered as it comes, not after it stops.
      await nextTick();
    }
  }

  function kick(): void {
    if (stopped || retry) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = run()
      .catch((error: unknown) => {
        console.error(
          `sms inbox: run failed (${
            error instanceof Error ? error.name : "error"
          })`
        );
        scheduleRetry(RETRY_DELAY_MS);
      })
      .finally(() => {
        running = null;
        if (again) kick();
      });
  }

  // Texts stored before a crash or restart.
  kick();
  return {
    kick,
    stats,
    async drain() {
      kick();
      for (;;) {
        if (running) await running;
        else if (retry) await retry.done;
        else return;
      }
    },
    async stop() {
      stopped = true;
      if (retry) {
        clearTimeout(retry.timer);
        retry.fire();
        retry = null;
      }
      await running;
      for (const sid of [...waiters.keys()]) settle(sid, null);
    },
    answered(sid, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const list = waiters.get(sid)?.filter((w) => w !== done);
          if (list && list.length > 0) waiters.set(sid, list);
          else waiters.delete(sid);
          resolve(null);
        }, timeoutMs);
        const done = (replies: string[] | null) => {
          clearTimeout(timer);
          resolve(replies);
        };
        waiters.set(sid, [...(waiters.get(sid) ?? []), done]);
      });
    },
  };
}

// ---------------------------------------------------------------------------
// The process's worker.

let inbox: SmsInbox | null = null;

/** The process's inbox worker (started by startBackground). */
export function setSmsInbox(value: SmsInbox | null): void {
  inbox = value;
}

export function smsInbox(): SmsInbox | null {
  return inbox;
}

/** The process's worker, started here if nothing started one (tests and scripts without startBackground). */
export function ensureSmsInbox(db: Db, bot: Bot): SmsInbox {
  inbox ??= startSmsInbox(db, bot);
  return inbox;
}

/** Waits until every stored text has been answered (tests). */
export async function drainInbound(): Promise<void> {
  await inbox?.drain();
}

/** How long the phone simulator waits for its text's answer before it stops waiting (the answer still comes). */
export const SIMULATOR_WAIT_MS = 15_000;

/**
 * A text from a simulated phone (/dev/sms, demo mode), through the same queue,
 * worker, dialogs and outbox as a real one. Resolves with the replies, or null
 * if the worker has not answered within SIMULATOR_WAIT_MS.
 */
export async function simulateText(
  db: Db,
  worker: SmsInbox,
  { from, body }: { from: string; body: string }
): Promise<string[] | null> {
  const sid = `SIM${crypto.randomUUID().replaceAll("-", "")}`;
  const answered = worker.answered(sid, SIMULATOR_WAIT_MS);
  await acceptInboundText(db, { sid, from, body });
  worker.kick();
  return answered;
}
