// Staff sign-in sessions, kept server side. The `__staff` cookie (signed,
// HttpOnly, SameSite=Lax, Secure in production, path "/") holds only a random
// 32-byte id; the StaffSession row is stored under the id's SHA-256, so a copy
// of the database opens nothing. A session ends 30 minutes after the last
// request (each request moves the limit on; a page view only when it was last
// moved more than a minute ago, so the limit may read up to a minute early),
// when the person signs out, or when their account is disabled or its role
// changed by an admin.
//
// Every state-changing staff form carries the session's CSRF token (field
// "csrf", <CsrfInput />); requireStaffAction checks it. SameSite=Lax already
// stops cross-site POSTs in current browsers; the token is the second lock.
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { can, isStaffRole, type Permission, type StaffRole } from "~/domain/staff/permissions";
import { config } from "./config.server";
import { db } from "./db.server";

export const STAFF_IDLE_MS = 30 * 60_000;
export const STAFF_IDLE_MINUTES = STAFF_IDLE_MS / 60_000;
export const STAFF_COOKIE = "__staff";
// Moving the limit is a disk write: a page view moves it when it was last moved
// more than a minute ago (so a page's two loaders and a busy minute cost one
// write), an action when more than a few seconds ago.
const VIEW_REFRESH_SLACK_MS = 60_000;
const ACTION_REFRESH_SLACK_MS = 10_000;

export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

export interface StaffContext {
  staff: StaffPrincipal;
  /** the session row's id (the hash of the cookie's secret, never the secret itself) */
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

let cookie: ReturnType<typeof makeCookie> | null = null;

function makeCookie() {
  return createCookie(STAFF_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: config().production,
    secrets: [config().sessionSecret],
  });
}

function staffCookie() {
  cookie ??= makeCookie();
  return cookie;
}

function sha256(value: string): string {
  return crypto.createHash("sha256").update(value, "utf8").digest("hex");
}

function sameSecret(given: string, expected: string): boolean {
  return crypto.timingSafeEqual(Buffer.from(sha256(given), "hex"), Buffer.from(sha256(expected), "hex"));
}

/** The session row id named by the request's cookie, when it carries a well-signed one. */
export async function sessionIdFrom(request: Request): Promise<string | null> {
  const value: unknown = await staffCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value !== "" ? sha256(value) : null;
}

/** Where a signed-out person goes: the login page, back here afterwards. */
export function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const next = `${url.pathname}${url.search}`;
  return redirect(`/staff/login?next=${encodeURIComponent(next)}`, { status: 303, headers: { "Cache-Control": "no-store" } });
}

