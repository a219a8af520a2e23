// Runs before each integration test file: a private copy of the migrated
// template database, so files never see each other's rows.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";

const dir = inject("testDbDir");
const file = path.join(dir, `file-${crypto.randomUUID()}.db`);
fs.copyFileSync(path.join(dir, "template.db"), file);
process.env.DATABASE_URL = `file:${file}`;
process.env.DEMO = "1";
process.env.STAFF_API_TOKEN = "test-staff-token-0123456789";
process.env.SESSION_SECRET = "test-session-secret";
