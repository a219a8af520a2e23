// The admin pages: staff accounts (create, role, turn off/on, unlock, new
// password) and API tokens (made and shown once, kept hashed, work on the
// staff API, stopped). Admins only; every change is in the audit log.
import { describe, expect, it } from "vitest";
import { hashApiToken } from "~/models/api-token.server";
import { action as accountAction, loader as accountLoader } from "~/routes/staff.admin.staff.$id";
import { action as staffAction, loader as staffLoader } from "~/routes/staff.admin.staff._index";
import { action as tokensAction, loader as tokensLoader } from "~/routes/staff.admin.tokens";
import { action as loginAction } from "~/routes/staff_.login";
import { loader as apiCallbacksLoader } from "~/routes/api.v1.staff.callbacks";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { verifyAuditChain } from "~/services/audit.server";
import { callRoute, signInAs, staffGet, staffPost } from "../../support/staff";

const t = fixedT("en", "admin");

function login(username: string, password: string) {
  return callRoute(
    loginAction,
    new Request("http://localhost/staff/login", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username, password }) }),
    { context: { clientIp: `203.0.113.${Math.floor(Math.random() * 200)}` } },
  );
}

async function lastAudit(action: string) {
  return db.auditEntry.findFirst({ where: { action }, orderBy: { seq: "desc" } });
}

describe("staff accounts", () => {
  it("an admin makes an account; the person can sign in with the first password; it is audited without the password", async () => {
    const admin = await signInAs("admin");
    const answer = await callRoute(
      staffAction,
      staffPost("/staff/admin/staff?lng=en", admin, { username: " Zhang.Wei ", displayName: "张伟", role: "caseworker", password: "a-long-first-password" }),
    );
    expect(answer).toMatchObject({ status: 303, location: "/staff/admin/staff?created=zhang.wei" });
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "zhang.wei" } });
    expect(user.role).toBe("caseworker");
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await lastAudit("create_staff");
    expect(audit).toMatchObject({ actor: `staff:${admin.staffId}`, subjectId: user.id });
    expect(audit?.detail).not.toContain("a-long-first-password");
    expect((await login("zhang.wei", "a-long-first-password")).status).toBe(303);

    const list = await callRoute(staffLoader, staffGet("/staff/admin/staff?created=zhang.wei&lng=en", admin));
    expect(list.data?.created).toBe("zhang.wei");
    expect(list.data?.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ username: "zhang.wei", role: "caseworker", state: "active" })]));
  });

  it("refuses bad input with 400 and a message for each field, and a username already used", async () => {
    const admin = await signInAs("admin");
    const bad = await callRoute(staffAction, staffPost("/staff/admin/staff?lng=en", admin, { username: "x", displayName: "", role: "boss", password: "short" }));
    expect(bad.status).toBe(400);
    expect(bad.data?.errors).toEqual({
      username: t("errors.username.invalid"),
      displayName: t("errors.displayName.missing"),
      role: t("errors.role.missing"),
      password: t("errors.password.tooShort", { min: 12 }),
    });
    const taken = await callRoute(staffAction, staffPost("/staff/admin/staff?lng=en", admin, { username: "test-admin", displayName: "X", role: "admin", password: "long-enough-password" }));
    expect(taken.status).toBe(400);
    expect(taken.data?.errors).toEqual({ username: t("errors.username.taken") });
  });

  it("changing a role ends the person's sessions; their new role applies when they sign in again", async () => {
    const admin = await signInAs("admin");
    const worker = await signInAs("caseworker", { username: "to-promote" });
    const answer = await callRoute(accountAction, staffPost(`/staff/admin/staff/${worker.staffId}`, admin, { intent: "role", role: "supervisor" }), { params: { id: worker.staffId } });
    expect(answer).toMatchObject({ status: 303, location: `/staff/admin/staff/${worker.staffId}?done=role` });
    expect((await db.staffUser.findUniqueOrThrow({ where: { id: worker.staffId } })).role).toBe("supervisor");
    expect((await db.staffSession.findUniqueOrThrow({ where: { id: worker.sessionId } })).endedAt).not.toBeNull();
    const audit = await lastAudit("change_staff_role");
    expect(JSON.parse(audit!.detail)).toEqual({ from: "caseworker", to: "supervisor" });
  });

  it("turning an account off signs the person out and stops sign-in; turning it on lets them back", async () => {
    const admin = await signInAs("admin");
    await callRoute(staffAction, staffPost("/staff/admin/staff", admin, { username: "li.na", displayName: "李娜", role: "caseworker", password: "li-na-password-1" }));
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "li.na" } });
    const params = { params: { id: user.id } };
    expect((await callRoute(accountAction, staffPost(`/staff/admin/staff/${user.id}`, admin, { intent: "disable" }), params)).status).toBe(303);
    expect((await login("li.na", "li-na-password-1")).status).toBe(400);
    expect((await callRoute(accountAction, staffPost(`/staff/admin/staff/${user.id}`, admin, { intent: "enable" }), params)).status).toBe(303);
    expect((await login("li.na", "li-na-password-1")).status).toBe(303);
    expect(await lastAudit("disable_staff")).toMatchObject({ subjectId: user.id });
    expect(await lastAudit("enable_staff")).toMatchObject({ subjectId: user.id });
  });

  it("unlocks a locked account and sets a new password (at least 12 characters)", async () => {
    const admin = await signInAs("admin");
    const worker = await signInAs("caseworker", { username: "locked-out" });
    await db.staffUser.update({ where: { id: worker.staffId }, data: { lockedUntil: new Date(Date.now() + 600_000), failedLogins: 0 } });
    const page = await callRoute(accountLoader, staffGet(`/staff/admin/staff/${worker.staffId}?lng=en`, admin), { params: { id: worker.staffId } });
    expect((page.data?.account as { lockedUntil: string | null }).lockedUntil).not.toBeNull();
    const params = { params: { id: worker.staffId } };
    expect((await callRoute(accountAction, staffPost(`/staff/admin/staff/${worker.staffId}`, admin, { intent: "unlock" }), params)).status).toBe(303);
    expect((await db.staffUser.findUniqueOrThrow({ where: { id: worker.staffId } })).lockedUntil).toBeNull();

    const short = await callRoute(accountAction, staffPost(`/staff/admin/staff/${worker.staffId}?lng=en`, admin, { intent: "password", password: "too-short" }), params);
    expect(short.status).toBe(400);
    expect(short.data?.errors).toEqual({ password: t("errors.password.tooShort", { min: 12 }) });
    expect((await callRoute(accountAction, staffPost(`/staff/admin/staff/${worker.staffId}`, admin, { intent: "password", password: "brand-new-password" }), params)).status).toBe(303);
    expect((await login("locked-out", "brand-new-password")).status).toBe(303);
    expect((await db.staffSession.findUniqueOrThrow({ where: { id: worker.sessionId } })).endedAt).not.toBeNull();
  });

  it("an admin cannot change their own role or turn themselves off", async () => {
    const admin = await signInAs("admin");
    const params = { params: { id: admin.staffId } };
    const role = await callRoute(accountAction, staffPost(`/staff/admin/staff/${admin.staffId}?lng=en`, admin, { intent: "role", role: "caseworker" }), params);
    expect(role.status).toBe(400);
    expect(role.data?.errors).toEqual({ role: t("errors.role.self") });
    const off = await callRoute(accountAction, staffPost(`/staff/admin/staff/${admin.staffId}?lng=en`, admin, { intent: "disable" }), params);
    expect(off.status).toBe(400);
    const me = await db.staffUser.findUniqueOrThrow({ where: { id: admin.staffId } });
    expect(me).toMatchObject({ role: "admin", disabledAt: null });
  });

  it("an unknown account is 404", async () => {
    const admin = await signInAs("admin");
    expect((await callRoute(accountLoader, staffGet("/staff/admin/staff/nope", admin), { params: { id: "nope" } })).status).toBe(404);
  });
});

