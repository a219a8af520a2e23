// The public notice's rules: the rule book's name masking, the 7-day period,
// when a case's help may start, the objection and decision forms, and the
// per-IP counter that keeps the objection form from being flooded.
import { describe, expect, it } from "vitest";
import { DISTRICTS, districtKey, isDistrict } from "~/domain/case/districts";
import { maskName, maskNoticeName } from "~/domain/case/masking";
import {
  NOTICE_DAYS,
  noticeEnd,
  OBJECTION_CONTACT_MAX,
  OBJECTION_NOTE_MAX,
  OBJECTION_REASON_MAX,
  onNotice,
  readObjectionDecision,
  readObjectionForm,
  readyToActivate,
} from "~/domain/case/notice";
import en from "../../../public/locales/en/case.json";
import zh from "../../../public/locales/zh-CN/case.json";

describe("maskNoticeName (rule book: Privacy on the public notice list)", () => {
  it("keeps the first and last characters of a Chinese name", () => {
    expect(maskNoticeName("张三丰")).toBe("张*丰");
    expect(maskNoticeName("欧阳娜娜")).toBe("欧*娜");
  });
  it("keeps only the first character of a two-character name", () => {
    expect(maskNoticeName("张三")).toBe("张*");
  });
  it("masks Latin names word by word, keeping each word's first and last letters", () => {
    expect(maskNoticeName("John Smith")).toBe("J*n S*h");
    expect(maskNoticeName("  Mary   Ann  Lee ")).toBe("M*y A*n L*e");
    expect(maskNoticeName("Li Ming")).toBe("L* M*g");
  });
  it("never shows a whole one-character word or an empty name", () => {
    expect(maskNoticeName("张")).toBe("*");
    expect(maskNoticeName("")).toBe("*");
    expect(maskNoticeName("J Smith")).toBe("* S*h");
  });
  it("counts characters, not UTF-16 units (a rare character is not cut in half)", () => {
    expect(maskNoticeName("𠮷野家")).toBe("𠮷*家");
    expect(maskNoticeName("王𠮷")).toBe("王*");
  });
  it("leaves the staff list's mask as it was", () => {
    expect(maskName("张三丰")).toBe("张*");
  });
});

describe("the notice period", () => {
  const start = new Date("2026-11-29T02:00:00.000Z");
  it("lasts NOTICE_DAYS (7) days", () => {
    expect(NOTICE_DAYS).toBe(7);
    expect(noticeEnd(start).toISOString()).toBe("2026-12-06T02:00:00.000Z");
  });
  it("a case is on notice only in public_notice and before its end", () => {
    const end = noticeEnd(start);
    expect(onNotice({ status: "public_notice", noticeEndsAt: end }, start)).toBe(true);
    expect(onNotice({ status: "public_notice", noticeEndsAt: end }, end)).toBe(false);
    expect(onNotice({ status: "active", noticeEndsAt: end }, start)).toBe(false);
    expect(onNotice({ status: "public_notice", noticeEndsAt: null }, start)).toBe(false);
  });
});

describe("readyToActivate", () => {
  const end = new Date("2026-12-06T02:00:00.000Z");
  const base = { status: "public_notice", noticeEndsAt: end, openObjections: 0, upheldObjections: 0 };
  it("is true once the notice has ended with nothing against it", () => {
    expect(readyToActivate(base, end)).toBe(true);
    expect(readyToActivate(base, new Date(end.getTime() + 1))).toBe(true);
  });
  it("waits until the end", () => {
    expect(readyToActivate(base, new Date(end.getTime() - 1))).toBe(false);
  });
  it("waits for a supervisor while an objection is open, and never starts after one was upheld", () => {
    expect(readyToActivate({ ...base, openObjections: 1 }, end)).toBe(false);
    expect(readyToActivate({ ...base, upheldObjections: 1 }, end)).toBe(false);
  });
  it("only moves cases that are on notice", () => {
    for (const status of ["approved", "active", "manual_review", "withdrawn"]) expect(readyToActivate({ ...base, status }, end), status).toBe(false);
    expect(readyToActivate({ ...base, noticeEndsAt: null }, end)).toBe(false);
  });
});

