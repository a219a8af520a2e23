// Drafts that outlive a visit: the texted resume link (an encrypted token,
// never the draft id) opens the draft in another browser; an unfinished draft
// whose owner agreed to be called is queued for a call-back (web_abandoned)
// once, only after 24 hours of silence, and never without that consent.
import { describe, expect, it } from "vitest";
import { checkConsentCode, makeResumeToken, queueAbandonedDraftCallbacks, readResumeToken, sendConsentCode } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { lone_elder } from "../../fixtures/check-personas";
import { APPLICANT_ID } from "../applications/helpers";
import { ApplyClient } from "./client";

const HOUR = 60 * 60 * 1000;

async function startDraft(phone: string, callMe: "yes" | "no"): Promise<ApplyClient> {
  const client = new ApplyClient();
  await client.finishCheck(lone_elder);
  await client.post("/apply/who", { forWhom: "self" });
  const reply = await client.post("/apply/details", { applicantName: "王秀英", applicantIdNumber: APPLICANT_ID, applicantPhone: phone, district: "dongcheng", callMe });
  expect(reply.location).toBe("/apply/household");
  return client;
}

describe("save and come back later", () => {
  it("texts a link whose token hides the draft id and opens the draft in another browser", async () => {
    const client = await startDraft("13800138111", "no");
    const draftId = client.cookies.get("apply_draft")!;
    const bad = await client.post("/apply/save", { phone: "12345" });
    expect(bad.status).toBe(400);
    expect((await client.post("/apply/save", { phone: "138 0013 8111" })).location).toMatch(/^\/apply\/save\?sent=/);
    const text = await db.outboxMessage.findFirstOrThrow({ where: { to: "+8613800138111" }, orderBy: { createdAt: "desc" } });
    const link = /(\/apply\/resume\/[A-Za-z0-9_-]+)/.exec(text.body)![1];
    expect(link).not.toContain(draftId);
    expect(text.body).not.toContain(draftId);

    const phone = new ApplyClient();
    const opened = await phone.get(link);
    expect(opened.location).toBe("/apply");
    expect(phone.cookies.get("apply_draft")).toBe(draftId);

    // A changed token does not open anything.
    const token = link.split("/").pop()!;
    const flipped = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
    const refused = await new ApplyClient().get(`/apply/resume/${flipped}`);
    expect(refused.status).toBe(404);
    expect(refused.setCookie).toBeNull();
  });

  it("resume tokens run out after 7 days", () => {
    const id = "0123456789abcdef0123456789abcdef";
    const now = new Date("2026-01-01T00:00:00Z");
    const token = makeResumeToken(id, now);
    expect(readResumeToken(token, new Date(now.getTime() + 6 * 24 * HOUR))).toBe(id);
    expect(readResumeToken(token, new Date(now.getTime() + 8 * 24 * HOUR))).toBeNull();
  });
});

describe("call-backs for unfinished drafts", () => {
  it("queues one web_abandoned call after 24 hours, only with consent, with the answers and step", async () => {
    const consenting = await startDraft("13800138222", "yes");
    const refusing = await startDraft("13800138333", "no");
    const row = await db.applicationDraft.findUniqueOrThrow({ where: { id: consenting.cookies.get("apply_draft")! } });
    const start = row.lastActivityAt;

    expect(await queueAbandonedDraftCallbacks(db, new Date(start.getTime() + 23 * HOUR))).toBe(0);
    expect(await db.callbackRequest.count({ where: { source: "web_abandoned" } })).toBe(0);

    const later = new Date(start.getTime() + 25 * HOUR);
    expect(await queueAbandonedDraftCallbacks(db, later)).toBe(1);
    expect(await queueAbandonedDraftCallbacks(db, later)).toBe(0);
    const calls = await db.callbackRequest.findMany({ where: { source: "web_abandoned" } });
    expect(calls).toHaveLength(1);
    expect(calls[0].phone).toBe("+8613800138222");
    const context = JSON.parse(calls[0].context);
    expect(context.application.step).toBe("household");
    expect(context.application.answers.applicant.name).toBe("王秀英");
    expect(context.application.answers.applicant.idNumber).toBe(`110${"*".repeat(11)}${APPLICANT_ID.slice(-4)}`);
    expect((await db.applicationDraft.findUniqueOrThrow({ where: { id: row.id } })).abandonedQueuedAt).toEqual(later);
    expect((await db.applicationDraft.findUniqueOrThrow({ where: { id: refusing.cookies.get("apply_draft")! } })).abandonedQueuedAt).toBeNull();

    // A configurable wait.
    const third = await startDraft("13800138444", "yes");
    const thirdRow = await db.applicationDraft.findUniqueOrThrow({ where: { id: third.cookies.get("apply_draft")! } });
    expect(await queueAbandonedDraftCallbacks(db, new Date(thirdRow.lastActivityAt.getTime() + 3 * HOUR), { afterHours: 2 })).toBe(1);
  });

  it("does not call about a submitted draft", async () => {
    const client = await startDraft("13800138555", "yes");
    const id = client.cookies.get("apply_draft")!;
    await db.applicationDraft.update({ where: { id }, data: { submittedReference: "LA-TEST-0000" } });
    expect(await queueAbandonedDraftCallbacks(db, new Date(Date.now() + 48 * HOUR))).toBe(0);
  });
});

describe("consent codes", () => {
  const send = (phone: string, now: Date, code = "246810") => sendConsentCode(db, { phone, proxyName: "李娜", language: "en" }, now, () => code);

  it("work once, for 10 minutes, and lock after 5 wrong tries", async () => {
    const now = new Date();
    const id = (await send("+8613100131000", now))!;
    expect(await checkConsentCode(db, id, "+8613100131000", "246810", new Date(now.getTime() + 11 * 60_000))).toBe("expired");
    expect(await checkConsentCode(db, id, "+8613100131001", "246810", now)).toBe("expired");
    expect(await checkConsentCode(db, id, "+8613100131000", "246810", now)).toBe("ok");
    expect(await checkConsentCode(db, id, "+8613100131000", "246810", now)).toBe("expired");

    const second = (await send("+8613100131000", now))!;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await checkConsentCode(db, second, "+8613100131000", "111111", now));
    expect(results).toEqual(["wrong", "wrong", "wrong", "wrong", "tooManyTries"]);
    expect(await checkConsentCode(db, second, "+8613100131000", "246810", now)).toBe("tooManyTries");
  });

  it("are sent at most 5 times an hour to one phone", async () => {
    const now = new Date();
    for (let i = 0; i < 5; i++) expect(await send("+8613100132000", now)).not.toBeNull();
    expect(await send("+8613100132000", now)).toBeNull();
    expect(await send("+8613100132000", new Date(now.getTime() + 61 * 60_000))).not.toBeNull();
  });
});
