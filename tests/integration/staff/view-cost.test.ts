// What one staff page view costs the database, and that the savings keep the
// guarantees: the layout's and the page's loaders share one read of the
// session; a view moves the idle limit at most once a minute (an action, such
// as "Stay signed in", always gets a full 30 minutes); a sign-out is seen by
// the next request at once; views recorded at the same moment are written as
// one batch that keeps the hash chain whole, and entries written with raw SQL
// read back through the typed client exactly.
import { describe, expect, it } from "vitest";
import { loader as layoutLoader } from "~/routes/staff";
import * as cases from "~/routes/staff.cases._index";
import { action as sessionAction } from "~/routes/staff.session";
import { action as logoutAction } from "~/routes/staff.logout";
import { recordAudit, verifyAuditChain } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { groupCommitStats } from "~/services/group-commit.server";
import { sessionReadStats, STAFF_IDLE_MS } from "~/services/staff-session.server";
import { callRoute, signInAs, staffGet, staffPost } from "../../support/staff";

async function sessionRow(id: string) {
  return db.staffSession.findUniqueOrThrow({ where: { id } });
}

describe("one page view", () => {
  it("reads the session once for the layout and the page together", async () => {
    const session = await signInAs("caseworker", { username: "share-read" });
    const before = sessionReadStats().reads;
    const [layout, page] = await Promise.all([
      callRoute(layoutLoader, staffGet("/staff/cases", session)),
      callRoute(cases.loader, staffGet("/staff/cases", session)),
    ]);
    expect(layout.status).toBe(200);
    expect(page.status).toBe(200);
    expect(sessionReadStats().reads - before).toBe(1);
    // The next view reads afresh.
    await callRoute(layoutLoader, staffGet("/staff/cases", session));
    expect(sessionReadStats().reads - before).toBe(2);
  });

  it("moves the idle limit at most once a minute; an action moves it to a full 30 minutes", async () => {
    const session = await signInAs("caseworker", { username: "renew-minute" });
    // Moved 30 seconds ago: a view leaves it (no write).
    const recent = new Date(Date.now() + STAFF_IDLE_MS - 30_000);
    await db.staffSession.update({ where: { id: session.sessionId }, data: { expiresAt: recent } });
    const view = await callRoute(layoutLoader, staffGet("/staff", session));
    expect(view.status).toBe(200);
    expect((await sessionRow(session.sessionId)).expiresAt.getTime()).toBe(recent.getTime());
    // The page says the limit that is stored: no earlier, no later.
    expect(new Date(view.data?.expiresAt as string).getTime()).toBe(recent.getTime());

    // "Stay signed in" moves it on to 30 minutes from now all the same.
    const stay = await callRoute(sessionAction, staffPost("/staff/session", session, { js: "1" }));
    expect(stay.status).toBe(200);
    expect(stay.data?.remainingMs).toBeGreaterThan(STAFF_IDLE_MS - 5000);
    expect((await sessionRow(session.sessionId)).expiresAt.getTime()).toBeGreaterThan(Date.now() + STAFF_IDLE_MS - 5000);

    // Moved more than a minute ago: a view moves it again.
    const older = new Date(Date.now() + STAFF_IDLE_MS - 90_000);
    await db.staffSession.update({ where: { id: session.sessionId }, data: { expiresAt: older } });
    await callRoute(layoutLoader, staffGet("/staff", session));
    expect((await sessionRow(session.sessionId)).expiresAt.getTime()).toBeGreaterThan(Date.now() + STAFF_IDLE_MS - 5000);
  });

  it("after signing out, the very next request is refused", async () => {
    const session = await signInAs("supervisor", { username: "share-logout" });
    const [first] = await Promise.all([callRoute(layoutLoader, staffGet("/staff", session)), callRoute(logoutAction, staffPost("/staff/logout", session))]);
    expect([200, 303]).toContain(first.status);
    expect((await callRoute(layoutLoader, staffGet("/staff", session))).status).toBe(303);
  });
});

describe("audit entries of views", () => {
  it("written together as one batch, chain whole, read back exactly through the typed client", async () => {
    const at = new Date("2026-11-29T02:24:36.388Z");
    const before = groupCommitStats(db);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordAudit(db, { actor: "staff:batch", actorName: "batcher", action: "view_case_list", subjectType: "application", detail: { page: i, filters: { status: "submitted" } } }, at),
      ),
    );
    const after = groupCommitStats(db);
    // Twelve entries, fewer writes: the ones arriving while one was waiting went along with it.
    expect(after.writes - before.writes).toBeLessThan(12);
    const rows = await db.auditEntry.findMany({ where: { actor: "staff:batch" }, orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row.at).toBeInstanceOf(Date);
      expect(row.at.getTime()).toBe(at.getTime());
      expect(row).toMatchObject({ actorName: "batcher", action: "view_case_list", subjectType: "application", subjectId: null, reason: null });
      expect(JSON.parse(row.detail)).toMatchObject({ filters: { status: "submitted" } });
    }
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => rows[0].seq + i));
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
