// CSRF: every state-changing staff form carries its session's token. A POST
// without it, with a wrong one, or with another session's is refused (403)
// and changes nothing. (The access matrix runs the same three checks on every
// staff action; this file checks the mechanism itself.)
import { describe, expect, it } from "vitest";
import { action as logoutAction } from "~/routes/staff.logout";
import { action as staffAction } from "~/routes/staff.admin.staff._index";
import { db } from "~/services/db.server";
import { requireStaffAction } from "~/services/staff-session.server";
import { callRoute, signInAs, staffPost } from "../../support/staff";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("requireStaffAction", () => {
  it("passes with the session's own token only", async () => {
    const a = await signInAs("caseworker", { username: "csrf-a" });
    const b = await signInAs("caseworker", { username: "csrf-b" });
    expect(a.csrf).not.toBe(b.csrf);
    expect(a.csrf.length).toBeGreaterThanOrEqual(43);
    const request = () => staffPost("/staff/session", a, { csrf: null });
    expect(await status(requireStaffAction(request(), form({ csrf: a.csrf })))).toBe(200);
    expect(await status(requireStaffAction(request(), form({})))).toBe(403);
    expect(await status(requireStaffAction(request(), form({ csrf: "" })))).toBe(403);
    expect(await status(requireStaffAction(request(), form({ csrf: a.csrf.slice(0, -1) })))).toBe(403);
    expect(await status(requireStaffAction(request(), form({ csrf: b.csrf })))).toBe(403);
  });

  it("a signed-out POST goes to the login page before the token is looked at", async () => {
    const answer = await callRoute(logoutAction, staffPost("/staff/logout", null, { csrf: "anything" }));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/staff/login?next=%2Fstaff%2Flogout");
  });
});

describe("forged posts change nothing", () => {
  it("signing out without the token leaves the session alive", async () => {
    const session = await signInAs("supervisor");
    const answer = await callRoute(logoutAction, staffPost("/staff/logout", session, { csrf: "forged" }));
    expect(answer.status).toBe(403);
    expect((await db.staffSession.findUniqueOrThrow({ where: { id: session.sessionId } })).endedAt).toBeNull();
  });

  it("an account is not made from a forged form", async () => {
    const admin = await signInAs("admin");
    const answer = await callRoute(staffAction, staffPost("/staff/admin/staff", admin, { csrf: null, username: "forged.user", displayName: "F", role: "admin", password: "forged-password-1" }));
    expect(answer.status).toBe(403);
    expect(await db.staffUser.count({ where: { username: "forged.user" } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "create_staff" } })).toBe(0);
  });
});
