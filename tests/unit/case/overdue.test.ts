// Overdue: undecided and sent more than 10 working days (Mon–Fri, Shanghai) ago.
import { describe, expect, it } from "vitest";
import { isOverdue, maskName, OVERDUE_WORKING_DAYS, overdueCutoff } from "~/domain/case";

// Wednesday 2026-12-02 10:00 in Shanghai.
const NOW = new Date("2026-12-02T02:00:00Z");

describe("overdueCutoff", () => {
  it("skips weekends: 10 working days before a Wednesday is the Wednesday two weeks earlier", () => {
    expect(OVERDUE_WORKING_DAYS).toBe(10);
    expect(overdueCutoff(NOW).toISOString()).toBe("2026-11-18T02:00:00.000Z");
  });

  it("from a Monday, 1 working day back is the Friday before", () => {
    const monday = new Date("2026-11-30T02:00:00Z");
    expect(overdueCutoff(monday, 1).toISOString()).toBe("2026-11-27T02:00:00.000Z");
  });
});

describe("isOverdue", () => {
  const old = new Date("2026-11-17T02:00:00Z");
  const recent = new Date("2026-11-25T02:00:00Z");
  it("is true for an undecided case sent before the cutoff", () => {
    for (const status of ["submitted", "screening", "needs_information", "manual_review"] as const) expect(isOverdue(status, old, NOW), status).toBe(true);
  });
  it("is false for a recent case and for a decided or stopped one", () => {
    expect(isOverdue("screening", recent, NOW)).toBe(false);
    for (const status of ["approved", "rejected", "withdrawn", "public_notice", "active"] as const) expect(isOverdue(status, old, NOW), status).toBe(false);
  });
});

describe("maskName", () => {
  it("keeps the first character and a star", () => {
    expect(maskName("王秀英")).toBe("王*");
    expect(maskName(" Li Ming")).toBe("L*");
    expect(maskName("")).toBe("*");
    expect(maskName("𠮷野家")).toBe("𠮷*");
  });
});
