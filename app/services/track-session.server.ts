// The /track sign-in: a signed, HttpOnly, SameSite=Lax cookie holding the
// reference and phone a code was sent to (so /track/code need not ask again)
// and, once the code is right, the case being followed: { applicationId,
// role, phone, expiresAt }. It lasts 30 minutes after the last thing the
// person did; the case page says so and has a button for more time. After
// that the person signs in again; nothing is kept in the session that would
// be lost. Every request re-checks the case (a stopped proxy is out at once).
import { createCookieSessionStorage, redirect, type Session } from "@remix-run/node";
import type { TrackRole } from "~/models/one-time-code.server";
import { getCaseForResident, type ResidentCaseView } from "~/models/tracked-case.server";
import { config } from "./config.server";
import type { Db } from "./db.server";

export const TRACK_IDLE_MS = 30 * 60_000;
export const TRACK_IDLE_MINUTES = TRACK_IDLE_MS / 60_000;

export interface TrackedCase {
  applicationId: string;
  role: TrackRole;
  /** E.164 */
  phone: string;
  /** ms since epoch */
  expiresAt: number;
}

export interface PendingCode {
  reference: string;
  phone: string;
}

export type TrackNotice = { kind: "uploaded" | "withdrawn" | "proxyRevoked" | "extended" } | { kind: "callback"; reference: string };

interface SessionData {
  pending: PendingCode;
  tracked: TrackedCase;
}
interface FlashData {
  notice: TrackNotice;
}

let storage: ReturnType<typeof makeStorage> | null = null;

function makeStorage() {
  return createCookieSessionStorage<SessionData, FlashData>({
    cookie: {
      name: "__track",
      path: "/track",
      httpOnly: true,
      sameSite: "lax",
      secure: config().production,
      secrets: [config().sessionSecret],
    },
  });
}

function sessionStorage() {
  storage ??= makeStorage();
  return storage;
}

export type TrackSession = Session<SessionData, FlashData>;

export function getTrackSession(request: Request): Promise<TrackSession> {
  return sessionStorage().getSession(request.headers.get("Cookie"));
}

export function commitTrackSession(session: TrackSession): Promise<string> {
  return sessionStorage().commitSession(session);
}

/** The case this browser follows, when signed in and not idle too long. */
export function trackedCase(session: TrackSession, now: Date = new Date()): TrackedCase | null {
  const tracked = session.get("tracked");
  if (!tracked || typeof tracked.expiresAt !== "number" || tracked.expiresAt <= now.getTime()) return null;
  return tracked;
}

export function signIn(session: TrackSession, value: Omit<TrackedCase, "expiresAt">, now: Date = new Date()): void {
  session.unset("pending");
  session.set("tracked", { ...value, expiresAt: now.getTime() + TRACK_IDLE_MS });
}

/** Another 30 minutes from now. */
export function renew(session: TrackSession, tracked: TrackedCase, now: Date = new Date()): TrackedCase {
  const next = { ...tracked, expiresAt: now.getTime() + TRACK_IDLE_MS };
  session.set("tracked", next);
  return next;
}

export function signOut(session: TrackSession): void {
  session.unset("tracked");
}

/** Where to go when not signed in: the start, saying why when the sign-in ran out. */
export async function toSignIn(session: TrackSession, expired: boolean): Promise<Response> {
  const wasSignedIn = session.has("tracked");
  signOut(session);
  return redirect(expired && wasSignedIn ? "/track?expired=1" : "/track", {
    status: 303,
    headers: { "Set-Cookie": await commitTrackSession(session), "Cache-Control": "no-store" },
  });
}

/**
 * The signed-in case for a /track page, with the session renewed (the 30
 * minutes count from the last thing done) and its Set-Cookie; throws the
 * redirect to /track otherwise (also when a stopped proxy comes back).
 */
export async function requireTrackedCase(
  request: Request,
  db: Db,
  now: Date = new Date(),
): Promise<{ session: TrackSession; tracked: TrackedCase; view: ResidentCaseView }> {
  const session = await getTrackSession(request);
  const current = trackedCase(session, now);
  if (!current) throw await toSignIn(session, true);
  const view = await getCaseForResident(db, { applicationId: current.applicationId, phone: current.phone });
  if (!view || view.role !== current.role) throw await toSignIn(session, false);
  const tracked = renew(session, current, now);
  return { session, tracked, view };
}

/** The client address the server put in the load context (app/server/app.ts), when it did. */
export function clientIp(context: unknown): string | null {
  const ip = (context as { clientIp?: unknown } | undefined)?.clientIp;
  return typeof ip === "string" && ip !== "" ? ip : null;
}
