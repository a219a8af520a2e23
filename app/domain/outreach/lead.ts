/**
 * What an outreach lead stores besides its flags: the Household (the rule
 * engine's input, to prefill an application the resident then confirms) and
 * the people as the departments recorded them (staff only).
 */
import { normalizeMobile } from "~/domain/callback/phone";
import type { Household } from "~/domain/eligibility";
import type { ScreenedHousehold } from "./flags";
import type { PersonRecord } from "./row";

export interface LeadPerson {
  personId: string;
  name: string;
  idNumber: string;
  phone: string;
  /** E.164 mobile when the phone is usable for a text, else null */
  mobile: string | null;
  relation: PersonRecord["relation"];
}

export interface LeadRecord {
  householdId: string;
  dataDate: string;
  flags: string;
  flagCount: number;
  perCapitaIncomeFen: number;
  members: number;
  reasons: string;
  household: string;
  people: string;
}

const yuan = (fen: number) => fen / 100;

/** E.164 when the phone is a usable mainland mobile (for an invitation text), else null. */
function mobileOf(phone: string): string | null {
  if (phone === "") return null;
  const m = normalizeMobile(phone);
  return m.ok ? m.phone : null;
}

/** The rule input built from the records: out-of-pocket summed, annualEducationCost 0 (rule book). */
export function householdFromPeople(people: readonly PersonRecord[]): Household {
  return {
    members: people.map((p) => ({
      id: p.personId,
      relation: p.relation,
      age: p.age,
      disability: p.disability,
      canWork: p.canWork,
      employed: p.employed,
      student: p.student,
      monthlyIncome: yuan(p.incomeFen),
    })),
    annualMedicalOutOfPocket: yuan(people.reduce((s, p) => s + p.medicalFen, 0)),
    annualEducationCost: 0,
  };
}

export function leadRecord(s: ScreenedHousehold, dataDate: string, people: readonly PersonRecord[]): LeadRecord {
  const leadPeople: LeadPerson[] = people.map((p) => ({
    personId: p.personId,
    name: p.name,
    idNumber: p.idNumber,
    phone: p.phone,
    mobile: mobileOf(p.phone),
    relation: p.relation,
  }));
  return {
    householdId: s.householdId,
    dataDate,
    flags: JSON.stringify(s.flags),
    flagCount: s.flags.length,
    perCapitaIncomeFen: s.perCapitaIncomeFen,
    members: s.members,
    reasons: JSON.stringify(s.reasons),
    household: JSON.stringify(householdFromPeople(people)),
    people: JSON.stringify(leadPeople),
  };
}
