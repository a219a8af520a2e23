// Outreach leads (one per household and data date) in the database: the bulk
// import behind `npm run outreach -- --import`, on SQLite or PostgreSQL. A lead already stored for the
// same household and date is left as it is (a caseworker may be working on
// it), so importing the same file twice adds nothing. Also the screening
// opt-outs (ScreeningOptOut) the screening leaves out.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { LeadRecord } from "~/domain/outreach";
import { optOutExcluder, screeningOptOutHash, screeningOptOutKey } from "~/domain/outreach/opt-out";
import { config } from "~/services/config.server";
import { dialectOf, type Db } from "~/services/db.server";

export interface ImportResult {
  /** leads written now */
  created: number;
  /** leads that were already stored for that household and date (or repeated in the input) */
  existing: number;
}

const COLUMNS = ["id", "householdId", "dataDate", "flags", "flagCount", "perCapitaIncomeFen", "members", "reasons", "household", "people", "status", "createdAt", "updatedAt"] as const;
/** Leads per transaction: the server's writers wait at most one batch (busy timeout 5 s). */
const BATCH = 2000;
const BUSY_TIMEOUT_MS = 5000;
/** Leads per INSERT on PostgreSQL (one statement of 11 array parameters, whatever the count). */
const PG_BATCH = 2000;

/**
 * Stores the leads that are not there yet; safe to run again with the same
 * leads, and next to the running server or another import (INSERT … ON
 * CONFLICT DO NOTHING on the (householdId, dataDate) key). The database is
 * the one at `databaseUrl`: a SQLite file or PostgreSQL (issue 8).
 *
 * Written on a connection of its own, not through the Prisma client:
 * measured here for 100,000 leads, Prisma's createMany took minutes (about
 * 500 leads/s, 1.7 GB of memory) and a multi-row raw INSERT through the
 * client 46 s and 1.8 GB, against the 30 s target. SQLite: better-sqlite3, a
 * prepared statement in batched transactions (seconds; it runs synchronously,
 * the promise is settled when it returns). PostgreSQL: the pg driver, one
 * INSERT … SELECT FROM unnest(arrays) per 2,000 leads. The row is written
 * exactly as Prisma writes it, so the Prisma model reads these leads like any
 * other.
 */
export function importOutreachLeads(databaseUrl: string, leads: Iterable<LeadRecord>): Promise<ImportResult> {
  if (dialectOf(databaseUrl) === "postgresql") return importIntoPostgres(databaseUrl, leads);
  try {
    return Promise.resolve(importIntoSqlite(databaseUrl, leads));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function importIntoSqlite(databaseUrl: string, leads: Iterable<LeadRecord>): ImportResult {
  const file = sqliteFileOf(databaseUrl);
  if (file === null) throw new Error("Outreach import needs a SQLite (file:…) or PostgreSQL DATABASE_URL");
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const insert = sqlite.prepare(
      `INSERT INTO "OutreachLead" (${COLUMNS.map((c) => `"${c}"`).join(",")}) VALUES (${COLUMNS.map(() => "?").join(",")}) ON CONFLICT ("householdId", "dataDate") DO NOTHING`,
    );
    let created = 0;
    let total = 0;
    const write = sqlite.transaction((batch: LeadRecord[]) => {
      const now = new Date().toISOString().replace("Z", "+00:00");
      for (const l of batch) {
        created += insert.run(`ol_${randomUUID()}`, l.householdId, l.dataDate, l.flags, l.flagCount, l.perCapitaIncomeFen, l.members, l.reasons, l.household, l.people, "new", now, now).changes;
      }
    });
    let batch: LeadRecord[] = [];
    for (const lead of leads) {
      batch.push(lead);
      if (batch.length >= BATCH) {
        write.immediate(batch);
        total += batch.length;
        batch = [];
      }
    }
    if (batch.length) {
      write.immediate(batch);
      total += batch.length;
    }
    return { created, existing: total - created };
  } finally {
    sqlite.close();
  }
}

/**
 * PostgreSQL: the columns go as one array each (11 parameters per statement,
 * far from the 65,535 limit however many leads), each statement commits on
 * its own. The time goes as ISO text into TIMESTAMP(3): PostgreSQL drops the
 * "Z" for a column without time zone, leaving the UTC time Prisma stores, in
 * any session time zone (a JavaScript Date would be sent in local time).
 * Repeats within one statement are skipped like those already stored.
 */
const PG_INSERT = `INSERT INTO "OutreachLead" (${COLUMNS.map((c) => `"${c}"`).join(",")})
  SELECT u.*, 'new', $11::timestamp(3), $11::timestamp(3)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[]) AS u
  ON CONFLICT ("householdId", "dataDate") DO NOTHING`;

async function importIntoPostgres(databaseUrl: string, leads: Iterable<LeadRecord>): Promise<ImportResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let created = 0;
    let total = 0;
    let batch: LeadRecord[] = [];
    const flush = async () => {
      const now = new Date().toISOString();
      const column = <K extends keyof LeadRecord>(key: K) => batch.map((l) => l[key]);
      const result = await client.query(PG_INSERT, [
        batch.map(() => `ol_${randomUUID()}`),
        column("householdId"),
        column("dataDate"),
        column("flags"),
        column("flagCount"),
        column("perCapitaIncomeFen"),
        column("members"),
        column("reasons"),
        column("household"),
        column("people"),
        now,
      ]);
      created += result.rowCount ?? 0;
      total += batch.length;
      batch = [];
    };
    for (const lead of leads) {
      batch.push(lead);
      if (batch.length >= PG_BATCH) await flush();
    }
    if (batch.length) await flush();
    return { created, existing: total - created };
  } finally {
    await client.end();
  }
}

