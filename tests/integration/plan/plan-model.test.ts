// The plan model: propose from an approved case (programmes with the approved
// amounts in fen, services matched by district and room), adjust (remove
// kept with removedAt, add, change the organisation), agree (locked, one
// Referral per service item with a service, timeline, texts in the case's
// language to applicant and proxy, audit).
import { beforeAll, describe, expect, it } from "vitest";
import { addPlanItem, agreePlan, agreedPlanOf, choosePlanService, getPlanCase, proposePlan, removePlanItem } from "~/models/plan.server";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { signInAs } from "../../support/staff";
import { makeApprovedCase, makeService } from "./plan-fixtures";

let who: { staffId: string; actor: string; actorName: string };
let near: { organisationId: string; serviceId: string };
let nearFull: { organisationId: string; serviceId: string };
let far: { organisationId: string; serviceId: string };
let tutoringNear: { organisationId: string; serviceId: string };

beforeAll(async () => {
  const session = await signInAs("caseworker");
  who = { staffId: session.staffId, actor: `staff:${session.staffId}`, actorName: "test-caseworker" };
  // job training: one in the case's district with no room, one there with room, one far away
  nearFull = await makeService({ district: "chaoyang", needs: ["job_training"], capacity: 1, name: "A full" });
  near = await makeService({ district: "chaoyang", needs: ["job_training"], capacity: 5, name: "B near" });
  far = await makeService({ district: "haidian", needs: ["job_training", "psychological_support"], capacity: 50, name: "C far" });
  tutoringNear = await makeService({ district: "chaoyang", needs: ["tutoring"], capacity: 3, name: "D tutoring" });
  // fill the full one's only place
  const filler = await makeApprovedCase(who.staffId, { district: "chaoyang" });
  await proposePlan(db, { reference: filler.reference, who });
  const plan = await getPlanCase(db, filler.reference);
  const jobItem = plan!.plan!.items.find((i) => i.need === "job_training")!;
  await db.planItem.update({ where: { id: jobItem.id }, data: { serviceId: nearFull.serviceId } });
  await agreePlan(db, { reference: filler.reference, how: "phone", who });
});

describe("proposePlan", () => {
  it("proposes the eligible programmes with the approval's amounts and a service per need", async () => {
    const c = await makeApprovedCase(who.staffId);
    const proposed = await proposePlan(db, { reference: c.reference, who });
    expect(proposed.ok).toBe(true);
    const view = (await getPlanCase(db, c.reference))!;
    expect(view.plan!.status).toBe("draft");
    const app = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    const decision = JSON.parse(app.decision!) as { amounts: Array<{ program: string; fen: number; period: string }> };
    const dibao = view.plan!.items.find((i) => i.program === "dibao")!;
    const granted = decision.amounts.find((a) => a.program === "dibao")!;
    expect(dibao).toMatchObject({ kind: "programme", amountFen: granted.fen, amountPeriod: "month", reasonCode: "programme_approved", origin: "suggested" });
    expect(view.plan!.items.filter((i) => i.kind === "programme").map((i) => i.program)).toEqual(expect.arrayContaining(["dibao", "education", "employment", "disaster"]));
    expect(view.plan!.items.filter((i) => i.kind === "service").map((i) => i.need)).toEqual(["psychological_support", "job_training", "tutoring"]);
    const events = await db.caseEvent.findMany({ where: { applicationId: c.id, type: "plan_proposed" } });
    expect(events).toHaveLength(1);
    expect(await db.auditEntry.count({ where: { action: "propose_plan", subjectId: c.reference } })).toBe(1);
  });

  it("matches a need to the case's district with room first, else another district, else none", async () => {
    const c = await makeApprovedCase(who.staffId, { district: "chaoyang" });
    await proposePlan(db, { reference: c.reference, who });
    const items = (await getPlanCase(db, c.reference))!.plan!.items;
    expect(items.find((i) => i.need === "job_training")!.serviceId).toBe(near.serviceId);
    expect(items.find((i) => i.need === "tutoring")!.serviceId).toBe(tutoringNear.serviceId);
    // psychological support only in haidian
    expect(items.find((i) => i.need === "psychological_support")!.serviceId).toBe(far.serviceId);

    const elsewhere = await makeApprovedCase(who.staffId, { district: "fengtai" });
    await proposePlan(db, { reference: elsewhere.reference, who });
    const farItems = (await getPlanCase(db, elsewhere.reference))!.plan!.items;
    // no job training in fengtai: the one with most room
    expect(farItems.find((i) => i.need === "job_training")!.serviceId).toBe(far.serviceId);
  });

  it("leaves a service item without a service when no organisation has room", async () => {
    const c = await makeApprovedCase(who.staffId, { household: { members: [{ relation: "self", age: 70, monthlyIncome: 0, disability: "severe", canWork: false, employed: false, student: "none" }], supporters: { hasCapableSupporter: false }, assets: { financial: 0, vehicles: 0, properties: 1 }, annualMedicalOutOfPocket: 0, annualEducationCost: 0, housing: { ownsHome: true, perCapitaArea: 30 }, emergency: { type: "none", lossAmount: 0 }, disasterAffected: false }, programs: ["tekun"] });
    await proposePlan(db, { reference: c.reference, who });
    const item = (await getPlanCase(db, c.reference))!.plan!.items.find((i) => i.need === "disability_care")!;
    expect(item.serviceId).toBeNull();
    expect(item.service).toBeNull();
  });

  it("refuses a case that is not approved, and a second proposal", async () => {
    const pending = await makeApprovedCase(who.staffId, { approve: false });
    expect(await proposePlan(db, { reference: pending.reference, who })).toEqual({ ok: false, error: "wrongStatus", status: "submitted" });
    expect(await db.assistancePlan.count({ where: { applicationId: pending.id } })).toBe(0);
    const c = await makeApprovedCase(who.staffId);
    await proposePlan(db, { reference: c.reference, who });
    expect(await proposePlan(db, { reference: c.reference, who })).toEqual({ ok: false, error: "exists" });
    expect(await proposePlan(db, { reference: "LA-0000-0000", who })).toEqual({ ok: false, error: "notFound" });
  });
});

