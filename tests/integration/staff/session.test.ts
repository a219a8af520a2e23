// Staff sessions: server-side rows behind a signed cookie, 30 minutes idle,
// moved on by each request and by "Stay signed in", ended by signing out or
// by an admin disabling the account.
import { describe, expect, it, vi } from "vitest";
import { loader as layoutLoader } from "~/routes/staff";
import { action as logoutAction } from "~/routes/staff.logout";
import { action as sessionAction } from "~/routes/staff.session";
import { db } from "~/services/db.server";
import { requireStaff, STAFF_IDLE_MS } from "~/services/staff-session.server";
import { callRoute, signInAs, staffGet, staffPost } from "../../support/staff";

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax, path / and holds no more than a signed random id", async () => {
    const { startStaffSession } = await import("~/services/staff-session.server");
    const user = await db.staffUser.create({ data: { username: "cookie-check", displayName: "C", role: "caseworker", passwordHash: "!" } });
    const started = await startStaffSession(user.id);
    expect(started.setCookie).toMatch(/^__staff=/);
    expect(started.setCookie).toMatch(/HttpOnly/i);
    expect(started.setCookie).toMatch(/SameSite=Lax/i);
    expect(started.setCookie).toMatch(/Path=\//);
    // Not Secure outside production (tests run over http).
    expect(started.setCookie).not.toMatch(/Secure/i);
    // The row is stored under a hash: the cookie's value is not the row id.
    expect(started.setCookie).not.toContain(started.sessionId);
    expect(await db.staffSession.count({ where: { id: started.sessionId } })).toBe(1);
  });

  it("is Secure in production", async () => {
    const before = process.env.NODE_ENV;
    const { resetConfigForTests } = await import("~/services/config.server");
    try {
      process.env.NODE_ENV = "production";
      resetConfigForTests();
      vi.resetModules();
      const fresh = await import("~/services/staff-session.server");
      const user = await db.staffUser.create({ data: { username: "secure-check", displayName: "S", role: "admin", passwordHash: "!" } });
      const started = await fresh.startStaffSession(user.id);
      expect(started.setCookie).toMatch(/; Secure/i);
      expect(started.setCookie).toMatch(/HttpOnly/i);
    } finally {
      process.env.NODE_ENV = before;
      resetConfigForTests();
      vi.resetModules();
    }
  });

  it("a forged or unsigned cookie opens nothing", async () => {
    const session = await signInAs("caseworker");
    const value = session.cookie.split("=")[1];
    const forged = { cookie: `__staff=${value.slice(0, -3)}abc` };
    const answer = await callRoute(layoutLoader, staffGet("/staff/cases", forged));
    expect(answer.status).toBe(303);
  });
});

describe("idle limit", () => {
  it("each request moves the limit to 30 minutes from now", async () => {
    const session = await signInAs("caseworker");
    await db.staffSession.update({ where: { id: session.sessionId }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    const ctx = await requireStaff(staffGet("/staff", session));
    expect(ctx.expiresAt.getTime()).toBeGreaterThan(Date.now() + STAFF_IDLE_MS - 5000);
    const row = await db.staffSession.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(row.expiresAt.getTime()).toBe(ctx.expiresAt.getTime());
  });

  it("a session idle for more than 30 minutes sends the person to the login page, coming back here after", async () => {
    const session = await signInAs("caseworker");
    await db.staffSession.update({
      where: { id: session.sessionId },
      data: { lastSeenAt: new Date(Date.now() - 31 * 60_000), expiresAt: new Date(Date.now() - 60_000) },
    });
    const answer = await callRoute(layoutLoader, staffGet("/staff/cases?status=submitted", session));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/staff/login?next=${encodeURIComponent("/staff/cases?status=submitted")}`);
    // ...and it stays out: the limit is not moved on by the refused request.
    const again = await callRoute(layoutLoader, staffGet("/staff", session));
    expect(again.status).toBe(303);
  });

  it("'Stay signed in' without script goes back to the page; with script answers the time left", async () => {
    const session = await signInAs("supervisor");
    await db.staffSession.update({ where: { id: session.sessionId }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    const plain = await callRoute(sessionAction, staffPost("/staff/session", session, { next: "/staff/cases?page=2" }));
    expect(plain).toMatchObject({ status: 303, location: "/staff/cases?page=2" });
    const row = await db.staffSession.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + STAFF_IDLE_MS - 5000);

    const js = await callRoute(sessionAction, staffPost("/staff/session", session, { js: "1" }));
    expect(js.status).toBe(200);
    expect(js.data?.remainingMs).toBeGreaterThan(STAFF_IDLE_MS - 5000);

    const offsite = await callRoute(sessionAction, staffPost("/staff/session", session, { next: "//evil.example/staff" }));
    expect(offsite.location).toBe("/staff");
  });
});

describe("signing out", () => {
  it("ends the session row, clears the cookie, and the old cookie opens nothing", async () => {
    const session = await signInAs("admin");
    const answer = await callRoute(logoutAction, staffPost("/staff/logout", session));
    expect(answer).toMatchObject({ status: 303, location: "/staff/login?signedOut=1" });
    expect(answer.headers.get("Set-Cookie")).toMatch(/__staff=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    const row = await db.staffSession.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(row.endedAt).not.toBeNull();
    expect((await callRoute(layoutLoader, staffGet("/staff", session))).status).toBe(303);
    const audit = await db.auditEntry.findFirst({ where: { action: "logout", subjectId: session.staffId } });
    expect(audit).not.toBeNull();
  });

  it("a disabled account's sessions stop working at once", async () => {
    const session = await signInAs("caseworker", { username: "soon-disabled" });
    await db.staffUser.update({ where: { id: session.staffId }, data: { disabledAt: new Date() } });
    expect((await callRoute(layoutLoader, staffGet("/staff", session))).status).toBe(303);
  });
});

describe("the layout", () => {
  it("lists only the pages the role may open, with the CSRF token and the end time", async () => {
    const caseworker = await signInAs("caseworker");
    const cw = await callRoute(layoutLoader, staffGet("/staff", caseworker));
    expect(cw.status).toBe(200);
    const hrefs = (cw.data?.nav as Array<{ href: string }>).map((n) => n.href);
    expect(hrefs).toEqual(["/staff", "/staff/callbacks", "/staff/cases", "/staff/outreach"]);
    expect(cw.data?.csrfToken).toBe(caseworker.csrf);

    const admin = await signInAs("admin");
    const ad = await callRoute(layoutLoader, staffGet("/staff", admin));
    expect((ad.data?.nav as Array<{ href: string }>).map((n) => n.href)).toEqual(["/staff", "/staff/audit", "/staff/admin/staff", "/staff/admin/tokens", "/staff/admin/organisations"]);
  });
});
