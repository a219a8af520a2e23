// A change and its audit entry commit together or not at all: the call-back
// actions (claim, take the next, release, record a call, mark done, put back,
// give to someone) and the admin changes (create, disable, unlock, new
// password, role, tokens, the organisations catalogue). The audit append is made to fail (recordAudit
// throws for one action, after the change was written in the transaction):
// the change must be rolled back with it. Then, without the failure, both are
// written and the chain still verifies.
import type { AppLoadContext } from "@remix-run/node";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// Only the action named here fails, so the other audit entries (the page views) are written as usual.
const failing = vi.hoisted(() => ({ action: null as string | null }));
vi.mock("~/services/audit.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/services/audit.server")>();
  return {
    ...original,
    recordAudit: async (...args: Parameters<typeof original.recordAudit>) => {
      if (failing.action !== null && args[1].action === failing.action) throw new Error(`audit write failed (${failing.action})`);
      return original.recordAudit(...args);
    },
  };
});

import { queueCallback } from "~/models/callback.server";
import { createOrganisation, setOrganisationActive } from "~/models/organisation.server";
import * as detail from "~/routes/staff.callbacks.$reference";
import * as queue from "~/routes/staff.callbacks._index";
import { action as accountAction } from "~/routes/staff.admin.staff.$id";
import { action as staffAction } from "~/routes/staff.admin.staff._index";
import { action as tokensAction } from "~/routes/staff.admin.tokens";
import { verifyAuditChain } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { callRoute, signInAs, staffPost, type TestStaffSession } from "../../support/staff";

const ctx = (): AppLoadContext => ({});

let worker: TestStaffSession;
let supervisor: TestStaffSession;
let admin: TestStaffSession;

beforeAll(async () => {
  worker = await signInAs("caseworker", { username: "atomic-worker" });
  supervisor = await signInAs("supervisor", { username: "atomic-supervisor" });
  admin = await signInAs("admin", { username: "atomic-admin" });
});

afterEach(() => {
  failing.action = null;
});

let phoneSeq = 0;
async function seed(): Promise<string> {
  phoneSeq += 1;
  const result = await queueCallback(db, { phone: `+86138${String(60000000 + phoneSeq)}`, language: "zh-CN", source: "web_request" }, new Date(Date.now() - 48 * 3600_000));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.reference;
}

function postDetail(session: TestStaffSession, reference: string, fields: Record<string, string>) {
  return detail.action({ request: staffPost(`/staff/callbacks/${reference}`, session, fields), params: { reference }, context: ctx() });
}

async function item(reference: string) {
  return db.callbackRequest.findUniqueOrThrow({ where: { reference }, select: { status: true, claimedById: true, failedAttempts: true, _count: { select: { attempts: true } } } });
}

const audits = (action: string, subjectId: string) => db.auditEntry.count({ where: { action, subjectId } });