/** How many leads are stored for a data date (for summaries and tests). */
export function countOutreachLeads(db: Db, dataDate?: string): Promise<number> {
  return db.outreachLead.count({ where: dataDate ? { dataDate } : {} });
}

/**
 * The key of opt-out hashes for this installation: derived from the session
 * secret with a fixed label (see ~/domain/outreach/opt-out for why), so the
 * portal that records opt-outs and the CLI that screens agree.
 */
export function screeningOptOutSecret(): string {
  return screeningOptOutKey(config().sessionSecret);
}

/** ScreeningOptOut.idHash for an ID number (the caller validated it). */
export function screeningOptOutHashFor(idNumber: string): string {
  return screeningOptOutHash(idNumber, screeningOptOutSecret());
}

/** The SQLite file of a `file:` DATABASE_URL, or null for any other URL. */
export function sqliteFileOf(databaseUrl: string): string | null {
  return databaseUrl.startsWith("file:") ? path.resolve(databaseUrl.slice("file:".length)) : null;
}

/**
 * Every stored opt-out hash (ScreeningOptOut.idHash). With the Prisma client
 * it asks the database (console uploads). With a DATABASE_URL it reads on a
 * connection of its own (the CLI, next to the running server): see
 * readScreeningOptOutsAt; no database there means none.
 */
export function loadScreeningOptOuts(databaseUrl: string): Promise<Set<string>>;
export function loadScreeningOptOuts(db: Db): Promise<Set<string>>;
export async function loadScreeningOptOuts(source: string | Db): Promise<Set<string>> {
  if (typeof source !== "string") {
    const rows = await source.screeningOptOut.findMany({ select: { idHash: true } });
    return new Set(rows.map((r) => r.idHash));
  }
  return (await readScreeningOptOutsAt(source)) ?? new Set();
}

/**
 * The opt-out hashes of the database at `databaseUrl`, or null when there is
 * no database there (a SQLite file that does not exist, a PostgreSQL database
 * that was never created): no portal has recorded any. A database that
 * predates the ScreeningOptOut table has none. SQLite is read read-only;
 * anything else that goes wrong (a server that does not answer) throws.
 */
export async function readScreeningOptOutsAt(databaseUrl: string): Promise<Set<string> | null> {
  if (dialectOf(databaseUrl) === "postgresql") return readPostgresOptOuts(databaseUrl);
  const file = sqliteFileOf(databaseUrl);
  if (file === null || !fs.existsSync(file)) return null;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ScreeningOptOut'`).get();
    if (!table) return new Set();
    const rows = sqlite.prepare(`SELECT "idHash" FROM "ScreeningOptOut"`).pluck().all() as string[];
    return new Set(rows);
  } finally {
    sqlite.close();
  }
}

/** PostgreSQL's code for "database does not exist". */
const PG_NO_DATABASE = "3D000";

async function readPostgresOptOuts(databaseUrl: string): Promise<Set<string> | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: unknown }).code === PG_NO_DATABASE) return null;
    throw error;
  }
  try {
    const table = await client.query<{ t: string | null }>(`SELECT CAST(to_regclass('"ScreeningOptOut"') AS TEXT) AS "t"`);
    if (table.rows[0]?.t == null) return new Set();
    const rows = await client.query<{ idHash: string }>(`SELECT "idHash" FROM "ScreeningOptOut"`);
    return new Set(rows.rows.map((r) => r.idHash));
  } finally {
    await client.end();
  }
}

/** The screening's `excludePerson` for this installation's opt-outs; null when there are none. */
export async function screeningExcluder(db: Db): Promise<((idNumber: string) => boolean) | null> {
  return optOutExcluder(await loadScreeningOptOuts(db), screeningOptOutSecret());
}
