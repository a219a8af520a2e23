// The other limited forms: staff sign-in attempts per IP, objections to the
// public notice per IP (moved from process memory to the shared counters),
// and proxy consent codes per IP. Each: the try over the limit is 429 with a
// plain message in both languages and does nothing; other addresses go on;
// the window ends. Plus the housekeeping of the counters.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { submitApplication } from "~/models/application.server";
import { approveCase, moveCase } from "~/models/case-review.server";
import { ensureStaffUser } from "~/models/staff.server";
import { action as objectionAction } from "~/routes/notice.$id.objection";
import { action as loginAction } from "~/routes/staff_.login";
import { ABUSE_LIMITS, limitCodeSend, limitLogin } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { hitRateLimit, purgeRateLimitCounters } from "~/services/rate-limit.server";
import { lone_elder } from "../../fixtures/check-personas";
import { idNumber } from "../applications/helpers";
import { ApplyClient } from "../apply/client";
import { household } from "../staff/case-fixtures";
import { signInAs } from "../../support/staff";
import { callRoute, formPost, ip, realClock, setClock, windowStart } from "./helpers";

const PASSWORD = "abuse-test-password-2026";

beforeAll(async () => {
  await ensureStaffUser(db, { username: "abuse-caseworker", displayName: "Abuse test", role: "caseworker", password: PASSWORD });
});

afterEach(() => realClock());

describe("staff sign-in attempts from one address", () => {
  const login = (lng: "en" | "zh-CN", from: string, password: string) =>
    callRoute(loginAction, formPost(`http://localhost/staff/login?lng=${lng}`, { username: "abuse-caseworker", password }), { ip: from });

  it(`stop after ${ABUSE_LIMITS.loginPerIp.limit} in 15 minutes, right or wrong: 429 with when to try again, nothing checked or recorded`, async () => {
    setClock(windowStart(0));
    const from = ip(1);
    // Earlier attempts from this address (right ones too: this limit counts every try).
    for (let i = 0; i < ABUSE_LIMITS.loginPerIp.limit; i++) expect((await limitLogin(from)).ok).toBe(true);
    const failuresBefore = await db.loginFailure.count();
    const auditBefore = await db.auditEntry.count();

    const en = await login("en", from, PASSWORD);
    expect(en.status).toBe(429);
    expect(en.headers.get("Retry-After")).toBe("900");
    // 00:00 UTC is 08:00 in Shanghai; the window ends 15 minutes later.
    expect(en.data).toMatchObject({ errors: { username: "Too many sign-in tries from this network. You can try again at 08:15." } });
    expect(en.headers.get("Set-Cookie")).toBeNull();
    const zh = await login("zh-CN", from, "wrong");
    expect(zh.status).toBe(429);
    expect(zh.data).toMatchObject({ errors: { username: "这个网络的登录次数太多。您可以在 08:15 之后再试。" } });
    expect(await db.loginFailure.count()).toBe(failuresBefore);
    expect(await db.auditEntry.count()).toBe(auditBefore);

    // Another address signs in.
    expect((await login("en", ip(2), PASSWORD)).status).toBe(303);
    // So does this one once the window is over.
    setClock(windowStart(0) + ABUSE_LIMITS.loginPerIp.windowMs);
    expect((await login("en", from, PASSWORD)).status).toBe(303);
  });

  it("a mistyped form (an empty box) is not counted", async () => {
    setClock(windowStart(1));
    const from = ip(3);
    for (let i = 0; i < ABUSE_LIMITS.loginPerIp.limit; i++) {
      const answer = await callRoute(loginAction, formPost("http://localhost/staff/login?lng=en", { username: "abuse-caseworker", password: "" }), {
        ip: from,
      });
      expect(answer.status).toBe(400);
    }
    expect((await login("en", from, PASSWORD)).status).toBe(303);
  });
});