describe("adjusting a draft", () => {
  it("removes an item but keeps it with removedAt, adds a programme and a service, changes an organisation", async () => {
    const c = await makeApprovedCase(who.staffId);
    await proposePlan(db, { reference: c.reference, who });
    let items = (await getPlanCase(db, c.reference))!.plan!.items;
    const tutoring = items.find((i) => i.need === "tutoring")!;
    expect(await removePlanItem(db, { reference: c.reference, itemId: tutoring.id, who })).toEqual({ ok: true });
    expect(await removePlanItem(db, { reference: c.reference, itemId: tutoring.id, who })).toEqual({ ok: false, error: "itemNotFound" });
    const kept = await db.planItem.findUniqueOrThrow({ where: { id: tutoring.id } });
    expect(kept.removedAt).not.toBeNull();
    expect(kept.removedById).toBe(who.staffId);

    expect(await addPlanItem(db, { reference: c.reference, item: { kind: "programme", program: "dibao", note: null }, who })).toEqual({ ok: false, error: "duplicate" });
    const added = await addPlanItem(db, { reference: c.reference, item: { kind: "programme", program: "housing", note: "rent help" }, who });
    expect(added.ok).toBe(true);
    const service = await addPlanItem(db, { reference: c.reference, item: { kind: "service", need: "disability_care", serviceId: null, note: null }, who });
    expect(service.ok).toBe(true);
    // a service for another need is refused
    expect(await addPlanItem(db, { reference: c.reference, item: { kind: "service", need: "tutoring", serviceId: near.serviceId, note: null }, who })).toEqual({ ok: false, error: "serviceUnavailable" });

    const job = items.find((i) => i.need === "job_training")!;
    expect(await choosePlanService(db, { reference: c.reference, itemId: job.id, serviceId: far.serviceId, who })).toEqual({ ok: true });
    // the full organisation has no room
    expect(await choosePlanService(db, { reference: c.reference, itemId: job.id, serviceId: nearFull.serviceId, who })).toEqual({ ok: false, error: "serviceUnavailable" });

    items = (await getPlanCase(db, c.reference))!.plan!.items;
    expect(items.find((i) => i.id === job.id)!.serviceId).toBe(far.serviceId);
    expect(items.find((i) => i.program === "housing")).toMatchObject({ origin: "added", reasonCode: "added_by_caseworker", note: "rent help" });
    const changes = await db.caseEvent.findMany({ where: { applicationId: c.id, type: "plan_changed" }, orderBy: { at: "asc" } });
    expect(changes.map((e) => JSON.parse(e.detail).change)).toEqual(["removed", "added", "added", "service"]);
    expect(await db.auditEntry.count({ where: { subjectId: c.reference, action: { in: ["remove_plan_item", "add_plan_item", "choose_plan_service"] } } })).toBe(4);
  });
});