function forbiddenResponse(): Response {
  return new Response("Forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The session row and its account, as one read (raw SQL: this runs on every staff request). */
interface SessionRow {
  id: string;
  csrfToken: string;
  expiresAt: Date;
  endedAt: Date | null;
  userId: string;
  username: string;
  displayName: string;
  role: string;
  disabledAt: Date | null;
  /** the limit moved on by one of the requests sharing this read (see renew) */
  renewal?: Promise<Date | null>;
}

/** DateTime columns come back as Date through Prisma's raw queries; text is accepted too (defensive). */
function asDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

async function readSession(cookieHeader: string): Promise<SessionRow | null> {
  const value: unknown = await staffCookie().parse(cookieHeader);
  if (typeof value !== "string" || value === "") return null;
  const id = sha256(value);
  const rows = await db.$queryRaw<Array<Omit<SessionRow, "expiresAt" | "endedAt" | "disabledAt"> & { expiresAt: Date | string; endedAt: Date | string | null; disabledAt: Date | string | null }>>`
    SELECT s."id" AS "id", s."csrfToken" AS "csrfToken", s."expiresAt" AS "expiresAt", s."endedAt" AS "endedAt",
           u."id" AS "userId", u."username" AS "username", u."displayName" AS "displayName", u."role" AS "role", u."disabledAt" AS "disabledAt"
    FROM "StaffSession" AS s JOIN "StaffUser" AS u ON u."id" = s."staffUserId"
    WHERE s."id" = ${id}`;
  const row = rows[0];
  if (!row) return null;
  return { ...row, expiresAt: asDate(row.expiresAt) as Date, endedAt: asDate(row.endedAt), disabledAt: asDate(row.disabledAt) };
}

// The layout's loader and the page's loader of one page view both ask for the
// session at the same moment (Remix gives each its own copy of the Request, so
// the Cookie header is the key). While one read is under way, a second ask
// with the same Cookie header shares it; once it has answered, the next ask
// reads the row afresh, so a sign-out, a disabled account or an idle limit is
// seen by every request that starts after it. Signing out also drops reads
// under way (forgetSessionReads).
const reads = new Map<string, Promise<SessionRow | null>>();
/** session rows read so far (for tests and diagnostics) */
const readStats = { reads: 0 };

/** How many times a session row was read from the database so far. */
export function sessionReadStats(): { reads: number } {
  return { ...readStats };
}

function sharedRead(cookieHeader: string): Promise<SessionRow | null> {
  let read = reads.get(cookieHeader);
  if (!read) {
    readStats.reads++;
    const started: Promise<SessionRow | null> = readSession(cookieHeader).finally(() => {
      if (reads.get(cookieHeader) === started) reads.delete(cookieHeader);
    });
    read = started;
    reads.set(cookieHeader, read);
  }
  return read;
}

function forgetSessionReads(): void {
  reads.clear();
}

/** Moves the limit to 30 minutes from now; null when the session ended or ran out meanwhile. */
async function renew(id: string, now: Date): Promise<Date | null> {
  const expiresAt = new Date(now.getTime() + STAFF_IDLE_MS);
  // The condition repeats the checks, so a sign-out racing this request wins.
  const count = await db.$executeRaw`
    UPDATE "StaffSession" SET "lastSeenAt" = ${now}, "expiresAt" = ${expiresAt}
    WHERE "id" = ${id} AND "endedAt" IS NULL AND "expiresAt" > ${now}`;
  return count === 1 ? expiresAt : null;
}

/**
 * The live session behind the cookie, its limit moved on to 30 minutes from
 * now unless it was moved less than `slackMs` ago; null when there is none.
 */
async function loadSession(request: Request, now: Date, slackMs: number): Promise<StaffContext | null> {
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader) return null;
  const row = await sharedRead(cookieHeader);
  if (!row || row.endedAt || row.expiresAt <= now || row.disabledAt || !isStaffRole(row.role)) return null;
  let expiresAt = row.expiresAt;
  if (row.expiresAt.getTime() - now.getTime() < STAFF_IDLE_MS - slackMs) {
    // Requests sharing this read share its one write too.
    row.renewal ??= renew(row.id, now);
    const renewed = await row.renewal;
    if (!renewed) return null;
    expiresAt = renewed;
    if (expiresAt.getTime() - now.getTime() < STAFF_IDLE_MS - slackMs) {
      // A shared write from a view does not satisfy an action's closer limit: write again.
      const again = await renew(row.id, now);
      if (!again) return null;
      expiresAt = again;
    }
  }
  return {
    staff: { id: row.userId, username: row.username, displayName: row.displayName, role: row.role as StaffRole },
    sessionId: row.id,
    csrfToken: row.csrfToken,
    expiresAt,
  };
}

function requireLoaded(ctx: StaffContext | null, request: Request, permission?: Permission): StaffContext {
  if (!ctx) throw loginRedirect(request);
  if (permission && !can(ctx.staff.role, permission)) throw forbiddenResponse();
  return ctx;
}

/**
 * The signed-in staff member. Not signed in, or idle for more than 30
 * minutes → throws a 303 to /staff/login?next=<this path>. Signed in without
 * `permission` → throws 403. Each call moves the idle limit on (at most once
 * a minute: the time shown and the warning follow the stored limit).
 */
export async function requireStaff(request: Request, permission?: Permission): Promise<StaffContext> {
  return requireLoaded(await loadSession(request, new Date(), VIEW_REFRESH_SLACK_MS), request, permission);
}

/** The signed-in staff member, or null (moves the idle limit on like requireStaff). */
export function optionalStaff(request: Request): Promise<StaffContext | null> {
  return loadSession(request, new Date(), VIEW_REFRESH_SLACK_MS);
}

/**
 * requireStaff, and the form's "csrf" field must be this session's token (else
 * 403). An action ("Stay signed in" among them) moves the limit on to a full
 * 30 minutes unless that happened in the last few seconds.
 */
export async function requireStaffAction(request: Request, formData: FormData, permission?: Permission): Promise<StaffContext> {
  const ctx = requireLoaded(await loadSession(request, new Date(), ACTION_REFRESH_SLACK_MS), request, permission);
  const given = formData.get("csrf");
  if (typeof given !== "string" || !sameSecret(given, ctx.csrfToken)) throw forbiddenResponse();
  return ctx;
}

/** How a staff member is written in the audit log and case timelines. */
export function staffActor(ctx: StaffContext): { actor: string; actorName: string } {
  return { actor: `staff:${ctx.staff.id}`, actorName: ctx.staff.username };
}

/** Starts a session for a staff member who just proved who they are; returns the Set-Cookie value. */
export async function startStaffSession(staffUserId: string, now: Date = new Date()): Promise<{ setCookie: string; sessionId: string; csrfToken: string }> {
  const secret = crypto.randomBytes(32).toString("base64url");
  const csrfToken = crypto.randomBytes(32).toString("base64url");
  const sessionId = sha256(secret);
  await db.staffSession.create({
    data: { id: sessionId, staffUserId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + STAFF_IDLE_MS) },
  });
  return { setCookie: await staffCookie().serialize(secret), sessionId, csrfToken };
}

/** Ends the session (signing out): the cookie opens nothing afterwards. Returns the Set-Cookie that clears it. */
export async function endStaffSession(sessionId: string, now: Date = new Date()): Promise<string> {
  await db.staffSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: now } });
  forgetSessionReads();
  return clearStaffCookie();
}

export function clearStaffCookie(): Promise<string> {
  return staffCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Ends every live session of an account (disabled, role changed, password reset). */
export async function endSessionsOf(staffUserId: string, now: Date = new Date()): Promise<number> {
  const { count } = await db.staffSession.updateMany({ where: { staffUserId, endedAt: null }, data: { endedAt: now } });
  forgetSessionReads();
  return count;
}

/** True when the request carries a cookie of a session that ran out by idling (the login page says so). */
export async function sessionTimedOut(request: Request, now: Date = new Date()): Promise<boolean> {
  const id = await sessionIdFrom(request);
  if (!id) return false;
  const row = await db.staffSession.findUnique({ where: { id }, select: { endedAt: true, expiresAt: true } });
  return Boolean(row && !row.endedAt && row.expiresAt <= now);
}

/** Sessions ended or idle for a day are of no more use (called by the background jobs, if wired). */
export async function purgeStaffSessions(now: Date = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const { count } = await db.staffSession.deleteMany({ where: { OR: [{ expiresAt: { lt: dayAgo } }, { endedAt: { lt: dayAgo } }] } });
  return count;
}
