// The needs a service can meet, and which ones a household shows: the four
// fixed need codes of issue 9, each read from the household answers alone
// (the rule book's definitions: working age 16–59, "can work" only from 16).
// A need is found only when the answers say so; an unknown answer suggests
// nothing (the caseworker can still add the service by hand).
import type { Household, HouseholdMember } from "~/domain/eligibility";

export const NEED_CODES = ["disability_care", "psychological_support", "job_training", "tutoring"] as const;
export type NeedCode = (typeof NEED_CODES)[number];

export function isNeedCode(value: unknown): value is NeedCode {
  return typeof value === "string" && (NEED_CODES as readonly string[]).includes(value);
}

export interface NeedFinding {
  need: NeedCode;
  /** how many members show it (1 for a household-wide need) */
  count: number;
}

const WORKING_AGE_MIN = 16;
const WORKING_AGE_MAX = 59;

function looksForWork(m: HouseholdMember): boolean {
  return typeof m.age === "number" && m.age >= WORKING_AGE_MIN && m.age <= WORKING_AGE_MAX && m.canWork === true && m.employed === false;
}

function schoolStudent(m: HouseholdMember): boolean {
  return m.student === "compulsory" || m.student === "high_school";
}

/** The needs the household's answers show, in NEED_CODES order. */
export function householdNeeds(household: Household): NeedFinding[] {
  const members = household.members ?? [];
  const counts: Record<NeedCode, number> = {
    disability_care: members.filter((m) => m.disability === "severe").length,
    psychological_support: household.disasterAffected === true ? 1 : 0,
    job_training: members.filter(looksForWork).length,
    tutoring: members.filter(schoolStudent).length,
  };
  return NEED_CODES.filter((need) => counts[need] > 0).map((need) => ({ need, count: counts[need] }));
}
