// What an approval grants, worked out from the rules' results at submission:
// only programmes the person applied for, only those the rules found eligible
// with an amount. Money is kept in integer fen (the rules give whole yuan), so
// the "large amount" test never meets a binary fraction.
//
// Large amounts need a supervisor (permission case.approve_large): a monthly
// total above LARGE_MONTHLY_TOTAL_FEN, where a yearly amount counts as a
// twelfth a month (rounded up, so a fen never tips it under), or any one-off
// payment above LARGE_ONE_OFF_FEN. Demo City's minimum living standard is
// 1,000 yuan a person a month, so 3,000 a month is about a three-person dibao
// household; a one-off above 10,000 is half the temporary-assistance cap.
import type { Assessment, ProgramCode } from "~/domain/eligibility";

export const LARGE_MONTHLY_TOTAL_FEN = 3000_00;
export const LARGE_ONE_OFF_FEN = 10_000_00;

export type AmountPeriod = "month" | "year" | "once";

export interface GrantedAmount {
  program: ProgramCode;
  /** integer fen */
  fen: number;
  period: AmountPeriod;
}

export interface DecisionAmounts {
  granted: GrantedAmount[];
  /** applied for, but the rules gave no amount (not eligible, or a caseworker must assess) */
  withoutAmount: ProgramCode[];
  /** month amounts plus a twelfth of each year amount, in fen */
  monthlyTotalFen: number;
  /** the largest one-off payment, in fen (0 when none) */
  largestOneOffFen: number;
}

export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** The amounts an approval would grant for the programmes applied for, in the rules' order. */
export function decisionAmounts(assessment: Pick<Assessment, "results">, programs: readonly string[]): DecisionAmounts {
  const granted: GrantedAmount[] = [];
  const withoutAmount: ProgramCode[] = [];
  for (const result of assessment.results) {
    if (!programs.includes(result.program)) continue;
    if (result.outcome === "eligible" && result.amount && result.amount.value > 0) {
      granted.push({ program: result.program, fen: yuanToFen(result.amount.value), period: result.amount.period });
    } else withoutAmount.push(result.program);
  }
  let monthlyTotalFen = 0;
  let largestOneOffFen = 0;
  for (const amount of granted) {
    if (amount.period === "month") monthlyTotalFen += amount.fen;
    else if (amount.period === "year") monthlyTotalFen += Math.ceil(amount.fen / 12);
    else largestOneOffFen = Math.max(largestOneOffFen, amount.fen);
  }
  return { granted, withoutAmount, monthlyTotalFen, largestOneOffFen };
}

export type LargeAmountReason = "monthlyTotal" | "oneOff";

/** Why these amounts need a supervisor; empty when a caseworker may approve them. */
export function largeAmountReasons(amounts: Pick<DecisionAmounts, "monthlyTotalFen" | "largestOneOffFen">): LargeAmountReason[] {
  const reasons: LargeAmountReason[] = [];
  if (amounts.monthlyTotalFen > LARGE_MONTHLY_TOTAL_FEN) reasons.push("monthlyTotal");
  if (amounts.largestOneOffFen > LARGE_ONE_OFF_FEN) reasons.push("oneOff");
  return reasons;
}

export function needsSupervisor(amounts: Pick<DecisionAmounts, "monthlyTotalFen" | "largestOneOffFen">): boolean {
  return largeAmountReasons(amounts).length > 0;
}

/** "1234.5" style yuan from fen, for letters and pages (exact: integer arithmetic). */
export function fenToYuanText(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`;
}
