// Plain reasons: staff choose from lists (nothing else is accepted), every
// reason has words in both languages, and the review deadline is counted in
// Shanghai days.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CASE_REJECTION_REASONS,
  CLOSE_REASONS,
  DOCUMENT_REJECTION_REASONS,
  isCaseRejectionReason,
  isCloseReason,
  isDocumentRejectionReason,
  pickReasons,
  REVIEW_PERIOD_DAYS,
  reviewDeadline,
} from "~/domain/case";

function locale(lng: string, ns: string): Record<string, Record<string, Record<string, string>>> {
  return JSON.parse(fs.readFileSync(`public/locales/${lng}/${ns}.json`, "utf8")) as never;
}

describe("reason lists", () => {
  it("accept only their own codes", () => {
    expect(isCaseRejectionReason("income_above_line")).toBe(true);
    expect(isCaseRejectionReason("unreadable")).toBe(false);
    expect(isDocumentRejectionReason("unreadable")).toBe(true);
    expect(isDocumentRejectionReason("<script>")).toBe(false);
    expect(isCloseReason("duplicate")).toBe(true);
    expect(isCloseReason(undefined)).toBe(false);
  });

  it("pickReasons keeps the list's order, drops repeats and reports anything else", () => {
    expect(pickReasons(CASE_REJECTION_REASONS, ["other", "income_above_line", "other"])).toEqual({ reasons: ["income_above_line", "other"], unknown: false });
    expect(pickReasons(CASE_REJECTION_REASONS, ["income_above_line", "made_up"]).unknown).toBe(true);
    expect(pickReasons(CASE_REJECTION_REASONS, []).reasons).toEqual([]);
  });

  for (const lng of ["zh-CN", "en"]) {
    it(`has words for every reason in ${lng}, for staff and for the resident's letter`, () => {
      const cases = locale(lng, "cases");
      const letter = locale(lng, "letter");
      for (const r of CASE_REJECTION_REASONS) {
        expect(cases.reasons.reject[r], r).toBeTruthy();
        expect((letter.rejectReasons as unknown as Record<string, string>)[r], r).toBeTruthy();
      }
      for (const r of DOCUMENT_REJECTION_REASONS) {
        expect(cases.reasons.document[r], r).toBeTruthy();
        expect((letter.documentReasons as unknown as Record<string, string>)[r], r).toBeTruthy();
      }
      for (const r of CLOSE_REASONS) expect(cases.reasons.close[r], r).toBeTruthy();
    });
  }
});

describe("reviewDeadline", () => {
  it("is 60 days after the decision, as a Shanghai date", () => {
    expect(REVIEW_PERIOD_DAYS).toBe(60);
    expect(reviewDeadline(new Date("2026-03-01T02:00:00Z"))).toBe("2026-04-30");
  });

  it("counts from the Shanghai date: late evening UTC is already the next day there", () => {
    // 2026-02-28 20:00 UTC is 1 March 04:00 in Shanghai.
    expect(reviewDeadline(new Date("2026-02-28T20:00:00Z"))).toBe("2026-04-30");
  });
});
