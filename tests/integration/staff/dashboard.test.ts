// The dashboard's figures from seeded rows: today's queue, overdue items,
// applications by channel (30 days), median days to a decision, the share of
// call-backs called on time, and the check's funnel recorded by the check
// pages themselves (a reload is not a second visit).
import { beforeAll, describe, expect, it } from "vitest";
import { queueCallback } from "~/models/callback.server";
import * as question from "~/routes/check.$";
import * as dashboard from "~/routes/staff._index";
import { db } from "~/services/db.server";
import { signInAs, staffGet, type TestStaffSession } from "../../support/staff";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date();

async function respond(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return (await fn()) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let worker: TestStaffSession;

async function application(reference: string, channel: string, submittedDaysAgo: number, decidedAfterDays: number | null) {
  const submittedAt = new Date(NOW.getTime() - submittedDaysAgo * DAY);
  await db.application.create({
    data: {
      reference,
      status: decidedAfterDays === null ? "submitted" : "approved",
      channel,
      language: "zh-CN",
      applicantName: "x",
      applicantIdNumber: "x",
      applicantPhone: "+8613800000000",
      household: "{}",
      programs: "[]",
      results: "{}",
      rulesVersion: "test",
      submittedAt,
      decidedAt: decidedAfterDays === null ? null : new Date(submittedAt.getTime() + decidedAfterDays * DAY),
    },
  });
}

beforeAll(async () => {
  worker = await signInAs("caseworker");
  // Call-backs: one overdue (called late), one due later today or tomorrow (not yet called), one called on time, one done.
  const late = await queueCallback(db, { phone: "13800000001", language: "zh-CN", source: "web_request" }, new Date(NOW.getTime() - 5 * DAY));
  const fresh = await queueCallback(db, { phone: "13800000002", language: "zh-CN", source: "chat" }, NOW);
  const early = await queueCallback(db, { phone: "13800000003", language: "zh-CN", source: "sms" }, new Date(NOW.getTime() - 6 * DAY));
  if (!late.ok || !fresh.ok || !early.ok) throw new Error("seed");
  const lateRow = await db.callbackRequest.findUniqueOrThrow({ where: { reference: late.reference } });
  const earlyRow = await db.callbackRequest.findUniqueOrThrow({ where: { reference: early.reference } });
  await db.callAttempt.create({ data: { callbackId: lateRow.id, staffUserId: worker.staffId, outcome: "no_answer", at: new Date(lateRow.dueAt.getTime() + 60_000) } });
  await db.callAttempt.create({ data: { callbackId: earlyRow.id, staffUserId: worker.staffId, outcome: "reached", at: new Date(earlyRow.dueAt.getTime() - 60_000) } });
  await db.callbackRequest.update({ where: { id: earlyRow.id }, data: { status: "done", completedAt: NOW } });
  await db.callbackRequest.update({ where: { id: lateRow.id }, data: { flaggedAt: NOW, failedAttempts: 3 } });

  await application("LA-TEST-0001", "web", 10, 2);
  await application("LA-TEST-0002", "web", 12, 4);
  await application("LA-TEST-0003", "staff_assisted", 3, 9 / 24 + 1);
  await application("LA-TEST-0004", "chat", 1, null);
  await application("LA-TEST-0005", "web", 60, 1); // outside the 30 days
});

interface Data {
  queue: { open: number; queued: number; overdue: number; flagged: number; dueToday: number };
  overdueItems: { reference: string }[];
  byChannel: { channel: string; count: number }[];
  medianDaysToDecision: number | null;
  decisions: number;
  onTime: { onTime: number; total: number; percent: number | null };
  funnel: { step: string; drafts: number; percentOfStart: number }[];
}

describe("dashboard", () => {
  it("counts the queue, channels, time to decision and on-time calls", async () => {
    const reply = await respond(() => dashboard.loader({ request: staffGet("/staff", worker), params: {}, context: {} }));
    expect(reply.status).toBe(200);
    const d = (await reply.json()) as Data;
    expect(d.queue).toMatchObject({ open: 2, queued: 2, overdue: 1, flagged: 1 });
    expect(d.overdueItems).toHaveLength(1);
    expect(Object.fromEntries(d.byChannel.map((c) => [c.channel, c.count]))).toMatchObject({ web: 2, staff_assisted: 1, chat: 1, sms: 0 });
    // Decisions in the window: 2, 4 and 1.375 days → median 2
    expect(d.decisions).toBe(3);
    expect(d.medianDaysToDecision).toBe(2);
    // Two call-backs are due by now (one called late, one called on time); the fresh one is not due yet.
    expect(d.onTime).toEqual({ onTime: 1, total: 2, percent: 50 });
    expect(JSON.stringify(d)).not.toContain("138000");
  });

  it("records each check page a draft reaches once, and shows the funnel in journey order", async () => {
    const cookie = async (step: string, fields: Record<string, string>, draft: string | null) => {
      const body = new URLSearchParams(fields);
      const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...(draft ? { Cookie: `check_draft=${draft}` } : {}) };
      const reply = await respond(() => question.action({ request: new Request(`http://localhost/check/${step}`, { method: "POST", body, headers }), params: { "*": step }, context: {} }));
      const set = reply.headers.get("Set-Cookie") ?? "";
      return /check_draft=([0-9a-f]{32})/.exec(set)?.[1] ?? draft;
    };
    const view = (step: string, draft: string) =>
      respond(() => question.loader({ request: new Request(`http://localhost/check/${step}`, { headers: { Cookie: `check_draft=${draft}` } }), params: { "*": step }, context: {} }));
    // Visitor A answers two questions (and reloads one page); visitor B stops after the first.
    const a = await cookie("who", { forWhom: "self" }, null);
    await view("household-size", a!);
    await view("household-size", a!);
    await cookie("household-size", { householdSize: "1" }, a);
    await view("person/1/age", a!);
    const b = await cookie("who", { forWhom: "other" }, null);
    await view("household-size", b!);
    await view("who", b!);
    expect(await db.journeyStep.count({ where: { draftId: a! } })).toBe(3);

    const d = (await (await respond(() => dashboard.loader({ request: staffGet("/staff", worker), params: {}, context: {} }))).json()) as Data;
    expect(d.funnel.slice(0, 3)).toEqual([
      { step: "who", drafts: 2, percentOfStart: 100 },
      { step: "household-size", drafts: 2, percentOfStart: 100 },
      { step: "age", drafts: 1, percentOfStart: 50 },
    ]);
    expect(d.funnel.at(-1)).toEqual({ step: "results", drafts: 0, percentOfStart: 0 });
  });

  it("is for signed-in staff with dashboard.view", async () => {
    const anon = await respond(() => dashboard.loader({ request: staffGet("/staff", null), params: {}, context: {} }));
    expect(anon.status).toBe(303);
    const admin = await signInAs("admin");
    expect((await respond(() => dashboard.loader({ request: staffGet("/staff", admin), params: {}, context: {} }))).status).toBe(200);
  });
});
