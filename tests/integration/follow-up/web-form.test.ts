// The follow-up on the web: after the code sign-in, /track/case lists each
// asked referral with its form; /track/follow-up validates (400 with a
// message per field, in the reader's language), records the answer, opens a
// caseworker task when the help did not arrive, and never takes an answer for
// another case's referral or a closed question. The comment is never shown
// back to the resident.
import { beforeAll, describe, expect, it } from "vitest";
import { sweepFollowUps } from "~/models/follow-up.server";
import { action as followUpAction, loader as followUpLoader } from "~/routes/track.follow-up";
import { loader as staffCaseLoader } from "~/routes/staff.cases.$reference";
import { callRoute, signInAs, staffGet } from "../../support/staff";
import { db, prepareDatabase } from "~/services/db.server";
import { Browser } from "../track/helpers";
import { createReferral, eventTypes } from "./helpers";

beforeAll(async () => {
  await prepareDatabase();
});

let ip = 10;
async function signedIn(phone11: string, lng: "en" | "zh-CN" = "en") {
  const r = await createReferral({ phone: phone11, language: lng, channel: "web", serviceName: lng === "en" ? "Home care" : "居家照护" });
  await sweepFollowUps(db, new Date(), { reminderDays: 7 });
  const browser = new Browser(`203.0.113.${++ip}`, lng);
  const answer = await browser.signIn(r.reference, phone11);
  expect(answer.status).toBe(303);
  return { r, browser };
}

type FollowUpData = { referralId: string; state: string; serviceName: string; helpArrived: boolean | null; satisfaction: number | null };

describe("/track/case and /track/follow-up", () => {
  it("shows the open question, refuses an incomplete answer with messages, then records a good one", async () => {
    const { r, browser } = await signedIn("13700000301");
    const page = await browser.casePage();
    expect(page.status).toBe(200);
    expect(page.data?.followUps).toEqual([expect.objectContaining({ referralId: r.referralId, state: "open", serviceName: "Home care" })]);

    const bad = await browser.post(followUpAction, "/track/follow-up", { referralId: r.referralId, satisfaction: "7", comment: "x".repeat(501) });
    expect(bad.status).toBe(400);
    const errors = bad.data?.errors as Record<string, string>;
    expect(Object.keys(errors)).toEqual([`followup-${r.referralId}-helpArrived`, `followup-${r.referralId}-satisfaction`, `followup-${r.referralId}-comment`]);
    expect(Object.values(errors)).toEqual([
      "Choose yes if you got the help, or no if you did not",
      "Choose how happy you are, from 1 (bad) to 5 (very good)",
      "Write at most 500 characters",
    ]);
    expect((await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).helpArrived).toBeNull();

    const good = await browser.post(followUpAction, "/track/follow-up", { referralId: r.referralId, helpArrived: "yes", satisfaction: "4", comment: "Kind people" });
    expect(good.status).toBe(303);
    expect(good.location).toBe("/track/case#follow-up");
    expect(await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).toMatchObject({
      helpArrived: true,
      satisfaction: 4,
      comment: "Kind people",
      answerChannel: "web",
      followUpOutcome: "answered",
    });
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked", "follow_up_answered"]);
    expect(await db.caseTask.count({ where: { applicationId: r.applicationId } })).toBe(0);

    // Back on the case page: thanks, what they said, never the comment.
    const after = await browser.casePage();
    const followUps = after.data?.followUps as FollowUpData[];
    expect(followUps).toEqual([expect.objectContaining({ state: "answered", helpArrived: true, satisfaction: 4 })]);
    expect(JSON.stringify(after.data)).not.toContain("Kind people");

    // The caseworker sees the answer and the comment on the staff case page.
    const caseworker = await signInAs("caseworker");
    const staffPage = await callRoute(staffCaseLoader, staffGet(`/staff/cases/${r.reference}?lng=en`, caseworker), { params: { reference: r.reference } });
    expect(staffPage.status).toBe(200);
    expect(staffPage.data?.followUps).toEqual([expect.objectContaining({ state: "answered", helpArrived: true, satisfaction: 4, comment: "Kind people", channel: "web" })]);

    // A second answer to the closed question changes nothing.
    const again = await browser.post(followUpAction, "/track/follow-up", { referralId: r.referralId, helpArrived: "no", satisfaction: "1" });
    expect(again.status).toBe(303);
    expect((await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).helpArrived).toBe(true);
  });

  it("answers in Chinese for a Chinese reader", async () => {
    const { r, browser } = await signedIn("13700000302", "zh-CN");
    const bad = await browser.post(followUpAction, "/track/follow-up", { referralId: r.referralId, helpArrived: "yes" });
    expect(bad.status).toBe(400);
    expect(Object.values(bad.data?.errors as Record<string, string>)).toEqual(["请选择您的满意程度，1是很差，5是很好"]);
    const page = await browser.get(followUpLoader, "/track/follow-up");
    expect(page.status).toBe(200);
    expect(page.data?.followUps).toHaveLength(1);
  });

  it("help that did not arrive opens a task for the caseworker", async () => {
    const { r, browser } = await signedIn("13700000303");
    const answer = await browser.post(followUpAction, "/track/follow-up", { referralId: r.referralId, helpArrived: "no", satisfaction: "2", comment: "" });
    expect(answer.status).toBe(303);
    expect(await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).toMatchObject({ helpArrived: false, satisfaction: 2, comment: null });
    const tasks = await db.caseTask.findMany({ where: { applicationId: r.applicationId } });
    expect(tasks).toEqual([expect.objectContaining({ kind: "help_not_delivered", referralId: r.referralId, doneAt: null })]);
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked", "follow_up_answered", "task_opened"]);
  });

  it("never takes an answer for another case's referral", async () => {
    const other = await createReferral({ phone: "13700000304" });
    await sweepFollowUps(db, new Date(), { reminderDays: 7 });
    const { browser } = await signedIn("13700000305");
    const answer = await browser.post(followUpAction, "/track/follow-up", { referralId: other.referralId, helpArrived: "no", satisfaction: "1" });
    expect(answer.status).toBe(303);
    expect(await db.referral.findUniqueOrThrow({ where: { id: other.referralId } })).toMatchObject({ helpArrived: null, followUpClosedAt: null });
    expect(await db.caseTask.count({ where: { applicationId: other.applicationId } })).toBe(0);
  });

  it("a referral not yet asked about has no form", async () => {
    const r = await createReferral({ phone: "13700000306", channel: "web", dueAt: new Date(Date.now() + 86_400_000) });
    const browser = new Browser("203.0.113.99", "en");
    await browser.signIn(r.reference, "13700000306");
    const page = await browser.casePage();
    expect(page.data?.followUps).toEqual([]);
  });

  it("signed out: the follow-up page and its action send the resident to sign in", async () => {
    const browser = new Browser("203.0.113.98", "en");
    expect((await browser.get(followUpLoader, "/track/follow-up")).status).toBe(303);
    expect((await browser.post(followUpAction, "/track/follow-up", { referralId: "x", helpArrived: "yes", satisfaction: "5" })).status).toBe(303);
  });
});
