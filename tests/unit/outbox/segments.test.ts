// SMS segment counting: GSM-7 (160, then 153 per part; extension characters
// count twice) and UCS-2 (70, then 67 per part, surrogate pairs kept whole).
import { describe, expect, it } from "vitest";
import { isGsm7, smsSegments } from "~/domain/sms/segments";

describe("smsSegments", () => {
  it("counts plain English as GSM-7: 160 in one segment, 153 per segment beyond", () => {
    expect(smsSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
    expect(smsSegments("a".repeat(306)).segments).toBe(2);
    expect(smsSegments("a".repeat(307)).segments).toBe(3);
    expect(smsSegments("a".repeat(459)).segments).toBe(3);
    expect(smsSegments("a".repeat(460)).segments).toBe(4);
  });

  it("counts GSM extension characters as two septets and never splits one", () => {
    expect(smsSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSegments("€".repeat(81)).segments).toBe(2);
    // 152 plain + "[" (2 septets) does not fit the first part's 153: it moves whole.
    expect(smsSegments(`${"a".repeat(152)}[${"b".repeat(10)}`)).toEqual({ encoding: "GSM-7", units: 164, segments: 2 });
    expect(smsSegments(`${"a".repeat(152)}[${"b".repeat(152)}`).segments).toBe(3);
  });

  it("counts Chinese as UCS-2: 70 in one segment, 67 per segment beyond", () => {
    expect(smsSegments("援".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(smsSegments("援".repeat(71)).segments).toBe(2);
    expect(smsSegments("援".repeat(134)).segments).toBe(2);
    expect(smsSegments("援".repeat(135)).segments).toBe(3);
    expect(smsSegments("援".repeat(201)).segments).toBe(3);
    expect(smsSegments("援".repeat(202)).segments).toBe(4);
  });

  it("switches a whole English text to UCS-2 for one character outside GSM", () => {
    expect(smsSegments(`It’s ${"a".repeat(100)}`)).toMatchObject({ encoding: "UCS-2", segments: 2 });
    expect(isGsm7("It's fine: 100% [ok] €5")).toBe(true);
    expect(isGsm7("It’s")).toBe(false);
  });

  it("counts an emoji as two UTF-16 units and keeps the pair in one segment", () => {
    expect(smsSegments("😀")).toEqual({ encoding: "UCS-2", units: 2, segments: 1 });
    expect(smsSegments(`${"援".repeat(66)}😀${"援".repeat(3)}`)).toEqual({ encoding: "UCS-2", units: 71, segments: 2 });
    // 134 units would fit two parts, but the pair cannot be split across the first boundary.
    expect(smsSegments(`${"援".repeat(66)}😀${"援".repeat(66)}`)).toEqual({ encoding: "UCS-2", units: 134, segments: 3 });
  });

  it("gives no segments for no text", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", units: 0, segments: 0 });
  });
});
