// The role grants, written out as a table: a change to who may do what must
// change this test on purpose.
import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, STAFF_ROLES } from "~/domain/staff/permissions";

const GRANTS = {
  caseworker: ["dashboard.view", "queue.view", "queue.work", "case.view", "case.act", "outreach.view", "outreach.work", "plan.work"],
  supervisor: [
    "dashboard.view",
    "queue.view",
    "queue.work",
    "queue.flagged",
    "queue.supervise",
    "case.view",
    "case.act",
    "outreach.view",
    "outreach.work",
    "case.approve_large",
    "audit.view",
    "audit.export",
    "notice.objections",
    "resident.export",
    "resident.erase",
    "plan.work",
  ],
  admin: ["dashboard.view", "audit.view", "audit.export", "admin.staff", "admin.tokens", "services.manage"],
  partner: ["referral.partner"],
} as const;

describe("can(role, permission)", () => {
  for (const role of STAFF_ROLES) {
    for (const permission of PERMISSIONS) {
      const expected = (GRANTS[role] as readonly string[]).includes(permission);
      it(`${role} ${expected ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(expected);
      });
    }
  }
  it("admins never read residents' records", () => {
    expect(can("admin", "case.view")).toBe(false);
    expect(can("admin", "queue.view")).toBe(false);
    expect(can("admin", "queue.supervise")).toBe(false);
    expect(can("admin", "outreach.view")).toBe(false);
    expect(can("admin", "resident.export")).toBe(false);
    expect(can("admin", "resident.erase")).toBe(false);
  });
  it("partners see their own referrals and nothing of the staff side", () => {
    for (const permission of PERMISSIONS) expect(can("partner", permission)).toBe(permission === "referral.partner");
  });
  it("an unknown role may do nothing", () => {
    for (const permission of PERMISSIONS) expect(can("root", permission)).toBe(false);
  });
});
