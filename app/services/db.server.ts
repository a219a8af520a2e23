// The one Prisma client of the process (Epic Stack pattern). SQLite runs in
// WAL mode with synchronous=FULL, so a write the server has acknowledged is on
// disk before the answer leaves; a busy timeout lets writers queue instead of failing.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { databaseUrl } from "./config.server";
import { serializedSqlite } from "./serialized-sqlite.server";

export type Db = PrismaClient;

const BUSY_TIMEOUT_MS = 5000;

function createClient(url: string): PrismaClient {
  if (url.startsWith("file:")) {
    fs.mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
  }
  const adapter = serializedSqlite(new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS }));
  return new PrismaClient({ adapter });
}

// One client per module instance: the server has one; each test file, its own.
export const db: PrismaClient = createClient(databaseUrl());

let ready: Promise<void> | null = null;

/** Applies the connection settings; called at start before serving (and by tests). */
export function prepareDatabase(): Promise<void> {
  ready ??= (async () => {
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
    await db.$executeRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  })();
  return ready;
}

/** True when the database answers a trivial query (used by /healthz). */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
