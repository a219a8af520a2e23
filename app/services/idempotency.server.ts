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
import { db as appDb, isUniqueViolation, type Db } from "./db.server";
import { groupCommit } from "./group-commit.server";
import { translatorFor } from "./i18n.server";

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

// ---------------------------------------------------------------------------
// Forms: the hidden one-time token ("_once").
//
// Why this shape (issue 7 item 2: a double click, a browser's "resend" or a
// retried POST must return the first answer and create nothing):
// - The token is made by the ROOT loader, one per page load (newOnceToken),
//   and <RepeatGuard /> (app/components/form/repeat-guard.tsx) puts it in each
//   state-changing form. It comes from the server render and is in the root
//   loader's data, so hydration shows the same value. The root loader runs
//   again after every action, so a form sent on purpose a second time (after
//   the first answer) carries a new token; client navigation without an action
//   keeps the token, which is why the key also holds the URL (see below).
// - A repeat is the same token AND the same request: the record's key is the
//   token plus a hash of the URL and every field. So the several forms of one
//   page can share the page's token, a case page reached by client navigation
//   does not meet the previous case's answer, and a form corrected after a
//   refusal (400, never recorded) is simply a new request.
// - Forms' actions write through many models, not one transaction, so a form
//   claims its key first (a "pending" row, status 0), runs, then stores its
//   answer (2xx/3xx: it changed something) or drops the claim (4xx/5xx or an
//   error: nothing changed, the same token may try again). A repeat that finds
//   a claim waits for the answer (a double click's second request arrives while
//   the first is running). A claim older than CLAIM_STALE_MS is from a process
//   that died mid-way and is taken over: the one case where work can run twice.
// - The stored answer is status, headers (Location, Content-Type…) and body
//   text; `keep` can blank a secret out of it (a new API token is shown once,
//   never stored). Set-Cookie is NOT kept: on a shared computer, "back" and
//   "resend" after someone signed out must not hand their session to the next
//   person (a retried POST whose first answer was lost keeps the cookies it had).
// - No token (an old cached page, a script, a test): the action runs as before.
// ---------------------------------------------------------------------------

/** The hidden field's name. */
export const ONCE_FIELD = "_once";
const ONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** A claim (status 0) this old belongs to a request that died: take it over. */
export const CLAIM_STALE_MS = 60_000;
/** How long a repeat waits for the first request's answer. */
const CLAIM_WAIT_MS = 15_000;
const CLAIM_POLL_MS = 25;
const PENDING = 0;
/** Headers not worth replaying (the server sets them per answer). */
const SKIPPED_HEADERS = new Set(["connection", "content-length", "date", "keep-alive", "set-cookie", "transfer-encoding"]);

