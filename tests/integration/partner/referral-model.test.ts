// The partner side of referrals (app/models/referral.server.ts): reads scoped
// to the partner's organisation, what a partner sees (masked phone until
// accepted, no ID number or household), the answers and their timeline,
// audit and task rows, stale answers, and a declined item sent elsewhere.
import { beforeAll, describe, expect, it } from "vitest";
import {
  answerReferral,
  closeCaseTask,
  findPartnerReferral,
  listPartnerReferrals,
  openCaseTasks,
  partnerOrganisation,
  resendDeclinedReferral,
  type Actor,
} from "~/models/referral.server";
import { db } from "~/services/db.server";
import { makeOrganisation, makeReferral, RESIDENT, signInPartner } from "./fixtures";

const WHO: Actor = { actor: "partner:p1", auditActor: "staff:p1", actorName: "partner-a" };
const CASEWORKER: Actor = { actor: "staff:cw", auditActor: "staff:cw", actorName: "cw" };
let A: { organisationId: string; serviceId: string };
let B: { organisationId: string; serviceId: string };
let C: { organisationId: string; serviceId: string };

beforeAll(async () => {
  A = await makeOrganisation("Org A");
  B = await makeOrganisation("Org B");
  C = await makeOrganisation("Org C", { capacity: 1 });
});

describe("reads", () => {
  it("lists and finds only the organisation's own referrals", async () => {
    const mine = await makeReferral(A);
    const theirs = await makeReferral(B);
    const list = await listPartnerReferrals(db, A.organisationId);
    expect(list.map((r) => r.id)).toContain(mine.referralId);
    expect(list.map((r) => r.id)).not.toContain(theirs.referralId);
    expect(await findPartnerReferral(db, A.organisationId, theirs.referralId)).toBeNull();
    expect(await findPartnerReferral(db, A.organisationId, "no-such-id")).toBeNull();
    const view = await findPartnerReferral(db, A.organisationId, mine.referralId);
    expect(view).toMatchObject({ residentName: RESIDENT.name, phone: "139****5678", phoneShown: false, need: "disability_care", district: "chaoyang", answers: ["accept", "decline"] });
    // nothing of the case beyond the referral
    expect(JSON.stringify(view)).not.toMatch(/110105|monthlyIncome|household/);
  });

  it("knows a partner account's organisation, and none for other roles", async () => {
    const partner = await signInPartner("model-partner-a", A.organisationId);
    expect(await partnerOrganisation(db, partner.staffId)).toEqual({ id: A.organisationId, name: "Org A" });
    const untied = await signInPartner("model-partner-none", null);
    expect(await partnerOrganisation(db, untied.staffId)).toBeNull();
  });
});

