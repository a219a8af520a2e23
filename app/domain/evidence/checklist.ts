// Which documents an application needs, from the household answers: only what
// the rules actually look at, so nobody photographs papers for nothing. Each
// item carries a reason (a key in namespace "case") to say why it is asked for.
//
// Order (the order the upload page lists them in): ID card, household
// register (always); income proof when someone earns or an income was not
// given; medical bills when out-of-pocket medical costs were given; disability
// certificate when someone has a severe disability; authorization (委托书)
// when applying on someone's behalf; last, "other" documents, never required.

import type { Household } from "../eligibility/household";
import type { EvidenceType } from "./types";

export interface ChecklistItem {
  type: EvidenceType;
  required: boolean;
  /** key in namespace "case" saying why this document is asked for */
  reason: string;
}

/** Only the answers the checklist looks at, so a draft with partial answers can ask too. */
export type ChecklistHousehold = Pick<Household, "members" | "annualMedicalOutOfPocket">;

export function evidenceChecklist({ household, onBehalf }: { household: ChecklistHousehold; onBehalf: boolean }): ChecklistItem[] {
  const members = household.members ?? [];
  const items: ChecklistItem[] = [
    { type: "id_card", required: true, reason: "checklist.reason.idCard" },
    { type: "household_register", required: true, reason: "checklist.reason.householdRegister" },
  ];

  // An unknown income has to be shown on paper as much as a known one.
  const incomeUnknown = members.length === 0 || members.some((m) => m.monthlyIncome === undefined || m.monthlyIncome === null);
  const earns = members.some((m) => typeof m.monthlyIncome === "number" && m.monthlyIncome > 0);
  if (earns || incomeUnknown) {
    items.push({ type: "income_proof", required: true, reason: earns ? "checklist.reason.income" : "checklist.reason.incomeUnknown" });
  }

  if ((household.annualMedicalOutOfPocket ?? 0) > 0) {
    items.push({ type: "medical_bills", required: true, reason: "checklist.reason.medicalBills" });
  }

  if (members.some((m) => m.disability === "severe")) {
    items.push({ type: "disability_certificate", required: true, reason: "checklist.reason.disability" });
  }

  if (onBehalf) {
    items.push({ type: "authorization", required: true, reason: "checklist.reason.authorization" });
  }

  items.push({ type: "other", required: false, reason: "checklist.reason.other" });
  return items;
}
