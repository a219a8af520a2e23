// Text messages between the webhook's acknowledgement and their answer.
// A delivery is two rows written in one transaction: its MessageSid in
// InboundMessage (unique: a repeated delivery finds it and changes nothing;
// kept 30 days) and the message itself in a BotState row under the key
// "sms-in:<ms>:<n>:<sid>", whose order is the order of arrival. Answering a
// message deletes its queue row in the same transaction as the turn's
// writes and replies, so it is answered exactly once even across a crash.
//
// Raw SQL throughout (portable: PostgreSQL has the same INSERT … ON CONFLICT
// DO NOTHING RETURNING): the insert sits on the webhook's hot path, where a
// typed Prisma call would cost several times the CPU (its query compiler).
import { Prisma } from "~/generated/prisma/client";
import { dialect, type Db } from "~/services/db.server";
import { skipLocked } from "~/services/sql-dialect.server";

type Client = Db | Prisma.TransactionClient;

export interface InboundText {
  /** Twilio's MessageSid (or the phone simulator's own id) */
  sid: string;
  /** E.164 */
  from: string;
  body: string;
}

/** A stored text waiting for its answer. */
export interface QueuedText extends InboundText {
  /** its queue row's key (arrival order) */
  key: string;
}

const QUEUE_PREFIX = "sms-in:";
/** The first key after every "sms-in:…" key (";" follows ":"): a range the primary key index serves. */
const QUEUE_END = "sms-in;";

/** A queue key: arrival time, then a counter within the millisecond, then the sid. */
export function inboundQueueKey(receivedAt: Date, sequence: number, sid: string): string {
  return `${QUEUE_PREFIX}${String(receivedAt.getTime()).padStart(15, "0")}:${String(sequence % 1e9).padStart(9, "0")}:${sid}`;
}

export interface InboundDelivery extends InboundText {
  receivedAt: Date;
  /** from inboundQueueKey */
  key: string;
}

/** Batches are one transaction each: a maxWait long enough to queue behind a turn under load. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/**
 * Stores deliveries (distinct sids) in one transaction; returns the sids that
 * were new. A sid seen before (within the 30 days kept) stores nothing.
 */
