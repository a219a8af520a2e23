// Texted answers to the follow-up, through the real inbox worker (bot/sms.ts):
// while a question is open for the phone its digits answer it, in both
// languages and however they are typed (１, 五, "5分"), one step at a time;
// "2" (no help) opens a caseworker task; a wrong answer gets a hint; STOP and
// texts from phones without an open question go to the assistant as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepFollowUps } from "~/models/follow-up.server";
import { db, prepareDatabase } from "~/services/db.server";
import { createBot } from "../../../bot/controller";
import { acceptInboundText, startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { createReferral, eventTypes, type ReferralFixture } from "./helpers";

let inbox: SmsInbox;
let sid = 0;

beforeAll(async () => {
  await prepareDatabase();
  inbox = startSmsInbox(db, createBot({ db, now: () => new Date(), publicUrl: "https://lifeline.test" }));
});

afterAll(async () => {
  await inbox.stop();
});

/** Texts `body` from `from` and returns the replies queued for it. */
async function text(from: string, body: string): Promise<string[]> {
  const id = `SMfollowup${String(++sid).padStart(24, "0")}`;
  await acceptInboundText(db, { sid: id, from, body });
  inbox.kick();
  await inbox.drain();
  const rows = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `bot-reply:${id}:` } }, orderBy: { dedupeKey: "asc" } });
  return rows.map((r) => r.body);
}

async function asked(options: Parameters<typeof createReferral>[0]): Promise<ReferralFixture> {
  const r = await createReferral(options);
  await sweepFollowUps(db, new Date(), { reminderDays: 7 });
  return r;
}

const referral = (id: string) => db.referral.findUniqueOrThrow({ where: { id } });

describe("Chinese, full-width digits and Chinese numerals", () => {
  it("records 到了 (１), 五, a comment, and closes the follow-up", async () => {
    const r = await asked({ phone: "13700000201", language: "zh-CN" });
    expect(await text(r.phone, "１")).toEqual(["谢谢。您对这项帮助满意吗？请回复1到5：1是很差，5是很好。"]);
    expect((await referral(r.referralId)).helpArrived).toBe(true);
    expect(await text(r.phone, "五")).toEqual(["谢谢。还有什么想告诉我们的吗？请直接回复，回复0跳过。"]);
    expect(await text(r.phone, "服务很好，谢谢社工")).toEqual(["谢谢，您的回答已保存。"]);
    const row = await referral(r.referralId);
    expect(row).toMatchObject({ helpArrived: true, satisfaction: 5, comment: "服务很好，谢谢社工", answerChannel: "sms", followUpOutcome: "answered" });
    expect(row.followUpClosedAt).not.toBeNull();
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked", "follow_up_answered"]);
    // The question is over: the next text goes to the assistant (its welcome, not a follow-up reply).
    const next = await text(r.phone, "1");
    expect(next.join(" ")).not.toMatch(/满意|回答已保存/);
  });

  it("二 (no help) opens a task for the caseworker; 0 skips the comment", async () => {
    const r = await asked({ phone: "13700000202", language: "zh-CN" });
    const [reply] = await text(r.phone, "二");
    expect(reply).toMatch(/^很抱歉，我们会告诉您的工作人员/);
    expect(await text(r.phone, "１分")).toHaveLength(1);
    expect(await text(r.phone, "０")).toEqual(["谢谢，您的回答已保存。"]);
    expect(await referral(r.referralId)).toMatchObject({ helpArrived: false, satisfaction: 1, comment: null, followUpOutcome: "answered" });
    const tasks = await db.caseTask.findMany({ where: { applicationId: r.applicationId } });
    expect(tasks.map((t) => [t.kind, t.referralId, t.doneAt])).toEqual([["help_not_delivered", r.referralId, null]]);
    expect(await eventTypes(r.applicationId)).toEqual(["follow_up_asked", "follow_up_answered", "task_opened"]);
  });

  it("a wrong answer gets a hint and changes nothing", async () => {
    const r = await asked({ phone: "13700000203", language: "zh-CN" });
    expect(await text(r.phone, "3")).toEqual(["请回复1（得到了帮助）或2（没有）。"]);
    expect((await referral(r.referralId)).helpArrived).toBeNull();
    await text(r.phone, "是");
    expect(await text(r.phone, "9")).toEqual(["请回复1到5的数字：1是很差，5是很好。"]);
    expect((await referral(r.referralId)).satisfaction).toBeNull();
    expect(await text(r.phone, "四")).toHaveLength(1);
    expect((await referral(r.referralId)).satisfaction).toBe(4);
  });
});

describe("English", () => {
  it("records 1, 5 and a comment", async () => {
    const r = await asked({ phone: "13700000204", language: "en" });
    expect(await text(r.phone, "1")).toEqual(["Thank you. How happy are you with this help? Reply 1 (bad) to 5 (very good)."]);
    expect(await text(r.phone, "5")).toEqual(["Thank you. Anything else to tell us? Reply in a few words, or 0 to skip."]);
    expect(await text(r.phone, "  The carer came every week.  ")).toEqual(["Thank you. We have saved your answer."]);
    expect(await referral(r.referralId)).toMatchObject({ helpArrived: true, satisfaction: 5, comment: "The carer came every week.", answerChannel: "sms" });
  });

  it("the proxy's phone may answer too; the next open question follows the first", async () => {
    const first = await asked({ phone: "13700000205", proxyPhone: "13700000206", language: "en", serviceName: "Home care" });
    const second = await createReferral({ phone: "13700000205", language: "en", serviceName: "Tutoring", sameCaseAs: first });
    await sweepFollowUps(db, new Date(), { reminderDays: 7 });
    expect(await text(first.proxyPhone!, "no")).toHaveLength(1);
    await text(first.proxyPhone!, "2");
    const replies = await text(first.proxyPhone!, "0");
    expect(replies).toEqual(["Thank you. We have saved your answer.", 'Lifeline: did you get the help "Tutoring"? Reply 1 if yes, 2 if no.']);
    expect(await referral(first.referralId)).toMatchObject({ helpArrived: false, satisfaction: 2 });
    await text(first.phone, "1");
    expect((await referral(second.referralId)).helpArrived).toBe(true);
  });
});

describe("the assistant's dialogs are untouched", () => {
  it("STOP still opts out while a question is open, and nothing is recorded", async () => {
    const r = await asked({ phone: "13700000207", language: "en" });
    await text(r.phone, "STOP");
    expect(await db.smsOptOut.count({ where: { phone: r.phone } })).toBe(1);
    expect((await referral(r.referralId)).helpArrived).toBeNull();
  });

  it("a phone without an open question gets the assistant's answer to 1", async () => {
    await createReferral({ phone: "13700000208", dueAt: new Date(Date.now() + 86_400_000) });
    const replies = await text("+8613700000208", "1");
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.join(" ")).not.toMatch(/满意|happy|回答已保存/);
  });
});
