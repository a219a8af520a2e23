import { describe, expect, it } from "vitest";
import { callbackDueAt } from "~/domain/callback/due";

/** An instant given on the Asia/Shanghai clock. */
const sh = (local: string) => new Date(`${local}:00+08:00`);

// 2026-11-30 is a Monday; 2026-12-04 a Friday; 2026-12-05/06 the weekend.
describe("callbackDueAt: normal requests", () => {
  it("is due by 17:00 on the next working day", () => {
    expect(callbackDueAt(sh("2026-11-30T10:00"))).toEqual({ dueAt: sh("2026-12-01T17:00"), priority: 0 });
  });

  it("counts the next day even just after midnight or late at night", () => {
    expect(callbackDueAt(sh("2026-12-01T00:05")).dueAt).toEqual(sh("2026-12-02T17:00"));
    expect(callbackDueAt(sh("2026-12-01T23:59")).dueAt).toEqual(sh("2026-12-02T17:00"));
  });

  it("uses the Shanghai date, not UTC (23:30 UTC Monday is Tuesday 07:30 in Shanghai)", () => {
    expect(callbackDueAt(new Date("2026-11-30T23:30:00Z")).dueAt).toEqual(sh("2026-12-02T17:00"));
  });

  it("skips the weekend: Friday, Saturday and Sunday requests are due Monday", () => {
    expect(callbackDueAt(sh("2026-12-04T11:00")).dueAt).toEqual(sh("2026-12-07T17:00"));
    expect(callbackDueAt(sh("2026-12-05T11:00")).dueAt).toEqual(sh("2026-12-07T17:00"));
    expect(callbackDueAt(sh("2026-12-06T22:00")).dueAt).toEqual(sh("2026-12-07T17:00"));
  });

  it("skips public holidays it is given", () => {
    const holidays = ["2026-12-31", "2027-01-01"];
    expect(callbackDueAt(sh("2026-12-30T10:00"), { holidays }).dueAt).toEqual(sh("2027-01-04T17:00"));
    expect(callbackDueAt(sh("2026-12-30T10:00")).dueAt).toEqual(sh("2026-12-31T17:00"));
  });

  it("works on make-up working days (调休) it is given", () => {
    expect(callbackDueAt(sh("2026-12-04T10:00"), { workdays: ["2026-12-05"] }).dueAt).toEqual(sh("2026-12-05T17:00"));
  });

  it("gives a normal priority to people under 70", () => {
    expect(callbackDueAt(sh("2026-11-30T10:00"), { oldestAge: 69, urgent: false }).priority).toBe(0);
    expect(callbackDueAt(sh("2026-11-30T10:00"), { oldestAge: null }).priority).toBe(0);
  });
});

describe("callbackDueAt: 70 or older, or urgent", () => {
  it("is within 4 working hours during the morning", () => {
    expect(callbackDueAt(sh("2026-11-30T10:20"), { urgent: true })).toEqual({ dueAt: sh("2026-11-30T14:20"), priority: 2 });
    expect(callbackDueAt(sh("2026-11-30T10:20"), { oldestAge: 70 })).toEqual({ dueAt: sh("2026-11-30T14:20"), priority: 1 });
    expect(callbackDueAt(sh("2026-11-30T10:20"), { oldestAge: 88, urgent: true })).toEqual({ dueAt: sh("2026-11-30T14:20"), priority: 3 });
  });

  it("counts from opening time when asked before 09:00", () => {
    expect(callbackDueAt(sh("2026-11-30T06:45"), { urgent: true }).dueAt).toEqual(sh("2026-11-30T13:00"));
  });

  it("is always the same day when asked on a working day before 15:00", () => {
    expect(callbackDueAt(sh("2026-11-30T14:59"), { urgent: true }).dueAt).toEqual(sh("2026-11-30T17:00"));
    expect(callbackDueAt(sh("2026-11-30T13:30"), { oldestAge: 75 }).dueAt).toEqual(sh("2026-11-30T17:00"));
  });

  it("carries the rest of the 4 hours into the next working day from 15:00", () => {
    expect(callbackDueAt(sh("2026-11-30T15:00"), { urgent: true }).dueAt).toEqual(sh("2026-12-01T11:00"));
    expect(callbackDueAt(sh("2026-11-30T16:30"), { urgent: true }).dueAt).toEqual(sh("2026-12-01T12:30"));
    expect(callbackDueAt(sh("2026-11-30T19:00"), { urgent: true }).dueAt).toEqual(sh("2026-12-01T13:00"));
  });

  it("is Monday 13:00 when asked on Friday evening or at the weekend", () => {
    expect(callbackDueAt(sh("2026-12-04T18:00"), { urgent: true }).dueAt).toEqual(sh("2026-12-07T13:00"));
    expect(callbackDueAt(sh("2026-12-05T09:30"), { oldestAge: 80 }).dueAt).toEqual(sh("2026-12-07T13:00"));
    expect(callbackDueAt(sh("2026-12-04T16:00"), { urgent: true }).dueAt).toEqual(sh("2026-12-07T12:00"));
  });

  it("skips holidays, and treats a holiday morning like a weekend", () => {
    const holidays = ["2026-12-31", "2027-01-01"];
    expect(callbackDueAt(sh("2026-12-30T16:00"), { urgent: true, holidays }).dueAt).toEqual(sh("2027-01-04T12:00"));
    expect(callbackDueAt(sh("2026-12-31T10:00"), { urgent: true, holidays }).dueAt).toEqual(sh("2027-01-04T13:00"));
  });

  it("is never later than a normal request made at the same moment", () => {
    const holidays = ["2026-12-31", "2027-01-01"];
    for (let minute = 0; minute < 7 * 24 * 60; minute += 17) {
      const now = new Date(sh("2026-12-28T00:00").getTime() + minute * 60_000);
      const normal = callbackDueAt(now, { holidays }).dueAt.getTime();
      const fast = callbackDueAt(now, { holidays, urgent: true }).dueAt.getTime();
      expect(fast).toBeLessThanOrEqual(normal);
      expect(fast).toBeGreaterThan(now.getTime());
    }
  });
});
