// The approval's amounts come from the rules' results for the programmes
// applied for, and large amounts (monthly total or a one-off) need a supervisor.
import { describe, expect, it } from "vitest";
import { decisionAmounts, fenToYuanText, LARGE_MONTHLY_TOTAL_FEN, LARGE_ONE_OFF_FEN, largeAmountReasons, needsSupervisor, yuanToFen } from "~/domain/case";
import type { ProgramResult } from "~/domain/eligibility";

function result(program: ProgramResult["program"], outcome: ProgramResult["outcome"], amount: ProgramResult["amount"]): ProgramResult {
  return { program, outcome, amount, reasons: [], changes: [], missing: [] };
}

describe("decisionAmounts", () => {
  const results = [
    result("dibao", "eligible", { value: 1200, period: "month" }),
    result("medical", "eligible", { value: 6000, period: "year" }),
    result("temporary", "eligible", { value: 5000, period: "once" }),
    result("housing", "needs_review", null),
    result("education", "not_eligible", null),
  ];

  it("grants only programmes applied for that the rules found eligible, in fen", () => {
    const a = decisionAmounts({ results }, ["dibao", "housing", "education"]);
    expect(a.granted).toEqual([{ program: "dibao", fen: 120_000, period: "month" }]);
    expect(a.withoutAmount).toEqual(["housing", "education"]);
    expect(a.monthlyTotalFen).toBe(120_000);
    expect(a.largestOneOffFen).toBe(0);
  });

  it("counts a year amount as a twelfth a month and keeps one-offs apart", () => {
    const a = decisionAmounts({ results }, ["dibao", "medical", "temporary"]);
    expect(a.monthlyTotalFen).toBe(120_000 + 50_000);
    expect(a.largestOneOffFen).toBe(500_000);
  });

  it("ignores results of programmes not applied for, even when eligible", () => {
    expect(decisionAmounts({ results }, []).granted).toEqual([]);
  });
});

describe("large amounts", () => {
  it("are above the monthly threshold, not at it", () => {
    expect(needsSupervisor({ monthlyTotalFen: LARGE_MONTHLY_TOTAL_FEN, largestOneOffFen: 0 })).toBe(false);
    expect(largeAmountReasons({ monthlyTotalFen: LARGE_MONTHLY_TOTAL_FEN + 1, largestOneOffFen: 0 })).toEqual(["monthlyTotal"]);
  });

  it("include a one-off above its own threshold", () => {
    expect(needsSupervisor({ monthlyTotalFen: 0, largestOneOffFen: LARGE_ONE_OFF_FEN })).toBe(false);
    expect(largeAmountReasons({ monthlyTotalFen: 0, largestOneOffFen: LARGE_ONE_OFF_FEN + 1 })).toEqual(["oneOff"]);
    expect(largeAmountReasons({ monthlyTotalFen: LARGE_MONTHLY_TOTAL_FEN + 1, largestOneOffFen: LARGE_ONE_OFF_FEN + 1 })).toEqual(["monthlyTotal", "oneOff"]);
  });

  it("a 3-person dibao (3 × 1000) is within a caseworker's limit; with a large yearly medical grant it is not", () => {
    const dibao = [result("dibao", "eligible", { value: 3000, period: "month" })];
    expect(needsSupervisor(decisionAmounts({ results: dibao }, ["dibao"]))).toBe(false);
    const withMedical = [...dibao, result("medical", "eligible", { value: 60000, period: "year" })];
    expect(needsSupervisor(decisionAmounts({ results: withMedical }, ["dibao", "medical"]))).toBe(true);
  });

  it("rounds a yearly amount's monthly share up, so a fen never slips under the threshold", () => {
    const a = decisionAmounts({ results: [result("medical", "eligible", { value: 1, period: "year" })] }, ["medical"]);
    expect(a.monthlyTotalFen).toBe(9); // 100 fen / 12 = 8.33 → 9
  });
});

describe("money text", () => {
  it("converts whole yuan and fen exactly", () => {
    expect(yuanToFen(1300)).toBe(130_000);
    expect(fenToYuanText(130_000)).toBe("1300");
    expect(fenToYuanText(130_005)).toBe("1300.05");
  });
});
