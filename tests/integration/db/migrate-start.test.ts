// A start with nothing to migrate skips Prisma's CLI (seconds of start-up):
// sqliteUpToDate must say "up to date" only when Prisma's own record shows
// every committed migration applied with its checksum, and never otherwise.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateDatabase, sqliteUpToDate } from "~/services/migrate.server";

let dir: string;
let migrated: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-migrate-"));
  migrated = path.join(dir, "migrated.db");
  await migrateDatabase(`file:${migrated}`);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the migrated database with `change` applied to its migration record. */
function copyWith(change: (db: Database.Database) => void): string {
  const file = path.join(dir, `${crypto.randomUUID()}.db`);
  fs.copyFileSync(migrated, file);
  const db = new Database(file);
  change(db);
  db.close();
  return file;
}

const committed = fs.readdirSync(path.resolve("prisma/migrations")).filter((d) => /^\d{14}_/.test(d)).sort();

describe("sqliteUpToDate", () => {
  it("is true for a database migrate deploy brought up to date, and migrating it again changes nothing", async () => {
    expect(await sqliteUpToDate(migrated)).toBe(true);
    const before = new Database(migrated, { readonly: true }).prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get();
    await migrateDatabase(`file:${migrated}`);
    expect(new Database(migrated, { readonly: true }).prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get()).toEqual(before);
  });

  it("is false for a missing file, an empty file and a file that is not a database", async () => {
    expect(await sqliteUpToDate(path.join(dir, "nothing.db"))).toBe(false);
    fs.writeFileSync(path.join(dir, "empty.db"), "");
    expect(await sqliteUpToDate(path.join(dir, "empty.db"))).toBe(false);
    fs.writeFileSync(path.join(dir, "text.db"), "not a database at all, just some text that is long enough");
    expect(await sqliteUpToDate(path.join(dir, "text.db"))).toBe(false);
  });

  it("is false when the newest migration is missing from the record", async () => {
    const file = copyWith((db) => db.prepare(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?`).run(committed.at(-1)));
    expect(await sqliteUpToDate(file)).toBe(false);
  });

  it("is false when a migration's checksum differs (its file changed after it was applied)", async () => {
    const file = copyWith((db) => db.prepare(`UPDATE "_prisma_migrations" SET "checksum" = 'x' WHERE "migration_name" = ?`).run(committed[0]));
    expect(await sqliteUpToDate(file)).toBe(false);
  });

  it("is false when a migration was rolled back or an attempt failed half way", async () => {
    const rolledBack = copyWith((db) => db.prepare(`UPDATE "_prisma_migrations" SET "rolled_back_at" = '2026-01-01' WHERE "migration_name" = ?`).run(committed[0]));
    expect(await sqliteUpToDate(rolledBack)).toBe(false);
    const failed = copyWith((db) =>
      db
        .prepare(`INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ('failed', 'x', '29991231000000_later', '2026-01-01', 0)`)
        .run(),
    );
    expect(await sqliteUpToDate(failed)).toBe(false);
  });

  it("is false for a database with no migration record at all", async () => {
    const file = path.join(dir, "bare.db");
    new Database(file).exec("CREATE TABLE t (x)").close();
    expect(await sqliteUpToDate(file)).toBe(false);
  });
});
