// Only staff paths are followed after signing in; anything else, the dashboard.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeStaffNext } from "~/domain/staff/safe-next";

describe("safeStaffNext", () => {
  it.each(["/staff", "/staff/cases?status=submitted", "/staff/callbacks/CB-1234567#attempts", "/staff/"])("keeps %s", (path) => {
    expect(safeStaffNext(path)).toBe(path);
  });

  it.each([
    null,
    "",
    "https://evil.example/staff",
    "//evil.example/staff",
    "/\\evil.example",
    "/staff\\..\\evil",
    "/staffing",
    "/staff/login",
    "/staff/login?next=/staff",
    "javascript:alert(1)",
    "/track/case",
    "/staff/\u0000x",
    "/staff\n/x",
  ])("refuses %j", (path) => {
    expect(safeStaffNext(path)).toBe("/staff");
  });

  it("always answers a same-site path under /staff", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const next = safeStaffNext(s);
        expect(next.startsWith("/staff")).toBe(true);
        expect(next.startsWith("//")).toBe(false);
        expect(new URL(next, "https://lifeline.example").host).toBe("lifeline.example");
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const next = safeStaffNext(`/staff${s}`);
        expect(new URL(next, "https://lifeline.example").host).toBe("lifeline.example");
      }),
    );
  });
});
