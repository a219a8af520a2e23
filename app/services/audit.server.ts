// The audit log: an append-only, tamper-evident record of each look at
// personal data and each staff action. Each entry's hash is
//   sha256(previous entry's hash + canonical JSON of this entry)
// so changing, removing or re-ordering any row breaks every hash after it,
// which verifyAuditChain finds. There is deliberately no code path that
// updates or deletes an AuditEntry.
//
// Appends are serialized: the last entry is read and the next one written in
// one transaction (the SQLite adapter runs transactions one at a time; on
// PostgreSQL the transaction first takes an advisory lock), so two requests,
// or two instances, never chain onto the same previous entry. Appends arriving together
// outside a transaction are written as one batch (one read of the chain's end,
// one INSERT) inside one group-commit write (group-commit.server.ts), so a
// burst of page views shares one commit. A caller already inside a
// transaction passes its transaction client and the entry commits (or rolls
// back) with the change it records.
//
// `detail` holds ids, references, statuses and counts, never personal data;
// as a safety net, strings (in `detail` and `reason`) that look like a phone
// or ID number are replaced.
import crypto from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/services/db.server";
import { groupCommit } from "~/services/group-commit.server";
import { transactionLock } from "~/services/sql-dialect.server";

/** The transaction client Prisma passes to `db.$transaction(async (tx) => …)`. */
export type AuditTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface AuditInput {
  /** staff:<id>, token:<id>, staff-api:env, resident, system */
  actor: string;
  /** the staff member's username at the time */
  actorName?: string | null;
  /** e.g. view_case, claim_callback, approve_case, create_token */
  action: string;
  /** application, callback, draft, evidence, staff_user, api_token, audit */
  subjectType: string;
  subjectId?: string | null;
  /** why, when the person gave a reason */
  reason?: string | null;
  /** ids, references, statuses, counts: never names, phones, ID numbers or income */
  detail?: Record<string, unknown>;
}

export const GENESIS_HASH = "0".repeat(64);

const PHONE_LIKE = /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}/;
const ID_LIKE = /\d{17}[\dXx]/;
const REDACTED = "[redacted]";

/** Strings that look like a phone or ID number are dropped: the log must not become a store of personal data. */
function scrub(value: unknown): unknown {
  if (typeof value === "string") return PHONE_LIKE.test(value) || ID_LIKE.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The stored fields an entry's hash covers (everything but the hash itself). */
export interface ChainedFields {
  seq: number;
  at: Date;
  actor: string;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  reason: string | null;
  detail: string;
  prevHash: string;
}

export function entryHash(entry: ChainedFields): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    actorName: entry.actorName,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    reason: entry.reason,
    detail: entry.detail,
  });
  return crypto.createHash("sha256").update(entry.prevHash + body, "utf8").digest("hex");
}

function isRootClient(client: Db | AuditTx): client is Db {
  return typeof (client as Partial<Db>).$transaction === "function";
}

/** One entry's stored fields, chained onto `prev` (the entry before it, or none). */
function chained(input: AuditInput, now: Date, prev: { seq: number; hash: string } | null): ChainedFields & { hash: string } {
  const fields: ChainedFields = {
    seq: prev ? prev.seq + 1 : 1,
    at: now,
    actor: input.actor,
    actorName: input.actorName ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    reason: input.reason ? (scrub(input.reason) as string) : null,
    detail: canonicalJson(scrub(input.detail ?? {})),
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...fields, hash: entryHash(fields) };
}

/** Any fixed number: the advisory lock every append of the chain takes on PostgreSQL. */
const CHAIN_LOCK = 4_170_311;
const CHAIN_LOCK_SQL = transactionLock(CHAIN_LOCK);

