// One data model, two databases (issue 8). prisma/schema.prisma (SQLite) is
// the only schema anyone edits; the PostgreSQL schema and its migrations are
// derived from it and its migration snapshots by this module, and a test
// (tests/unit/db/schema-drift.test.ts) fails when the committed PostgreSQL
// files differ from what it derives.
//   npx tsx prisma/postgres-schema.ts        rewrite prisma/postgres/ from the SQLite side
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runPrismaCli } from "../app/services/migrate.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const SQLITE_MIGRATIONS = path.join(root, "prisma", "migrations");
export const POSTGRES_DIR = path.join(root, "prisma", "postgres");
export const POSTGRES_SCHEMA = path.join(POSTGRES_DIR, "schema.prisma");
export const POSTGRES_MIGRATIONS = path.join(POSTGRES_DIR, "migrations");
const SNAPSHOT = "schema.prisma";
export const POSTGRES_CONFIG = path.join(root, "prisma", "postgres.config.ts");

const HEADER = "// GENERATED from prisma/schema.prisma by prisma/postgres-schema.ts: do not edit.\n";

/** The SQLite schema's text with the PostgreSQL provider and its own client output. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  let text = sqliteSchema;
  const swap = (from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`postgres-schema: expected ${from} in prisma/schema.prisma`);
    text = text.replace(from, to);
  };
  swap(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  swap(/output(\s*)=\s*"\.\.\/app\/generated\/prisma"/, 'output$1= "../../app/generated/prisma-pg"');
  return HEADER + text;
}

/** Migration directories (timestamp_name) of the SQLite side, oldest first. */
export function migrationNames(): string[] {
  return fs
    .readdirSync(SQLITE_MIGRATIONS)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
}

/** PostgreSQL SQL taking the database from the state after `previous` (or empty) to the state after `name`. */
export function postgresMigrationSql(name: string, previous: string | null): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-pg-schema-"));
  try {
    const snapshot = (migration: string, file: string) => {
      const target = path.join(tmp, file);
      fs.writeFileSync(target, postgresSchemaFrom(fs.readFileSync(path.join(SQLITE_MIGRATIONS, migration, SNAPSHOT), "utf8")));
      return target;
    };
    const from = previous ? ["--from-schema-datamodel", snapshot(previous, "from.prisma")] : ["--from-empty"];
    return runPrismaCli(["migrate", "diff", "--config", POSTGRES_CONFIG, ...from, "--to-schema-datamodel", snapshot(name, "to.prisma"), "--script"]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL support began when the SQLite side already had this migration:
 * PostgreSQL's history starts with one baseline migration that creates the
 * schema as it stood then, and follows the SQLite side one for one after it.
 */
export const POSTGRES_BASELINE = "20261129052604_issue7_rate_limits";

/** The PostgreSQL migrations, oldest first, each with the SQLite migration whose state it reaches and the one before (null: from empty). */
export function postgresMigrationPlan(): Array<{ name: string; previous: string | null }> {
  const names = migrationNames();
  const start = names.indexOf(POSTGRES_BASELINE);
  if (start < 0) throw new Error(`postgres-schema: the baseline migration ${POSTGRES_BASELINE} is missing from prisma/migrations`);
  return names.slice(start).map((name, i) => ({ name, previous: i === 0 ? null : names[start + i - 1] }));
}

/** Everything prisma/postgres/ should hold, path → text. */
export function derivePostgresFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(POSTGRES_SCHEMA, postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  for (const { name, previous } of postgresMigrationPlan()) {
    files.set(path.join(POSTGRES_MIGRATIONS, name, "migration.sql"), postgresMigrationSql(name, previous));
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, text] of derivePostgresFiles()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(root, file)}`);
  }
}
