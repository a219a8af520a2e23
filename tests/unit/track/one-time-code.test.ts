// The pure parts of tracking codes: what a typed or pasted code becomes, how
// codes are made and hashed (bound to one reference), and who a phone is on a case.
import { describe, expect, it } from "vitest";
import { cleanCode, hashCode, newCode, phoneKey, roleOf } from "~/models/one-time-code.server";
import { resetConfigForTests } from "~/services/config.server";

// The hashes are keyed with SESSION_SECRET; without one, config() would write a secret file under ./data.
process.env.SESSION_SECRET = "unit-test-secret";
resetConfigForTests();

describe("cleanCode", () => {
  it.each([
    ["123456", "123456"],
    [" 123 456 ", "123456"],
    ["123-456", "123456"],
    ["１２３４５６", "123456"],
    ["012345", "012345"],
  ])("reads %j as %j", (typed, code) => {
    expect(cleanCode(typed)).toBe(code);
  });

  it.each(["", "12345", "1234567", "12a456", "１２３４５", "123456\n7"])("refuses %j", (typed) => {
    expect(cleanCode(typed)).toBeNull();
  });
});

describe("newCode", () => {
  it("is always six digits, leading zeros kept, and varies", () => {
    const codes = Array.from({ length: 2000 }, newCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1900);
  });
});

describe("hashes", () => {
  it("bind a code to its reference and never contain it", () => {
    const a = hashCode("LA-7K4M-Q9XA", "123456");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain("123456");
    expect(hashCode("LA-7K4M-Q9XA", "123456")).toBe(a);
    expect(hashCode("LA-8K4M-Q9XA", "123456")).not.toBe(a);
    expect(hashCode("LA-7K4M-Q9XA", "123457")).not.toBe(a);
  });

  it("keep the phone out of the phone column", () => {
    expect(phoneKey("+8613800138000")).not.toContain("13800138000");
    expect(phoneKey("+8613800138000")).not.toBe(phoneKey("+8613800138001"));
  });
});

describe("roleOf", () => {
  const app = { applicantPhone: "+8613800138000", proxyPhone: "+8613900139000", proxyRevokedAt: null };
  it("knows the applicant, the proxy, and nobody else", () => {
    expect(roleOf(app, "+8613800138000")).toBe("applicant");
    expect(roleOf(app, "+8613900139000")).toBe("proxy");
    expect(roleOf(app, "+8613700137000")).toBeNull();
  });
  it("treats a stopped proxy as nobody", () => {
    expect(roleOf({ ...app, proxyRevokedAt: new Date() }, "+8613900139000")).toBeNull();
  });
});
