// Integration suite, once per run: migrate one template database in a folder
// of this run's own; each test file then copies it (integration-setup.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../app/services/migrate.server";

declare module "vitest" {
  export interface ProvidedContext {
    testDbDir: string;
  }
}

export default function setup(project: TestProject) {
  const dir = path.resolve("data/test", crypto.randomUUID());
  fs.mkdirSync(dir, { recursive: true });
  migrateDatabase(`file:${path.join(dir, "template.db")}`);
  project.provide("testDbDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
