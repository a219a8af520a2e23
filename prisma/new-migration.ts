// Writes a new migration from the difference between the committed migrations
// and prisma/schema.prisma (`prisma migrate dev` needs a shadow database the
// WebAssembly engine cannot make on SQLite). Usage: npm run db:migration -- name
import fs from "node:fs";
import path from "node:path";
import { runPrismaCli } from "../app/services/migrate.server";

const name = (process.argv[2] || "change").replace(/[^a-z0-9_]/gi, "_");
const dir = path.resolve("prisma/migrations");
const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => /^\d/.test(d)) : [];
const from = existing.length === 0 ? ["--from-empty"] : ["--from-migrations", dir];
const sql = runPrismaCli([
  "migrate", "diff", ...from,
  "--to-schema-datamodel", "prisma/schema.prisma", "--script",
]);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("No schema change: nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, "migration.sql"), sql);
if (!fs.existsSync(path.join(dir, "migration_lock.toml"))) {
  fs.writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"\n');
}
console.log(`Wrote ${path.relative(process.cwd(), target)}/migration.sql`);
