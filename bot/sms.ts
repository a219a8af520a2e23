// Text messages in and out. A webhook delivery is made durable first (the
// MessageSid in InboundMessage and the message itself in a BotState row
// "sms-in:<time>:<n>:<sid>", one transaction), acknowledged, and then answered
// by the inbox worker: one message at a time in arrival order (so each
// phone's texts are answered in order), the replies queued in the outbox,
// the row deleted. A crash leaves the row; the worker takes it at the next
// start. A repeated MessageSid finds its InboundMessage row and does nothing.
import type { Db } from "~/services/db.server";
import { queueText } from "~/services/outbox.server";
import type { Bot } from "./controller";

const PREFIX = "sms-in:";
/** A message whose turn fails this many times is dropped (and a warning logged without its content). */
const MAX_TRIES = 3;

export interface InboundText {
  sid: string;
  /** E.164 */
  from: string;
  body: string;
}

interface PendingDelivery {
  text: InboundText;
  now: Date;
  resolve(outcome: "accepted" | "duplicate"): void;
  reject(error: unknown): void;
}

// Group commit: deliveries arriving while one is being written are written
// together in the next transaction. SQLite commits one transaction at a time
// (each waits for the disk), so 32 senders at once cost two or three commits
// instead of 32 in a row.
const queues = new WeakMap<Db, { items: PendingDelivery[]; flushing: boolean }>();
const BATCH_MAX = 200;
let sequence = 0;

/** Stores a delivery for answering; "duplicate" when this MessageSid came before. */
export function acceptInboundText(db: Db, text: InboundText, now: Date = new Date()): Promise<"accepted" | "duplicate"> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(db);
    if (!queue) {
      queue = { items: [], flushing: false };
      queues.set(db, queue);
    }
    queue.items.push({ text, now, resolve, reject });
    if (!queue.flushing) void flush(db, queue);
  });
}

async function flush(db: Db, queue: { items: PendingDelivery[]; flushing: boolean }): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.items.length > 0) {
      const batch = queue.items.splice(0, BATCH_MAX);
      try {
        const outcomes = await storeBatch(db, batch);
        batch.forEach((pending, i) => pending.resolve(outcomes[i]));
      } catch (error) {
        batch.forEach((pending) => pending.reject(error));
      }
    }
  } finally {
    queue.flushing = false;
  }
}

function storeBatch(db: Db, batch: PendingDelivery[]): Promise<Array<"accepted" | "duplicate">> {
  return db.$transaction(async (tx) => {
    const sids = [...new Set(batch.map((p) => p.text.sid))];
    const known = new Set((await tx.inboundMessage.findMany({ where: { sid: { in: sids } }, select: { sid: true } })).map((r) => r.sid));
    const fresh: PendingDelivery[] = [];
    const outcomes = batch.map((pending) => {
      if (known.has(pending.text.sid)) return "duplicate" as const;
      known.add(pending.text.sid);
      fresh.push(pending);
      return "accepted" as const;
    });
    if (fresh.length > 0) {
      await tx.inboundMessage.createMany({ data: fresh.map((p) => ({ sid: p.text.sid, receivedAt: p.now })) });
      // The key orders the inbox by arrival: time, then a counter within the millisecond.
      await tx.botState.createMany({
        data: fresh.map((p) => ({
          key: `${PREFIX}${String(p.now.getTime()).padStart(15, "0")}:${String(sequence++ % 1e9).padStart(9, "0")}:${p.text.sid}`,
          value: JSON.stringify(p.text),
        })),
      });
    }
    return outcomes;
  });
}

/** Runs one text through the dialogs and queues the replies (the same path for a real text and the phone simulator). */
export async function answerText(db: Db, bot: Bot, text: Omit<InboundText, "sid"> & { sid?: string }, after?: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0]) => Promise<unknown>): Promise<string[]> {
  const { replies, language } = await bot.turn({ channel: "sms", address: text.from, text: text.body });
  await db.$transaction(async (tx) => {
    for (const [i, reply] of replies.entries()) {
      await queueText(tx, { to: text.from, body: reply.text, language, dedupeKey: text.sid ? `bot-reply:${text.sid}:${i}` : undefined });
    }
    if (after) await after(tx);
  });
  return replies.map((r) => r.text);
}

// Acknowledgements come first: while webhook requests are being stored the
// worker waits (up to ACK_PRIORITY_MS per message), so a burst of texts is
// acknowledged quickly and answered right after. SQLite takes one writer at a
// time, and a turn's writes would otherwise sit between Twilio and its 200.
const ACK_PRIORITY_MS = 250;
let acksInFlight = 0;

/** Wrap the storing of a delivery (the webhook) so the worker gives way to it. */
export async function whileAcknowledging<T>(work: () => Promise<T>): Promise<T> {
  acksInFlight++;
  try {
    return await work();
  } finally {
    acksInFlight--;
  }
}

async function giveWayToAcks(): Promise<void> {
  const until = Date.now() + ACK_PRIORITY_MS;
  while (acksInFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
}

export interface SmsInbox {
  /** Look for waiting messages now (after a delivery was accepted). */
  kick(): void;
  /** Resolves when nothing is waiting and no turn runs. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function startSmsInbox(db: Db, bot: Bot): SmsInbox {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const failures = new Map<string, number>();

  async function runOnce(): Promise<void> {
    for (;;) {
      const rows = await db.botState.findMany({ where: { key: { startsWith: PREFIX } }, orderBy: { key: "asc" }, take: 20, select: { key: true, value: true } });
      if (rows.length === 0 || stopped) return;
      for (const row of rows) {
        if (stopped) return;
        await giveWayToAcks();
        try {
          const text = JSON.parse(row.value) as InboundText;
          await answerText(db, bot, text, (tx) => tx.botState.deleteMany({ where: { key: row.key } }));
          failures.delete(row.key);
        } catch (error) {
          const tries = (failures.get(row.key) ?? 0) + 1;
          failures.set(row.key, tries);
          console.error(`sms inbox: a text could not be answered (try ${tries}: ${error instanceof Error ? error.name : "error"})`);
          if (tries >= MAX_TRIES) {
            await db.botState.deleteMany({ where: { key: row.key } }).catch(() => undefined);
            failures.delete(row.key);
          } else return;
        }
      }
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => console.error(`sms inbox: run failed (${error instanceof Error ? error.name : "error"})`))
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          kick();
        }
      });
  }

  // Messages accepted before a crash or restart.
  kick();
  return {
    kick,
    async drain() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

let inbox: SmsInbox | null = null;

/** The process's inbox worker (started by startBackground). */
export function setSmsInbox(value: SmsInbox | null): void {
  inbox = value;
}

export function smsInbox(): SmsInbox | null {
  return inbox;
}

/** Twilio retries a delivery for hours, not weeks: MessageSids older than this are forgotten. */
export const INBOUND_KEEP_MS = 30 * 24 * 60 * 60_000;

/** Deletes MessageSid records older than INBOUND_KEEP_MS (the periodic sweep); returns how many went. */
export async function purgeInboundMessages(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.inboundMessage.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - INBOUND_KEEP_MS) } } });
  return count;
}
