/**
 * The zod schema of a Household, equal to /work/shared/policy/household.schema.json
 * keyword for keyword (tests/unit/validation/household-schema.test.ts checks the
 * two agree, structurally and on generated inputs): closed objects (.strict()),
 * the same enums, integers, limits, 1–30 members and ids of at most 64 characters;
 * everything optional except `members`.
 *
 * Two readings of the JSON schema that zod does not give by default:
 * - maxLength counts Unicode code points (JSON Schema), not UTF-16 units
 *   (String.length): an id of 40 emoji is 40 characters, so it is allowed.
 * - a JSON number is finite: 1e400 parses to Infinity in JavaScript, which no
 *   rule can compute with, so non-finite numbers are refused.
 */
import { z } from "zod";
import {
  DISABILITIES,
  EMERGENCY_TYPES,
  RELATIONS,
  STUDENT_KINDS,
  type Household,
} from "~/domain/eligibility";

export const MEMBER_ID_MAX_LENGTH = 64;
export const MIN_MEMBERS = 1;
export const MAX_MEMBERS = 30;

/** A string of at most `max` Unicode code points (JSON Schema's maxLength). */
function codePointString(max: number) {
  return z.string().superRefine((value, ctx) => {
    // Only strings longer than `max` UTF-16 units can have more than `max` code points.
    if (value.length > max && [...value].length > max) {
      ctx.addIssue({ code: z.ZodIssueCode.too_big, maximum: max, type: "string", inclusive: true });
    }
  });
}

/** A JSON number: finite, at least `min`, at most `max` when given. */
function jsonNumber(min: number, max?: number) {
  const base = z.number().finite().min(min);
  return max === undefined ? base : base.max(max);
}

/** A JSON integer (1 and 1.0 are the same number). */
function jsonInteger(min: number, max?: number) {
  const base = z.number().int().min(min);
  return max === undefined ? base : base.max(max);
}

export const householdMemberSchema = z
  .object({
    id: codePointString(MEMBER_ID_MAX_LENGTH).optional(),
    relation: z.enum(RELATIONS).optional(),
    age: jsonInteger(0, 130).optional(),
    disability: z.enum(DISABILITIES).optional(),
    canWork: z.boolean().optional(),
    employed: z.boolean().optional(),
    student: z.enum(STUDENT_KINDS).optional(),
    monthlyIncome: jsonNumber(0, 100_000_000).optional(),
  })
  .strict();

export const householdSchema = z
  .object({
    members: z.array(householdMemberSchema).min(MIN_MEMBERS).max(MAX_MEMBERS),
    supporters: z.object({ hasCapableSupporter: z.boolean().optional() }).strict().optional(),
    assets: z
      .object({
        financial: jsonNumber(0).optional(),
        vehicles: jsonInteger(0).optional(),
        properties: jsonInteger(0).optional(),
      })
      .strict()
      .optional(),
    annualMedicalOutOfPocket: jsonNumber(0).optional(),
    annualEducationCost: jsonNumber(0).optional(),
    housing: z
      .object({
        ownsHome: z.boolean().optional(),
        perCapitaArea: jsonNumber(0).optional(),
      })
      .strict()
      .optional(),
    emergency: z
      .object({
        type: z.enum(EMERGENCY_TYPES).optional(),
        lossAmount: jsonNumber(0).optional(),
      })
      .strict()
      .optional(),
    disasterAffected: z.boolean().optional(),
  })
  .strict();

export type HouseholdInput = z.infer<typeof householdSchema>;

// Compile-time proof that what the schema accepts is exactly the engine's Household.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const householdTypesAgree: Same<HouseholdInput, Household> = true;
void householdTypesAgree;
