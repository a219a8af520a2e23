import { describe, expect, it } from "vitest";
import { CONTEXT_MAX, parseAge, validateCallback, type CallbackInput } from "~/domain/callback/validate";

const base: CallbackInput = { phone: "138 1234 5678", language: "zh-CN", source: "web_request" };

describe("validateCallback", () => {
  it("tidies a good request", () => {
    const result = validateCallback({
      ...base,
      name: "  王 芳\u0007 ",
      reason: "  没钱买菜\r\n房租也交不上  ",
      bestTime: "morning",
      context: { answers: { members: 3 } },
      urgent: true,
      oldestAge: 72,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        phone: "+8613812345678",
        name: "王 芳",
        language: "zh-CN",
        source: "web_request",
        reason: "没钱买菜\n房租也交不上",
        bestTime: "morning",
        context: '{"answers":{"members":3}}',
        urgent: true,
        oldestAge: 72,
      },
    });
  });

  it("turns blanks into nothing and no context into {}", () => {
    const result = validateCallback({ ...base, name: "   ", reason: "", bestTime: "", context: null, oldestAge: null });
    expect(result.ok && result.value).toMatchObject({ name: null, reason: null, bestTime: null, context: "{}", urgent: false, oldestAge: null });
  });

  it("counts characters, not bytes: 50 Chinese characters is a fine name, 51 is not", () => {
    expect(validateCallback({ ...base, name: "芳".repeat(50) }).ok).toBe(true);
    expect(validateCallback({ ...base, name: "芳".repeat(51) })).toEqual({ ok: false, errors: { name: "name.tooLong" } });
    expect(validateCallback({ ...base, reason: "😀".repeat(1000) }).ok).toBe(true);
    expect(validateCallback({ ...base, reason: "a".repeat(1001) })).toEqual({ ok: false, errors: { reason: "reason.tooLong" } });
  });

  it("reports every problem at once, keyed by field", () => {
    const result = validateCallback({
      phone: "010-12345678",
      language: "fr" as never,
      source: "fax" as never,
      bestTime: "midnight",
      oldestAge: 200,
      urgent: "yes" as never,
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        phone: "phone.notMobile",
        language: "language.invalid",
        source: "source.invalid",
        bestTime: "bestTime.invalid",
        oldestAge: "oldestAge.invalid",
        urgent: "urgent.invalid",
      },
    });
  });

  it("refuses a context JSON cannot hold or that is too big", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(validateCallback({ ...base, context: circular })).toEqual({ ok: false, errors: { context: "context.invalid" } });
    expect(validateCallback({ ...base, context: 10n })).toEqual({ ok: false, errors: { context: "context.invalid" } });
    expect(validateCallback({ ...base, context: "x".repeat(CONTEXT_MAX) })).toEqual({ ok: false, errors: { context: "context.tooLarge" } });
  });

  it("refuses an age that is not a whole number", () => {
    expect(validateCallback({ ...base, oldestAge: 71.5 })).toEqual({ ok: false, errors: { oldestAge: "oldestAge.invalid" } });
    expect(validateCallback({ ...base, oldestAge: -1 })).toEqual({ ok: false, errors: { oldestAge: "oldestAge.invalid" } });
  });
});

describe("parseAge", () => {
  it.each([
    ["", null],
    ["  ", null],
    ["72", 72],
    [" 72 岁", 72],
    ["７２", 72],
    ["0", 0],
    ["130", 130],
  ])("reads %j as %j", (raw, age) => {
    expect(parseAge(raw)).toEqual({ ok: true, age });
  });

  it.each([["seventy"], ["72.5"], ["-3"], ["131"], ["1000"]])("refuses %j", (raw) => {
    expect(parseAge(raw)).toEqual({ ok: false, error: "oldestAge.invalid" });
  });

  it("treats a missing field as blank", () => {
    expect(parseAge(null)).toEqual({ ok: true, age: null });
  });
});
