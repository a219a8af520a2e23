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
import { isUniqueViolation, type Db } from "./db.server";
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

interface StoredAnswer {
  requestHash: string;
  status: number | bigint;
  body: string;
}

function answerFrom(record: StoredAnswer, hash: string): IdempotencyOutcome {
  if (record.requestHash !== hash) return { kind: "mismatch" };
  return { kind: "replay", status: Number(record.status), body: JSON.parse(record.body) as unknown };
}

// Raw SQL (portable, tagged: Prisma binds the values): every Partner API
// submission looks its key up and stores its answer, and the typed calls cost
// several times more CPU (Prisma's query compiler) than the work they guard.
function findRecord(client: Db | Prisma.TransactionClient, scope: string, key: string): Promise<StoredAnswer[]> {
  return client.$queryRaw<StoredAnswer[]>`
    SELECT "requestHash", "status", "body" FROM "IdempotencyRecord" WHERE "scope" = ${scope} AND "key" = ${key}`;
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
  try {
    return await groupCommit(db, async (tx): Promise<IdempotencyOutcome> => {
      const [existing] = await findRecord(tx, scope, key);
      if (existing) return answerFrom(existing, hash);
      const answer = await run(tx);
      if (answer.status >= 200 && answer.status < 300) {
        // A plain insert, not ON CONFLICT: a key stored meanwhile by another
        // process must fail this one, so its savepoint (and its work) is undone.
        await tx.$executeRaw`
          INSERT INTO "IdempotencyRecord" ("key", "scope", "requestHash", "status", "body", "createdAt")
          VALUES (${key}, ${scope}, ${hash}, ${answer.status}, ${JSON.stringify(answer.body)}, ${new Date()})`;
      }
      return { kind: "fresh", ...answer };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another request with this key committed first; ours was rolled back (its savepoint).
    const [winner] = await findRecord(db, scope, key);
    if (!winner) throw error;
    return answerFrom(winner, hash);
  }
}
