/**
 * The answers of the web eligibility check as they are stored in a draft: one
 * field per question, in the resident's terms ("can work but has no job"), not
 * the rule engine's. `toHousehold` turns them into the engine's input.
 * `readAnswers` accepts whatever JSON a draft holds and keeps only well-formed
 * answers, so a damaged or outdated draft never breaks a page.
 */
import { z } from "zod";
import { DISABILITIES, EMERGENCY_TYPES, STUDENT_KINDS } from "~/domain/eligibility";

/** The resident chose "I don't know" (the Household field is then left out). */
export const UNKNOWN = "unknown" as const;
export type Unknown = typeof UNKNOWN;

export type AmountAnswer = number | Unknown;
export const WORK_ANSWERS = ["employed", "not_employed", "cannot_work"] as const;
export type WorkAnswer = (typeof WORK_ANSWERS)[number];
export const FOR_WHOM = ["self", "other"] as const;
export type ForWhom = (typeof FOR_WHOM)[number];
export const YES_NO = ["yes", "no"] as const;
export type YesNo = (typeof YES_NO)[number];
export const YES_NO_UNKNOWN = ["yes", "no", UNKNOWN] as const;
export type YesNoUnknown = (typeof YES_NO_UNKNOWN)[number];

export const MAX_HOUSEHOLD_SIZE = 30;

const amount = z.union([z.number().finite().nonnegative(), z.literal(UNKNOWN)]);
const count = z.number().int().nonnegative();

const personSchema = z
  .object({
    age: z.number().int().min(0).max(130),
    disability: z.enum(DISABILITIES),
    student: z.enum(STUDENT_KINDS),
    work: z.enum(WORK_ANSWERS),
    income: amount,
  })
  .partial();

export type PersonAnswers = z.infer<typeof personSchema>;

const callbackSchema = z.object({ reference: z.string().min(1).max(64), dueAt: z.string().min(1).max(64) });

const answersSchema = z
  .object({
    forWhom: z.enum(FOR_WHOM),
    householdSize: z.number().int().min(1).max(MAX_HOUSEHOLD_SIZE),
    people: z.array(personSchema).max(MAX_HOUSEHOLD_SIZE),
    supporter: z.enum(YES_NO_UNKNOWN),
    savings: amount,
    ownsHome: z.enum(YES_NO),
    floorArea: amount,
    vehicles: count,
    properties: count,
    medicalCosts: amount,
    schoolCosts: amount,
    emergency: z.enum(EMERGENCY_TYPES),
    emergencyLoss: amount,
    disaster: z.enum(YES_NO),
    /** The call back asked for from the results page, shown there as a confirmation. */
    callback: callbackSchema,
  })
  .partial();

export type CheckAnswers = z.infer<typeof answersSchema>;

/**
 * Well-formed answers from untrusted JSON (a draft written by an older version,
 * or damaged): each field that does not fit is dropped on its own.
 */
export function readAnswers(raw: unknown): CheckAnswers {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const whole = answersSchema.safeParse(raw);
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = {};
  const shape = answersSchema.shape;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in shape)) continue;
    if (key === "people" && Array.isArray(value)) {
      out.people = value.slice(0, MAX_HOUSEHOLD_SIZE).map((p) => readPerson(p));
      continue;
    }
    const field = shape[key as keyof typeof shape].safeParse(value);
    if (field.success && field.data !== undefined) out[key] = field.data;
  }
  return out as CheckAnswers;
}

function readPerson(raw: unknown): PersonAnswers {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  const shape = personSchema.shape;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in shape)) continue;
    const field = shape[key as keyof typeof shape].safeParse(value);
    if (field.success && field.data !== undefined) out[key] = field.data;
  }
  return out as PersonAnswers;
}

/** The answers about person `index` (0-based), empty when there are none yet. */
export function personAnswers(answers: CheckAnswers, index: number): PersonAnswers {
  return answers.people?.[index] ?? {};
}

/** A copy of the answers with person `index` (0-based) changed. */
export function withPerson(answers: CheckAnswers, index: number, patch: PersonAnswers): CheckAnswers {
  const people = [...(answers.people ?? [])];
  while (people.length <= index) people.push({});
  people[index] = { ...people[index], ...patch };
  return { ...answers, people };
}
