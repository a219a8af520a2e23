/**
 * The questions of the check, as data (GOV.UK "journey as a plan"): each step
 * has a URL slug, says when it applies, which answer fields it sets and how its
 * form input is read. Person steps repeat for every member of the household.
 * Order matters: a step's condition only looks at answers asked before it.
 */
import { EMERGENCY_TYPES, type Disability, type StudentKind } from "~/domain/eligibility";
import {
  FOR_WHOM,
  MAX_HOUSEHOLD_SIZE,
  WORK_ANSWERS,
  YES_NO,
  YES_NO_UNKNOWN,
  personAnswers,
  type CheckAnswers,
  type PersonAnswers,
} from "./answers";

/** Ages at which we ask whether someone is studying (primary school to university). */
export const STUDY_AGES = { min: 6, max: 30 } as const;
/** Members under 16 never count as able to work (rule book), so we do not ask. */
export const WORKING_AGE_FROM = 16;
/** The rule book's limit on a member's monthly income. */
const MAX_MONTHLY_INCOME = 100_000_000;
/** Far above any real figure; stops typing slips like an extra six zeros. */
const MAX_AMOUNT = 1_000_000_000_000;
const MAX_AREA = 100_000;

export interface ChoiceWidget {
  kind: "choice";
  name: string;
  options: readonly string[];
}
export interface WholeNumberWidget {
  kind: "wholeNumber";
  name: string;
  min: number;
  max: number;
  suffixes: readonly string[];
}
export interface AmountWidget {
  kind: "amount";
  name: string;
  /** yuan or square metres: decides the unit shown and the error messages */
  unit: "yuan" | "squareMetres";
  max: number;
}
/** Several whole numbers on one page (cars and homes). */
export interface CountsWidget {
  kind: "counts";
  fields: readonly WholeNumberWidget[];
}
export type Widget = ChoiceWidget | WholeNumberWidget | AmountWidget | CountsWidget;

export interface StepDef {
  slug: string;
  scope: "household" | "person";
  widget: Widget;
  /** person is the 0-based member index for person steps, null otherwise */
  applies(answers: CheckAnswers, person: number | null): boolean;
  /** changes that follow from this answer (a smaller household forgets the extra people) */
  after?(answers: CheckAnswers): CheckAnswers;
}

const always = () => true;

const DISABILITY_OPTIONS: readonly Disability[] = ["none", "severe", "moderate", "mild"];
// The levels first: "no" last, so a pupil's parent does not skim past them.
const STUDY_OPTIONS: readonly StudentKind[] = ["compulsory", "high_school", "higher_education", "none"];

function ageOf(answers: CheckAnswers, person: number | null): number | undefined {
  return person === null ? undefined : personAnswers(answers, person).age;
}

/** People in the household, as far as we know yet. */
export function householdSize(answers: CheckAnswers): number | undefined {
  return answers.householdSize;
}

function members(answers: CheckAnswers): PersonAnswers[] {
  const n = answers.householdSize ?? 0;
  return Array.from({ length: n }, (_, i) => personAnswers(answers, i));
}

export function studyApplies(age: number | undefined): boolean {
  return age !== undefined && age >= STUDY_AGES.min && age <= STUDY_AGES.max;
}

export function workApplies(age: number | undefined): boolean {
  return age !== undefined && age >= WORKING_AGE_FROM;
}

/**
 * Whether anyone outside the household supporting them can matter: only for
 * extreme-poverty support (tekun), where every member must be 60+, under 16 or
 * severely disabled, and unable to work. Otherwise the question is skipped.
 */
export function supporterApplies(answers: CheckAnswers): boolean {
  const people = members(answers);
  if (people.length === 0) return false;
  return people.every((p) => {
    if (p.age === undefined) return true;
    const group = p.age >= 60 || p.age < 16 || p.disability === "severe";
    const cannotWork = p.age < WORKING_AGE_FROM || p.work === "cannot_work";
    return group && cannotWork;
  });
}

/** Someone in the household is studying (school costs are then asked). */
export function anyStudent(answers: CheckAnswers): boolean {
  return members(answers).some((p) => studyApplies(p.age) && p.student !== undefined && p.student !== "none");
}

