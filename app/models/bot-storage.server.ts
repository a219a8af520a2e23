// Botkit's Storage (read/write/delete of JSON items by key) over the BotState
// table, so a dialog in progress survives a restart. Botkit keys state by its
// adapter's channel id ("webhook" and "websocket" for the same web chat,
// "twilio-sms" for texts); they are mapped to "chat" and "sms" so one
// conversation keeps one state whichever way its messages arrive.
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

export function prismaBotStorage(db: Db): BotStorage {
  return {
    async read(keys) {
      const wanted = keys.map(storageKey).filter((k) => k.length <= MAX_KEY);
      if (wanted.length === 0) return {};
      const rows = await db.botState.findMany({ where: { key: { in: wanted } }, select: { key: true, value: true } });
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
      for (const [key, item] of entries) {
        const { eTag: _eTag, ...rest } = item;
        const value = JSON.stringify(rest);
        await db.botState.upsert({ where: { key: storageKey(key) }, create: { key: storageKey(key), value }, update: { value }, select: { key: true } });
      }
    },
    async delete(keys) {
      await db.botState.deleteMany({ where: { key: { in: keys.map(storageKey) } } });
    },
  };
}
