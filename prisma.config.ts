// Prisma CLI configuration: the schema engine runs as WebAssembly through the
// better-sqlite3 driver adapter, because engine binaries cannot be downloaded here.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// A PostgreSQL DATABASE_URL (issue 8) is for prisma/postgres.config.ts; the SQLite side then uses its default file.
const url = process.env.DATABASE_URL && !/^postgres(ql)?:/i.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : "file:./data/app.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => {
    // SQLite makes the file but not its folder (a fresh clone has no ./data yet).
    if (url.startsWith("file:") && !url.includes(":memory:")) fs.mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
