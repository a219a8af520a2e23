// Issue 8: one data model for both databases. prisma/postgres/ is derived from
// prisma/schema.prisma and prisma/migrations by prisma/postgres-schema.ts;
// these tests fail when the committed PostgreSQL files are not what it derives.
// The schema and the list of migrations are checked offline. The SQL of each
// PostgreSQL migration comes from `prisma migrate diff`, which for PostgreSQL
// connects to a server (the WebAssembly schema engine works through the pg
// driver adapter), so that check is added when LIFELINE_TEST_POSTGRES_URL
// names a server (`npm run test:postgres`, and .ci/run).
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  POSTGRES_BASELINE,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA,
  SQLITE_SCHEMA,
  migrationNames,
  postgresMigrationPlan,
  postgresMigrationSql,
  postgresSchemaFrom,
} from "../../../prisma/postgres-schema";

const FIX = "run `DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx prisma/postgres-schema.ts` (any PostgreSQL server you can reach)";

function committedPostgresMigrations(): string[] {
  return fs
    .readdirSync(POSTGRES_MIGRATIONS)
    .filter((d) => fs.statSync(path.join(POSTGRES_MIGRATIONS, d)).isDirectory())
    .sort();
}

describe("PostgreSQL schema and migrations derived from the SQLite ones", () => {
  it("prisma/postgres/schema.prisma is prisma/schema.prisma with the PostgreSQL provider", () => {
    const derived = postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(fs.readFileSync(POSTGRES_SCHEMA, "utf8"), `prisma/postgres/schema.prisma is out of date: ${FIX}`).toBe(derived);
  });

  it("every SQLite migration from the PostgreSQL baseline on has a PostgreSQL migration of the same name, and there is no other", () => {
    const expected = migrationNames().slice(migrationNames().indexOf(POSTGRES_BASELINE));
    expect(expected[0], `the baseline ${POSTGRES_BASELINE} is missing from prisma/migrations`).toBe(POSTGRES_BASELINE);
    expect(committedPostgresMigrations(), `prisma/postgres/migrations does not follow prisma/migrations: ${FIX}`).toEqual(expected);
    for (const name of expected) {
      const file = path.join(POSTGRES_MIGRATIONS, name, "migration.sql");
      expect(fs.existsSync(file), `${path.relative(process.cwd(), file)} is missing: ${FIX}`).toBe(true);
      expect(fs.readFileSync(file, "utf8"), `${name}: the PostgreSQL migration is empty`).toMatch(/\b(CREATE|ALTER|DROP)\b/);
    }
  });

  // The derived SQL can only be computed with a server to talk to (see header).
  const server = process.env.LIFELINE_TEST_POSTGRES_URL;
  if (server) {
    const savedUrl = process.env.DATABASE_URL;
    afterEach(() => {
      if (savedUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = savedUrl;
    });

    const plan = postgresMigrationPlan();
    it.each(plan)("PostgreSQL migration $name is what `migrate diff` derives from the SQLite snapshots", ({ name, previous }) => {
      // prisma/postgres.config.ts connects to DATABASE_URL; diffing two schema files changes nothing there.
      process.env.DATABASE_URL = server;
      const committed = fs.readFileSync(path.join(POSTGRES_MIGRATIONS, name, "migration.sql"), "utf8");
      expect(committed, `prisma/postgres/migrations/${name}/migration.sql is out of date: ${FIX}`).toBe(postgresMigrationSql(name, previous));
    }, 120_000);
  }
});
