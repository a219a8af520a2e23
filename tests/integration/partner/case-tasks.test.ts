// A declined referral back on the caseworker's case page (issue 9): the case
// page lists the open task with the other organisations' services for the
// same need; the task form sends the item to one of them, or marks it done.
import { beforeAll, describe, expect, it } from "vitest";
import { answerReferral } from "~/models/referral.server";
import { action as taskAction, loader as taskLoader } from "~/routes/staff.cases.$reference_.tasks.$id";
import { loader as caseLoader } from "~/routes/staff.cases.$reference";
import { db } from "~/services/db.server";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";
import { makeOrganisation, makeReferral } from "./fixtures";

let caseworker: TestStaffSession;
let A: { organisationId: string; serviceId: string };
let B: { organisationId: string; serviceId: string };
const WHO = { actor: "partner:x", auditActor: "staff:x", actorName: "x" };

beforeAll(async () => {
  caseworker = await signInAs("caseworker");
  A = await makeOrganisation("Org A");
  B = await makeOrganisation("Org B");
});

async function declined() {
  const r = await makeReferral(A);
  await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "decline", decline: { reason: "no_capacity", note: null } } });
  return r;
}

type TaskRow = { id: string; kind: string; choices: Array<{ serviceId: string }> };

describe("the case page's tasks", () => {
  it("shows the open task with the choices, the timeline says the partner declined, and the task form sends it elsewhere", async () => {
    const r = await declined();
    const page = await callRoute(caseLoader, staffGet(`/staff/cases/${r.reference}?lng=en`, caseworker), { params: { reference: r.reference } });
    expect(page.status).toBe(200);
    const tasks = page.data?.tasks as TaskRow[];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "referral_declined", organisation: "Org A", declineReason: "no_capacity" });
    expect(tasks[0].choices.map((c) => c.serviceId)).toEqual([B.serviceId]);
    expect(page.data?.mayPlan).toBe(true);
    expect(JSON.stringify(page.data?.timeline)).toContain("The partner organisation declined the referral (no free places).");

    const url = `/staff/cases/${r.reference}/tasks/${tasks[0].id}`;
    const params = { reference: r.reference, id: tasks[0].id };
    const none = await callRoute(taskAction, staffPost(url, caseworker, { intent: "resend" }), { params });
    expect(none.location).toBe(`/staff/cases/${r.reference}?task=noService#tasks-heading`);
    const sent = await callRoute(taskAction, staffPost(url, caseworker, { intent: "resend", serviceId: B.serviceId }), { params });
    expect(sent).toMatchObject({ status: 303, location: `/staff/cases/${r.reference}?task=resent#tasks-heading` });
    expect(await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).toMatchObject({ status: "sent", organisationId: B.organisationId });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "resend_referral" }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ actor: `staff:${caseworker.staffId}`, subjectId: r.reference });
    const again = await callRoute(caseLoader, staffGet(`/staff/cases/${r.reference}?lng=en`, caseworker), { params: { reference: r.reference } });
    expect(again.data?.tasks).toEqual([]);
  });

  it("marks a task done; another case's task id is 404; a GET leads back", async () => {
    const r = await declined();
    const other = await makeReferral(A);
    const [task] = await db.caseTask.findMany({ where: { applicationId: r.applicationId } });
    const wrongCase = await callRoute(taskAction, staffPost(`/staff/cases/${other.reference}/tasks/${task.id}`, caseworker, { intent: "close" }), { params: { reference: other.reference, id: task.id } });
    expect(wrongCase.status).toBe(404);
    const closed = await callRoute(taskAction, staffPost(`/staff/cases/${r.reference}/tasks/${task.id}`, caseworker, { intent: "close" }), { params: { reference: r.reference, id: task.id } });
    expect(closed.location).toBe(`/staff/cases/${r.reference}?task=closed#tasks-heading`);
    expect((await db.caseTask.findUniqueOrThrow({ where: { id: task.id } })).doneById).toBe(caseworker.staffId);
    const get = await callRoute(taskLoader, staffGet(`/staff/cases/${r.reference}/tasks/${task.id}`, caseworker), { params: { reference: r.reference, id: task.id } });
    expect(get).toMatchObject({ status: 303, location: `/staff/cases/${r.reference}` });
  });
});
