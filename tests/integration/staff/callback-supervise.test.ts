// Supervisors act on a call-back (queue.supervise): put it back in the queue
// whoever holds it, or give it to a caseworker. The due time and the flag
// stay; each change is audited; a bad choice (no such account, a disabled or
// admin account, a finished item) is refused with a reason and changes
// nothing; caseworkers (and admins) get 403.
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { queueCallback } from "~/models/callback.server";
import * as detail from "~/routes/staff.callbacks.$reference";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { verifyAuditChain } from "~/services/audit.server";
import { responseOf, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";

const t = fixedT("en", "queue");
const ctx = (): AppLoadContext => ({});

function post(session: TestStaffSession, reference: string, fields: Record<string, string>) {
  return responseOf(() => detail.action({ request: staffPost(`/staff/callbacks/${reference}?lng=en`, session, fields), params: { reference }, context: ctx() }));
}
function get(session: TestStaffSession, reference: string) {
  return responseOf(() => detail.loader({ request: staffGet(`/staff/callbacks/${reference}?lng=en`, session), params: { reference }, context: ctx() }));
}

let phoneSeq = 0;
async function seed(): Promise<string> {
  phoneSeq += 1;
  const result = await queueCallback(db, { phone: `+86139${String(70000000 + phoneSeq)}`, language: "zh-CN", source: "web_request" });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.reference;
}

async function row(reference: string) {
  return db.callbackRequest.findUniqueOrThrow({ where: { reference }, select: { status: true, claimedById: true, dueAt: true, flaggedAt: true } });
}

async function lastAudit(action: string, subjectId: string) {
  return db.auditEntry.findFirst({ where: { action, subjectId }, orderBy: { seq: "desc" } });
}

let worker: TestStaffSession;
let other: TestStaffSession;
let supervisor: TestStaffSession;
let admin: TestStaffSession;
let disabledId: string;

beforeAll(async () => {
  worker = await signInAs("caseworker", { username: "sup-worker" });
  other = await signInAs("caseworker", { username: "sup-other" });
  supervisor = await signInAs("supervisor", { username: "sup-supervisor" });
  admin = await signInAs("admin", { username: "sup-admin" });
  disabledId = (await db.staffUser.create({ data: { username: "sup-gone", displayName: "Gone", role: "caseworker", passwordHash: "!", disabledAt: new Date() }, select: { id: true } })).id;
});

describe("put back in the queue", () => {
  it("a supervisor frees a flagged item someone holds: queued, due time and flag kept, audited", async () => {
    const reference = await seed();
    expect((await post(worker, reference, { intent: "claim" })).status).toBe(303);
    const flaggedAt = new Date(Date.now() - 60_000);
    await db.callbackRequest.update({ where: { reference }, data: { flaggedAt, failedAttempts: 3 } });
    const before = await row(reference);

    const page = await get(supervisor, reference);
    const data = (await page.json()) as { assignees: { id: string; label: string; current: boolean }[] | null };
    expect(data.assignees?.find((a) => a.id === worker.staffId)?.current).toBe(true);
    expect(data.assignees?.some((a) => a.id === disabledId)).toBe(false);
    expect(data.assignees?.some((a) => a.id === admin.staffId)).toBe(false);

    const answer = await post(supervisor, reference, { intent: "put_back" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("Location")).toBe(`/staff/callbacks/${reference}?notice=putBack`);
    const after = await row(reference);
    expect(after).toMatchObject({ status: "queued", claimedById: null });
    expect(after.dueAt.getTime()).toBe(before.dueAt.getTime());
    expect(after.flaggedAt?.getTime()).toBe(flaggedAt.getTime());
    const audit = await lastAudit("put_back_callback", reference);
    expect(audit).toMatchObject({ actor: `staff:${supervisor.staffId}`, subjectType: "callback" });
    expect(JSON.parse(audit!.detail)).toEqual({ from: worker.staffId });
    expect(t("detail.putBack")).not.toBe("detail.putBack");

    // Again: already queued, nothing recorded.
    const again = await post(supervisor, reference, { intent: "put_back" });
    expect(again.headers.get("Location")).toBe(`/staff/callbacks/${reference}?notice=alreadyQueued`);
    expect(await db.auditEntry.count({ where: { action: "put_back_callback", subjectId: reference } })).toBe(1);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("caseworkers and admins may not; the page offers them nothing", async () => {
    const reference = await seed();
    await post(worker, reference, { intent: "claim" });
    expect((await post(other, reference, { intent: "put_back" })).status).toBe(403);
    expect((await post(worker, reference, { intent: "put_back" })).status).toBe(403);
    expect((await post(admin, reference, { intent: "put_back" })).status).toBe(403);
    expect((await post(other, reference, { intent: "assign", assignTo: other.staffId })).status).toBe(403);
    expect(await row(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });
    const page = (await (await get(worker, reference)).json()) as { assignees: unknown };
    expect(page.assignees).toBeNull();
  });

  it("a finished item cannot be put back: 409 with the reason", async () => {
    const reference = await seed();
    await post(worker, reference, { intent: "claim" });
    await post(worker, reference, { intent: "done" });
    const answer = await post(supervisor, reference, { intent: "put_back" });
    expect(answer.status).toBe(409);
    expect(((await answer.json()) as { refused: string }).refused).toBe(t("errors.supervise.closed"));
    expect((await row(reference)).status).toBe("done");
  });
});

describe("give to a caseworker", () => {
  it("a supervisor gives a held item to another caseworker: it is theirs, audited", async () => {
    const reference = await seed();
    await post(worker, reference, { intent: "claim" });
    const before = await row(reference);
    const answer = await post(supervisor, reference, { intent: "assign", assignTo: other.staffId });
    expect(answer.headers.get("Location")).toBe(`/staff/callbacks/${reference}?notice=assigned`);
    const after = await row(reference);
    expect(after).toMatchObject({ status: "claimed", claimedById: other.staffId });
    expect(after.dueAt.getTime()).toBe(before.dueAt.getTime());
    expect(JSON.parse((await lastAudit("assign_callback", reference))!.detail)).toEqual({ from: worker.staffId, to: other.staffId });
    // The new holder works it; the old one no longer can.
    expect((await post(worker, reference, { intent: "release" })).headers.get("Location")).toContain("notice=notYours");
    const mine = (await (await get(other, reference)).json()) as { mine: boolean };
    expect(mine.mine).toBe(true);
    // Given again to the same person: nothing changes.
    expect((await post(supervisor, reference, { intent: "assign", assignTo: other.staffId })).headers.get("Location")).toContain("notice=alreadyAssigned");
  });

  it("a queued item can be given straight away", async () => {
    const reference = await seed();
    await post(supervisor, reference, { intent: "assign", assignTo: worker.staffId });
    expect(await row(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });
    expect(JSON.parse((await lastAudit("assign_callback", reference))!.detail)).toEqual({ from: null, to: worker.staffId });
  });

  it.each([
    ["no choice", () => "", "errors.assignTo.required"],
    ["an unknown account", () => "no-such-account", "errors.assignTo.unknown"],
    ["a disabled account", () => disabledId, "errors.assignTo.unknown"],
    ["an admin", () => admin.staffId, "errors.assignTo.unknown"],
  ])("%s is refused with 400 and changes nothing", async (_name, choice, key) => {
    const reference = await seed();
    await post(worker, reference, { intent: "claim" });
    const answer = await post(supervisor, reference, { intent: "assign", assignTo: choice() });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { errors: { assignTo: string } }).errors.assignTo).toBe(t(key));
    expect(await row(reference)).toMatchObject({ status: "claimed", claimedById: worker.staffId });
    expect(await lastAudit("assign_callback", reference)).toBeNull();
  });

  it("a finished item cannot be given: 409", async () => {
    const reference = await seed();
    await post(worker, reference, { intent: "claim" });
    await post(worker, reference, { intent: "done" });
    expect((await post(supervisor, reference, { intent: "assign", assignTo: other.staffId })).status).toBe(409);
    expect(await row(reference)).toMatchObject({ status: "done", claimedById: worker.staffId });
  });
});
