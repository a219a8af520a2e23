// Every status change texts the applicant and (while they may see the case)
// the proxy, in the application's language, through the outbox: from staff
// actions and from the resident's own withdraw on /track, since both go
// through changeStatus. One text per change and phone, nothing personal but
// the reference.
import { beforeAll, describe, expect, it } from "vitest";
import { changeStatus } from "~/models/application.server";
import { action as withdrawAction } from "~/routes/track.withdraw";
import { db } from "~/services/db.server";
import { signInAs, type TestStaffSession } from "../../support/staff";
import { Browser } from "../track/helpers";
import { actOnCase, makeCase, textsTo } from "./case-fixtures";

let caseworker: TestStaffSession;

beforeAll(async () => {
  caseworker = await signInAs("caseworker");
});

async function statusTexts(phone: string) {
  // An approval's text is the public notice's (approved and on notice in one): "notice-start:".
  return (await textsTo(phone)).filter((m) => m.dedupeKey?.startsWith("status:") || m.dedupeKey?.startsWith("notice-start:"));
}

describe("status texts", () => {
  it("the resident withdrawing on /track is texted (applicant and proxy), in the application's language", async () => {
    const c = await makeCase({ language: "en" });
    const browser = new Browser();
    await browser.signIn(c.reference, c.applicantPhone.replace("+86", ""));
    const answer = await browser.post(withdrawAction, "/track/withdraw", {});
    expect(answer.status).toBe(303);
    for (const phone of [c.applicantPhone, c.proxyPhone!]) {
      const texts = await statusTexts(phone);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatchObject({ language: "en" });
      expect(texts[0].body).toBe(`Lifeline: application ${c.reference} has been stopped. You can apply again at any time.`);
    }
  });

  it("each change of a case's life is one text per phone, in Chinese for a Chinese application", async () => {
    const c = await makeCase({ language: "zh-CN" });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    await actOnCase(caseworker, c.reference, { intent: "request_information", types: "income_proof" });
    await actOnCase(caseworker, c.reference, { intent: "manual_review" });
    await actOnCase(caseworker, c.reference, { intent: "approve" });
    const texts = await statusTexts(c.applicantPhone);
    expect(texts.map((t) => t.language)).toEqual(["zh-CN", "zh-CN", "zh-CN", "zh-CN"]);
    expect(texts[0].body).toContain("已开始审核");
    expect(texts[1].body).toContain("还缺：收入证明");
    expect(texts[2].body).toContain("正在细审");
    expect(texts[3].body).toContain("已批准");
    expect(texts[3].body).toContain("公示7天");
    for (const text of texts) {
      expect(text.body).toContain(c.reference);
      expect(text.body).not.toContain(c.name);
      expect(text.body.length).toBeLessThanOrEqual(70);
    }
    expect(await statusTexts(c.proxyPhone!)).toHaveLength(4);
  });

  it("a move that is refused texts nobody; a change inside a rolled-back transaction leaves no text", async () => {
    const c = await makeCase();
    const before = await db.outboxMessage.count();
    const refused = await changeStatus(db, { reference: c.reference, to: "approved", actor: "system" });
    expect(refused).toMatchObject({ ok: false, error: "invalidTransition" });
    await expect(
      db.$transaction(async (tx) => {
        await changeStatus(tx, { reference: c.reference, to: "screening", actor: "system" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.outboxMessage.count()).toBe(before);
    expect((await db.application.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("submitted");
  });

  it("a proxy with the same phone as the applicant gets one text, not two", async () => {
    const c = await makeCase();
    await db.application.update({ where: { id: c.id }, data: { proxyPhone: c.applicantPhone } });
    await actOnCase(caseworker, c.reference, { intent: "screening" });
    expect(await statusTexts(c.applicantPhone)).toHaveLength(1);
  });
});
