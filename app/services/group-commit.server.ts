// Group commit for the writes people wait on (submitting an application).
// With synchronous=FULL every commit waits for the disk (an fsync), and SQLite
// has one writer, so sixteen people submitting at once would wait for sixteen
// fsyncs in a row. Instead, the writes that arrive while a commit is under way
// run together in the next transaction. A write that fails is undone alone and
// only its caller sees the error (the batch is then run again with each write
// in its own SAVEPOINT: see #commit), and each caller is answered only after
// the shared COMMIT, so nothing is acknowledged before it is on disk. A write
// that arrives when nothing is running starts at the end of the event loop's
// current turn, so a quiet server adds no real wait. A write may therefore run more than once (only the run that
// commits counts): `work` must do nothing but database work through `tx`.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "./db.server";

type Work<T> = (tx: Prisma.TransactionClient) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Batches queue behind other transactions on one connection; under load one may wait its turn. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;
/** Keeps one batch's transaction (and the readers waiting behind it) short. */
export const GROUP_COMMIT_MAX_BATCH = 32;

class GroupCommitter {
  readonly #db: Db;
  #queue: Pending[] = [];
  #running = false;
  /** transactions and writes so far (for tests and diagnostics) */
  readonly stats = { transactions: 0, writes: 0 };

  constructor(db: Db) {
    this.#db = db;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        work: work as Work<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.#running) return;
      // Start at the end of this turn of the event loop, not at once: every
      // request the loop has read in this turn then joins the same batch
      // (COMMIT's fsync blocks the loop, so requests pile up behind it and
      // arrive together). A quiet server waits for nothing but the rest of
      // the current turn.
      this.#running = true;
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0)
        await this.#commit(this.#queue.splice(0, GROUP_COMMIT_MAX_BATCH));
    } finally {
      this.#running = false;
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    this.stats.transactions++;
    this.stats.writes += batch.length;
    // First without savepoints (two statements fewer per write): when every
    // write succeeds, as nearly all do, that is the whole story. When one
    // fails, the transaction is rolled back whole (nothing of it was
    // acknowledged) and the batch runs again, each write in its own savepoint,
    // so only the failing write's caller sees the error. A batch of one needs
    // no savepoint at all: its transaction is its unit.
    const values: unknown[] = [];
    let failed: { error: unknown } | null = null;
    try {
      await this.#db.$transaction(async (tx) => {
        for (const item of batch) {
          try {
            values.push(await item.work(tx));
          } catch (error) {
            failed = { error };
            throw error;
          }
        }
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (failed === null) {
        // The transaction itself failed: nothing of the batch is saved, so everyone is told.
        for (const item of batch) item.reject(error);
        return;
      }
      if (batch.length === 1) {
        batch[0].reject((failed as { error: unknown }).error);
        return;
      }
      await this.#commitInSavepoints(batch);
      return;
    }
    for (const [index, item] of batch.entries()) item.resolve(values[index]);
  }

  async #commitInSavepoints(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    this.stats.transactions++;
    try {
      await this.#db.$transaction(async (tx) => {
        for (const [index, item] of batch.entries())
          outcomes.push(
            await inSavepoint(tx, `group_commit_${index}`, item.work)
          );
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      // The transaction itself failed: nothing of the batch is saved, so everyone is told.
      for (const item of batch) item.reject(error);
      return;
    }
    for (const [index, item] of batch.entries()) {
      const outcome = outcomes[index];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  }
}

async function inSavepoint(
  tx: Prisma.TransactionClient,
  name: string,
  work: Work<unknown>
): Promise<Outcome> {
  await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
  try {
    const value = await work(tx);
    await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (error) {
    // Undo this write only (on PostgreSQL this also clears the failed state).
    await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
    await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
    return { ok: false, error };
  }
}

const committers = new WeakMap<Db, GroupCommitter>();

/**
 * Runs `work` in a transaction shared with the other writes waiting at the
 * same moment; resolves with its result once that transaction is committed,
 * or rejects with its own error (its changes undone, the others' kept).
 * `work` must do all its database work through the client it is given.
 */
export function groupCommit<T>(db: Db, work: Work<T>): Promise<T> {
  return committerFor(db).run(work);
}

/** How many transactions carried how many writes on this client so far. */
export function groupCommitStats(db: Db): {
  transactions: number;
  writes: number;
} {
  return { ...committerFor(db).stats };
}

function committerFor(db: Db): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer;
}
