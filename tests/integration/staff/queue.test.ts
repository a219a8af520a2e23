// The staff call-back queue through its route modules: order, pages and
// filters with masked phones; "take the next" and claiming race-free; the
// call-back page shows the full number only to its claimer and every view is
// audited; calls are logged, "call later" reschedules, and the third failed
// call flags the item and queues one text in the resident's language.
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { QUEUE_PAGE_SIZE } from "~/domain/callback";
import { queueCallback } from "~/models/callback.server";
import * as detail from "~/routes/staff.callbacks.$reference";
import * as queue from "~/routes/staff.callbacks._index";
import { db } from "~/services/db.server";
import { responseOf, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";

const NOW = new Date();
const HOUR = 60 * 60 * 1000;

const ctx = (): AppLoadContext => ({});

async function getQueue(session: TestStaffSession | null, search = "") {
  return responseOf(() => queue.loader({ request: staffGet(`/staff/callbacks${search}`, session), params: {}, context: ctx() }));
}
async function getDetail(session: TestStaffSession | null, reference: string, search = "") {
  return responseOf(() => detail.loader({ request: staffGet(`/staff/callbacks/${reference}${search}`, session), params: { reference }, context: ctx() }));
}
async function postDetail(session: TestStaffSession | null, reference: string, fields: Record<string, string | null>) {
  return responseOf(() => detail.action({ request: staffPost(`/staff/callbacks/${reference}`, session, fields), params: { reference }, context: ctx() }));
}

async function seed(phone: string, opts: { urgent?: boolean; oldestAge?: number; language?: "en" | "zh-CN"; at?: Date } = {}): Promise<string> {
  const result = await queueCallback(db, { phone, language: opts.language ?? "zh-CN", source: "web_request", urgent: opts.urgent, oldestAge: opts.oldestAge ?? null }, opts.at ?? NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.reference;
}

let worker: TestStaffSession;
let other: TestStaffSession;
let supervisor: TestStaffSession;
let admin: TestStaffSession;

beforeAll(async () => {
  worker = await signInAs("caseworker");
  other = await signInAs("caseworker", { username: "second-caseworker" });
  supervisor = await signInAs("supervisor");
  admin = await signInAs("admin");
});

interface QueueData {
  total: number;
  page: number;
  pages: number;
  next: string | null;
  items: { reference: string; maskedPhone: string; overdue: boolean; status: string; mine: boolean; urgent: boolean; elderly: boolean; flagged: boolean; failedAttempts: number }[];
}

describe("the queue list", () => {
  it("lists open items due first, then by priority, with masked phones, 50 a page", async () => {
    await db.callbackRequest.deleteMany();
    const old = await seed("13800000001", { at: new Date(NOW.getTime() - 10 * 24 * HOUR) }); // long overdue
    const urgent = await seed("13800000002", { urgent: true, oldestAge: 80 });
    for (let i = 0; i < 55; i++) await seed(`1390000${String(1000 + i)}`);
    const reply = await getQueue(worker);
    expect(reply.status).toBe(200);
    const data = (await reply.json()) as QueueData;
    expect(data.total).toBe(57);
    expect(data.pages).toBe(2);
    expect(data.items).toHaveLength(QUEUE_PAGE_SIZE);
    expect(data.items[0]).toMatchObject({ reference: old, overdue: true, maskedPhone: "138****0001" });
    expect(data.items[1]).toMatchObject({ reference: urgent, urgent: true, elderly: true, overdue: false });
    expect(JSON.stringify(data)).not.toContain("13800000001");
    expect(data.next).toBe("/staff/callbacks?page=2");
    const second = (await (await getQueue(worker, "?page=2")).json()) as QueueData;
    expect(second.items).toHaveLength(7);
    expect(new Set([...data.items, ...second.items].map((i) => i.reference)).size).toBe(57);
  });

  it("filters overdue, mine and (for supervisors only) flagged", async () => {
    const overdue = (await (await getQueue(worker, "?filter=overdue")).json()) as QueueData;
    expect(overdue.items.every((i) => i.overdue)).toBe(true);
    expect(overdue.total).toBe(1);
    expect((await getQueue(worker, "?filter=flagged")).status).toBe(403);
    const flagged = await getQueue(supervisor, "?filter=flagged");
    expect(flagged.status).toBe(200);
    expect(((await flagged.json()) as QueueData).total).toBe(0);
    const mine = (await (await getQueue(worker, "?filter=mine")).json()) as QueueData;
    expect(mine.total).toBe(0);
  });

  it("refuses anonymous people and admins", async () => {
    const anon = await getQueue(null);
    expect(anon.status).toBe(303);
    expect(anon.headers.get("Location")).toContain("/staff/login");
    expect((await getQueue(admin)).status).toBe(403);
  });
});

describe("taking call-backs", () => {
  it("'take the next' claims the most urgent one and opens it; a supervisor can too, an anonymous post cannot", async () => {
    const first = ((await (await getQueue(worker)).json()) as QueueData).items[0].reference;
    const reply = await responseOf(() => queue.action({ request: staffPost("/staff/callbacks", worker, { intent: "next" }), params: {}, context: ctx() }));
    expect(reply.status).toBe(303);
    expect(reply.headers.get("Location")).toBe(`/staff/callbacks/${first}`);
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference: first } });
    expect(row).toMatchObject({ status: "claimed", claimedById: worker.staffId });
    const audit = await db.auditEntry.findFirst({ where: { action: "claim_callback", subjectId: first } });
    expect(audit?.actor).toBe(`staff:${worker.staffId}`);
    const mine = (await (await getQueue(worker, "?filter=mine")).json()) as QueueData;
    expect(mine.items.map((i) => i.reference)).toEqual([first]);
    const noCsrf = await responseOf(() => queue.action({ request: staffPost("/staff/callbacks", worker, { intent: "next", csrf: null }), params: {}, context: ctx() }));
    expect(noCsrf.status).toBe(403);
  });

  it("two caseworkers taking at the same moment never get the same item", async () => {
    await db.callbackRequest.deleteMany();
    const only = await seed("13700000001");
    const [a, b] = await Promise.all([
      responseOf(() => queue.action({ request: staffPost("/staff/callbacks", worker, { intent: "next" }), params: {}, context: ctx() })),
      responseOf(() => queue.action({ request: staffPost("/staff/callbacks", other, { intent: "next" }), params: {}, context: ctx() })),
    ]);
    const locations = [a.headers.get("Location"), b.headers.get("Location")];
    expect(locations.filter((l) => l === `/staff/callbacks/${only}`)).toHaveLength(1);
    const loser = a.headers.get("Location") ? b : a;
    expect(loser.status).toBe(200);
    expect(await loser.json()).toEqual({ notice: "queueEmpty" });

    // Claiming the same item by its page at once: one wins, the other is told.
    const contested = await seed("13700000002");
    const [x, y] = await Promise.all([postDetail(worker, contested, { intent: "claim" }), postDetail(other, contested, { intent: "claim" })]);
    const notices = [x.headers.get("Location"), y.headers.get("Location")].map((l) => new URL(`http://x${l}`).searchParams.get("notice")).sort();
    expect(notices).toEqual(["claimed", "takenBySomeone"]);
    expect(await db.auditEntry.count({ where: { action: "claim_callback", subjectId: contested } })).toBe(1);
  });
});

