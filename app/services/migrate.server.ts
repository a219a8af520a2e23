// Applies the committed migrations with Prisma's CLI. The CLI's engines run as
// WebAssembly (prisma.config.ts); the two PRISMA_* variables point at a stub
// file so the CLI skips its engine download check (no internet here).
import { execFileSync } from "node:child_process";
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

/** Brings the database at DATABASE_URL up to the newest migration. */
export function migrateDatabase(databaseUrl: string): void {
  if (databaseUrl.startsWith("file:")) {
    fs.mkdirSync(path.dirname(path.resolve(databaseUrl.slice("file:".length))), { recursive: true });
  }
  runPrismaCli(["migrate", "deploy"], { ...process.env, DATABASE_URL: databaseUrl });
}
