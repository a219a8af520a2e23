// The few SQL fragments that differ between SQLite and PostgreSQL (issue 8),
// in one place, keyed on the dialect of DATABASE_URL (db.server.ts). Every
// other raw statement is written once in SQL both databases speak.
//
// Work claims (outbox texts, staff call-backs) are one UPDATE whose rows are
// picked by a subquery (claimPick). On PostgreSQL the pick locks the rows it takes and skips rows another
// transaction holds (FOR UPDATE SKIP LOCKED), so two instances claiming at
// once each get different rows at once instead of the second waiting for the
// first and then finding its picks gone. On SQLite nothing is added: a write
// statement holds the database's single write lock from start to end (other
// connections and processes wait for it: busy_timeout), so the subquery and
// the update see one state and no second writer can come in between; that is
// the single-writer equivalent, and the statements stay as fast as before.
import { Prisma } from "~/generated/prisma/client";
import { dialect as currentDialect, type Dialect } from "./db.server";

export interface ClaimPick {
  /** Goes before the UPDATE/DELETE: the WITH clause on PostgreSQL, nothing on SQLite. */
  prefix: Prisma.Sql;
  /** The parenthesised id list for `WHERE "id" IN …`. */
  ids: Prisma.Sql;
}

/**
 * The rows a claim takes, for `${prefix}UPDATE … WHERE "id" IN ${ids} AND
 * <the status condition again> RETURNING …`. `pick` is a SELECT of "id" with
 * its ORDER BY and LIMIT.
 *
 * PostgreSQL: a MATERIALIZED common table expression with FOR UPDATE SKIP
 * LOCKED, run exactly once. Written as a plain `IN (SELECT … LIMIT n FOR
 * UPDATE SKIP LOCKED)` the planner may run the subquery again while the
 * UPDATE goes (a semi-join rescan); a rescan skips the rows this very
 * statement has just updated and picks further ones, so a claim of 3 could
 * take 5 (seen here in tests). SQLite: the subquery as it was, unchanged.
 */
export function claimPick(pick: Prisma.Sql, dialect: Dialect = currentDialect): ClaimPick {
  if (dialect === "postgresql") {
    return { prefix: Prisma.sql`WITH "picked" AS MATERIALIZED (${pick} FOR UPDATE SKIP LOCKED) `, ids: Prisma.sql`(SELECT "id" FROM "picked")` };
  }
  return { prefix: Prisma.empty, ids: Prisma.sql`(${pick})` };
}

/**
 * " FOR UPDATE SKIP LOCKED" on PostgreSQL, nothing on SQLite: after a SELECT's
 * ORDER BY … LIMIT, rows another transaction holds are left out (the text
 * inbox reads and locks its texts with it: app/models/inbound-message.server.ts).
 */
export function skipLocked(dialect: Dialect = currentDialect): Prisma.Sql {
  return dialect === "postgresql" ? Prisma.sql` FOR UPDATE SKIP LOCKED` : Prisma.empty;
}

/**
 * Rows locked for the rest of the transaction by a plain SELECT (" FOR UPDATE"
 * on PostgreSQL; nothing on SQLite, where a transaction's first write takes
 * the one write lock anyway).
 */
export function forUpdate(dialect: Dialect = currentDialect): Prisma.Sql {
  return dialect === "postgresql" ? Prisma.sql` FOR UPDATE` : Prisma.empty;
}

/**
 * Makes the transaction it runs in wait for any other transaction holding the
 * same `key` until that one ends (the audit chain's append: read the last
 * entry, then write the next). PostgreSQL: a transaction-scoped advisory lock,
 * because two connections (or two instances) would otherwise both read the
 * same last entry; run it with $executeRaw. SQLite: null (nothing to run): the adapter
 * runs one transaction at a time and a write holds the one write lock.
 */
export function transactionLock(key: number, dialect: Dialect = currentDialect): Prisma.Sql | null {
  return dialect === "postgresql" ? Prisma.sql`SELECT pg_advisory_xact_lock(${key}::bigint)` : null;
}
