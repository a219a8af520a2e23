// Integration suite, once per run: migrate one template database; each
// worker then copies it (tests/support/integration-setup.ts).
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../../app/services/migrate.server";

export const TEST_DB_DIR = path.resolve("data/test");

export default function setup() {
  fs.rmSync(TEST_DB_DIR, { recursive: true, force: true });
  fs.mkdirSync(TEST_DB_DIR, { recursive: true });
  migrateDatabase(`file:${path.join(TEST_DB_DIR, "template.db")}`);
  return () => fs.rmSync(TEST_DB_DIR, { recursive: true, force: true });
}
