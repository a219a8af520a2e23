// A partner's answers: which states take which answer, the decline and
// delivery form checks, and the decline reason kept in one column.
import { describe, expect, it } from "vitest";
import { allowedAnswers, checkDecline, checkDelivery, NOTE_MAX, parseDeclineReason, storedDeclineReason } from "~/domain/referral/partner-answer";

describe("allowedAnswers", () => {
  it("new: accept or decline; accepted: deliver or decline; after that nothing", () => {
    expect(allowedAnswers("sent")).toEqual(["accept", "decline"]);
    expect(allowedAnswers("accepted")).toEqual(["deliver", "decline"]);
    expect(allowedAnswers("declined")).toEqual([]);
    expect(allowedAnswers("delivered")).toEqual([]);
  });
});

describe("checkDecline", () => {
  it("needs a known reason; other needs a note", () => {
    expect(checkDecline({ reason: undefined, note: "" })).toEqual({ ok: false, errors: { reason: "missing" } });
    expect(checkDecline({ reason: "bored", note: "" })).toEqual({ ok: false, errors: { reason: "missing" } });
    expect(checkDecline({ reason: "other", note: "  " })).toEqual({ ok: false, errors: { note: "missing" } });
    expect(checkDecline({ reason: "no_capacity", note: " " })).toEqual({ ok: true, value: { reason: "no_capacity", note: null } });
    expect(checkDecline({ reason: "other", note: " Closed " })).toEqual({ ok: true, value: { reason: "other", note: "Closed" } });
    expect(checkDecline({ reason: "other", note: "字".repeat(NOTE_MAX + 1) })).toEqual({ ok: false, errors: { note: "tooLong" } });
  });
});

describe("checkDelivery", () => {
  it("needs a short note", () => {
    expect(checkDelivery({ note: "" })).toEqual({ ok: false, errors: { deliveryNote: "missing" } });
    expect(checkDelivery({ note: "x".repeat(NOTE_MAX + 1) })).toEqual({ ok: false, errors: { deliveryNote: "tooLong" } });
    expect(checkDelivery({ note: " Two visits " })).toEqual({ ok: true, value: { note: "Two visits" } });
  });
});

describe("the stored decline reason", () => {
  it("reads back what was stored, a note with a colon too", () => {
    for (const answer of [
      { reason: "no_capacity" as const, note: null },
      { reason: "other" as const, note: "Time: later" },
    ]) {
      expect(parseDeclineReason(storedDeclineReason(answer))).toEqual(answer);
    }
    expect(parseDeclineReason(null)).toBeNull();
    expect(parseDeclineReason("unknown_code")).toEqual({ reason: "other", note: null });
  });
});
