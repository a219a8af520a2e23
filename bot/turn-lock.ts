// One turn at a time per conversation: two messages from one person (a double
// tap, two texts in a row) must not read and write the dialog state over each
// other. Different conversations run in parallel.
//
// In this process the turns of a conversation queue behind each other. With
// several instances on PostgreSQL (issue 8) two of them could still take
// turns of one conversation at once (the plain-form chat posts through the
// load balancer), so there the holder also takes PostgreSQL advisory locks on
// the conversations, in sorted order, on one connection of a small pool of its
// own. One connection per holder and no holder ever asking for a second means
// the pool cannot deadlock; a process that dies drops its connection and with
// it its locks. On SQLite (one instance) the process queue is all there is.
import type pg from "pg";
import { databaseUrl } from "~/services/config.server";
import { dialect } from "~/services/db.server";

const tails = new Map<string, Promise<unknown>>();

/** The advisory locks' class (the first of the two int4 keys), apart from other locks of the app. */
export const TURN_LOCK_CLASS = 8_201_147;
/** Turns of different conversations that one instance runs at the same moment on PostgreSQL. */
const LOCK_CONNECTIONS = 8;

export interface ConversationLocker {
  /** Runs `work` holding the advisory locks of these conversations (sorted, once each). */
  hold<T>(keys: string[], work: () => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** Advisory locks on conversations through a pool of its own on `url` (tests make two to stand for two instances). */
export async function postgresConversationLocker(url: string, connections = LOCK_CONNECTIONS): Promise<ConversationLocker> {
  const { default: Pg } = await import("pg");
  const pool: pg.Pool = new Pg.Pool({ connectionString: url, max: connections, allowExitOnIdle: true });
  // An idle connection the server dropped must not bring the process down.
  pool.on("error", () => undefined);
  return {
    async hold(keys, work) {
      const sorted = [...new Set(keys)].sort();
      const client = await pool.connect();
      let healthy = true;
      try {
        for (const key of sorted) await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [TURN_LOCK_CLASS, key]);
        return await work();
      } finally {
        try {
          await client.query("SELECT pg_advisory_unlock_all()");
        } catch {
          healthy = false;
        }
        // A connection whose locks could not be let go is closed, which lets them go.
        client.release(!healthy);
      }
    },
    end: () => pool.end(),
  };
}

let locker: Promise<ConversationLocker> | null = null;
function databaseLocker(): Promise<ConversationLocker> | null {
  if (dialect !== "postgresql") return null;
  locker ??= postgresConversationLocker(databaseUrl());
  return locker;
}

function queued<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

/** Holds the locks of several conversations (each once, in one order, so two holders never wait on each other). */
export function withTurnLocks<T>(keys: string[], work: () => Promise<T>): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const database = databaseLocker();
  const inner = database ? () => database.then((d) => d.hold(sorted, work)) : work;
  const hold = (i: number): Promise<T> => (i === sorted.length ? inner() : queued(sorted[i], () => hold(i + 1)));
  return hold(0);
}

export function withTurnLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  return withTurnLocks([key], work);
}
