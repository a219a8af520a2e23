// Issue 7 item 1: the connection the app writes through runs SQLite in WAL
// mode with synchronous=FULL (each COMMIT waits for its fsync, so nothing is
// acknowledged before it is on disk), and so does any connection opened again
// later: with synchronous unset, SQLite's WAL default here is NORMAL, which
// can lose the last commits in a power cut. sigkill.test.ts shows what the
// settings buy; this file shows they are in force on the app's own client.
// SQLite only: `npm run test:postgres` leaves tests/integration/crash/ out.
import { expect, it } from "vitest";
import { db, prepareDatabase } from "~/services/db.server";

async function setting(name: string): Promise<string | number> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `PRAGMA ${name}`
  );
  const value = Object.values(rows[0] ?? {})[0];
  return typeof value === "bigint" ? Number(value) : (value as string | number);
}

async function settings() {
  return {
    journal_mode: await setting("journal_mode"),
    synchronous: await setting("synchronous"),
    foreign_keys: await setting("foreign_keys"),
    busy_timeout: await setting("busy_timeout"),
  };
}

const EXPECTED = {
  journal_mode: "wal",
  synchronous: 2,
  foreign_keys: 1,
  busy_timeout: 5000,
};

it("runs the app's connection in WAL mode with synchronous=FULL (2), foreign keys on and a busy timeout", async () => {
  await prepareDatabase();
  expect(await settings()).toEqual(EXPECTED);
});

it("gives a connection opened again after a disconnect the same settings", async () => {
  await prepareDatabase();
  await db.$disconnect();
  // The next query opens a new connection.
  expect(await settings()).toEqual(EXPECTED);
});
