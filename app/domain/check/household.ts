/**
 * Answers → the rule engine's Household. "I don't know" and unanswered
 * questions leave the field out, so the programmes that need it come back as
 * needs_review. Questions we skipped because they cannot apply are filled with
 * what the skip means (no student → no school costs; under 16 → cannot work).
 */
import type { Household, HouseholdMember } from "~/domain/eligibility";
import { UNKNOWN, personAnswers, type AmountAnswer, type CheckAnswers, type PersonAnswers } from "./answers";
import { anyStudent, studyApplies, supporterApplies, workApplies } from "./steps";

function known(value: AmountAnswer | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function member(p: PersonAnswers): HouseholdMember {
  const m: HouseholdMember = {};
  if (p.age !== undefined) m.age = p.age;
  if (p.disability !== undefined) m.disability = p.disability;
  if (p.age !== undefined) {
    if (!workApplies(p.age)) {
      m.canWork = false;
      m.employed = false;
    } else if (p.work !== undefined) {
      m.canWork = p.work !== "cannot_work";
      m.employed = p.work === "employed";
    }
    if (!studyApplies(p.age)) m.student = "none";
    else if (p.student !== undefined) m.student = p.student;
  }
  const income = known(p.income);
  if (income !== undefined) m.monthlyIncome = income;
  return m;
}

export function toHousehold(answers: CheckAnswers): Household {
  const n = Math.max(1, answers.householdSize ?? answers.people?.length ?? 1);
  const household: Household = { members: Array.from({ length: n }, (_, i) => member(personAnswers(answers, i))) };
  const sized = answers.householdSize !== undefined;

  // Asked only when extreme-poverty support could apply; otherwise it cannot change anything.
  if (sized && supporterApplies(answers) && answers.supporter !== undefined && answers.supporter !== UNKNOWN) {
    household.supporters = { hasCapableSupporter: answers.supporter === "yes" };
  }

  const assets: NonNullable<Household["assets"]> = {};
  const financial = known(answers.savings);
  if (financial !== undefined) assets.financial = financial;
  if (answers.vehicles !== undefined) assets.vehicles = answers.vehicles;
  if (answers.properties !== undefined) assets.properties = answers.properties;
  if (Object.keys(assets).length > 0) household.assets = assets;

  const medical = known(answers.medicalCosts);
  if (medical !== undefined) household.annualMedicalOutOfPocket = medical;
  if (sized) {
    if (!anyStudent(answers)) {
      // Only decided once everyone's study answer is in; until then it stays unknown.
      const studyKnown = household.members.every((m) => m.student !== undefined);
      if (studyKnown) household.annualEducationCost = 0;
    } else {
      const school = known(answers.schoolCosts);
      if (school !== undefined) household.annualEducationCost = school;
    }
  }

  if (answers.ownsHome !== undefined) {
    const housing: NonNullable<Household["housing"]> = { ownsHome: answers.ownsHome === "yes" };
    const area = known(answers.floorArea);
    // The question asks for the whole home; the rule book compares the area per person.
    if (answers.ownsHome === "yes" && area !== undefined && sized) housing.perCapitaArea = area / n;
    household.housing = housing;
  }

  if (answers.emergency !== undefined) {
    const emergency: NonNullable<Household["emergency"]> = { type: answers.emergency };
    const loss = known(answers.emergencyLoss);
    if (answers.emergency !== "none" && loss !== undefined) emergency.lossAmount = loss;
    household.emergency = emergency;
  }

  if (answers.emergency === "disaster") household.disasterAffected = true;
  else if (answers.disaster !== undefined) household.disasterAffected = answers.disaster === "yes";

  return household;
}
