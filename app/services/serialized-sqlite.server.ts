// Prisma's better-sqlite3 adapter runs everything on one connection. It queues
// interactive transactions behind each other, but a query from another request
// runs straight away, so while a transaction is open it lands INSIDE it: it is
// rolled back with it, or not yet durable when the server says "saved". This
// wrapper makes every statement outside a transaction wait until no
// transaction is open, so each acknowledged write is its own committed unit.
// It also keeps statements prepared between uses (cacheStatements below).
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Tx = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** A FIFO lock: run() waits for everything queued before it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function serialize(inner: Adapter): Adapter {
  const lock = new Lock();
  const adapter: Adapter = Object.create(inner);
  adapter.queryRaw = (query) => lock.run(() => inner.queryRaw(query));
  adapter.executeRaw = (query) => lock.run(() => inner.executeRaw(query));
  adapter.executeScript = (script) => lock.run(() => inner.executeScript(script));
  adapter.startTransaction = async (isolationLevel) => {
    const release = await lock.acquire();
    let tx: Tx;
    try {
      tx = await inner.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        release();
      }
    };
    const wrapped: Tx = Object.create(tx);
    wrapped.commit = () => tx.commit().finally(finish);
    wrapped.rollback = () => tx.rollback().finally(finish);
    return wrapped;
  };
  adapter.dispose = () => inner.dispose();
  return adapter;
}

/** What the stock adapter uses of a better-sqlite3 statement (its performIO/executeIO). */
interface SqliteStatement {
  reader: boolean;
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  columns(): unknown[];
  raw(on?: boolean): SqliteStatement;
}
interface SqliteClient {
  prepare(sql: string): SqliteStatement;
}

/** Distinct statements kept prepared; Prisma's SQL has few shapes, but `IN (?, ?, …)` lists vary. */
export const STATEMENT_CACHE_MAX = 500;

/**
 * The stock adapter prepares every statement anew (parsing and planning the
 * SQL each time: about a twentieth of a submission's CPU). This keeps
 * prepared statements by their SQL text and hands the adapter a look-alike
 * whose bind() does not fix the parameters on the shared statement (a
 * better-sqlite3 statement can be bound only once) but passes them to each
 * run/all. The adapter runs statements to completion at once (run, all), so a
 * cached statement is never busy when it is used again. SQLite re-prepares a
 * statement by itself when the schema changes.
 */
function cacheStatements(adapter: Adapter): void {
  const client = (adapter as unknown as { client?: SqliteClient }).client;
  if (!client || typeof client.prepare !== "function") return;
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, SqliteStatement>();
  client.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_MAX) cache.clear();
      cache.set(sql, statement);
    }
    const shared = statement;
    const bound = (params: unknown[]): SqliteStatement => {
      const view: SqliteStatement = {
        reader: shared.reader,
        run: () => shared.run(...params),
        all: () => shared.all(...params),
        columns: () => shared.columns(),
        raw: (on = true) => {
          shared.raw(on);
          return view;
        },
      };
      return view;
    };
    return Object.assign(bound([]), { bind: (...args: unknown[]) => bound(args.length === 1 && Array.isArray(args[0]) ? args[0] : args) });
  };
}

async function connect(make: () => Promise<Adapter>): Promise<Adapter> {
  const adapter = await make();
  cacheStatements(adapter);
  return serialize(adapter);
}

/** The adapter factory Prisma is given: the stock one, with statements serialized (and kept prepared). */
export function serializedSqlite(inner: Factory): Factory {
  const factory: Factory = Object.create(inner);
  factory.connect = () => connect(() => inner.connect());
  factory.connectToShadowDb = () => connect(() => inner.connectToShadowDb());
  return factory;
}
