// Partner accounts (issue 9) on the admin pages: role partner needs an
// organisation (400 and a message without one, or with one that does not
// exist); the account is tied to it; signing in goes to /partner; changing
// the organisation or the role ends the account's sessions and is audited.
import { beforeAll, describe, expect, it } from "vitest";
import { action as accountAction, loader as accountLoader } from "~/routes/staff.admin.staff.$id";
import { action as staffAction, loader as staffLoader } from "~/routes/staff.admin.staff._index";
import { action as loginAction } from "~/routes/staff_.login";
import { loader as partnerLoader } from "~/routes/partner._index";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";
import { makeOrganisation } from "./fixtures";

const t = fixedT("en", "admin");
let admin: TestStaffSession;
let A: { organisationId: string };
let B: { organisationId: string };

function login(username: string, password: string) {
  return callRoute(
    loginAction,
    new Request("http://localhost/staff/login", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username, password, next: "/staff/cases" }) }),
    { context: { clientIp: `203.0.113.${Math.floor(Math.random() * 200)}` } },
  );
}

beforeAll(async () => {
  admin = await signInAs("admin");
  A = await makeOrganisation("Org A");
  B = await makeOrganisation("Org B");
});

describe("making a partner account", () => {
  it("needs an organisation that exists", async () => {
    const base = { username: "partner.x", displayName: "Partner X", role: "partner", password: "a-long-first-password" };
    const none = await callRoute(staffAction, staffPost("/staff/admin/staff?lng=en", admin, base));
    expect(none.status).toBe(400);
    expect(none.data?.errors).toEqual({ organisationId: t("errors.organisationId.missing") });
    const unknown = await callRoute(staffAction, staffPost("/staff/admin/staff?lng=en", admin, { ...base, organisationId: "no-such-org" }));
    expect(unknown.status).toBe(400);
    expect(unknown.data?.errors).toEqual({ organisationId: t("errors.organisationId.missing") });
    expect(await db.staffUser.count({ where: { username: "partner.x" } })).toBe(0);
  });

  it("ties the account to the organisation; the partner signs in to /partner and sees that organisation", async () => {
    const form = await callRoute(staffLoader, staffGet("/staff/admin/staff?lng=en", admin));
    expect(form.data?.organisations).toEqual(expect.arrayContaining([expect.objectContaining({ id: A.organisationId, name: "Org A" })]));
    const made = await callRoute(
      staffAction,
      staffPost("/staff/admin/staff?lng=en", admin, { username: "partner.a", displayName: "Partner A", role: "partner", organisationId: A.organisationId, password: "a-long-first-password" }),
    );
    expect(made.status).toBe(303);
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "partner.a" } });
    expect(user).toMatchObject({ role: "partner", organisationId: A.organisationId });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "create_staff", subjectId: user.id } });
    expect(JSON.parse(audit.detail)).toEqual({ role: "partner", organisationId: A.organisationId });
    const list = await callRoute(staffLoader, staffGet("/staff/admin/staff?lng=en", admin));
    expect(list.data?.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ username: "partner.a", organisation: "Org A" })]));

    const signedIn = await login("partner.a", "a-long-first-password");
    expect(signedIn).toMatchObject({ status: 303, location: "/partner" });
    const cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0];
    const page = await callRoute(partnerLoader, staffGet("/partner", { cookie }));
    expect(page.status).toBe(200);
    expect(page.data?.organisation).toBe("Org A");
  });

  it("an organisation sent with another role is not kept", async () => {
    await callRoute(
      staffAction,
      staffPost("/staff/admin/staff?lng=en", admin, { username: "cw.with.org", displayName: "CW", role: "caseworker", organisationId: A.organisationId, password: "a-long-first-password" }),
    );
    expect(await db.staffUser.findUniqueOrThrow({ where: { username: "cw.with.org" } })).toMatchObject({ role: "caseworker", organisationId: null });
  });
});

describe("changing a partner account", () => {
  it("moves it to another organisation (sessions end, audited) and unties it when the role changes", async () => {
    const partner = await signInAs("partner", { username: "partner.move" });
    await db.staffUser.update({ where: { id: partner.staffId }, data: { organisationId: A.organisationId } });
    const page = await callRoute(accountLoader, staffGet(`/staff/admin/staff/${partner.staffId}?lng=en`, admin), { params: { id: partner.staffId } });
    expect(page.data?.account).toMatchObject({ role: "partner", organisationId: A.organisationId, organisation: "Org A" });

    const post = (fields: Record<string, string>) => callRoute(accountAction, staffPost(`/staff/admin/staff/${partner.staffId}?lng=en`, admin, fields), { params: { id: partner.staffId } });
    const missing = await post({ intent: "role", role: "partner", organisationId: "" });
    expect(missing.status).toBe(400);
    expect(missing.data?.errors).toEqual({ organisationId: t("errors.organisationId.missing") });

    expect((await post({ intent: "role", role: "partner", organisationId: B.organisationId })).status).toBe(303);
    expect(await db.staffUser.findUniqueOrThrow({ where: { id: partner.staffId } })).toMatchObject({ role: "partner", organisationId: B.organisationId });
    expect((await db.staffSession.findUniqueOrThrow({ where: { id: partner.sessionId } })).endedAt).not.toBeNull();
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "change_staff_role", subjectId: partner.staffId }, orderBy: { seq: "desc" } });
    expect(JSON.parse(audit.detail)).toEqual({ from: "partner", to: "partner", fromOrganisation: A.organisationId, toOrganisation: B.organisationId });

    expect((await post({ intent: "role", role: "caseworker", organisationId: B.organisationId })).status).toBe(303);
    expect(await db.staffUser.findUniqueOrThrow({ where: { id: partner.staffId } })).toMatchObject({ role: "caseworker", organisationId: null });
  });
});
