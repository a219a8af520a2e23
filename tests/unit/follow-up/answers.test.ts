// Reading follow-up answers: the texted digits however typed (full-width,
// Chinese numerals, words), the score 1–5, "0" to skip, and the web form's
// validation with a message key per field.
import { describe, expect, it } from "vitest";
import { COMMENT_MAX, isSkip, readFollowUpForm, readHelpArrived, readSatisfaction, tidyComment } from "~/domain/follow-up/answers";

describe("readHelpArrived", () => {
  it.each([
    ["1", true],
    ["１", true],
    ["一", true],
    [" 1。", true],
    ["是", true],
    ["yes", true],
    ["2", false],
    ["２", false],
    ["二", false],
    ["两", false],
    ["没有", false],
    ["No", false],
  ])("%s → %s", (raw, expected) => {
    expect(readHelpArrived(raw)).toBe(expected);
  });
  it.each(["3", "0", "12", "hello", "", "不知道"])("%s → null", (raw) => {
    expect(readHelpArrived(raw)).toBeNull();
  });
});

describe("readSatisfaction", () => {
  it.each([
    ["1", 1],
    ["５", 5],
    ["五", 5],
    ["四分", 4],
    ["3 points", 3],
    ["(2)", 2],
  ])("%s → %s", (raw, expected) => {
    expect(readSatisfaction(raw)).toBe(expected);
  });
  it.each(["0", "6", "十", "1.5", "good", ""])("%s → null", (raw) => {
    expect(readSatisfaction(raw)).toBeNull();
  });
});

describe("comments", () => {
  it("0 in any form skips", () => {
    for (const raw of ["0", "０", "零", " 0 "]) expect(isSkip(raw)).toBe(true);
    expect(isSkip("10")).toBe(false);
    expect(isSkip("ok")).toBe(false);
  });
  it("tidies spaces and cuts at the limit", () => {
    expect(tidyComment("  a \n b  ")).toBe("a b");
    expect([...tidyComment("好".repeat(COMMENT_MAX + 20))]).toHaveLength(COMMENT_MAX);
  });
});

describe("readFollowUpForm", () => {
  it("accepts a full answer and an empty comment as none", () => {
    expect(readFollowUpForm({ helpArrived: "no", satisfaction: "3", comment: "  " })).toEqual({ ok: true, answer: { helpArrived: false, satisfaction: 3, comment: null } });
    expect(readFollowUpForm({ helpArrived: "yes", satisfaction: "5", comment: "谢谢" })).toEqual({ ok: true, answer: { helpArrived: true, satisfaction: 5, comment: "谢谢" } });
  });
  it("names each missing or wrong field", () => {
    expect(readFollowUpForm({})).toEqual({ ok: false, errors: { helpArrived: "errors.helpArrived", satisfaction: "errors.satisfaction" } });
    expect(readFollowUpForm({ helpArrived: "maybe", satisfaction: "0", comment: "x".repeat(COMMENT_MAX + 1) })).toEqual({
      ok: false,
      errors: { helpArrived: "errors.helpArrived", satisfaction: "errors.satisfaction", comment: "errors.commentTooLong" },
    });
    expect(readFollowUpForm({ helpArrived: "yes", satisfaction: "5", comment: "x".repeat(COMMENT_MAX) }).ok).toBe(true);
  });
});
