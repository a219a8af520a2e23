// The short check for chat and SMS: eight questions with numbered answers
// (or a plain number), "don't know" always allowed, mapped onto the rule
// engine's Household so the portal's own rules decide (no second rule set).
// Amounts are asked in bands, which a basic phone can answer with one digit;
// each band stands for a value inside it, so the result is "likely", not final.
import { assessHousehold, type Household, type ProgramCode } from "~/domain/eligibility";
import { isDontKnow, parseNumber } from "./normalize";

export const DONT_KNOW_CHOICE = 9;

export type QuestionId = "people" | "age" | "work" | "income" | "savings" | "assets" | "supporter" | "student" | "emergency";

interface NumberQuestion {
  id: QuestionId;
  kind: "number";
  min: number;
  max: number;
}

interface ChoiceQuestion {
  id: QuestionId;
  kind: "choice";
  /** how many numbered options (1..count); 9 is "don't know" */
  count: number;
}

export type ShortQuestion = NumberQuestion | ChoiceQuestion;

export const SHORT_CHECK: readonly ShortQuestion[] = [
  { id: "people", kind: "number", min: 1, max: 30 },
  { id: "age", kind: "number", min: 1, max: 130 },
  { id: "work", kind: "choice", count: 3 },
  { id: "income", kind: "choice", count: 6 },
  { id: "savings", kind: "choice", count: 3 },
  { id: "assets", kind: "choice", count: 2 },
  { id: "supporter", kind: "choice", count: 2 },
  { id: "student", kind: "choice", count: 2 },
  { id: "emergency", kind: "choice", count: 6 },
];

/** A number (people, age), an option number, or "unknown". */
export type ShortAnswer = number | "unknown";
export type ShortAnswers = Partial<Record<QuestionId, ShortAnswer>>;

/** The answer to one question, or null when it cannot be understood. */
export function readShortAnswer(question: ShortQuestion, raw: string): ShortAnswer | null {
  if (isDontKnow(raw)) return "unknown";
  const n = parseNumber(raw);
  if (n === null) return null;
  if (question.kind === "number") return n >= question.min && n <= question.max ? n : null;
  if (n === DONT_KNOW_CHOICE) return "unknown";
  return n >= 1 && n <= question.count ? n : null;
}

// Values standing for each band (CNY), chosen inside the band. Index = option number.
const INCOME_BANDS = [undefined, 0, 500, 1500, 3000, 6000, 10_000] as const;
const SAVINGS_BANDS = [undefined, 5000, 30_000, 100_000] as const;
const EMERGENCY = [undefined, "none", "fire", "accident", "illness", "disaster", "other"] as const;

function choice(answer: ShortAnswer | undefined): number | undefined {
  return typeof answer === "number" ? answer : undefined;
}

/**
 * Answers → Household. The person answering is the first member (age, work);
 * the income band is the whole home's, so it goes on that member and the
 * others count as having none of their own. "A car or another home" counts as
 * one of each when yes. Unknown answers leave the field out, so the
 * programmes needing it come back needs_review.
 */
export function shortHousehold(answers: ShortAnswers): Household {
  const size = choice(answers.people) ?? 1;
  const members: Household["members"] = Array.from({ length: size }, () => ({}));
  const me = members[0];
  const age = choice(answers.age);
  if (age !== undefined) me.age = age;
  const work = choice(answers.work);
  if (work === 1) Object.assign(me, { canWork: true, employed: true });
  else if (work === 2) Object.assign(me, { canWork: true, employed: false });
  else if (work === 3) Object.assign(me, { canWork: false, employed: false });
  const income = INCOME_BANDS[choice(answers.income) ?? 0];
  if (income !== undefined) members.forEach((m, i) => (m.monthlyIncome = i === 0 ? income : 0));

  const household: Household = { members };
  const assets: NonNullable<Household["assets"]> = {};
  const savings = SAVINGS_BANDS[choice(answers.savings) ?? 0];
  if (savings !== undefined) assets.financial = savings;
  const owns = choice(answers.assets);
  if (owns !== undefined) Object.assign(assets, owns === 1 ? { vehicles: 0, properties: 0 } : { vehicles: 1, properties: 1 });
  if (Object.keys(assets).length > 0) household.assets = assets;

  const supporter = choice(answers.supporter);
  if (supporter !== undefined) household.supporters = { hasCapableSupporter: supporter === 1 };
  // No student at home: no school costs, and nobody is one.
  if (choice(answers.student) === 1) {
    household.annualEducationCost = 0;
    members.forEach((m) => (m.student = "none"));
  }
  const emergency = EMERGENCY[choice(answers.emergency) ?? 0];
  if (emergency) {
    household.emergency = { type: emergency };
    household.disasterAffected = emergency === "disaster";
  }
  return household;
}

export interface ShortResult {
  /** likely to qualify, in rule-book order */
  eligible: ProgramCode[];
  /** could qualify; a person needs to look (missing or unclear answers) */
  review: ProgramCode[];
}

/** The likely programmes for these answers on the day `asOf` (YYYY-MM-DD). */
export function shortCheckResult(answers: ShortAnswers, asOf: string): ShortResult {
  const { results } = assessHousehold(shortHousehold(answers), asOf);
  return {
    eligible: results.filter((r) => r.outcome === "eligible").map((r) => r.program),
    review: results.filter((r) => r.outcome === "needs_review").map((r) => r.program),
  };
}