/** A fresh unguessable token for the forms of one page. */
export function newOnceToken(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** The token sent with a form, or null when absent or not one of ours. */
export function readOnceToken(value: unknown): string | null {
  return typeof value === "string" && ONCE_PATTERN.test(value) ? value : null;
}

export interface OnceGuard {
  /** The request (its language, for the one message said here). */
  request: Request;
  /** "form:<route>" (or "upload:<route>"): separates routes. */
  scope: string;
  /** The form's one-time token; null runs the action unguarded. */
  token: string | null;
  /** What makes this request this request (URL, fields, a file's sha256…). */
  fingerprint: unknown;
  /** Runs when the answer is a replay (e.g. delete a file just stored). */
  onReplay?: () => Promise<unknown>;
  /** Changes a JSON body before it is stored (blank out a secret). */
  keep?: (body: unknown) => unknown;
}

interface StoredEnvelope {
  h: Array<[string, string]>;
  b: string | null;
}

interface ClaimRow {
  status: number | bigint;
  body: string;
  createdAt: Date | string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAnswerKept(status: number): boolean {
  return status >= 200 && status < 400;
}

async function claim(scope: string, key: string, hash: string): Promise<boolean> {
  try {
    await appDb.$executeRaw`
      INSERT INTO "IdempotencyRecord" ("key", "scope", "requestHash", "status", "body", "createdAt")
      VALUES (${key}, ${scope}, ${hash}, ${PENDING}, ${""}, ${new Date()})`;
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

async function release(scope: string, key: string): Promise<void> {
  await appDb.$executeRaw`DELETE FROM "IdempotencyRecord" WHERE "scope" = ${scope} AND "key" = ${key} AND "status" = ${PENDING}`;
}

async function store(scope: string, key: string, status: number, body: string): Promise<void> {
  await appDb.$executeRaw`UPDATE "IdempotencyRecord" SET "status" = ${status}, "body" = ${body} WHERE "scope" = ${scope} AND "key" = ${key}`;
}

function replayed(row: ClaimRow): Response {
  const envelope = JSON.parse(row.body) as StoredEnvelope;
  const headers = new Headers();
  for (const [name, value] of envelope.h) headers.append(name, value);
  headers.set("Idempotent-Replayed", "true");
  const status = Number(row.status);
  const noBody = status === 204 || status === 205 || status === 304;
  return new Response(noBody ? null : envelope.b, { status, headers });
}

/** Turns whatever an action gave (a Response or plain data) into what is stored. */
async function envelopeOf(answer: unknown, keep: OnceGuard["keep"]): Promise<{ status: number; body: string }> {
  if (answer instanceof Response) {
    const h: Array<[string, string]> = [];
    answer.headers.forEach((value, name) => {
      if (!SKIPPED_HEADERS.has(name)) h.push([name, value]);
    });
    let b = answer.body === null ? null : await answer.clone().text();
    if (keep && b !== null && (answer.headers.get("content-type") ?? "").includes("json")) b = JSON.stringify(keep(JSON.parse(b)));
    return { status: answer.status, body: JSON.stringify({ h, b } satisfies StoredEnvelope) };
  }
  // Plain data: Remix sends it as JSON with status 200.
  const data = keep ? keep(answer) : answer;
  return { status: 200, body: JSON.stringify({ h: [["content-type", "application/json; charset=utf-8"]], b: JSON.stringify(data ?? null) } satisfies StoredEnvelope) };
}

/** Said when the first request is still running after CLAIM_WAIT_MS (never expected). */
async function stillWorking(request: Request): Promise<Response> {
  const { t } = await translatorFor(request, "repeat");
  return new Response(t("repeat:stillWorking"), {
    status: 409,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Retry-After": "5" },
  });
}

/**
 * Runs `run` once per (scope, token, fingerprint): a repeat gets the first
 * answer (status, headers, body) back and runs nothing. Without a token, just runs.
 */
export async function onceOnly<T>(guard: OnceGuard, run: () => Promise<T>): Promise<T> {
  if (guard.token === null) return run();
  const hash = requestHash(guard.fingerprint ?? null);
  const key = `${guard.token}:${hash}`;
  const { scope } = guard;
  const until = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    if (await claim(scope, key, hash)) break;
    const [row] = await appDb.$queryRaw<ClaimRow[]>`
      SELECT "status", "body", "createdAt" FROM "IdempotencyRecord" WHERE "scope" = ${scope} AND "key" = ${key}`;
    if (!row) continue; // the first request was refused meanwhile: try to claim again
    if (Number(row.status) !== PENDING) {
      await guard.onReplay?.();
      return replayed(row) as T;
    }
    if (Date.now() - new Date(row.createdAt).getTime() > CLAIM_STALE_MS) {
      await release(scope, key);
      continue;
    }
    if (Date.now() > until) {
      await guard.onReplay?.();
      throw await stillWorking(guard.request);
    }
    await sleep(CLAIM_POLL_MS);
  }

  let answer: T;
  try {
    answer = await run();
  } catch (thrown) {
    // A thrown redirect changed something (Remix's `throw redirect()`); anything else did not.
    if (thrown instanceof Response && isAnswerKept(thrown.status)) {
      const stored = await envelopeOf(thrown, guard.keep);
      await store(scope, key, stored.status, stored.body);
    } else {
      await release(scope, key);
    }
    throw thrown;
  }
  const stored = await envelopeOf(answer, guard.keep);
  if (isAnswerKept(stored.status)) await store(scope, key, stored.status, stored.body);
  else await release(scope, key);
  return answer;
}

/** The URL (without the token) and every field (files by name, type and size). */
export function formFingerprint(request: Request, form: FormData): unknown {
  const url = new URL(request.url);
  url.searchParams.delete(ONCE_FIELD);
  // Remix's script adds _data to the URL; the same form sent with or without script is the same request.
  url.searchParams.delete("_data");
  const fields: Array<[string, unknown]> = [];
  for (const [name, value] of form.entries()) {
    if (name === ONCE_FIELD) continue;
    fields.push([name, typeof value === "string" ? value : { file: value.name, type: value.type, size: value.size }]);
  }
  return { method: request.method, path: url.pathname, search: url.search, fields };
}

function isUrlEncodedForm(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/**
 * Wraps a route's action so that a form posted twice with one `_once` token
 * runs once. Only URL-encoded forms are read here (a copy of the body: the
 * action reads the original as before); uploads (multipart) stream to disk and
 * call onceOnly themselves with the file's sha256 (the token is then in the
 * form's action URL). `route` names the scope: "form:<route>".
 */
export function repeatGuarded<Args extends { request: Request }, R>(
  route: string,
  action: (args: Args) => Promise<R>,
  options: Pick<OnceGuard, "keep"> = {},
): (args: Args) => Promise<R> {
  return async (args: Args) => {
    const { request } = args;
    if (request.method === "GET" || request.method === "HEAD" || !isUrlEncodedForm(request)) return action(args);
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const token = form ? readOnceToken(form.get(ONCE_FIELD)) : null;
    if (!form || token === null) return action(args);
    return onceOnly({ request, scope: `form:${route}`, token, fingerprint: formFingerprint(request, form), keep: options.keep }, () => action(args));
  };
}

/** The token from the URL (upload forms put it there: their body is streamed). */
export function onceTokenFromUrl(request: Request): string | null {
  return readOnceToken(new URL(request.url).searchParams.get(ONCE_FIELD));
}

// ---------------------------------------------------------------------------
// APIs other than applications: the same Idempotency-Key rules, for actions
// that build a whole Response (their refusals keep their own headers).
// ---------------------------------------------------------------------------

/** A JSON answer as the APIs send it (length declared, never cached). */
function apiJson(body: unknown, status: number, extra: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Content-Length": String(Buffer.byteLength(text)), ...extra },
  });
}

/**
 * withIdempotency for an API action whose work gives a JSON Response: a fresh
 * answer is that Response itself; a repeat gets the stored status and body
 * (header Idempotent-Replayed: true); a key reused for another request gets
 * 422 {"errors":[{"path":"Idempotency-Key","message"}]}, as for applications.
 * `key` null (no header): runs `run` with the plain client.
 */
export async function idempotentApiResponse(
  db: Db,
  request: Request,
  { scope, key, requestHash: hash }: Omit<IdempotencyRequest, "key"> & { key: string | null },
  run: (client: Db | Prisma.TransactionClient) => Promise<Response>,
): Promise<{ response: Response; replayed: boolean }> {
  if (key === null) return { response: await run(db), replayed: false };
  let fresh: Response | null = null;
  const outcome = await withIdempotency(db, { scope, key, requestHash: hash }, async (tx) => {
    fresh = await run(tx);
    const text = await fresh.clone().text();
    return { status: fresh.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
  });
  if (outcome.kind === "mismatch") {
    const { t } = await translatorFor(request, "repeat");
    return { response: apiJson({ errors: [{ path: IDEMPOTENCY_HEADER, message: t("repeat:key.mismatch") }] }, 422), replayed: false };
  }
  if (outcome.kind === "fresh" && fresh) return { response: fresh, replayed: false };
  return { response: apiJson(outcome.body, outcome.status, { "Idempotent-Replayed": "true" }), replayed: true };
}

/** 400 for an unusable Idempotency-Key header, in the request's language. */
export async function badIdempotencyKey(request: Request, error: "tooLong" | "invalid"): Promise<Response> {
  const { t } = await translatorFor(request, "repeat");
  return apiJson({ errors: [{ path: IDEMPOTENCY_HEADER, message: t(`repeat:key.${error}`) }] }, 400);
}
