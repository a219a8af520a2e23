// "Stay signed in" brings a partner back to a partner page only.
import { describe, expect, it } from "vitest";
import { safePartnerNext } from "~/domain/referral/partner-next";

describe("safePartnerNext", () => {
  it("keeps partner pages and sends anything else to /partner", () => {
    expect(safePartnerNext("/partner")).toBe("/partner");
    expect(safePartnerNext("/partner/referrals/abc123?done=accepted")).toBe("/partner/referrals/abc123?done=accepted");
    for (const bad of ["/staff", "//evil.example", "/partnership", "/partner/../staff", "https://x/partner", "/partner\\x", null, 3]) {
      expect(safePartnerNext(bad), String(bad)).toBe("/partner");
    }
  });
});
