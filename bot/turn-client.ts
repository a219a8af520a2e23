// Which database client a turn writes through. A text message's turn runs
// inside ONE transaction with the removal of its queue row and the queueing
// of its replies (bot/sms.ts), so a crash leaves either all of it or none of
// it. Botkit calls the storage with keys only, so the turn's client is
// registered under its conversation for the length of the turn (one turn per
// conversation at a time: bot/turn-lock.ts), and the storage and the dialog
// look it up there. (Not an AsyncLocalStorage: on Node 20 that turns on
// promise hooks, a cost on every promise of every request in the process.)
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/services/db.server";

const clients = new Map<string, Db>();

/**
 * Where Botkit keeps a conversation's state: "<channelId>/conversations/<id>-<user>/"
 * then the namespace (botkit/lib/conversationState.js). Every turn has
 * conversation.id and from.id both set to the address (bot/controller.ts).
 */
export function storagePrefix(channelId: string, address: string): string {
  return `${channelId}/conversations/${address}-${address}/`;
}

/** Runs `work` with `client` as the database client of this conversation's turn. */
export async function withTurnClient<T>(channelId: string, address: string, client: Db, work: () => Promise<T>): Promise<T> {
  const key = storagePrefix(channelId, address);
  clients.set(key, client);
  try {
    return await work();
  } finally {
    if (clients.get(key) === client) clients.delete(key);
  }
}

/** The client of this conversation's turn in progress, or `fallback` (the chat channels: each statement commits alone). */
export function turnClient(fallback: Db, channelId: string | undefined, address: string): Db {
  if (clients.size === 0 || !channelId) return fallback;
  return clients.get(storagePrefix(channelId, address)) ?? fallback;
}

/** The client for one Botkit storage key (its conversation's turn in progress), or `fallback`. */
export function clientForStorageKey(fallback: Db, key: string): Db {
  if (clients.size === 0) return fallback;
  return clients.get(key.slice(0, key.lastIndexOf("/") + 1)) ?? fallback;
}

/**
 * The transaction client, usable where a model expects the root client: a
 * model that opens its own transaction (tracking codes do) runs it inside
 * this one instead. That matters twice: its writes belong to the turn, and
 * a second transaction on the root client would wait for this one to end
 * (one SQLite connection, serialized) while this one waits for it.
 */
export function flattenTransactions(tx: Prisma.TransactionClient): Db {
  const flat: Db = new Proxy(tx as unknown as Db, {
    get(target, property) {
      if (property === "$transaction") {
        return async (work: unknown) => {
          if (typeof work === "function") return (work as (client: Db) => Promise<unknown>)(flat);
          // The array form: the statements in order, in this transaction.
          const results: unknown[] = [];
          for (const statement of work as Array<Promise<unknown>>) results.push(await statement);
          return results;
        };
      }
      return Reflect.get(target, property) as unknown;
    },
  });
  return flat;
}