describe("agreePlan", () => {
  it("locks the plan, sends one referral per service item with a service, and texts applicant and proxy", async () => {
    const c = await makeApprovedCase(who.staffId, { language: "en" });
    await proposePlan(db, { reference: c.reference, who });
    const items = (await getPlanCase(db, c.reference))!.plan!.items;
    const tutoring = items.find((i) => i.need === "tutoring")!;
    await removePlanItem(db, { reference: c.reference, itemId: tutoring.id, who });
    await addPlanItem(db, { reference: c.reference, item: { kind: "service", need: "disability_care", serviceId: null, note: null }, who });
    const before = Date.now();
    const agreed = await agreePlan(db, { reference: c.reference, how: "in_person", who });
    expect(agreed).toEqual({ ok: true, referrals: 2 });

    const referrals = await db.referral.findMany({ where: { applicationId: c.id }, include: { planItem: true } });
    expect(referrals).toHaveLength(2);
    for (const r of referrals) {
      expect(r.status).toBe("sent");
      expect(r.sentAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(r.followUpDueAt.getTime() - r.sentAt.getTime()).toBe(config().followUp.days * 24 * 60 * 60 * 1000);
      expect(r.planItem.serviceId).toBe(r.serviceId);
      expect(r.planItem.removedAt).toBeNull();
    }
    expect(referrals.map((r) => r.planItem.need).sort()).toEqual(["job_training", "psychological_support"]);
    expect(referrals.find((r) => r.planItem.need === "job_training")!.organisationId).toBe(near.organisationId);

    const plan = await db.assistancePlan.findUniqueOrThrow({ where: { applicationId: c.id } });
    expect(plan.status).toBe("agreed");
    expect(plan.agreedById).toBe(who.staffId);
    const types = (await db.caseEvent.findMany({ where: { applicationId: c.id }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map((e) => e.type);
    expect(types.filter((t) => t === "referral_sent")).toHaveLength(2);
    expect(types).toContain("plan_agreed");
    const agreedEvent = await db.caseEvent.findFirstOrThrow({ where: { applicationId: c.id, type: "plan_agreed" } });
    expect(JSON.parse(agreedEvent.detail)).toMatchObject({ how: "in_person", referrals: 2 });

    for (const phone of [c.applicantPhone, c.proxyPhone!]) {
      const texts = await db.outboxMessage.findMany({ where: { to: phone, dedupeKey: { startsWith: "plan-agreed:" } } });
      expect(texts).toHaveLength(1);
      expect(texts[0].language).toBe("en");
      expect(texts[0].body).toContain(c.reference);
      expect(texts[0].body).toMatch(/kinds of help and 3 services/);
    }
    expect(await db.auditEntry.count({ where: { action: "agree_plan", subjectId: c.reference } })).toBe(1);

    // locked: nothing more changes, a second agree sends nothing twice
    expect(await agreePlan(db, { reference: c.reference, how: "phone", who })).toEqual({ ok: false, error: "notDraft" });
    expect(await removePlanItem(db, { reference: c.reference, itemId: items[0].id, who })).toEqual({ ok: false, error: "notDraft" });
    expect(await db.referral.count({ where: { applicationId: c.id } })).toBe(2);

    // the resident sees only the kept items
    const resident = (await agreedPlanOf(db, c.id))!;
    expect(resident.items.some((i) => i.id === tutoring.id)).toBe(false);
    expect(resident.items.filter((i) => i.referral).length).toBe(2);
  });

  it("does not text a proxy whose access was revoked, and writes Chinese for a Chinese case", async () => {
    const c = await makeApprovedCase(who.staffId, { language: "zh-CN" });
    await db.application.update({ where: { id: c.id }, data: { proxyRevokedAt: new Date() } });
    await proposePlan(db, { reference: c.reference, who });
    await agreePlan(db, { reference: c.reference, how: "phone", who });
    const texts = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `plan-agreed:${c.id}:` } } });
    expect(texts.map((t) => t.to)).toEqual([c.applicantPhone]);
    expect(texts[0].body).toContain("救助方案已定好");
  });

  it("refuses to agree while a chosen organisation has stopped taking cases, and nothing is sent", async () => {
    const stopped = await makeService({ district: "xicheng", needs: ["tutoring"], name: "E stopped later" });
    const c = await makeApprovedCase(who.staffId, { district: "xicheng" });
    await proposePlan(db, { reference: c.reference, who });
    const item = (await getPlanCase(db, c.reference))!.plan!.items.find((i) => i.need === "tutoring")!;
    expect(item.serviceId).toBe(stopped.serviceId);
    await db.socialOrganisation.update({ where: { id: stopped.organisationId }, data: { active: false } });
    expect(await agreePlan(db, { reference: c.reference, how: "phone", who })).toEqual({ ok: false, error: "serviceUnavailable" });
    expect(await db.referral.count({ where: { applicationId: c.id } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { dedupeKey: { startsWith: `plan-agreed:${c.id}:` } } })).toBe(0);
    expect((await db.assistancePlan.findUniqueOrThrow({ where: { applicationId: c.id } })).status).toBe("draft");
  });

  it("refuses to agree an empty plan, and a draft plan is not shown to the resident", async () => {
    const c = await makeApprovedCase(who.staffId);
    await proposePlan(db, { reference: c.reference, who });
    expect(await agreedPlanOf(db, c.id)).toBeNull();
    for (const item of (await getPlanCase(db, c.reference))!.plan!.items) await removePlanItem(db, { reference: c.reference, itemId: item.id, who });
    expect(await agreePlan(db, { reference: c.reference, how: "phone", who })).toEqual({ ok: false, error: "empty" });
    expect((await db.assistancePlan.findUniqueOrThrow({ where: { applicationId: c.id } })).status).toBe("draft");
  });
});
