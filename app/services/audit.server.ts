// The audit log: an append-only, tamper-evident record of each look at
// personal data and each staff action. Each entry's hash is
//   sha256(previous entry's hash + canonical JSON of this entry)
// so changing, removing or re-ordering any row breaks every hash after it,
// which verifyAuditChain finds. There is deliberately no code path that
// updates or deletes an AuditEntry.
//
// Appends are serialized: the last entry is read and the next one written in
// one transaction (the SQLite adapter runs transactions one at a time; appends
// arriving together share one through group-commit.server.ts), so two
// requests never chain onto the same previous entry. A caller already inside a
// transaction passes its transaction client and the entry commits (or rolls
// back) with the change it records.
//
// `detail` holds ids, references, statuses and counts, never personal data;
// as a safety net, strings (in `detail` and `reason`) that look like a phone
// or ID number are replaced.
import crypto from "node:crypto";
import type { Db } from "~/services/db.server";
import { groupCommit } from "~/services/group-commit.server";

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

async function append(tx: AuditTx, input: AuditInput, now: Date): Promise<void> {
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const fields: ChainedFields = {
    seq: (last?.seq ?? 0) + 1,
    at: now,
    actor: input.actor,
    actorName: input.actorName ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    reason: input.reason ? (scrub(input.reason) as string) : null,
    detail: canonicalJson(scrub(input.detail ?? {})),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEntry.create({ data: { ...fields, hash: entryHash(fields) } });
}

/** Appends one entry to the chain (inside the caller's transaction when given one). */
export async function recordAudit(client: Db | AuditTx, input: AuditInput, now: Date = new Date()): Promise<void> {
  if (isRootClient(client)) {
    // Shared with the other writes of the moment: one commit (one fsync) for a batch of views.
    await groupCommit(client, (tx) => append(tx, input, now));
  } else {
    await append(client, input, now);
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
