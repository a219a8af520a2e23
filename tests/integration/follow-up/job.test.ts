// The follow-up job: a due referral is asked once (also when two sweeps, as
// on two instances, run at the same moment), by text in the case's language
// to the applicant and an active proxy, not to a phone that sent STOP, not
// for a declined referral or one not yet due; one reminder after
// reminderDays; "no answer" recorded as long again after it.
import { beforeAll, describe, expect, it } from "vitest";
import { askFollowUp, sweepFollowUps } from "~/models/follow-up.server";
import { optOut } from "~/models/opt-out.server";
import { db, prepareDatabase } from "~/services/db.server";
import { runFollowUps } from "~/services/follow-up.server";
import { createReferral, DAY_MS, eventTypes, followUpTextsTo } from "./helpers";

const REMIND = 7;

beforeAll(async () => {
  await prepareDatabase();
});

describe("asking", () => {
  it("asks a due referral once, even when two sweeps race, in the case's language", async () => {
    const r = await createReferral({ phone: "13700000101", language: "zh-CN", serviceName: "居家照护" });
    const now = new Date();
    const [a, b] = await Promise.all([sweepFollowUps(db, now, { reminderDays: REMIND }), sweepFollowUps(db, now, { reminderDays: REMIND })]);
    expect(a.asked + b.asked).toBe(1);
    // and two direct claims of the same row: one wins
    const again = await Promise.all([askFollowUp(db, r.referralId, now), askFollowUp(db, r.referralId, now)]);
    expect(again).toEqual([false, false]);
    const texts = await followUpTextsTo(r.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("居家照护");
    expect(texts[0]).toMatch(/回复1/);
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row.followUpAskedAt?.getTime()).toBe(now.getTime());
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked"]);
    // A later sweep asks nothing more.
    await runFollowUps(db, new Date(now.getTime() + 60_000), { days: 30, reminderDays: REMIND });
    expect(await followUpTextsTo(r.phone)).toHaveLength(1);
  });

  it("texts an English case in English, with the web link for a web case, also to the active proxy", async () => {
    const r = await createReferral({ phone: "13700000102", proxyPhone: "13700000103", language: "en", channel: "web", serviceName: "Home care" });
    await sweepFollowUps(db, new Date(), { reminderDays: REMIND });
    const [text] = await followUpTextsTo(r.phone);
    expect(text).toMatch(/did you get the help "Home care"\? Reply 1 if yes, 2 if no/);
    expect(text).toContain("/track");
    expect(await followUpTextsTo(r.proxyPhone!)).toEqual([text]);
  });

  it("sends no text to a phone that sent STOP, but the question is still open (on the web)", async () => {
    const r = await createReferral({ phone: "13700000104" });
    await optOut(db, r.phone);
    await sweepFollowUps(db, new Date(), { reminderDays: REMIND });
    expect(await followUpTextsTo(r.phone)).toEqual([]);
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row.followUpAskedAt).not.toBeNull();
  });

  it("does not ask for a declined referral or before the day it is due", async () => {
    const declined = await createReferral({ phone: "13700000105", status: "declined" });
    const later = await createReferral({ phone: "13700000106", dueAt: new Date(Date.now() + DAY_MS) });
    await sweepFollowUps(db, new Date(), { reminderDays: REMIND });
    expect(await followUpTextsTo(declined.phone)).toEqual([]);
    expect(await followUpTextsTo(later.phone)).toEqual([]);
    expect((await db.referral.findUniqueOrThrow({ where: { id: later.referralId } })).followUpAskedAt).toBeNull();
    await sweepFollowUps(db, new Date(Date.now() + 2 * DAY_MS), { reminderDays: REMIND });
    expect(await followUpTextsTo(later.phone)).toHaveLength(1);
    expect(await followUpTextsTo(declined.phone)).toEqual([]);
  });
});

describe("reminder and no answer", () => {
  it("reminds once after reminderDays, then records no answer as long again later", async () => {
    const r = await createReferral({ phone: "13700000107", language: "en", serviceName: "Tutoring" });
    const t0 = new Date();
    await sweepFollowUps(db, t0, { reminderDays: REMIND });
    // Not yet: a day before the reminder is due.
    await sweepFollowUps(db, new Date(t0.getTime() + (REMIND - 1) * DAY_MS), { reminderDays: REMIND });
    expect(await followUpTextsTo(r.phone)).toHaveLength(1);
    const t1 = new Date(t0.getTime() + REMIND * DAY_MS);
    // Two sweeps at once (two instances): one reminder.
    await Promise.all([sweepFollowUps(db, t1, { reminderDays: REMIND }), sweepFollowUps(db, t1, { reminderDays: REMIND })]);
    const texts = await followUpTextsTo(r.phone);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(/^Lifeline reminder: did you get the help "Tutoring"/);
    // Still open a day before the end; closed as "no answer" reminderDays after the reminder.
    await sweepFollowUps(db, new Date(t1.getTime() + (REMIND - 1) * DAY_MS), { reminderDays: REMIND });
    expect((await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).followUpClosedAt).toBeNull();
    const t2 = new Date(t1.getTime() + REMIND * DAY_MS);
    const report = await sweepFollowUps(db, t2, { reminderDays: REMIND });
    expect(report.noAnswer).toBeGreaterThanOrEqual(1);
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row.followUpOutcome).toBe("no_answer");
    expect(row.followUpClosedAt?.getTime()).toBe(t2.getTime());
    expect(row.helpArrived).toBeNull();
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked", "follow_up_reminded", "follow_up_no_answer"]);
    // Nothing more is sent after that.
    await sweepFollowUps(db, new Date(t2.getTime() + 30 * DAY_MS), { reminderDays: REMIND });
    expect(await followUpTextsTo(r.phone)).toHaveLength(2);
  });

  it("an answered question gets no reminder", async () => {
    const r = await createReferral({ phone: "13700000108" });
    const t0 = new Date();
    await sweepFollowUps(db, t0, { reminderDays: REMIND });
    await db.referral.update({ where: { id: r.referralId }, data: { helpArrived: true, satisfaction: 5, answeredAt: t0, followUpClosedAt: t0, followUpOutcome: "answered", answerChannel: "web" } });
    await sweepFollowUps(db, new Date(t0.getTime() + REMIND * DAY_MS), { reminderDays: REMIND });
    await sweepFollowUps(db, new Date(t0.getTime() + 3 * REMIND * DAY_MS), { reminderDays: REMIND });
    expect(await followUpTextsTo(r.phone)).toHaveLength(1);
    expect((await db.referral.findUniqueOrThrow({ where: { id: r.referralId } })).followUpOutcome).toBe("answered");
  });

  it("a texted answer left half-way is closed as answered a day later, with what was said", async () => {
    const r = await createReferral({ phone: "13700000109" });
    const t0 = new Date();
    await sweepFollowUps(db, t0, { reminderDays: REMIND });
    await db.referral.update({ where: { id: r.referralId }, data: { helpArrived: true, answeredAt: t0, answerChannel: "sms" } });
    const report = await sweepFollowUps(db, new Date(t0.getTime() + DAY_MS + 1000), { reminderDays: REMIND });
    expect(report.closedPartial).toBeGreaterThanOrEqual(1);
    const row = await db.referral.findUniqueOrThrow({ where: { id: r.referralId } });
    expect(row.followUpOutcome).toBe("answered");
    expect(row.satisfaction).toBeNull();
    expect(await followUpTextsTo(r.phone)).toHaveLength(1);
  });
});
