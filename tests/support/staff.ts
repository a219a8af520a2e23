// Staff sign-in for integration tests: a test account per role (made on first
// use, with a password hash that never verifies) and a real server-side
// session, so requireStaff/requireStaffAction run exactly as in production.
// staffGet/staffPost build Requests carrying the session cookie (and the
// CSRF token for posts, unless a test overrides or drops it).
import type { StaffRole } from "~/domain/staff/permissions";
import { db } from "~/services/db.server";
import { startStaffSession } from "~/services/staff-session.server";

export interface TestStaffSession {
  /** "__staff=…" for the Cookie header */
  cookie: string;
  csrf: string;
  staffId: string;
  /** the StaffSession row id */
  sessionId: string;
  username: string;
}

const BASE = "http://localhost";

/** Signs in as a (test) account with this role; `username` picks another account of the same role. */
export async function signInAs(role: StaffRole, { username = `test-${role}` }: { username?: string } = {}): Promise<TestStaffSession> {
  const user = await db.staffUser.upsert({
    where: { username },
    update: {},
    create: { username, displayName: `Test ${role}`, role, passwordHash: "!not-a-hash" },
    select: { id: true },
  });
  const started = await startStaffSession(user.id);
  return { cookie: started.setCookie.split(";")[0], csrf: started.csrfToken, staffId: user.id, sessionId: started.sessionId, username };
}

function absolute(url: string): string {
  return url.startsWith("http") ? url : `${BASE}${url}`;
}

/** A GET as this staff member (no session: anonymous). */
export function staffGet(url: string, session: Pick<TestStaffSession, "cookie"> | null, headers: Record<string, string> = {}): Request {
  return new Request(absolute(url), { headers: session ? { Cookie: session.cookie, ...headers } : headers });
}

export type FormFields = Record<string, string | string[] | null | undefined>;

/**
 * A form POST as this staff member. The session's CSRF token is sent as
 * "csrf" unless `fields.csrf` says otherwise (null or undefined drops it).
 */
export function staffPost(url: string, session: Pick<TestStaffSession, "cookie" | "csrf"> | null, fields: FormFields = {}): Request {
  const body = new URLSearchParams();
  const all: FormFields = { ...(session && !("csrf" in fields) ? { csrf: session.csrf } : {}), ...fields };
  for (const [name, value] of Object.entries(all)) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (session) headers.Cookie = session.cookie;
  return new Request(absolute(url), { method: "POST", headers, body });
}

export interface RouteAnswer {
  status: number;
  location: string | null;
  /** parsed JSON body, when there is one */
  data: Record<string, unknown> | null;
  headers: Headers;
}

type Handler = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => unknown;

/**
 * Runs a route's loader or action as Remix would: a thrown Response (a
 * redirect, a 403) is the answer. `context.clientIp` defaults to a test address.
 */
export async function callRoute(
  handler: Handler,
  request: Request,
  { params = {}, context = { clientIp: "203.0.113.50" } }: { params?: Record<string, string>; context?: Record<string, unknown> } = {},
): Promise<RouteAnswer> {
  let result: unknown;
  try {
    result = await handler({ request, params, context });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (!(result instanceof Response)) return { status: 200, location: null, data: (result ?? null) as Record<string, unknown> | null, headers: new Headers() };
  const location = result.headers.get("Location");
  const text = location ? "" : await result.text();
  let data: Record<string, unknown> | null = null;
  if (text && (result.headers.get("Content-Type") ?? "").includes("json")) data = JSON.parse(text) as Record<string, unknown>;
  return { status: result.status, location, data, headers: result.headers };
}

/** What a loader or action answered as a Response: returned or thrown (a redirect, a 403), as Remix treats both. */
export async function responseOf<T>(fn: () => Promise<T>): Promise<Response> {
  try {
    const out = await fn();
    if (out instanceof Response) return out;
    throw new Error("not a Response");
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
