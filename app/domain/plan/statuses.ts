// When a case may have a plan: once its help is granted (approved, on public
// notice, or paid), the statuses in which the plan is proposed and worked.
import type { CaseStatus } from "~/domain/case";

export const PLAN_STATUSES: readonly CaseStatus[] = ["approved", "public_notice", "active"];

export function planAllowed(status: string): boolean {
  return (PLAN_STATUSES as readonly string[]).includes(status);
}

/** How the resident agreed the plan with the caseworker. */
export const AGREED_HOW = ["phone", "in_person"] as const;
export type AgreedHow = (typeof AGREED_HOW)[number];
