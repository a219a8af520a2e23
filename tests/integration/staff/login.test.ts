// /staff/login: argon2id passwords, one message for unknown user and wrong
// password, lockout after 5 wrong tries in a row (15 minutes), a limit per
// address, a safe `next`, and the audit record of each attempt.
import { beforeAll, describe, expect, it } from "vitest";
import { ensureStaffUser, LOCK_MS, MAX_IP_FAILURES } from "~/models/staff.server";
import { action as loginAction, loader as loginLoader } from "~/routes/staff_.login";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { callRoute, signInAs, staffGet } from "../../support/staff";

const t = fixedT("en", "staff");
const PASSWORD = "lifeline-demo-2026";

beforeAll(async () => {
  for (const username of ["caseworker", "supervisor", "admin"] as const) {
    await ensureStaffUser(db, { username, displayName: username, role: username, password: PASSWORD });
  }
});

function loginPost(fields: Record<string, string>, query = "?lng=en", cookie?: string): Request {
  return new Request(`http://localhost/staff/login${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}

const ip = (n: number) => ({ context: { clientIp: `198.51.100.${n}` } });

describe("signing in", () => {
  it("the demo supervisor signs in with the right password, gets a session cookie and goes to a safe next", async () => {
    const answer = await callRoute(loginAction, loginPost({ username: " Supervisor ", password: PASSWORD, next: "/staff/cases?status=submitted" }), ip(1));
    expect(answer).toMatchObject({ status: 303, location: "/staff/cases?status=submitted" });
    const cookie = answer.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^__staff=.+; .*HttpOnly/i);
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "supervisor" } });
    expect(user.lastLoginAt).not.toBeNull();
    expect(await db.staffSession.count({ where: { staffUserId: user.id, endedAt: null } })).toBeGreaterThan(0);
    const audit = await db.auditEntry.findFirst({ where: { action: "login", subjectId: user.id } });
    expect(audit?.actorName).toBe("supervisor");
    // The login page of a signed-in person goes straight on.
    const again = await callRoute(loginLoader, new Request("http://localhost/staff/login?next=/staff/audit", { headers: { Cookie: cookie.split(";")[0] } }));
    expect(again).toMatchObject({ status: 303, location: "/staff/audit" });
  });

  it.each([["https://evil.example/staff"], ["//evil.example/staff"], ["/\\evil.example"], ["/staffing"], ["javascript:alert(1)"], ["/track/case"]])(
    "never redirects to %s: the dashboard instead",
    async (next) => {
      const answer = await callRoute(loginAction, loginPost({ username: "caseworker", password: PASSWORD, next }), ip(2));
      expect(answer).toMatchObject({ status: 303, location: "/staff" });
    },
  );

  it("empty fields answer 400 with a message for each", async () => {
    const answer = await callRoute(loginAction, loginPost({ username: "", password: "" }), ip(3));
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ username: t("login.errors.usernameMissing"), password: t("login.errors.passwordMissing") });
  });

  it("gives the same answer for an unknown username and a wrong password, and never records the password or the typed unknown name", async () => {
    const unknown = await callRoute(loginAction, loginPost({ username: "lifeline-demo-2026x", password: "whatever-it-is" }), ip(4));
    const wrong = await callRoute(loginAction, loginPost({ username: "admin", password: "not-the-password" }), ip(4));
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    expect(unknown.data?.errors).toEqual({ username: t("login.errors.wrong") });
    expect(wrong.data?.errors).toEqual(unknown.data?.errors);
    await db.staffUser.update({ where: { username: "admin" }, data: { failedLogins: 0 } });
    const log = JSON.stringify(await db.auditEntry.findMany({ where: { action: "login_failed" } }));
    expect(log).not.toContain("lifeline-demo-2026x");
    expect(log).not.toContain("not-the-password");
    expect(log).not.toContain("198.51.100");
  });
});

describe("lockout", () => {
  it("locks the account after 5 wrong tries in a row: even the right password is refused until the time it names", async () => {
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "caseworker" } });
    for (let i = 0; i < 4; i++) {
      const answer = await callRoute(loginAction, loginPost({ username: "caseworker", password: `wrong-${i}` }), ip(10 + i));
      expect(answer.status).toBe(400);
    }
    const fifth = await callRoute(loginAction, loginPost({ username: "caseworker", password: "wrong-5" }), ip(20));
    expect(fifth.status).toBe(429);
    const locked = await db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.lockedUntil?.getTime()).toBeGreaterThan(Date.now() + LOCK_MS - 10_000);
    const time = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "Asia/Shanghai" }).format(locked.lockedUntil!);
    expect((fifth.data?.errors as Record<string, string>).username).toBe(t("login.errors.locked", { time }));

    const right = await callRoute(loginAction, loginPost({ username: "caseworker", password: PASSWORD }), ip(21));
    expect(right.status).toBe(429);
    expect(right.headers.get("Set-Cookie")).toBeNull();

    // After the 15 minutes the right password works and the count starts afresh.
    await db.staffUser.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const later = await callRoute(loginAction, loginPost({ username: "caseworker", password: PASSWORD }), ip(22));
    expect(later.status).toBe(303);
    expect((await db.staffUser.findUniqueOrThrow({ where: { id: user.id } })).failedLogins).toBe(0);
  });

  it("a right password in between resets the count", async () => {
    for (let i = 0; i < 4; i++) await callRoute(loginAction, loginPost({ username: "supervisor", password: `nope-${i}` }), ip(30));
    expect((await callRoute(loginAction, loginPost({ username: "supervisor", password: PASSWORD }), ip(30))).status).toBe(303);
    expect((await callRoute(loginAction, loginPost({ username: "supervisor", password: "nope-again" }), ip(30))).status).toBe(400);
    expect((await db.staffUser.findUniqueOrThrow({ where: { username: "supervisor" } })).lockedUntil).toBeNull();
  });

  it(`stops an address after ${MAX_IP_FAILURES} failures in 15 minutes, whatever the usernames`, async () => {
    const now = Date.now();
    await db.loginFailure.createMany({
      data: Array.from({ length: MAX_IP_FAILURES }, (_, i) => ({ username: `guess${i}`, ip: "192.0.2.99", at: new Date(now - 60_000 + i) })),
    });
    const answer = await callRoute(loginAction, loginPost({ username: "admin", password: PASSWORD }), { context: { clientIp: "192.0.2.99" } });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("Set-Cookie")).toBeNull();
    // Another address is not affected.
    expect((await callRoute(loginAction, loginPost({ username: "admin", password: PASSWORD }), { context: { clientIp: "192.0.2.100" } })).status).toBe(303);
  });

  it("a disabled account cannot sign in, with the same message as a wrong password", async () => {
    await ensureStaffUser(db, { username: "gone", displayName: "Gone", role: "caseworker", password: PASSWORD });
    await db.staffUser.update({ where: { username: "gone" }, data: { disabledAt: new Date() } });
    const answer = await callRoute(loginAction, loginPost({ username: "gone", password: PASSWORD }), ip(40));
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ username: t("login.errors.wrong") });
  });
});

describe("the login page", () => {
  it("says why after signing out, and after the idle limit", async () => {
    const out = await callRoute(loginLoader, new Request("http://localhost/staff/login?signedOut=1&lng=en"));
    expect(out.data?.notice).toBe("signedOut");
    const session = await signInAs("caseworker");
    await db.staffSession.update({ where: { id: session.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const idle = await callRoute(loginLoader, staffGet("/staff/login?next=%2Fstaff%2Fcases", session));
    expect(idle.data).toMatchObject({ notice: "timedOut", next: "/staff/cases" });
  });
});
