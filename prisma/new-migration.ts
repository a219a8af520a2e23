// Writes a new migration: the difference between the schema as of the last
// migration (a copy kept beside its migration.sql) and prisma/schema.prisma.
// `prisma migrate dev`, `--from-migrations` and `--from-url` need a shadow
// database or a URL that the WebAssembly engine with a driver adapter does not
// support. Usage: npm run db:migration -- <name>
// It also writes the PostgreSQL side (issue 8, prisma/postgres-schema.ts): the
// derived schema always, and the PostgreSQL migration of the same name when a
// PostgreSQL server is named by DATABASE_URL or LIFELINE_TEST_POSTGRES_URL
// (`migrate diff` for PostgreSQL connects to one); otherwise it prints the
// command that writes it. tests/unit/db/schema-drift.test.ts fails until it exists.
import fs from "node:fs";
import path from "node:path";
import { isPostgresUrl, runPrismaCli } from "../app/services/migrate.server";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresMigrationPlan, postgresMigrationSql, postgresSchemaFrom } from "./postgres-schema";

const SNAPSHOT = "schema.prisma";
const name = (process.argv[2] || "change").replace(/[^a-z0-9_]/gi, "_");
const dir = path.resolve("prisma/migrations");
const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => /^\d/.test(d)).sort() : [];
const last = existing.at(-1);
const snapshot = last ? path.join(dir, last, SNAPSHOT) : null;
if (snapshot && !fs.existsSync(snapshot)) {
  console.error(`${path.relative(process.cwd(), snapshot)} is missing: cannot tell what the last migration left.`);
  process.exit(2);
}
const from = snapshot ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
const sql = runPrismaCli(["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"]);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("No schema change: nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, "migration.sql"), sql);
fs.copyFileSync(path.resolve("prisma/schema.prisma"), path.join(target, SNAPSHOT));
if (!fs.existsSync(path.join(dir, "migration_lock.toml"))) {
  fs.writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"\n');
}
console.log(`Wrote ${path.relative(process.cwd(), target)}/migration.sql`);

// The PostgreSQL side.
fs.writeFileSync(POSTGRES_SCHEMA, postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
console.log(`Wrote ${path.relative(process.cwd(), POSTGRES_SCHEMA)}`);
const server = [process.env.DATABASE_URL, process.env.LIFELINE_TEST_POSTGRES_URL].find((url) => url && isPostgresUrl(url));
const step = postgresMigrationPlan().find((m) => m.name === path.basename(target));
if (!step) {
  console.error("The new migration is not on the PostgreSQL side's plan (prisma/postgres-schema.ts): check POSTGRES_BASELINE.");
  process.exit(1);
}
if (!server) {
  console.log(
    [
      "",
      "The PostgreSQL migration is not written yet: Prisma needs a PostgreSQL server to write it",
      "(nothing is stored there). With any server you can reach, run:",
      "",
      "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx prisma/postgres-schema.ts",
      "",
      "Until then tests/unit/db/schema-drift.test.ts fails.",
    ].join("\n"),
  );
  process.exit(0);
}
// prisma/postgres.config.ts connects to DATABASE_URL.
process.env.DATABASE_URL = server;
const pgTarget = path.join(path.dirname(POSTGRES_SCHEMA), "migrations", step.name);
fs.mkdirSync(pgTarget, { recursive: true });
fs.writeFileSync(path.join(pgTarget, "migration.sql"), postgresMigrationSql(step.name, step.previous));
console.log(`Wrote ${path.relative(process.cwd(), pgTarget)}/migration.sql`);
