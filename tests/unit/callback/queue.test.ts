// The call-back queue's pure rules: priority, order, the three-failed-calls
// rule, "call later" times on the Shanghai clock, and the dashboard's funnel.
import { describe, expect, it } from "vitest";
import {
  applyAttempt,
  compareQueueItems,
  FAILED_ATTEMPTS_LIMIT,
  isOverdue,
  median,
  parseShanghaiDateTime,
  queuePriority,
  shanghaiDayBounds,
  type AttemptState,
} from "~/domain/callback";
import { checkFunnelOrder, funnelRows } from "~/domain/callback/funnel";

const NOW = new Date("2026-03-02T03:00:00Z"); // Monday 11:00 in Shanghai
const base: AttemptState = { status: "claimed", urgent: false, oldestAge: null, failedAttempts: 0, dueAt: new Date("2026-03-02T09:00:00Z"), flagged: false };

describe("queuePriority", () => {
  it("puts an urgent need above someone 70 or older, and both above neither", () => {
    const normal = queuePriority({ urgent: false, oldestAge: 40, failedAttempts: 0 });
    const elderly = queuePriority({ urgent: false, oldestAge: 70, failedAttempts: 0 });
    const urgent = queuePriority({ urgent: true, oldestAge: null, failedAttempts: 0 });
    const both = queuePriority({ urgent: true, oldestAge: 85, failedAttempts: 0 });
    expect([normal, elderly, urgent, both]).toEqual([0, 1, 2, 3]);
    expect(queuePriority({ urgent: false, oldestAge: 69, failedAttempts: 0 })).toBe(0);
  });

  it("raises the priority with each failed call, up to the limit", () => {
    expect(queuePriority({ urgent: false, oldestAge: null, failedAttempts: 1 })).toBe(1);
    expect(queuePriority({ urgent: false, oldestAge: null, failedAttempts: 2 })).toBe(2);
    expect(queuePriority({ urgent: false, oldestAge: null, failedAttempts: 9 })).toBe(FAILED_ATTEMPTS_LIMIT);
  });
});

describe("queue order", () => {
  const at = (iso: string) => new Date(iso);
  it("sorts overdue (earlier due) first, then higher priority, then older requests", () => {
    const items = [
      { id: "later-urgent", dueAt: at("2026-03-02T09:00:00Z"), priority: 3, createdAt: at("2026-03-01T00:00:00Z") },
      { id: "overdue-normal", dueAt: at("2026-03-01T09:00:00Z"), priority: 0, createdAt: at("2026-02-28T00:00:00Z") },
      { id: "same-time-low", dueAt: at("2026-03-02T09:00:00Z"), priority: 0, createdAt: at("2026-02-27T00:00:00Z") },
      { id: "same-time-low-newer", dueAt: at("2026-03-02T09:00:00Z"), priority: 0, createdAt: at("2026-03-01T12:00:00Z") },
    ];
    expect([...items].sort(compareQueueItems).map((i) => i.id)).toEqual(["overdue-normal", "later-urgent", "same-time-low", "same-time-low-newer"]);
    expect(isOverdue(items[1].dueAt, NOW)).toBe(true);
    expect(isOverdue(items[0].dueAt, NOW)).toBe(false);
  });
});

