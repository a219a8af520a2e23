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
    fs.mkdirSync(path.dirname(path.resolve(databaseUrl.slice("file:".length))), { recursive: true });
  }
  runPrismaCli(["migrate", "deploy"], { ...process.env, DATABASE_URL: databaseUrl });
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
