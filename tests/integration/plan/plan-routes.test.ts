// The plan page's actions as a caseworker would send them (CSRF, repeat
// guard, 400 with messages), the link and timeline on the staff case page,
// the resident's view of the agreed plan on /track/case, and who may do what.
import { beforeAll, describe, expect, it } from "vitest";
import { action as planAction, loader as planLoader } from "~/routes/staff.cases.$reference_.plan";
import { loader as caseLoader } from "~/routes/staff.cases.$reference";
import { db } from "~/services/db.server";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";
import { Browser } from "../track/helpers";
import { makeApprovedCase, makeService } from "./plan-fixtures";

let caseworker: TestStaffSession;
let admin: TestStaffSession;
let partner: TestStaffSession;
let tutoring: { organisationId: string; serviceId: string };
let jobs: { organisationId: string; serviceId: string };

beforeAll(async () => {
  caseworker = await signInAs("caseworker");
  admin = await signInAs("admin");
  partner = await signInAs("partner");
  tutoring = await makeService({ district: "chaoyang", needs: ["tutoring"], name: "Tutors of Chaoyang" });
  jobs = await makeService({ district: "chaoyang", needs: ["job_training"], name: "Jobs of Chaoyang" });
});

function post(reference: string, fields: Record<string, string>, who: TestStaffSession = caseworker, lng = "en") {
  return callRoute(planAction, staffPost(`/staff/cases/${reference}/plan?lng=${lng}`, who, fields), { params: { reference } });
}

function page(reference: string, who: TestStaffSession = caseworker, lng = "en") {
  return callRoute(planLoader, staffGet(`/staff/cases/${reference}/plan?lng=${lng}`, who), { params: { reference } });
}