describe("applyAttempt", () => {
  it("keeps a reached call with the caseworker and counts nothing as failed", () => {
    const r = applyAttempt(base, "reached", NOW);
    expect(r).toEqual({ ok: true, effect: expect.objectContaining({ status: "claimed", keepClaim: true, failedAttempts: 0, flag: false, sendUnreachableText: false }) });
  });

  it("puts a failed call back in the queue with a higher priority", () => {
    const r = applyAttempt(base, "no_answer", NOW);
    expect(r.ok && r.effect).toMatchObject({ status: "queued", keepClaim: false, failedAttempts: 1, priority: 1, flag: false, sendUnreachableText: false, dueAt: base.dueAt });
    const wrong = applyAttempt({ ...base, failedAttempts: 1 }, "wrong_number", NOW);
    expect(wrong.ok && wrong.effect).toMatchObject({ failedAttempts: 2, flag: false });
  });

  it("flags the item and texts the resident on the third failed call, once", () => {
    const third = applyAttempt({ ...base, failedAttempts: 2 }, "no_answer", NOW);
    expect(third.ok && third.effect).toMatchObject({ failedAttempts: 3, flag: true, sendUnreachableText: true });
    const fourth = applyAttempt({ ...base, failedAttempts: 3, flagged: true }, "wrong_number", NOW);
    expect(fourth.ok && fourth.effect).toMatchObject({ failedAttempts: 4, flag: false, sendUnreachableText: false });
    // a reached call after two misses does not count as the third
    const reached = applyAttempt({ ...base, failedAttempts: 2 }, "reached", NOW);
    expect(reached.ok && reached.effect).toMatchObject({ failedAttempts: 2, flag: false, sendUnreachableText: false });
  });

  it("moves the due time for 'call later', which needs a time in the next 30 days", () => {
    const later = new Date(NOW.getTime() + 2 * 60 * 60 * 1000);
    const r = applyAttempt(base, "call_later", NOW, later);
    expect(r.ok && r.effect).toMatchObject({ status: "queued", keepClaim: false, dueAt: later, failedAttempts: 0, flag: false });
    expect(applyAttempt(base, "call_later", NOW)).toEqual({ ok: false, error: "callAgainAt.required" });
    expect(applyAttempt(base, "call_later", NOW, new Date(NOW.getTime() - 1000))).toEqual({ ok: false, error: "callAgainAt.past" });
    expect(applyAttempt(base, "call_later", NOW, new Date(NOW.getTime() + 31 * 24 * 60 * 60 * 1000))).toEqual({ ok: false, error: "callAgainAt.tooFar" });
  });
});

describe("parseShanghaiDateTime", () => {
  it("reads a date and time on the Shanghai clock", () => {
    expect(parseShanghaiDateTime("2026-03-02", "14:30")?.toISOString()).toBe("2026-03-02T06:30:00.000Z");
    expect(parseShanghaiDateTime("2026-03-02", "9：05")?.toISOString()).toBe("2026-03-02T01:05:00.000Z");
  });
  it("refuses what is not a real date or time", () => {
    expect(parseShanghaiDateTime("2026-02-30", "10:00")).toBeNull();
    expect(parseShanghaiDateTime("2026-03-02", "24:00")).toBeNull();
    expect(parseShanghaiDateTime("", "10:00")).toBeNull();
    expect(parseShanghaiDateTime("tomorrow", "")).toBeNull();
  });
});

describe("dashboard helpers", () => {
  it("finds the Shanghai day around an instant", () => {
    const { start, end } = shanghaiDayBounds(new Date("2026-03-02T17:30:00Z")); // 01:30 on 3 March in Shanghai
    expect(start.toISOString()).toBe("2026-03-02T16:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-03T16:00:00.000Z");
  });
  it("takes the median of odd and even lists", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("lists the funnel in journey order with zeros for steps nobody reached", () => {
    const order = checkFunnelOrder();
    expect(order[0]).toBe("who");
    expect(order.slice(-2)).toEqual(["answers", "results"]);
    const rows = funnelRows(new Map([["who", 10], ["household-size", 8], ["answers", 4], ["bogus", 99]]));
    expect(rows[0]).toEqual({ step: "who", drafts: 10, percentOfStart: 100 });
    expect(rows[1]).toEqual({ step: "household-size", drafts: 8, percentOfStart: 80 });
    expect(rows.find((r) => r.step === "savings")).toEqual({ step: "savings", drafts: 0, percentOfStart: 0 });
    expect(rows.some((r) => r.step === "bogus")).toBe(false);
  });
});

describe("parseShanghaiDateTime, the ways people write a date", () => {
  it("accepts slashes, dots and Chinese date words", () => {
    for (const date of ["2026/3/2", "2026.03.02", "2026年3月2日", " 2026-3-2 "]) {
      expect(parseShanghaiDateTime(date, "14:30")?.toISOString(), date).toBe("2026-03-02T06:30:00.000Z");
    }
  });
});
