// Staff sign-in sessions, kept server side. The `__staff` cookie (signed,
// HttpOnly, SameSite=Lax, Secure in production, path "/") holds only a random
// 32-byte id; the StaffSession row is stored under the id's SHA-256, so a copy
// of the database opens nothing. A session ends 30 minutes after the last
// request (each request moves the limit on), when the person signs out, or
// when their account is disabled or its role changed by an admin.
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
const REFRESH_SLACK_MS = 10_000;

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

type Loaded = StaffContext;

/** The live session behind the cookie, moved on to 30 minutes from now; null when there is none. */
async function loadSession(request: Request, now: Date): Promise<Loaded | null> {
  const id = await sessionIdFrom(request);
  if (!id) return null;
  const row = await db.staffSession.findUnique({
    where: { id },
    select: {
      id: true,
      csrfToken: true,
      expiresAt: true,
      endedAt: true,
      staffUser: { select: { id: true, username: true, displayName: true, role: true, disabledAt: true } },
    },
  });
  if (!row || row.endedAt || row.expiresAt <= now || row.staffUser.disabledAt || !isStaffRole(row.staffUser.role)) return null;
  let expiresAt = row.expiresAt;
  // A page's loaders (layout and child) arrive together: a limit moved on in
  // the last few seconds is left as it is, which saves a disk write each.
  if (row.expiresAt.getTime() - now.getTime() < STAFF_IDLE_MS - REFRESH_SLACK_MS) {
    expiresAt = new Date(now.getTime() + STAFF_IDLE_MS);
    // The condition repeats the checks, so a sign-out racing this request wins.
    const { count } = await db.staffSession.updateMany({
      where: { id, endedAt: null, expiresAt: { gt: now } },
      data: { lastSeenAt: now, expiresAt },
    });
    if (count !== 1) return null;
  }
  const { staffUser } = row;
  return {
    staff: { id: staffUser.id, username: staffUser.username, displayName: staffUser.displayName, role: staffUser.role as StaffRole },
    sessionId: row.id,
    csrfToken: row.csrfToken,
    expiresAt,
  };
}

/**
 * The signed-in staff member. Not signed in, or idle for more than 30
 * minutes → throws a 303 to /staff/login?next=<this path>. Signed in without
 * `permission` → throws 403. Each call moves the idle limit on.
 */
export async function requireStaff(request: Request, permission?: Permission): Promise<StaffContext> {
  const ctx = await loadSession(request, new Date());
  if (!ctx) throw loginRedirect(request);
  if (permission && !can(ctx.staff.role, permission)) throw forbiddenResponse();
  return ctx;
}

/** The signed-in staff member, or null (moves the idle limit on like requireStaff). */
export function optionalStaff(request: Request): Promise<StaffContext | null> {
  return loadSession(request, new Date());
}

/** requireStaff, and the form's "csrf" field must be this session's token (else 403). */
export async function requireStaffAction(request: Request, formData: FormData, permission?: Permission): Promise<StaffContext> {
  const ctx = await requireStaff(request, permission);
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
  return clearStaffCookie();
}

export function clearStaffCookie(): Promise<string> {
  return staffCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Ends every live session of an account (disabled, role changed, password reset). */
export async function endSessionsOf(staffUserId: string, now: Date = new Date()): Promise<number> {
  const { count } = await db.staffSession.updateMany({ where: { staffUserId, endedAt: null }, data: { endedAt: now } });
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
