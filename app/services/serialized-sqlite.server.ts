// Prisma's better-sqlite3 adapter runs everything on one connection. It queues
// interactive transactions behind each other, but a query from another request
// runs straight away, so while a transaction is open it lands INSIDE it: it is
// rolled back with it, or not yet durable when the server says "saved". This
// wrapper makes every statement outside a transaction wait until no
// transaction is open, so each acknowledged write is its own committed unit.
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

/** The adapter factory Prisma is given: the stock one, with statements serialized. */
export function serializedSqlite(inner: Factory): Factory {
  const factory: Factory = Object.create(inner);
  factory.connect = async () => serialize(await inner.connect());
  factory.connectToShadowDb = async () => serialize(await inner.connectToShadowDb());
  return factory;
}
