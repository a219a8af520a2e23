// The proposed plan of a case: the programmes the rules found the household
// eligible for (with the amount the approval granted, in fen, or else the
// rules' own amount) and a service for each need the household shows. Every
// item carries a reason code and values, rendered in plain words by
// explainPlanReason (namespace "plan"), so staff and resident read why.
import type { ProgramCode, ProgramResult } from "~/domain/eligibility";
import { householdNeeds, type NeedCode } from "./needs";
import type { Household } from "~/domain/eligibility";

export type AmountPeriod = "month" | "year" | "once";

/** The approved amounts as the staff approve action stores them (Application.decision). */
export interface PlanDecision {
  outcome: "approved" | "rejected";
  amounts?: Array<{ program: ProgramCode; fen: number; period: AmountPeriod }>;
}

export const PLAN_REASON_CODES = [
  "programme_approved",
  "programme_eligible",
  "programme_eligible_no_amount",
  "need_disability_care",
  "need_psychological_support",
  "need_job_training",
  "need_tutoring",
  "added_by_caseworker",
] as const;
export type PlanReasonCode = (typeof PLAN_REASON_CODES)[number];

export function isPlanReasonCode(value: unknown): value is PlanReasonCode {
  return typeof value === "string" && (PLAN_REASON_CODES as readonly string[]).includes(value);
}

export type ReasonValues = Record<string, string | number>;

export type SuggestedItem =
  | { kind: "programme"; program: ProgramCode; amountFen: number | null; amountPeriod: AmountPeriod | null; reasonCode: PlanReasonCode; reasonValues: ReasonValues }
  | { kind: "service"; need: NeedCode; reasonCode: PlanReasonCode; reasonValues: ReasonValues };

export function needReason(need: NeedCode): PlanReasonCode {
  return `need_${need}` as PlanReasonCode;
}

function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/**
 * Programmes first (in the rule book's order of the results), then services
 * (in NEED_CODES order). An approved decision's amount wins over the rules'
 * (it is what the household gets); a programme eligible without an amount
 * (in kind, set by a caseworker) is still on the plan.
 */
export function suggestPlan({ household, results, decision }: { household: Household; results: readonly ProgramResult[]; decision: PlanDecision | null }): SuggestedItem[] {
  const approved = decision?.outcome === "approved" ? (decision.amounts ?? []) : [];
  const items: SuggestedItem[] = [];
  for (const result of results) {
    if (result.outcome !== "eligible") continue;
    const granted = approved.find((a) => a.program === result.program);
    if (granted) {
      items.push({ kind: "programme", program: result.program, amountFen: granted.fen, amountPeriod: granted.period, reasonCode: "programme_approved", reasonValues: { program: result.program } });
    } else if (result.amount && result.amount.value > 0) {
      items.push({ kind: "programme", program: result.program, amountFen: yuanToFen(result.amount.value), amountPeriod: result.amount.period, reasonCode: "programme_eligible", reasonValues: { program: result.program } });
    } else {
      items.push({ kind: "programme", program: result.program, amountFen: null, amountPeriod: null, reasonCode: "programme_eligible_no_amount", reasonValues: { program: result.program } });
    }
  }
  for (const { need, count } of householdNeeds(household)) items.push({ kind: "service", need, reasonCode: needReason(need), reasonValues: { count } });
  return items;
}
