// Plan items in plain words (namespace "plan"): why each item is on the plan
// and what it gives, for the staff page, the resident's page and the text.
import type { ProgramCode } from "~/domain/eligibility";
import type { AmountPeriod, ReasonValues } from "./suggest";
import { isPlanReasonCode } from "./suggest";

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "1,234.50"-free yuan text from fen: whole yuan as an integer, else two decimals. */
export function fenToYuan(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`;
}

export function explainPlanReason(t: Translate, reasonCode: string, values: ReasonValues): string {
  const code = isPlanReasonCode(reasonCode) ? reasonCode : "added_by_caseworker";
  const program = typeof values.program === "string" ? t(`rules:program.${values.program}.name`) : "";
  return t(`plan:reason.${code}`, { ...values, program, count: typeof values.count === "number" ? values.count : 1 });
}

export function planAmountText(t: Translate, amountFen: number | null, period: AmountPeriod | string | null): string {
  if (amountFen === null || period === null) return t("plan:amount.none");
  const known = period === "month" || period === "year" || period === "once" ? period : "once";
  return t(`plan:amount.${known}`, { value: fenToYuan(amountFen) });
}

export function needName(t: Translate, need: string): string {
  return t(`plan:need.${need}.name`);
}

export function programTitle(t: Translate, program: ProgramCode | string): string {
  return t(`rules:program.${program}.name`);
}
