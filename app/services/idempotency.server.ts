// Idempotency-Key support for POST endpoints (contract: "a repeated request
// returns the first answer and creates nothing new"). The key's record and the
// work it guards are written in ONE transaction: either both exist or neither,
// so a crash can never leave a key that points at nothing, or work without its
// key. Concurrent requests with one key: on SQLite the adapter runs one
// transaction at a time, so the second sees the first's record; where two can
// overlap (another process, PostgreSQL), the loser's insert hits the primary
// key, its transaction (and its work) is rolled back, and it answers with the
// winner's stored answer.
//
// Only successful answers (2xx) are kept: a refused request created nothing,
// so sending it again, corrected, with the same key, is allowed.
import crypto from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "./db.server";
import { groupCommit } from "./group-commit.server";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_KEY_MAX = 255;

// Visible ASCII and spaces: what a header can carry without encoding trouble.
const KEY_PATTERN = /^[\x20-\x7E]+$/;

export type IdempotencyKeyResult = { ok: true; key: string | null } | { ok: false; error: "tooLong" | "invalid" };

/** The request's Idempotency-Key (null when absent), or why it cannot be used. */
export function readIdempotencyKey(request: Request): IdempotencyKeyResult {
  const raw = request.headers.get(IDEMPOTENCY_HEADER);
  if (raw === null) return { ok: true, key: null };
  const key = raw.trim();
  if (key.length > IDEMPOTENCY_KEY_MAX) return { ok: false, error: "tooLong" };
  if (key === "" || !KEY_PATTERN.test(key)) return { ok: false, error: "invalid" };
  return { ok: true, key };
}

/** JSON with object keys sorted, so the same data always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A fingerprint of a request's data: the same JSON in any key order or spacing gives the same hash. */
export function requestHash(value: unknown): string {
  return crypto.createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}

export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

export type IdempotencyOutcome =
  /** The work ran now. */
  | ({ kind: "fresh" } & IdempotentAnswer)
  /** The key was used before with the same request: its first answer. */
  | ({ kind: "replay" } & IdempotentAnswer)
  /** The key was used before with a different request: answer 422, do nothing. */
  | { kind: "mismatch" };

export interface IdempotencyRequest {
  /** Separates callers and endpoints: one partner's key never meets another's. */
  scope: string;
  key: string;
  requestHash: string;
}

// Requests queue behind each other on SQLite's one writer; under load a
// transaction may wait its turn for longer than Prisma's 2 s default.
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

function answerFrom(record: { requestHash: string; status: number; body: string }, hash: string): IdempotencyOutcome {
  if (record.requestHash !== hash) return { kind: "mismatch" };
  return { kind: "replay", status: record.status, body: JSON.parse(record.body) as unknown };
}

/**
 * Runs `run` once per (scope, key): the first request runs it inside a
 * transaction and stores its answer there; repeats get that answer back.
 * `run` must do all its database work with the transaction client it is given.
 */
export async function withIdempotency(
  db: Db,
  { scope, key, requestHash: hash }: IdempotencyRequest,
  run: (tx: Prisma.TransactionClient) => Promise<IdempotentAnswer>,
): Promise<IdempotencyOutcome> {
  const where = { scope_key: { scope, key } };
  const select = { requestHash: true, status: true, body: true } as const;
  try {
    return await groupCommit(db, async (tx): Promise<IdempotencyOutcome> => {
      const existing = await tx.idempotencyRecord.findUnique({ where, select });
      if (existing) return answerFrom(existing, hash);
      const answer = await run(tx);
      if (answer.status >= 200 && answer.status < 300) {
        await tx.idempotencyRecord.create({ data: { scope, key, requestHash: hash, status: answer.status, body: JSON.stringify(answer.body) } });
      }
      return { kind: "fresh", ...answer };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another request with this key committed first; ours was rolled back (its savepoint).
    const winner = await db.idempotencyRecord.findUnique({ where, select });
    if (!winner) throw error;
    return answerFrom(winner, hash);
  }
}
