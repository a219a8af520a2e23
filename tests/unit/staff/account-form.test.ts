// Admin form checks: usernames, names, roles, passwords of 12+ characters, tokens.
import { describe, expect, it } from "vitest";
import { checkNewAccount, checkNewToken, checkPassword } from "~/domain/staff/account-form";

describe("checkNewAccount", () => {
  it("accepts a good account, lower-casing the username", () => {
    expect(checkNewAccount({ username: " Wang.Li ", displayName: " 王丽 ", role: "supervisor", password: "twelve-chars" })).toEqual({
      ok: true,
      value: { username: "wang.li", displayName: "王丽", role: "supervisor", password: "twelve-chars", organisationId: null },
    });
  });
  it("needs an organisation for role partner, and keeps none for other roles", () => {
    const base = { username: "partner.a", displayName: "Partner A", password: "twelve-chars" };
    expect(checkNewAccount({ ...base, role: "partner", organisationId: "" })).toEqual({ ok: false, errors: { organisationId: "missing" } });
    expect(checkNewAccount({ ...base, role: "partner" })).toEqual({ ok: false, errors: { organisationId: "missing" } });
    expect(checkNewAccount({ ...base, role: "partner", organisationId: " org1 " })).toMatchObject({ ok: true, value: { role: "partner", organisationId: "org1" } });
    expect(checkNewAccount({ ...base, role: "caseworker", organisationId: "org1" })).toMatchObject({ ok: true, value: { role: "caseworker", organisationId: null } });
  });
  it("names each problem", () => {
    expect(checkNewAccount({ username: "-bad", displayName: "x".repeat(81), role: "root", password: "eleven-char" })).toEqual({
      ok: false,
      errors: { username: "invalid", displayName: "tooLong", role: "missing", password: "tooShort" },
    });
    expect(checkNewAccount({ username: null, displayName: null, role: null, password: null })).toEqual({
      ok: false,
      errors: { username: "missing", displayName: "missing", role: "missing", password: "missing" },
    });
  });
});

describe("checkPassword", () => {
  it("counts characters, not bytes", () => {
    expect(checkPassword("密码密码密码密码密码密码")).toBeNull();
    expect(checkPassword("密码密码密码密码密码密")).toBe("tooShort");
    expect(checkPassword("x".repeat(201))).toBe("tooLong");
  });
});

describe("checkNewToken", () => {
  it("needs a name and a partner or staff scope", () => {
    expect(checkNewToken({ name: " Centre ", scope: "partner" })).toEqual({ ok: true, value: { name: "Centre", scope: "partner" } });
    expect(checkNewToken({ name: "", scope: "admin" })).toEqual({ ok: false, errors: { name: "missing", scope: "missing" } });
  });
});
