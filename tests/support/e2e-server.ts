// End-to-end suite, once per run: build the app, start the real server (the
// same entry point as `npm start`) on a free port with its own throwaway data
// directory, and hand its address to the tests as inject("baseURL").
// With LIFELINE_TEST_POSTGRES_URL (an admin URL of a PostgreSQL server, as for
// the integration project; issue 8) the server runs on a fresh, empty
// PostgreSQL database of its own instead of SQLite: it migrates and seeds it
// at start as `npm start` does, and the database is dropped at the end.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildApp, startServerProcess } from "./app-server";
import { adminQuery, withDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/** Token the server accepts for the staff API during the e2e run. */
export const E2E_STAFF_TOKEN = "e2e-staff-token-0123456789";

const LOG_LINES_KEPT = 200;

export default async function setup(
  project: TestProject
): Promise<() => Promise<void>> {
  buildApp();

  const dataDir = path.resolve(
    "data",
    `e2e-${crypto.randomBytes(6).toString("hex")}`
  );
  const postgres = await createPostgresDatabase();
  const cleanUp = async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  };
  let server;
  try {
    server = await startServerProcess({
      dataDir,
      env: {
        STAFF_API_TOKEN: E2E_STAFF_TOKEN,
        // On PostgreSQL the data directory holds only uploads: the secret is
        // given, so the server does not write one into the repository's ./data.
        ...(postgres ? { DATABASE_URL: postgres.url, SESSION_SECRET: crypto.randomBytes(32).toString("hex") } : {}),
      },
      keepLines: LOG_LINES_KEPT,
      echoStderr: process.env.E2E_SERVER_LOG ? "[e2e server]" : undefined,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  let stopping = false;
  const { child, log } = server;
  child.on("exit", (code, signal) => {
    if (!stopping)
      console.error(
        `e2e: the server stopped unexpectedly (${
          code ?? signal
        }). Its last output:\n${log()}`
      );
  });

  project.provide("baseURL", server.baseURL);

  return async () => {
    stopping = true;
    await server.stop();
    await cleanUp();
  };
}

/** A new empty database on the LIFELINE_TEST_POSTGRES_URL server, or null when the run is on SQLite. */
async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.LIFELINE_TEST_POSTGRES_URL;
  if (!adminUrl) return null;
  const name = `lifeline_e2e_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  console.log(`e2e: the server runs on PostgreSQL (database ${name})`);
  return {
    url: withDatabase(adminUrl, name),
    // FORCE: a connection the stopped server left behind must not keep it.
    drop: async () => void (await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}
