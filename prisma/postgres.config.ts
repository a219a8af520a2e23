// Prisma CLI configuration for the PostgreSQL side (issue 8): the derived
// schema in prisma/postgres/, the schema engine as WebAssembly through the pg
// driver adapter (no engine downloads here); paths are relative to this file.
// client and to write PostgreSQL migrations; `migrate diff` between two schema
// files does not connect, so DATABASE_URL may point nowhere for that.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://127.0.0.1:1/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("postgres", "schema.prisma"),
  migrations: { path: path.join("postgres", "migrations") },
  adapter: async () => new PrismaPg({ connectionString: url }),
});