// Raw SQL (tagged templates, portable): every list view appends an entry, and
// typed Prisma calls cost more CPU than the page itself. Entries read back
// through typed Prisma exactly as before (tests/integration/staff/audit.test.ts).
async function appendAll(tx: AuditTx, entries: ReadonlyArray<{ input: AuditInput; now: Date }>): Promise<void> {
  // PostgreSQL runs transactions side by side (and other instances write too):
  // wait for any other append to commit before reading the chain's end.
  if (CHAIN_LOCK_SQL) await tx.$executeRaw(CHAIN_LOCK_SQL);
  const last = await tx.$queryRaw<Array<{ seq: number | bigint; hash: string }>>`SELECT "seq", "hash" FROM "AuditEntry" ORDER BY "seq" DESC LIMIT 1`;
  let prev = last.length > 0 ? { seq: Number(last[0].seq), hash: last[0].hash } : null;
  const rows: Prisma.Sql[] = [];
  for (const { input, now } of entries) {
    const e = chained(input, now, prev);
    rows.push(Prisma.sql`(${e.seq}, ${e.at}, ${e.actor}, ${e.actorName}, ${e.action}, ${e.subjectType}, ${e.subjectId}, ${e.reason}, ${e.detail}, ${e.prevHash}, ${e.hash})`);
    prev = e;
  }
  await tx.$executeRaw`
    INSERT INTO "AuditEntry" ("seq", "at", "actor", "actorName", "action", "subjectType", "subjectId", "reason", "detail", "prevHash", "hash")
    VALUES ${Prisma.join(rows)}`;
}

interface Waiting {
  input: AuditInput;
  now: Date;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Entries recorded outside a transaction (the views of lists and cases) that
 * arrive while an append is waiting for its turn are written together: one
 * read of the chain's end and one INSERT for all of them, in one group-commit
 * write. Each caller is answered only after that commit (or told its error).
 */
class AuditBatcher {
  readonly #db: Db;
  #waiting: Waiting[] = [];
  #scheduled = false;

  constructor(db: Db) {
    this.#db = db;
  }

  append(input: AuditInput, now: Date): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ input, now, resolve, reject });
      if (!this.#scheduled) this.#schedule();
    });
  }

  #schedule(): void {
    this.#scheduled = true;
    let batch: Waiting[] | null = null;
    groupCommit(this.#db, async (tx) => {
      // Taken when the write's turn comes: everything that arrived meanwhile goes along.
      batch = this.#waiting.splice(0, AUDIT_BATCH_MAX);
      this.#scheduled = false;
      if (this.#waiting.length > 0) this.#schedule();
      await appendAll(tx, batch);
    }).then(
      () => {
        for (const w of batch ?? []) w.resolve();
      },
      (error: unknown) => {
        if (batch === null) {
          // The transaction never ran this write: whoever waits is told.
          batch = this.#waiting.splice(0);
          this.#scheduled = false;
        }
        for (const w of batch) w.reject(error);
      },
    );
  }
}

/** Keeps one INSERT's parameters well under the SQLite (32,766) and PostgreSQL (65,535) limits. */
const AUDIT_BATCH_MAX = 200;

const batchers = new WeakMap<Db, AuditBatcher>();

function batcherFor(db: Db): AuditBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new AuditBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}

/** Appends one entry to the chain (inside the caller's transaction when given one). */
export async function recordAudit(client: Db | AuditTx, input: AuditInput, now: Date = new Date()): Promise<void> {
  if (isRootClient(client)) {
    // Shared with the other views of the moment: one INSERT and one commit (one fsync) for a batch.
    await batcherFor(client).append(input, now);
  } else {
    await appendAll(client, [{ input, now }]);
  }
}

export type ChainCheck = { ok: true; checked: number } | { ok: false; checked: number; brokenSeq: number };

const BATCH = 1000;

/**
 * Recomputes every hash from the first entry on. Returns the first entry whose
 * hash, link to the previous entry, or place in the sequence is wrong.
 * (Removing the newest entries leaves a shorter valid chain: keep an outside
 * copy of the latest hash, e.g. from an export, to notice that.)
 */
export async function verifyAuditChain(db: Db | AuditTx): Promise<ChainCheck> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: BATCH });
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const broken = row.seq !== expectedSeq || row.prevHash !== prevHash || entryHash(row) !== row.hash;
      if (broken) return { ok: false, checked, brokenSeq: row.seq !== expectedSeq ? expectedSeq : row.seq };
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