export async function storeInboundTexts(db: Db, deliveries: InboundDelivery[]): Promise<Set<string>> {
  if (deliveries.length === 0) return new Set();
  return db.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<Array<{ sid: string }>>`
      INSERT INTO "InboundMessage" ("sid", "receivedAt")
      VALUES ${Prisma.join(deliveries.map((d) => Prisma.sql`(${d.sid}, ${d.receivedAt})`))}
      ON CONFLICT ("sid") DO NOTHING
      RETURNING "sid"`;
    const fresh = new Set(inserted.map((row) => row.sid));
    const queued = deliveries.filter((d) => fresh.has(d.sid));
    if (queued.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "BotState" ("key", "value", "updatedAt")
        VALUES ${Prisma.join(queued.map((d) => Prisma.sql`(${d.key}, ${JSON.stringify({ sid: d.sid, from: d.from, body: d.body })}, ${d.receivedAt})`))}`;
    }
    return fresh;
  }, TRANSACTION_OPTIONS);
}

function parseQueued(key: string, value: string): QueuedText | null {
  try {
    const text = JSON.parse(value) as Partial<InboundText>;
    if (typeof text.sid !== "string" || typeof text.from !== "string" || typeof text.body !== "string") return null;
    return { key, sid: text.sid, from: text.from, body: text.body };
  } catch {
    return null;
  }
}

/**
 * The oldest waiting texts, in arrival order. A damaged row comes back with an
 * empty sid (to be dropped). On PostgreSQL, texts another instance's worker is
 * answering at this moment are left out (SKIP LOCKED; the lock is let go as
 * the statement ends), so this worker can answer the texts behind them.
 */
export async function waitingInboundTexts(db: Client, limit: number): Promise<QueuedText[]> {
  const rows = await db.$queryRaw<Array<{ key: string; value: string }>>`
    SELECT "key", "value" FROM "BotState"
    WHERE "key" >= ${QUEUE_PREFIX} AND "key" < ${QUEUE_END}
    ORDER BY "key" LIMIT ${limit}${skipLocked()}`;
  return rows.map((row) => parseQueued(row.key, row.value) ?? { key: row.key, sid: "", from: "", body: "" });
}

/** How many texts wait for an answer. */
export async function countWaitingInboundTexts(db: Client): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: number | bigint }>>`
    SELECT COUNT(*) AS "n" FROM "BotState" WHERE "key" >= ${QUEUE_PREFIX} AND "key" < ${QUEUE_END}`;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Takes texts off the queue; returns the keys this call removed (a key
 * missing was gone already: answered by another worker, which on
 * PostgreSQL this DELETE waits for). Inside the answering transaction this
 * is what marks the texts answered: a rollback puts them back.
 */
export async function takeInboundTexts(tx: Client, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx.$queryRaw<Array<{ key: string }>>`DELETE FROM "BotState" WHERE "key" IN (${Prisma.join(keys)}) RETURNING "key"`;
  return new Set(rows.map((row) => row.key));
}

/**
 * Takes the texts this worker may answer now off the queue, inside the
 * answering transaction; returns the keys taken (the others stay queued).
 *
 * SQLite (one writer): all of them that are still there (takeInboundTexts).
 *
 * PostgreSQL, where another instance's worker may be answering texts at the
 * same moment: the texts are locked first, skipping any another transaction
 * holds (FOR UPDATE SKIP LOCKED), so the two workers answer different texts
 * side by side instead of one waiting for the other. One phone's texts are
 * still answered one at a time and in order: a text is taken only when no
 * earlier text from its phone is still queued outside this transaction's
 * locks (another worker is answering it, or it was skipped here), since its
 * turn must see that earlier turn's dialog state.
 */
export async function claimInboundTexts(tx: Client, texts: QueuedText[]): Promise<Set<string>> {
  if (texts.length === 0) return new Set();
  if (dialect !== "postgresql") return takeInboundTexts(tx, texts.map((t) => t.key));
  const keys = texts.map((t) => t.key);
  const locked = new Set(
    (await tx.$queryRaw<Array<{ key: string }>>`SELECT "key" FROM "BotState" WHERE "key" IN (${Prisma.join(keys)}) ORDER BY "key" FOR UPDATE SKIP LOCKED`).map((row) => row.key),
  );
  if (locked.size === 0) return new Set();
  const last = keys.reduce((a, b) => (a > b ? a : b));
  // Every text still queued up to the last one here; those not locked by this transaction are held elsewhere.
  const queued = await tx.$queryRaw<Array<{ key: string; value: string }>>`
    SELECT "key", "value" FROM "BotState" WHERE "key" >= ${QUEUE_PREFIX} AND "key" <= ${last}`;
  const heldFrom = new Map<string, string>();
  for (const row of queued) {
    if (locked.has(row.key)) continue;
    const from = parseQueued(row.key, row.value)?.from ?? "";
    const earliest = heldFrom.get(from);
    if (earliest === undefined || row.key < earliest) heldFrom.set(from, row.key);
  }
  const free = texts.filter((t) => {
    if (!locked.has(t.key)) return false;
    const held = heldFrom.get(t.from);
    return held === undefined || held > t.key;
  });
  return takeInboundTexts(
    tx,
    free.map((t) => t.key),
  );
}

/** Twilio retries a delivery for hours, not weeks: MessageSids older than this are forgotten. */
export const INBOUND_KEEP_MS = 30 * 24 * 60 * 60_000;

/** Deletes MessageSid records older than INBOUND_KEEP_MS (the periodic sweep); returns how many went. */
export async function purgeInboundMessages(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.inboundMessage.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - INBOUND_KEEP_MS) } } });
  return count;
}