describe("one call-back", () => {
  it("shows the full number only to its claimer, and audits every view", async () => {
    await db.callbackRequest.deleteMany();
    const reference = await seed("13600000001");
    const before = await db.auditEntry.count({ where: { action: "view_callback", subjectId: reference } });
    const unclaimed = (await (await getDetail(worker, reference)).json()) as { phone: string | null; maskedPhone: string };
    expect(unclaimed.phone).toBeNull();
    expect(unclaimed.maskedPhone).toBe("136****0001");
    await postDetail(worker, reference, { intent: "claim" });
    const mine = (await (await getDetail(worker, reference)).json()) as { phone: string | null; mine: boolean };
    expect(mine).toMatchObject({ phone: "+8613600000001", mine: true });
    const theirs = (await (await getDetail(other, reference)).json()) as { phone: string | null };
    expect(theirs.phone).toBeNull();
    const views = await db.auditEntry.findMany({ where: { action: "view_callback", subjectId: reference }, orderBy: { seq: "asc" } });
    expect(views.length - before).toBe(3);
    expect(views.map((v) => v.actor)).toEqual([`staff:${worker.staffId}`, `staff:${worker.staffId}`, `staff:${other.staffId}`]);
    expect(views.every((v) => !v.detail.includes("136000"))).toBe(true);
    expect((await getDetail(worker, "CB-0000-0000")).status).toBe(404);
    expect((await getDetail(admin, reference)).status).toBe(403);
  });

  it("shows the context: check answers, the step reached and a conversation", async () => {
    const abandoned = await queueCallback(db, {
      phone: "13600000009",
      language: "en",
      source: "web_abandoned",
      reason: "Help with rent",
      context: {
        check: { answers: { forWhom: "self", householdSize: 1, people: [{ age: 72 }] } },
        application: { step: "household", answers: { forWhom: "self", applicant: { name: "Li Ming", idNumber: "110105********0011", phone: "+8613600000009" } } },
      },
    });
    const chat = await queueCallback(db, {
      phone: "13600000010",
      language: "en",
      source: "chat",
      context: {
        step: "check",
        transcript: [
          { from: "resident", text: "I need help", at: "2026-03-01T02:00:00Z" },
          { from: "bot", text: "We will call you", at: "2026-03-01T02:00:05Z" },
        ],
      },
    });
    if (!abandoned.ok || !chat.ok) throw new Error("seed");
    type Detail = {
      step: string;
      checkSections: { rows: { label: string; value: string }[] }[];
      applicationRows: { label: string; value: string }[];
      transcript: { from: string; text: string }[];
      reason: string;
    };
    const data = (await (await getDetail(worker, abandoned.reference)).json()) as Detail;
    expect(data.step).toBe("household");
    expect(data.reason).toBe("Help with rent");
    expect(data.checkSections.flatMap((s) => s.rows.map((r) => r.value))).toContain("72");
    expect(data.applicationRows.map((r) => r.value)).toEqual(expect.arrayContaining(["Li Ming", "110105********0011", "136****0009"]));
    const conversation = (await (await getDetail(worker, chat.reference)).json()) as Detail;
    expect(conversation.step).toBe("check");
    expect(conversation.transcript.map((m) => [m.from, m.text])).toEqual([
      ["resident", "I need help"],
      ["bot", "We will call you"],
    ]);
  });

  it("logs calls; the third failed one flags the item and texts the resident once, in their language", async () => {
    const reference = await seed("13500000001", { language: "en" });
    for (let i = 1; i <= 3; i++) {
      expect((await postDetail(worker, reference, { intent: "claim" })).headers.get("Location")).toContain("notice=claimed");
      const logged = await postDetail(worker, reference, { intent: "attempt", outcome: i === 2 ? "wrong_number" : "no_answer", note: `try ${i}` });
      expect(logged.headers.get("Location")).toContain(i === 3 ? "notice=loggedFlagged" : "notice=logged");
      const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference } });
      expect(row).toMatchObject({ status: "queued", claimedById: null, failedAttempts: i });
      expect(row.flaggedAt !== null).toBe(i === 3);
    }
    const texts = await db.outboxMessage.findMany({ where: { to: "+8613500000001" } });
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ language: "en", dedupeKey: `callback-unreachable:${reference}` });
    expect(texts[0].body).toContain("could not reach you");
    expect(texts[0].body.length).toBeLessThanOrEqual(160);
    // A fourth miss: no second text.
    await postDetail(worker, reference, { intent: "claim" });
    await postDetail(worker, reference, { intent: "attempt", outcome: "no_answer" });
    expect(await db.outboxMessage.count({ where: { to: "+8613500000001" } })).toBe(1);
    const flagged = (await (await getQueue(supervisor, "?filter=flagged")).json()) as QueueData;
    expect(flagged.items.map((i) => i.reference)).toContain(reference);
    expect(await db.callAttempt.count({ where: { callback: { reference } } })).toBe(4);
    expect(await db.auditEntry.count({ where: { action: "log_callback_attempt", subjectId: reference } })).toBe(4);
  });

  it("'call later' needs a future time and moves the due time; bad input answers 400 with messages", async () => {
    const reference = await seed("13500000002");
    await postDetail(worker, reference, { intent: "claim" });
    const none = await postDetail(worker, reference, { intent: "attempt" });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { errors: Record<string, string> }).errors.outcome).toBeTruthy();
    const noTime = await postDetail(worker, reference, { intent: "attempt", outcome: "call_later", laterDate: "", laterTime: "" });
    expect(noTime.status).toBe(400);
    expect(((await noTime.json()) as { errors: Record<string, string> }).errors.laterDate).toBeTruthy();
    const past = await postDetail(worker, reference, { intent: "attempt", outcome: "call_later", laterDate: "2020-01-01", laterTime: "10:00" });
    expect(past.status).toBe(400);
    const later = new Date(NOW.getTime() + 3 * 24 * HOUR + 8 * HOUR); // written on the Shanghai clock below
    const date = later.toISOString().slice(0, 10);
    const ok = await postDetail(worker, reference, { intent: "attempt", outcome: "call_later", laterDate: date, laterTime: "10:30", note: "After lunch" });
    expect(ok.headers.get("Location")).toContain("notice=logged");
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference } });
    expect(row.dueAt.toISOString()).toBe(`${date}T02:30:00.000Z`);
    expect(row).toMatchObject({ status: "queued", failedAttempts: 0, claimedById: null });
  });

  it("only the claimer can log, release or finish; done closes it", async () => {
    const reference = await seed("13500000003");
    await postDetail(worker, reference, { intent: "claim" });
    expect((await postDetail(other, reference, { intent: "attempt", outcome: "reached" })).headers.get("Location")).toContain("notice=notYours");
    expect((await postDetail(other, reference, { intent: "done" })).headers.get("Location")).toContain("notice=notYours");
    expect((await postDetail(other, reference, { intent: "release" })).headers.get("Location")).toContain("notice=notYours");
    expect((await postDetail(worker, reference, { intent: "attempt", outcome: "reached" })).headers.get("Location")).toContain("notice=logged");
    expect((await db.callbackRequest.findUniqueOrThrow({ where: { reference } })).status).toBe("claimed");
    expect((await postDetail(worker, reference, { intent: "done" })).headers.get("Location")).toContain("notice=completed");
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference } });
    expect(row.status).toBe("done");
    expect(row.completedAt).not.toBeNull();
    expect(await db.auditEntry.count({ where: { action: "complete_callback", subjectId: reference } })).toBe(1);
    const released = await seed("13500000004");
    await postDetail(worker, released, { intent: "claim" });
    expect((await postDetail(worker, released, { intent: "release" })).headers.get("Location")).toBe("/staff/callbacks");
    expect((await db.callbackRequest.findUniqueOrThrow({ where: { reference: released } })).status).toBe("queued");
    expect((await postDetail(worker, released, { intent: "claim", csrf: "wrong" })).status).toBe(403);
    expect((await postDetail(supervisor, released, { intent: "claim" })).headers.get("Location")).toContain("notice=claimed");
  });
});
