// The one Prisma client of the process (Epic Stack pattern), on SQLite (the
// embedded default) or PostgreSQL (issue 8), chosen from DATABASE_URL at start.
// SQLite runs in WAL mode with synchronous=FULL, so a write the server has
// acknowledged is on disk before the answer leaves; a busy timeout lets
// writers queue instead of failing. Both generated clients come from one data
// model (prisma/schema.prisma; the PostgreSQL one is derived by
// prisma/postgres-schema.ts) and have the same typed API, so the rest of the
// code sees one PrismaClient type.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-pg/client";
import { databaseUrl } from "./config.server";
import { serializedSqlite } from "./serialized-sqlite.server";

export type Db = PrismaClient;

/** Which SQL the raw statements must speak (the few places where SQLite and PostgreSQL differ). */
export type Dialect = "sqlite" | "postgresql";

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

const BUSY_TIMEOUT_MS = 5000;
/** Connections per app instance on PostgreSQL (DATABASE_POOL_SIZE); several instances share the server's max_connections. */
const DEFAULT_POOL_SIZE = 10;

/**
 * Run on every connection as it opens, a connection opened again after
 * $disconnect too: with synchronous unset, this SQLite build's default in WAL
 * mode is NORMAL, which can lose the last acknowledged commits in a power cut
 * (tests/integration/crash/).
 */
const CONNECTION_SETTINGS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`, "PRAGMA foreign_keys = ON"];

function withSettings(inner: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const factory: PrismaBetterSQLite3 = Object.create(inner);
  factory.connect = async () => {
    const adapter = await inner.connect();
    await adapter.executeScript(CONNECTION_SETTINGS.join(";\n"));
    return adapter;
  };
  return factory;
}

function createClient(url: string): PrismaClient {
  if (dialectOf(url) === "postgresql") {
    const max = Number(process.env.DATABASE_POOL_SIZE) || DEFAULT_POOL_SIZE;
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
    // The same model compiled for PostgreSQL: the typed API is identical.
    return client as unknown as PrismaClient;
  }
  if (url.startsWith("file:")) {
    fs.mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
  }
  const adapter = serializedSqlite(withSettings(new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS })));
  return new PrismaClient({ adapter });
}

export const dialect: Dialect = dialectOf(databaseUrl());

// One client per module instance: the server has one; each test file, its own.
export const db: PrismaClient = createClient(databaseUrl());

let ready: Promise<void> | null = null;

/** Opens the connection with its settings (CONNECTION_SETTINGS, applied again here); called at start before serving (and by tests). */
export function prepareDatabase(): Promise<void> {
  ready ??= (async () => {
    if (dialect === "postgresql") return;
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

// Ids for rows written with raw SQL on hot paths (typed Prisma makes its own
// cuid()s). The same shape as Prisma's cuid: "c", the time in milliseconds in
// base 36 (8 characters), a 4-character counter, then random characters, 25 in
// all. Rows are ordered by (time, id) in places (a turn's reply texts are sent
// in that order), so ids made in one millisecond must sort in the order they
// were made: the counter starts at "0000" each millisecond and counts up, and
// a clock that steps back keeps the last millisecond. The random part is 12
// hex digits of a random UUID (Node hands those out from a cached batch of
// random bytes, cheaper than a randomBytes call per id). Nothing parses ids;
// they are opaque.
let lastIdMs = 0;
let idSequence = 0;
const ID_SEQUENCE_LIMIT = 36 ** 4;

/**
 * Options for an interactive write transaction. Prisma's defaults (wait 2 s,
 * run 5 s) are too short on SQLite, where one transaction runs at a time and a
 * group-commit batch may hold it for a while: a short wait turns a busy moment
 * into a 500 (P2028). Newer models use this; older ones still carry a copy.
 */
export const WRITE_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;

export function newRowId(now: number = Date.now()): string {
  if (now > lastIdMs) {
    lastIdMs = now;
    idSequence = 0;
  } else if (++idSequence >= ID_SEQUENCE_LIMIT) {
    // 1.7 million ids in one millisecond: borrow the next one.
    lastIdMs++;
    idSequence = 0;
  }
  return `c${lastIdMs.toString(36).padStart(8, "0")}${idSequence.toString(36).padStart(4, "0")}${crypto.randomUUID().slice(24)}`;
}

/**
 * True for a unique-constraint violation, from a typed call (P2002) or a raw
 * statement (P2010, "raw query failed", with the driver adapter's error kind
 * UniqueConstraintViolation: every Prisma driver adapter, SQLite's and
 * PostgreSQL's, maps its database's own code to that kind).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (code === "P2002") return true;
  return code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}