const amount = (name: string, max = MAX_AMOUNT): AmountWidget => ({ kind: "amount", name, unit: "yuan", max });
const choice = (name: string, options: readonly string[]): ChoiceWidget => ({ kind: "choice", name, options });
const whole = (name: string, min: number, max: number, suffixes: readonly string[] = []): WholeNumberWidget => ({
  kind: "wholeNumber",
  name,
  min,
  max,
  suffixes,
});

/** Every step, in the order they are asked. Person steps sit between household-size and support. */
export const HOUSEHOLD_STEPS_BEFORE: readonly StepDef[] = [
  { slug: "who", scope: "household", widget: choice("forWhom", FOR_WHOM), applies: always },
  {
    slug: "household-size",
    scope: "household",
    widget: whole("householdSize", 1, MAX_HOUSEHOLD_SIZE, ["个人", "口人", "人", "口", "people", "persons"]),
    applies: always,
    after(answers) {
      // People beyond the household size are forgotten, so they cannot come back by surprise.
      const n = answers.householdSize ?? 0;
      if (!answers.people || answers.people.length <= n) return answers;
      return { ...answers, people: answers.people.slice(0, n) };
    },
  },
];

export const PERSON_STEPS: readonly StepDef[] = [
  { slug: "age", scope: "person", widget: whole("age", 0, 130, ["周岁", "岁", "years", "year"]), applies: always },
  // Grades 1–2 are severe, 3 moderate, 4 mild: listed in the order the card shows them.
  { slug: "disability", scope: "person", widget: choice("disability", DISABILITY_OPTIONS), applies: always },
  {
    slug: "study",
    scope: "person",
    widget: choice("student", STUDY_OPTIONS),
    applies: (answers, person) => studyApplies(ageOf(answers, person)),
  },
  {
    slug: "work",
    scope: "person",
    widget: choice("work", WORK_ANSWERS),
    applies: (answers, person) => workApplies(ageOf(answers, person)),
  },
  { slug: "income", scope: "person", widget: amount("income", MAX_MONTHLY_INCOME), applies: always },
];

export const HOUSEHOLD_STEPS_AFTER: readonly StepDef[] = [
  { slug: "support", scope: "household", widget: choice("supporter", YES_NO_UNKNOWN), applies: (a) => supporterApplies(a) },
  { slug: "savings", scope: "household", widget: amount("savings"), applies: always },
  { slug: "home", scope: "household", widget: choice("ownsHome", YES_NO), applies: always },
  {
    slug: "home-size",
    scope: "household",
    widget: { kind: "amount", name: "floorArea", unit: "squareMetres", max: MAX_AREA },
    applies: (a) => a.ownsHome === "yes",
  },
  {
    slug: "cars-and-homes",
    scope: "household",
    widget: {
      kind: "counts",
      fields: [whole("vehicles", 0, 99, ["辆", "台", "部"]), whole("properties", 0, 99, ["套", "处", "个"])],
    },
    applies: always,
  },
  { slug: "medical-costs", scope: "household", widget: amount("medicalCosts"), applies: always },
  { slug: "school-costs", scope: "household", widget: amount("schoolCosts"), applies: (a) => anyStudent(a) },
  { slug: "emergency", scope: "household", widget: choice("emergency", EMERGENCY_TYPES), applies: always },
  {
    slug: "emergency-cost",
    scope: "household",
    widget: amount("emergencyLoss"),
    applies: (a) => a.emergency !== undefined && a.emergency !== "none",
  },
  // A natural disaster given as the emergency already answers this.
  { slug: "disaster", scope: "household", widget: choice("disaster", YES_NO), applies: (a) => a.emergency !== "disaster" },
];

export const ALL_STEP_DEFS: readonly StepDef[] = [...HOUSEHOLD_STEPS_BEFORE, ...PERSON_STEPS, ...HOUSEHOLD_STEPS_AFTER];

/** Names of the answer fields a widget sets (also the form field names and input ids). */
export function widgetFields(widget: Widget): string[] {
  return widget.kind === "counts" ? widget.fields.map((f) => f.name) : [widget.name];
}

