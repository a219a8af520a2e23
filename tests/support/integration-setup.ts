// Runs before each integration test file: a private copy of the migrated
// template database, so files never see each other's rows.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { adminQuery, withDatabase } from "./postgres";

const postgres = inject("testPostgres");
if (postgres) {
  const name = `${postgres.prefix}_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(postgres.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${postgres.template}"`);
  process.env.DATABASE_URL = withDatabase(postgres.adminUrl, name);
} else {
  const dir = inject("testDbDir");
  const file = path.join(dir, `file-${crypto.randomUUID()}.db`);
  fs.copyFileSync(path.join(dir, "template.db"), file);
  process.env.DATABASE_URL = `file:${file}`;
}
process.env.DEMO = "1";
process.env.STAFF_API_TOKEN = "test-staff-token-0123456789";
process.env.SESSION_SECRET = "test-session-secret";
