// Drafts of the web eligibility check: the answers so far, kept server side
// against a random cookie id so that a reload or a return the next day loses
// nothing. The cookie holds only the id (128 random bits); the answers never
// leave the server. Drafts expire 30 days after the last answer.
import crypto from "node:crypto";
import { readAnswers, type CheckAnswers } from "~/domain/check";
import { config } from "~/services/config.server";
import { db as defaultDb, type Db } from "~/services/db.server";

export const CHECK_DRAFT_COOKIE = "check_draft";
const LIFETIME_DAYS = 30;
const LIFETIME_MS = LIFETIME_DAYS * 24 * 60 * 60 * 1000;
const ID_PATTERN = /^[0-9a-f]{32}$/;

export interface CheckDraft {
  id: string;
  answers: CheckAnswers;
  updatedAt: Date;
}

/** The draft id the request's cookie names, if it has the right shape. */
export function draftIdFrom(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== CHECK_DRAFT_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return ID_PATTERN.test(value) ? value : null;
  }
  return null;
}

function secure(): boolean {
  return config().production;
}

/** Set-Cookie header value that (re)starts the 30 days for this draft id. */
export function draftCookie(id: string): string {
  return [`${CHECK_DRAFT_COOKIE}=${id}`, "Path=/", `Max-Age=${LIFETIME_DAYS * 24 * 60 * 60}`, "HttpOnly", "SameSite=Lax", ...(secure() ? ["Secure"] : [])].join("; ");
}

/** Set-Cookie header value that removes the cookie. */
export function clearedDraftCookie(): string {
  return [`${CHECK_DRAFT_COOKIE}=`, "Path=/", "Max-Age=0", "HttpOnly", "SameSite=Lax", ...(secure() ? ["Secure"] : [])].join("; ");
}

function parseStored(text: string): CheckAnswers {
  try {
    return readAnswers(JSON.parse(text));
  } catch {
    return {};
  }
}

/**
 * The check draft of this browser (answers so far), or null when there is none
 * or it has expired. Also used to attach the answers to a call-back request.
 */
export async function readCheckDraft(request: Request, now: Date = new Date(), db: Db = defaultDb): Promise<CheckDraft | null> {
  const id = draftIdFrom(request);
  if (!id) return null;
  const row = await db.checkDraft.findUnique({ where: { id }, select: { id: true, answers: true, updatedAt: true, expiresAt: true } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  return { id: row.id, answers: parseStored(row.answers), updatedAt: row.updatedAt };
}

/**
 * Saves the answers to this browser's draft, creating the draft (and its id)
 * on the first answer. Returns the Set-Cookie header to send with the response.
 */
export async function saveCheckAnswers(
  request: Request,
  answers: CheckAnswers,
  now: Date = new Date(),
  db: Db = defaultDb,
): Promise<{ id: string; setCookie: string }> {
  const expiresAt = new Date(now.getTime() + LIFETIME_MS);
  const text = JSON.stringify(answers);
  const existing = draftIdFrom(request);
  if (existing) {
    // An expired draft is not revived: its answers may belong to another day's visit.
    const updated = await db.checkDraft.updateMany({
      where: { id: existing, expiresAt: { gt: now } },
      data: { answers: text, expiresAt },
    });
    if (updated.count === 1) return { id: existing, setCookie: draftCookie(existing) };
  }
  const id = crypto.randomBytes(16).toString("hex");
  await db.checkDraft.create({ data: { id, answers: text, expiresAt } });
  // Housekeeping on the rare path: a new draft clears the long-expired ones.
  await db.checkDraft.deleteMany({ where: { expiresAt: { lte: now } } });
  return { id, setCookie: draftCookie(id) };
}

/** Forgets this browser's draft ("start again"); returns the Set-Cookie that clears the cookie. */
export async function deleteCheckDraft(request: Request, db: Db = defaultDb): Promise<string> {
  const id = draftIdFrom(request);
  if (id) await db.checkDraft.deleteMany({ where: { id } });
  return clearedDraftCookie();
}