describe("call-back actions", () => {
  it("claim: a failed audit write leaves the item queued; then both are written", async () => {
    const reference = await seed();
    failing.action = "claim_callback";
    await expect(postDetail(worker, reference, { intent: "claim" })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "queued", claimedById: null });
    expect(await audits("claim_callback", reference)).toBe(0);

    failing.action = null;
    expect(((await postDetail(worker, reference, { intent: "claim" })) as Response).status).toBe(303);
    expect(await item(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });
    expect(await audits("claim_callback", reference)).toBe(1);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("take the next: a failed audit write claims nothing", async () => {
    // The oldest queued item is the one "take the next" picks; seed one far older than any other.
    const result = await queueCallback(db, { phone: "+8613755550001", language: "zh-CN", source: "web_request", urgent: true }, new Date(Date.now() - 30 * 24 * 3600_000));
    if (!result.ok) throw new Error("seed");
    const before = await db.callbackRequest.count({ where: { status: "claimed" } });
    failing.action = "claim_callback";
    await expect(queue.action({ request: staffPost("/staff/callbacks", worker, { intent: "next" }), params: {}, context: ctx() })).rejects.toThrow(/audit write failed/);
    expect(await db.callbackRequest.count({ where: { status: "claimed" } })).toBe(before);
    expect(await item(result.reference)).toMatchObject({ status: "queued" });
  });

  it("record a call, release, mark done: each rolled back with its audit entry", async () => {
    const reference = await seed();
    await postDetail(worker, reference, { intent: "claim" });

    failing.action = "log_callback_attempt";
    await expect(postDetail(worker, reference, { intent: "attempt", outcome: "no_answer" })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "claimed", failedAttempts: 0, _count: { attempts: 0 } });

    failing.action = "release_callback";
    await expect(postDetail(worker, reference, { intent: "release" })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });

    failing.action = "complete_callback";
    await expect(postDetail(worker, reference, { intent: "done" })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "claimed" });

    failing.action = "put_back_callback";
    await expect(postDetail(supervisor, reference, { intent: "put_back" })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });

    failing.action = "assign_callback";
    await expect(postDetail(supervisor, reference, { intent: "assign", assignTo: supervisor.staffId })).rejects.toThrow(/audit write failed/);
    expect(await item(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });

    failing.action = null;
    await postDetail(worker, reference, { intent: "attempt", outcome: "no_answer" });
    expect(await item(reference)).toMatchObject({ failedAttempts: 1, _count: { attempts: 1 } });
    expect(await audits("log_callback_attempt", reference)).toBe(1);
    // A missed call puts the item back in the queue: take it again to finish it.
    await postDetail(worker, reference, { intent: "claim" });
    await postDetail(worker, reference, { intent: "done" });
    expect(await item(reference)).toMatchObject({ status: "done" });
    expect(await audits("complete_callback", reference)).toBe(1);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe("admin changes", () => {
  it("create an account: a failed audit write leaves no account", async () => {
    failing.action = "create_staff";
    const fields = { username: "atomic.new", displayName: "New person", role: "caseworker", password: "a-long-first-password" };
    await expect(callRoute(staffAction, staffPost("/staff/admin/staff", admin, fields))).rejects.toThrow(/audit write failed/);
    expect(await db.staffUser.findUnique({ where: { username: "atomic.new" } })).toBeNull();

    failing.action = null;
    expect((await callRoute(staffAction, staffPost("/staff/admin/staff", admin, fields))).status).toBe(303);
    const made = await db.staffUser.findUniqueOrThrow({ where: { username: "atomic.new" } });
    expect(await audits("create_staff", made.id)).toBe(1);
  });

  it("disable, unlock, new password, role: each rolled back with its audit entry", async () => {
    const target = await db.staffUser.create({
      data: { username: "atomic-target", displayName: "Target", role: "caseworker", passwordHash: "!old", failedLogins: 3, lockedUntil: new Date(Date.now() + 600_000) },
      select: { id: true },
    });
    const post = (fields: Record<string, string>) => callRoute(accountAction, staffPost(`/staff/admin/staff/${target.id}`, admin, fields), { params: { id: target.id } });
    const state = () => db.staffUser.findUniqueOrThrow({ where: { id: target.id }, select: { disabledAt: true, lockedUntil: true, passwordHash: true, role: true } });

    failing.action = "disable_staff";
    await expect(post({ intent: "disable" })).rejects.toThrow(/audit write failed/);
    expect((await state()).disabledAt).toBeNull();

    failing.action = "unlock_staff";
    await expect(post({ intent: "unlock" })).rejects.toThrow(/audit write failed/);
    expect((await state()).lockedUntil).not.toBeNull();

    failing.action = "reset_staff_password";
    await expect(post({ intent: "password", password: "another-long-password" })).rejects.toThrow(/audit write failed/);
    expect((await state()).passwordHash).toBe("!old");

    failing.action = "change_staff_role";
    await expect(post({ intent: "role", role: "supervisor" })).rejects.toThrow(/audit write failed/);
    expect((await state()).role).toBe("caseworker");

    failing.action = null;
    expect((await post({ intent: "disable" })).status).toBe(303);
    expect((await state()).disabledAt).not.toBeNull();
    expect(await audits("disable_staff", target.id)).toBe(1);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("tokens: a failed audit write makes no token and stops none", async () => {
    const before = await db.apiToken.count();
    failing.action = "create_token";
    await expect(callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { name: "Atomic partner", scope: "partner" }))).rejects.toThrow(/audit write failed/);
    expect(await db.apiToken.count()).toBe(before);

    failing.action = null;
    await callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { name: "Atomic partner", scope: "partner" }));
    const token = await db.apiToken.findFirstOrThrow({ where: { name: "Atomic partner" } });
    expect(await audits("create_token", token.id)).toBe(1);

    failing.action = "revoke_token";
    await expect(callRoute(tokensAction, staffPost("/staff/admin/tokens", admin, { intent: "revoke", id: token.id }))).rejects.toThrow(/audit write failed/);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();
  });

  it("organisations: a failed audit write makes none and changes none", async () => {
    const who = { actor: `staff:${admin.staffId}`, actorName: admin.username };
    const input = { name: "Atomic org", district: "dongcheng" as const, contactName: "A", contactPhone: "010-65550001", capacity: 3 };
    failing.action = "create_organisation";
    await expect(createOrganisation(db, input, who)).rejects.toThrow(/audit write failed/);
    expect(await db.socialOrganisation.count({ where: { name: "Atomic org" } })).toBe(0);
    failing.action = null;
    const made = await createOrganisation(db, input, who);
    failing.action = "deactivate_organisation";
    await expect(setOrganisationActive(db, made.id, false, who)).rejects.toThrow(/audit write failed/);
    expect((await db.socialOrganisation.findUniqueOrThrow({ where: { id: made.id } })).active).toBe(true);
  });
});
