// Outreach leads (one per household and data date) in the database: the bulk
// import behind `npm run outreach -- --import`. A lead already stored for the
// same household and date is left as it is (a caseworker may be working on
// it), so importing the same file twice adds nothing. Also the screening
// opt-outs (ScreeningOptOut) the screening leaves out.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { LeadRecord } from "~/domain/outreach";
import { optOutExcluder, screeningOptOutHash, screeningOptOutKey } from "~/domain/outreach/opt-out";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";

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

/**
 * Stores the leads that are not there yet; safe to run again with the same
 * leads, and next to the running server or another import (INSERT … ON
 * CONFLICT DO NOTHING on the (householdId, dataDate) key).
 *
 * Written with better-sqlite3 on its own connection, not through the Prisma
 * client: measured here for 100,000 leads, Prisma's createMany took minutes
 * (about 500 leads/s, 1.7 GB of memory) and a multi-row raw INSERT through
 * the client 46 s and 1.8 GB, against the 30 s target; a prepared statement
 * in batched transactions takes seconds. The row is written exactly as
 * Prisma writes it in SQLite (dates as ISO text with "+00:00"), so the
 * Prisma model reads these leads like any other. SQLite only (db.server.ts
 * supports nothing else).
 */
export function importOutreachLeads(databaseUrl: string, leads: Iterable<LeadRecord>): ImportResult {
  if (!databaseUrl.startsWith("file:")) throw new Error("Outreach import needs a SQLite DATABASE_URL (file:…)");
  const sqlite = new Database(path.resolve(databaseUrl.slice("file:".length)), { fileMustExist: true });
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
 * Every stored opt-out hash (ScreeningOptOut.idHash). With a DATABASE_URL it
 * reads the SQLite file directly and read-only (the CLI, next to the running
 * server); a file that does not exist or predates the ScreeningOptOut table
 * has none. With the Prisma client it asks the database (console uploads).
 */
export function loadScreeningOptOuts(databaseUrl: string): Set<string>;
export function loadScreeningOptOuts(db: Db): Promise<Set<string>>;
export function loadScreeningOptOuts(source: string | Db): Set<string> | Promise<Set<string>> {
  if (typeof source !== "string") {
    return source.screeningOptOut.findMany({ select: { idHash: true } }).then((rows) => new Set(rows.map((r) => r.idHash)));
  }
  const file = sqliteFileOf(source);
  if (file === null) throw new Error("Reading opt-outs by URL needs a SQLite DATABASE_URL (file:…)");
  if (!fs.existsSync(file)) return new Set();
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

/** The screening's `excludePerson` for this installation's opt-outs; null when there are none. */
export async function screeningExcluder(db: Db): Promise<((idNumber: string) => boolean) | null> {
  return optOutExcluder(await loadScreeningOptOuts(db), screeningOptOutSecret());
}