describe("objections to the public notice", () => {
  let caseId = "";

  beforeAll(async () => {
    const made = await submitApplication(db, {
      applicant: { name: "公示测试", idNumber: idNumber("11010519600101999"), phone: "13912340999", language: "zh-CN" },
      household: household(1, 200),
      programs: ["dibao"],
      channel: "web",
      actor: "resident",
      district: "dongcheng",
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const supervisor = await signInAs("supervisor");
    const who = { staffId: supervisor.staffId, actor: `staff:${supervisor.staffId}`, actorName: supervisor.username };
    const approvedAt = new Date(windowStart(2) - 60 * 60_000);
    expect(await moveCase(db, { reference: made.reference, to: "screening", who }, new Date(approvedAt.getTime() - 60_000))).toMatchObject({ ok: true });
    expect(await approveCase(db, { reference: made.reference, who, mayApproveLarge: true }, approvedAt)).toMatchObject({ ok: true });
    caseId = made.id;
  });

  const object = (lng: "en" | "zh-CN", from: string, reason: string) =>
    callRoute(objectionAction as never, formPost(`http://localhost/notice/${caseId}/objection?lng=${lng}`, { reason }), { ip: from, params: { id: caseId } });

  it(`take ${ABUSE_LIMITS.objectionPerIp.limit} an hour from one address, counted in the database; then 429 until the hour ends`, async () => {
    setClock(windowStart(2));
    const from = ip(10);
    for (let i = 0; i < ABUSE_LIMITS.objectionPerIp.limit; i++) expect((await object("en", from, `reason ${i}`)).status).toBe(303);
    const en = await object("en", from, "one too many");
    expect(en.status).toBe(429);
    expect(en.headers.get("Retry-After")).toBe("3600");
    expect(en.data).toMatchObject({ tooMany: "Too many objections were sent from your connection in the last hour. Please try again later." });
    const zh = await object("zh-CN", from, "再一个");
    expect(zh.status).toBe(429);
    expect(zh.data).toMatchObject({ tooMany: "过去一小时里，从您的网络提交的异议太多了。请过一会儿再试。" });
    expect(await db.noticeObjection.count({ where: { applicationId: caseId } })).toBe(ABUSE_LIMITS.objectionPerIp.limit);
    // The count is a shared counter row (every app instance sees it), not process memory.
    expect(await db.rateLimitCounter.count({ where: { key: { startsWith: "objection:ip:" } } })).toBe(1);

    expect((await object("en", ip(11), "from elsewhere")).status).toBe(303);
    setClock(windowStart(2) + 60 * 60_000);
    expect((await object("en", from, "the next hour")).status).toBe(303);
  });
});

describe("proxy consent codes asked for from one address", () => {
  it(`stop after ${ABUSE_LIMITS.codePerIp.limit} an hour: 429 with the message on the page, no code, no text; the hour ends`, async () => {
    setClock(windowStart(3));
    const from = ip(20);
    const client = new ApplyClient();
    await client.finishCheck(lone_elder);
    await client.post("/apply/who", { forWhom: "other", relationship: "child", consentMethod: "sms" });
    await client.post("/apply/details", {
      applicantName: "王秀英",
      applicantIdNumber: idNumber("11010519491231002"),
      applicantPhone: "13600136777",
      helperName: "李娜",
      helperPhone: "13500135777",
      district: "haidian",
      callMe: "yes",
    });
    for (let i = 0; i < ABUSE_LIMITS.codePerIp.limit; i++) expect((await limitCodeSend(from)).ok).toBe(true);
    const texts = () => db.outboxMessage.count({ where: { to: "+8613600136777" } });
    const codesBefore = await db.oneTimeCode.count();
    const textsBefore = await texts();

    const refused = await client.post("/apply/consent", { intent: "send" }, { clientIp: from });
    expect(refused.status).toBe(429);
    expect((refused.data as { errors: Record<string, string> }).errors.code).toMatch(
      /^(Too many codes were asked for from this network\. Please try again in 60 minutes|从这个网络要验证码的次数太多了。请在60 分钟后再试)/
    );
    expect(await db.oneTimeCode.count()).toBe(codesBefore);
    expect(await texts()).toBe(textsBefore);

    expect((await client.post("/apply/consent", { intent: "send" }, { clientIp: ip(21) })).location).toBe("/apply/consent");
    setClock(windowStart(3) + 60 * 60_000);
    expect((await client.post("/apply/consent", { intent: "send" }, { clientIp: from })).location).toBe("/apply/consent");
    expect(await texts()).toBe(textsBefore + 2);
  });
});

describe("the counters", () => {
  it("are purged a day after their window ended (the background sweep runs this)", async () => {
    const rule = { scope: "purge-test", limit: 1, windowMs: 60 * 60_000 };
    const old = new Date(windowStart(10));
    await hitRateLimit(rule, "a", { now: old });
    await hitRateLimit(rule, "a", { now: new Date(old.getTime() + 23 * 60 * 60_000) });
    expect(await db.rateLimitCounter.count({ where: { key: { startsWith: "purge-test:" } } })).toBe(2);
    expect(await purgeRateLimitCounters({ now: new Date(old.getTime() + 24 * 60 * 60_000 + 1) })).toBeGreaterThanOrEqual(1);
    // The window that ended within the day stays (it may still be counting).
    const left = await db.rateLimitCounter.findMany({ where: { key: { startsWith: "purge-test:" } }, select: { windowStart: true } });
    expect(left.map((r) => r.windowStart.toISOString())).toEqual([new Date(old.getTime() + 23 * 60 * 60_000).toISOString()]);
  });

  it("keep no phone number or address in the clear", async () => {
    await limitCodeSend(ip(99));
    const keys = (await db.rateLimitCounter.findMany({ select: { key: true } })).map((r) => r.key).join("\n");
    expect(keys).not.toContain(ip(99));
    expect(keys).not.toMatch(/1[3-9]\d{9}/);
  });
});