describe("answers", () => {
  it("accept shows the full phone, writes the timeline and the audit log; a second accept changes nothing", async () => {
    const r = await makeReferral(A);
    expect(await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "accept" } })).toEqual({ ok: true, status: "accepted" });
    expect(await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "accept" } })).toEqual({ ok: false, error: "stale" });
    const view = await findPartnerReferral(db, A.organisationId, r.referralId);
    expect(view).toMatchObject({ status: "accepted", phone: RESIDENT.phone, phoneShown: true, answers: ["deliver", "decline"] });
    const events = await db.caseEvent.findMany({ where: { applicationId: r.applicationId, type: { startsWith: "referral_" } } });
    expect(events.map((e) => [e.type, e.actor])).toEqual([["referral_accepted", "partner:p1"]]);
    const audit = await db.auditEntry.findMany({ where: { subjectType: "referral", subjectId: r.referralId } });
    expect(audit.map((a) => a.action)).toEqual(["partner_accept_referral"]);
  });

  it("another organisation's referral: notFound, nothing changes", async () => {
    const r = await makeReferral(B);
    expect(await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "accept" } })).toEqual({ ok: false, error: "notFound" });
    expect((await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).status).toBe("sent");
    expect(await db.auditEntry.count({ where: { subjectId: r.referralId } })).toBe(0);
  });

  it("delivery only after accepting, with its note", async () => {
    const r = await makeReferral(A);
    expect(await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "deliver", note: "Two visits" } })).toEqual({ ok: false, error: "stale" });
    await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "accept" } });
    expect(await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "deliver", note: "Two visits" } })).toEqual({ ok: true, status: "delivered" });
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row).toMatchObject({ status: "delivered", deliveryNote: "Two visits" });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    expect((await findPartnerReferral(db, A.organisationId, r.referralId))?.answers).toEqual([]);
  });

  it("a decline keeps its reason, opens a caseworker task, and is on the timeline", async () => {
    const r = await makeReferral(A);
    const result = await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "decline", decline: { reason: "other", note: "Moving office" } } });
    expect(result).toEqual({ ok: true, status: "declined" });
    expect((await findPartnerReferral(db, A.organisationId, r.referralId))?.decline).toEqual({ reason: "other", note: "Moving office" });
    const tasks = await openCaseTasks(db, r.applicationId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "referral_declined", referralId: r.referralId, organisationName: "Org A", need: "disability_care", decline: { reason: "other", note: "Moving office" } });
    // other organisations with the same need, not the one that declined
    expect(tasks[0].choices.map((c) => c.organisationName).sort()).toEqual(["Org B", "Org C"]);
    const types = (await db.caseEvent.findMany({ where: { applicationId: r.applicationId }, orderBy: { at: "asc" } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["referral_declined", "task_opened"]));
    // the partner's free text is not in the audit log
    const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: r.referralId, action: "partner_decline_referral" } });
    expect(audit.detail).not.toContain("Moving office");
  });
});

describe("a declined item sent elsewhere", () => {
  it("sends it to another organisation's service, closes the task, and refuses a full organisation", async () => {
    const r = await makeReferral(A);
    await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "decline", decline: { reason: "no_capacity", note: null } } });
    const [task] = await openCaseTasks(db, r.applicationId);
    const input = { applicationId: r.applicationId, reference: r.reference, taskId: task.id, who: CASEWORKER, staffId: "cw" };
    // the declining organisation's own service is no choice
    expect(await resendDeclinedReferral(db, { ...input, serviceId: A.serviceId })).toEqual({ ok: false, error: "noService" });
    // C has a capacity of 1: fill it
    await makeReferral(C);
    expect(await resendDeclinedReferral(db, { ...input, serviceId: C.serviceId })).toEqual({ ok: false, error: "full" });
    expect(await resendDeclinedReferral(db, { ...input, serviceId: B.serviceId })).toEqual({ ok: true });
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row).toMatchObject({ status: "sent", organisationId: B.organisationId, serviceId: B.serviceId, declineReason: null });
    expect(await openCaseTasks(db, r.applicationId)).toEqual([]);
    // B now sees it; A no longer does
    expect(await findPartnerReferral(db, B.organisationId, r.referralId)).not.toBeNull();
    expect(await findPartnerReferral(db, A.organisationId, r.referralId)).toBeNull();
    expect(await resendDeclinedReferral(db, { ...input, serviceId: B.serviceId })).toEqual({ ok: false, error: "stale" });
    const sent = await db.caseEvent.findFirstOrThrow({ where: { applicationId: r.applicationId, type: "referral_sent" } });
    expect(JSON.parse(sent.detail)).toMatchObject({ resent: true, from: A.organisationId, organisationId: B.organisationId });
  });

  it("a task can be marked done once", async () => {
    const r = await makeReferral(A);
    await answerReferral(db, { organisationId: A.organisationId, referralId: r.referralId, who: WHO, answer: { kind: "decline", decline: { reason: "outside_area", note: null } } });
    const [task] = await openCaseTasks(db, r.applicationId);
    const input = { applicationId: r.applicationId, reference: r.reference, taskId: task.id, who: CASEWORKER, staffId: "cw" };
    expect(await closeCaseTask(db, input)).toEqual({ ok: true });
    expect(await closeCaseTask(db, input)).toEqual({ ok: false, error: "stale" });
    expect(await closeCaseTask(db, { ...input, taskId: "nope" })).toEqual({ ok: false, error: "notFound" });
  });
});