describe("readObjectionForm", () => {
  it("needs a reason; the contact is optional", () => {
    expect(readObjectionForm({ reason: "  ", contact: "" })).toEqual({
      ok: false,
      errors: { reason: "notice:objection.errors.reasonRequired" },
      values: { reason: "", contact: "" },
    });
    expect(readObjectionForm({ reason: " They own two cars. ", contact: "" })).toEqual({ ok: true, reason: "They own two cars.", contact: null });
    expect(readObjectionForm({ reason: "x", contact: " 138 0013 8000 " })).toEqual({ ok: true, reason: "x", contact: "138 0013 8000" });
  });
  it("refuses a reason or contact that is too long, keeping what was typed", () => {
    const long = readObjectionForm({ reason: "字".repeat(OBJECTION_REASON_MAX + 1), contact: "a".repeat(OBJECTION_CONTACT_MAX + 1) });
    expect(long.ok).toBe(false);
    if (long.ok) return;
    expect(long.errors).toEqual({ reason: "notice:objection.errors.reasonTooLong", contact: "notice:objection.errors.contactTooLong" });
    expect(Array.from(long.values.reason)).toHaveLength(OBJECTION_REASON_MAX + 1);
    expect(readObjectionForm({ reason: "字".repeat(OBJECTION_REASON_MAX) }).ok).toBe(true);
  });
  it("keeps line breaks, drops other control characters, and treats a missing field as empty", () => {
    expect(readObjectionForm({ reason: "a\r\nb\u0000c" })).toEqual({ ok: true, reason: "a\nbc", contact: null });
    expect(readObjectionForm({}).ok).toBe(false);
    expect(readObjectionForm({ reason: 42 }).ok).toBe(false);
  });
});

describe("readObjectionDecision", () => {
  it("uphold needs a reason, dismiss a note", () => {
    expect(readObjectionDecision({ decision: "uphold", note: "" })).toEqual({ ok: false, errors: { note: "notice:staff.errors.reasonRequired" } });
    expect(readObjectionDecision({ decision: "dismiss", note: " " })).toEqual({ ok: false, errors: { note: "notice:staff.errors.noteRequired" } });
    expect(readObjectionDecision({ decision: "uphold", note: "Checked: owns a car" })).toEqual({ ok: true, outcome: "upheld", note: "Checked: owns a car" });
    expect(readObjectionDecision({ decision: "dismiss", note: "No evidence" })).toEqual({ ok: true, outcome: "dismissed", note: "No evidence" });
  });
  it("needs a decision, and a note of at most OBJECTION_NOTE_MAX characters", () => {
    expect(readObjectionDecision({ note: "x" })).toEqual({ ok: false, errors: { decision: "notice:staff.errors.decisionRequired" } });
    expect(readObjectionDecision({ decision: "approve", note: "x" }).ok).toBe(false);
    expect(readObjectionDecision({ decision: "dismiss", note: "x".repeat(OBJECTION_NOTE_MAX + 1) })).toEqual({ ok: false, errors: { note: "notice:staff.errors.noteTooLong" } });
  });
});

describe("districts", () => {
  it("each code has a name in both languages", () => {
    for (const code of DISTRICTS) {
      expect(isDistrict(code)).toBe(true);
      expect(districtKey(code)).toBe(`case:district.${code}`);
      expect((zh.district as Record<string, string>)[code], code).toBeTruthy();
      expect((en.district as Record<string, string>)[code], code).toBeTruthy();
    }
    expect(isDistrict("atlantis")).toBe(false);
    expect(isDistrict(undefined)).toBe(false);
  });
  it("status words about the notice use {{noticeDays}}, never a number of days", () => {
    for (const words of [zh, en]) {
      for (const status of ["approved", "public_notice", "active"] as const) {
        for (const text of Object.values(words.status[status])) expect(text, `${status}`).not.toMatch(/\d\s*(天|days?)/);
      }
      expect(words.status.public_notice.meaning).toContain("{{noticeDays}}");
    }
  });
});
