// Botkit's Storage (read/write/delete of JSON items by key) over the BotState
// table, so a dialog in progress survives a restart. Botkit keys state by its
// adapter's channel id ("webhook" and "websocket" for the same web chat,
// "twilio-sms" for texts); they are mapped to "chat" and "sms" so one
// conversation keeps one state whichever way its messages arrive.
//
// Raw SQL (portable: INSERT … ON CONFLICT … DO UPDATE is the same in
// PostgreSQL): every text's turn reads and writes here inside the inbox
// worker's transaction, beside the webhook's acknowledgements, and a typed
// call costs several times the CPU (Prisma's query compiler).
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/services/db.server";

/** The shape botbuilder's Storage interface expects (StoreItems). */
export type StoreItems = Record<string, Record<string, unknown>>;

export interface BotStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

const CHANNEL_ALIASES: Array<[RegExp, string]> = [
  [/^(webhook|websocket)\//, "chat/"],
  [/^twilio-sms\//, "sms/"],
];

export function storageKey(key: string): string {
  for (const [pattern, replacement] of CHANNEL_ALIASES) if (pattern.test(key)) return key.replace(pattern, replacement);
  return key;
}

/** Keys longer than this are refused: they come from channel and user ids. */
const MAX_KEY = 300;

/**
 * `client`: the database, or a function giving the client for a key (Botkit's
 * own key, before the channel aliasing): the transaction of that
 * conversation's turn in progress, when it has one (bot/turn-client.ts).
 */
export function prismaBotStorage(client: Db | ((key: string) => Db)): BotStorage {
  // One call's keys are one conversation's (Botkit reads and writes per turn).
  const dbFor = (keys: string[]): Db => (typeof client === "function" ? client(keys[0] ?? "") : client);
  return {
    async read(keys) {
      const wanted = [...new Set(keys.map(storageKey).filter((k) => k.length <= MAX_KEY))];
      if (wanted.length === 0) return {};
      const rows = await dbFor(keys).$queryRaw<Array<{ key: string; value: string }>>`SELECT "key", "value" FROM "BotState" WHERE "key" IN (${Prisma.join(wanted)})`;
      const byKey = new Map(rows.map((row) => [row.key, row.value]));
      const items: StoreItems = {};
      for (const key of keys) {
        const value = byKey.get(storageKey(key));
        if (value === undefined) continue;
        try {
          items[key] = JSON.parse(value) as Record<string, unknown>;
        } catch {
          // A damaged row reads as absent: the conversation starts again.
        }
      }
      return items;
    },
    async write(changes) {
      const entries = Object.entries(changes).filter(([key]) => storageKey(key).length <= MAX_KEY);
      // eTags are not checked: one process serialises each conversation's turns (bot/turn-lock.ts).
      const db = dbFor(entries.map(([key]) => key));
      const now = new Date();
      for (const [key, item] of entries) {
        const { eTag: _eTag, ...rest } = item;
        const value = JSON.stringify(rest);
        await db.$executeRaw`
          INSERT INTO "BotState" ("key", "value", "updatedAt") VALUES (${storageKey(key)}, ${value}, ${now})
          ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`;
      }
    },
    async delete(keys) {
      const gone = [...new Set(keys.map(storageKey))];
      if (gone.length === 0) return;
      await dbFor(keys).$executeRaw`DELETE FROM "BotState" WHERE "key" IN (${Prisma.join(gone)})`;
    },
  };
}