describe("the plan page", () => {
  it("proposes, adjusts and agrees: referrals sent, texts queued, the case page and timeline say so", async () => {
    const c = await makeApprovedCase(caseworker.staffId, { language: "en" });
    const empty = await page(c.reference);
    expect(empty.status).toBe(200);
    expect(empty.data).toMatchObject({ planAllowed: true, plan: null });

    const proposed = await post(c.reference, { intent: "propose" });
    expect(proposed.status).toBe(303);
    expect(proposed.location).toBe(`/staff/cases/${c.reference}/plan?done=proposed`);

    const shown = await page(c.reference);
    const items = shown.data!.items as Array<{ id: string; kind: string; name: string; reason: string; organisation: string | null; amount: string | null }>;
    const dibao = items.find((i) => i.name === "Minimum living allowance" || i.kind === "programme")!;
    expect(dibao.amount).toMatch(/yuan a month/);
    const tutoringItem = items.find((i) => i.name === "Help with schoolwork")!;
    expect(tutoringItem.organisation).toContain("Tutors of Chaoyang");
    expect(tutoringItem.reason).toBe("1 child in your household is at school, so help with schoolwork may help.");
    // no one offers psychological support: the item waits without an organisation
    expect(items.find((i) => i.name === "Someone to talk to after a disaster")!.organisation).toBeNull();
    expect(await db.auditEntry.count({ where: { action: "view_plan", subjectId: c.reference } })).toBe(2);

    // bad forms: 400 with a message on the field
    const noProgramme = await post(c.reference, { intent: "add_programme", program: "" });
    expect(noProgramme.status).toBe(400);
    expect(noProgramme.data!.errors).toEqual({ "add-program": "Choose a programme" });
    const duplicate = await post(c.reference, { intent: "add_programme", program: "dibao" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.data!.errors).toEqual({ "add-program": "That programme is already on the plan." });
    const tooLong = await post(c.reference, { intent: "add_service", need: "disability_care", note: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.data!.errors).toEqual({ "add-service-note": "The note must be 500 characters or fewer" });
    const wrongService = await post(c.reference, { intent: "add_service", need: "disability_care", serviceId: tutoring.serviceId });
    expect(wrongService.status).toBe(400);
    expect(wrongService.data!.errors).toEqual({ "add-service": "That organisation does not offer this service or has no room. Choose another." });
    const chooseNothing = await post(c.reference, { intent: "service", itemId: tutoringItem.id, serviceId: "" });
    expect(chooseNothing.status).toBe(400);
    expect(chooseNothing.data!.errors).toEqual({ [`service-${tutoringItem.id}`]: "Choose an organisation" });

    // adjust
    expect((await post(c.reference, { intent: "add_programme", program: "housing", note: "rent" })).status).toBe(303);
    expect((await post(c.reference, { intent: "add_service", need: "job_training", serviceId: jobs.serviceId, note: "" })).status).toBe(303);
    const psych = items.find((i) => i.name === "Someone to talk to after a disaster")!;
    expect((await post(c.reference, { intent: "remove", itemId: psych.id })).status).toBe(303);
    const removedAgain = await post(c.reference, { intent: "remove", itemId: psych.id });
    expect(removedAgain.status).toBe(400);
    expect(removedAgain.data!.message).toBe("That is no longer on this plan. Reload the page.");

    // agree: both answers needed
    const unconfirmed = await post(c.reference, { intent: "agree", how: "phone" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data!.errors).toEqual({ confirm: "Confirm that the resident agreed to the plan" });
    const noHow = await post(c.reference, { intent: "agree", confirm: "yes" }, caseworker, "zh-CN");
    expect(noHow.status).toBe(400);
    expect(noHow.data!.errors).toEqual({ how: "请选择居民是怎样同意的" });
    expect(await db.referral.count({ where: { applicationId: c.id } })).toBe(0);
    const agreed = await post(c.reference, { intent: "agree", how: "phone", confirm: "yes" });
    expect(agreed.status).toBe(303);
    expect(agreed.location).toBe(`/staff/cases/${c.reference}/plan?done=agreed`);

    const referrals = await db.referral.findMany({ where: { applicationId: c.id }, select: { organisationId: true, status: true } });
    // the suggested job training (matched) + the added one + tutoring; psychological support had no organisation
    expect(referrals.map((r) => r.organisationId).sort()).toEqual([jobs.organisationId, jobs.organisationId, tutoring.organisationId].sort());
    expect(referrals.every((r) => r.status === "sent")).toBe(true);
    expect(await db.outboxMessage.count({ where: { to: c.applicantPhone, dedupeKey: { startsWith: "plan-agreed:" } } })).toBe(1);

    // locked
    const late = await post(c.reference, { intent: "add_programme", program: "medical" });
    expect(late.status).toBe(400);
    expect(late.data!.message).toBe("The plan is already agreed and cannot be changed.");

    // the staff case page links the plan and tells the steps in the timeline
    const casePage = await callRoute(caseLoader, staffGet(`/staff/cases/${c.reference}?lng=en`, caseworker), { params: { reference: c.reference } });
    expect(casePage.data!.plan).toMatchObject({ state: "The plan is agreed with the resident." });
    const timeline = (casePage.data!.timeline as Array<{ text: string }>).map((e) => e.text);
    expect(timeline).toContain("A help plan was suggested: 4 programmes, 3 services.");
    expect(timeline).toContain("The help plan was changed: Someone to talk to after a disaster was taken off.");
    expect(timeline).toContain("The help plan was agreed with the resident by phone. Referrals sent: 3.");
    expect(timeline.some((line) => /^Referral sent to Tutors of Chaoyang \(.+\) for: Help with schoolwork\.$/.test(line))).toBe(true);
  });

  it("the resident sees the agreed plan in plain words on /track/case, and nothing of a draft", async () => {
    const c = await makeApprovedCase(caseworker.staffId, { language: "en", proxy: false });
    await post(c.reference, { intent: "propose" });
    const browser = new Browser("203.0.113.77", "en");
    await browser.signIn(c.reference, c.applicantPhone.replace("+86", ""));
    const draft = await browser.casePage();
    expect(draft.status).toBe(200);
    expect(draft.data!.residentPlan).toBeNull();

    await post(c.reference, { intent: "agree", how: "in_person", confirm: "yes" });
    const agreed = await browser.casePage();
    const plan = agreed.data!.residentPlan as { heading: string; programmes: { items: Array<{ name: string; amount: string; why: string }> }; services: { items: Array<{ name: string; from: string; status: string | null }> } };
    expect(plan.heading).toBe("Your help plan");
    const dibao = plan.programmes.items.find((i) => i.why.includes("was approved"))!;
    expect(dibao.amount).toMatch(/^What you get: \d+(\.\d\d)? yuan a month$/);
    const schoolwork = plan.services.items.find((i) => i.name === "Help with schoolwork")!;
    expect(schoolwork.from).toBe("From: Tutors of Chaoyang. They will contact you. Phone: 010-65550000");
    expect(schoolwork.status).toBe("We sent your case to them.");
    const timeline = agreed.data!.timeline as Array<{ type: string }>;
    expect(timeline.map((e) => e.type)).toContain("plan_agreed");
  });

  it("only plan.work may open or act: admins and partners get 403, a case not yet approved gets no plan", async () => {
    const c = await makeApprovedCase(caseworker.staffId, { approve: false });
    expect((await page(c.reference, admin)).status).toBe(403);
    expect((await page(c.reference, partner)).status).toBe(403);
    expect((await post(c.reference, { intent: "propose" }, admin)).status).toBe(403);
    expect((await post(c.reference, { intent: "propose" }, partner)).status).toBe(403);
    const notYet = await page(c.reference);
    expect(notYet.data).toMatchObject({ planAllowed: false, plan: null });
    const refused = await post(c.reference, { intent: "propose" });
    expect(refused.status).toBe(400);
    expect(refused.data!.message).toBe("A plan can only be worked once the case is approved. This case is: Sent to us.");
    expect(await db.assistancePlan.count({ where: { applicationId: c.id } })).toBe(0);
    expect((await page("LA-0000-0000")).status).toBe(404);
  });
});
