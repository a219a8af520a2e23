// Writes a new migration: the difference between the schema as of the last
// migration (a copy kept beside its migration.sql) and prisma/schema.prisma.
// `prisma migrate dev`, `--from-migrations` and `--from-url` need a shadow
// database or a URL that the WebAssembly engine with a driver adapter does not
// support. Usage: npm run db:migration -- <name>
import fs from "node:fs";
import path from "node:path";
import { runPrismaCli } from "../app/services/migrate.server";

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
