// Applies the committed migrations with Prisma's CLI. The CLI's engines run as
// WebAssembly (prisma.config.ts); the two PRISMA_* variables point at a stub
// file so the CLI skips its engine download check (no internet here).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function runPrismaCli(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const stub = path.join(root, "prisma", "engine-stub");
  return execFileSync(path.join(root, "node_modules", ".bin", "prisma"), args, {
    cwd: root,
    env: {
      ...env,
      PRISMA_QUERY_ENGINE_LIBRARY: stub,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Brings the database at `databaseUrl` (SQLite file or PostgreSQL) up to the newest migration. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  if (isPostgresUrl(databaseUrl)) {
    await migratePostgres(databaseUrl);
    return;
  }
  if (databaseUrl.startsWith("file:")) {
    const file = path.resolve(databaseUrl.slice("file:".length));
    // Most starts find nothing to do: then the CLI (a few seconds of start-up) is not run.
    if (await sqliteUpToDate(file)) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  runPrismaCli(["migrate", "deploy"], { ...process.env, DATABASE_URL: databaseUrl });
}

/**
 * True when the SQLite file exists and Prisma's own record (`_prisma_migrations`)
 * shows every committed migration applied, finished, not rolled back, with the
 * checksum Prisma gives it (SHA-256 of migration.sql), and no failed attempt.
 * Anything else, or any doubt (a read error), is false: `migrate deploy` runs
 * and decides, as it always did.
 */
export async function sqliteUpToDate(file: string): Promise<boolean> {
  if (!fs.existsSync(file)) return false;
  const dir = path.join(root, "prisma", "migrations");
  const names = fs
    .readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
  const { default: Database } = await import("better-sqlite3");
  let db: InstanceType<typeof Database> | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db
      .prepare(`SELECT "migration_name" AS name, "checksum", "finished_at" AS finished, "rolled_back_at" AS rolledBack FROM "_prisma_migrations"`)
      .all() as Array<{ name: string; checksum: string; finished: string | null; rolledBack: string | null }>;
    if (rows.some((row) => row.finished === null && row.rolledBack === null)) return false;
    const applied = new Map(rows.filter((row) => row.finished !== null && row.rolledBack === null).map((row) => [row.name, row.checksum]));
    return names.every((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return applied.get(name) === createHash("sha256").update(sql).digest("hex");
    });
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** True for postgres:// and postgresql:// URLs (issue 8); anything else is a SQLite file URL. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

// Any fixed number: every instance that starts takes this lock, so migrations run once.
const MIGRATION_LOCK = 7_345_201;

/**
 * PostgreSQL: applies prisma/postgres/migrations (derived from the SQLite ones,
 * see prisma/postgres-schema.ts) that are not yet in "_lifeline_migrations",
 * each in its own transaction, under an advisory lock so that several
 * instances starting together migrate once. Prisma's own `migrate deploy`
 * cannot run against PostgreSQL with the WebAssembly engine used here
 * (../shared/notes/toolchain.md), hence this small runner.
 */
export async function migratePostgres(databaseUrl: string): Promise<string[]> {
  const { default: pg } = await import("pg");
  const dir = path.join(root, "prisma", "postgres", "migrations");
  const names = fs
    .readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "_lifeline_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const done = new Map((await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "_lifeline_migrations"`)).rows.map((r) => [r.name, r.checksum]));
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const before = done.get(name);
      if (before !== undefined) {
        if (before !== checksum) throw new Error(`migration ${name} was changed after it was applied to this database`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(`INSERT INTO "_lifeline_migrations" ("name", "checksum") VALUES ($1, $2)`, [name, checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      applied.push(name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
