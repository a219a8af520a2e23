import { describe, expect, it } from "vitest";
import {
  assertTransition,
  canTransition,
  canWithdraw,
  CASE_STATUSES,
  CaseTransitionError,
  FINAL_STATUSES,
  isCaseStatus,
  isFinal,
  nextStatuses,
  statusKey,
  type CaseStatus,
} from "~/domain/case/status";

// The allowed moves written out as a table, apart from the module's own.
const ALLOWED: Record<CaseStatus, CaseStatus[]> = {
  submitted: ["screening", "withdrawn"],
  screening: ["needs_information", "manual_review", "rejected", "withdrawn"],
  needs_information: ["screening", "manual_review", "withdrawn"],
  manual_review: ["approved", "rejected", "needs_information", "withdrawn"],
  approved: ["public_notice", "withdrawn"],
  public_notice: ["active", "manual_review", "withdrawn"],
  active: [],
  rejected: [],
  withdrawn: [],
};

describe("case statuses", () => {
  it("are the nine of the journey, in order", () => {
    expect(CASE_STATUSES).toEqual(["submitted", "screening", "needs_information", "manual_review", "approved", "public_notice", "active", "rejected", "withdrawn"]);
  });

  it("allow exactly the moves in the table, for every pair", () => {
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED[from].includes(to));
      }
      expect(nextStatuses(from).sort()).toEqual([...ALLOWED[from]].sort());
    }
  });

  it("follow the happy path from submitted to active", () => {
    const path: CaseStatus[] = ["submitted", "screening", "manual_review", "approved", "public_notice", "active"];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });

  it("send a case waiting for information back where it came from when it arrives", () => {
    expect(canTransition("screening", "needs_information") && canTransition("needs_information", "screening")).toBe(true);
    expect(canTransition("manual_review", "needs_information") && canTransition("needs_information", "manual_review")).toBe(true);
  });

  it("send an approved case back to review when an objection during the notice is upheld", () => {
    expect(canTransition("public_notice", "manual_review")).toBe(true);
  });

  it("never skip the checks or the public notice", () => {
    expect(canTransition("submitted", "approved")).toBe(false);
    expect(canTransition("screening", "approved")).toBe(false);
    expect(canTransition("approved", "active")).toBe(false);
    expect(canTransition("needs_information", "approved")).toBe(false);
  });

  it("have three final statuses nothing moves from", () => {
    expect([...FINAL_STATUSES].sort()).toEqual(["active", "rejected", "withdrawn"]);
    for (const s of CASE_STATUSES) expect(isFinal(s), s).toBe(ALLOWED[s].length === 0);
    for (const s of FINAL_STATUSES) expect(nextStatuses(s)).toEqual([]);
  });

  it("let the resident withdraw until the case is final", () => {
    for (const s of CASE_STATUSES) expect(canWithdraw(s), s).toBe(!FINAL_STATUSES.includes(s));
  });

  it("do not move to the same status or to an unknown one", () => {
    for (const s of CASE_STATUSES) expect(canTransition(s, s)).toBe(false);
    expect(canTransition("submitted", "paid" as CaseStatus)).toBe(false);
    expect(canTransition("paid" as CaseStatus, "withdrawn")).toBe(false);
    expect(nextStatuses("paid" as CaseStatus)).toEqual([]);
  });

  it("recognise status strings from the database", () => {
    expect(isCaseStatus("manual_review")).toBe(true);
    expect(isCaseStatus("Manual_Review")).toBe(false);
    expect(isCaseStatus(undefined)).toBe(false);
  });

  it("give the locale keys of each status's three texts", () => {
    expect(statusKey("needs_information", "next")).toBe("status.needs_information.next");
  });
});

describe("assertTransition", () => {
  it("passes an allowed move", () => {
    expect(() => assertTransition("screening", "rejected")).not.toThrow();
  });

  it("throws a typed error naming both statuses for a forbidden one", () => {
    try {
      assertTransition("rejected", "screening");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CaseTransitionError);
      expect(error).toMatchObject({ code: "case.invalidTransition", from: "rejected", to: "screening", name: "CaseTransitionError" });
    }
  });
});