describe("API tokens", () => {
  it("a staff token is shown once, kept only as a hash, works on the staff API until it is stopped", async () => {
    const admin = await signInAs("admin");
    const made = await callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { name: "Reporting tool", scope: "staff" }));
    expect(made.status).toBe(200);
    const token = (made.data?.created as { token: string }).token;
    expect(token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findFirstOrThrow({ where: { name: "Reporting tool" } });
    expect(row.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    // The list never shows it again.
    const list = await callRoute(tokensLoader, staffGet("/staff/admin/tokens", admin));
    expect(JSON.stringify(list.data)).not.toContain(token);
    expect(list.data?.tokens).toEqual(expect.arrayContaining([expect.objectContaining({ id: row.id, name: "Reporting tool", scope: "staff", revokedAt: null })]));

    const api = () => callRoute(apiCallbacksLoader, new Request("http://localhost/api/v1/staff/callbacks", { headers: { Authorization: `Bearer ${token}` } }));
    const works = await api();
    expect(works.status).toBe(200);
    expect(works.data).toHaveProperty("items");

    const audit = await lastAudit("create_token");
    expect(audit).toMatchObject({ subjectId: row.id });
    expect(audit?.detail).not.toContain(token);

    const stop = await callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { intent: "revoke", id: row.id }));
    expect(stop).toMatchObject({ status: 303, location: "/staff/admin/tokens?revoked=1" });
    expect((await api()).status).toBe(401);
    expect(await lastAudit("revoke_token")).toMatchObject({ subjectId: row.id });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("a partner token made here is refused by the staff API (403)", async () => {
    const admin = await signInAs("admin");
    const made = await callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { name: "Community centre", scope: "partner" }));
    const token = (made.data?.created as { token: string }).token;
    const answer = await callRoute(apiCallbacksLoader, new Request("http://localhost/api/v1/staff/callbacks", { headers: { Authorization: `Bearer ${token}` } }));
    expect(answer.status).toBe(403);
  });

  it("refuses a token without a name or scope with 400", async () => {
    const admin = await signInAs("admin");
    const before = await db.apiToken.count();
    const bad = await callRoute(tokensAction, staffPost("/staff/admin/tokens?lng=en", admin, { name: "  ", scope: "root" }));
    expect(bad.status).toBe(400);
    expect(bad.data?.errors).toEqual({ name: t("errors.token.name.missing"), scope: t("errors.token.scope.missing") });
    expect(await db.apiToken.count()).toBe(before);
  });
});
