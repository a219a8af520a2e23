// Integration suite, once per run: migrate one template database in a folder
// of this run's own; each test file then copies it (integration-setup.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../app/services/migrate.server";
import { adminQuery, withDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    testDbDir: string;
    testPostgres: { adminUrl: string; template: string; prefix: string } | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = path.resolve("data/test", crypto.randomUUID());
  fs.mkdirSync(dir, { recursive: true });
  project.provide("testDbDir", dir);
  const adminUrl = process.env.LIFELINE_TEST_POSTGRES_URL;
  if (!adminUrl) {
    await migrateDatabase(`file:${path.join(dir, "template.db")}`);
    project.provide("testPostgres", null);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  // PostgreSQL (issue 8): one migrated template database per run; each test
  // file gets its own copy (CREATE DATABASE … TEMPLATE), dropped at the end.
  const prefix = `lifeline_test_${crypto.randomBytes(4).toString("hex")}`;
  const template = `${prefix}_template`;
  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  await migrateDatabase(withDatabase(adminUrl, template));
  project.provide("testPostgres", { adminUrl, template, prefix });
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    const rows = await adminQuery(adminUrl, `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`);
    for (const { datname } of rows) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  };
}
