/**
 * The input of an assessment, mirroring /work/shared/policy/household.schema.json
 * field for field. Everything is optional except `members` (schema: minItems 1,
 * maxItems 30): a resident may not know an amount, and a missing field makes
 * the programmes that need it `needs_review`, never a refusal.
 * `members` is a plain array (not a non-empty tuple type) so that a zod-inferred
 * type from the same schema is assignable; the engine rejects an empty array.
 */

export const RELATIONS = ['self', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export const DISABILITIES = ['none', 'mild', 'moderate', 'severe'] as const;
export type Disability = (typeof DISABILITIES)[number];

export const STUDENT_KINDS = ['none', 'compulsory', 'high_school', 'higher_education'] as const;
export type StudentKind = (typeof STUDENT_KINDS)[number];
/** A student kind that attracts an education grant. */
export type StudentLevel = Exclude<StudentKind, 'none'>;

export const EMERGENCY_TYPES = ['none', 'fire', 'accident', 'illness', 'disaster', 'other'] as const;
export type EmergencyType = (typeof EMERGENCY_TYPES)[number];

export interface HouseholdMember {
  id?: string;
  relation?: Relation;
  /** integer years, 0–130 */
  age?: number;
  disability?: Disability;
  canWork?: boolean;
  employed?: boolean;
  student?: StudentKind;
  /** CNY per month, 0–100,000,000 */
  monthlyIncome?: number;
}

export interface Household {
  /** at least 1, at most 30 members */
  members: HouseholdMember[];
  supporters?: { hasCapableSupporter?: boolean };
  assets?: {
    /** CNY, no maximum */
    financial?: number;
    vehicles?: number;
    properties?: number;
  };
  /** CNY per year */
  annualMedicalOutOfPocket?: number;
  /** CNY per year */
  annualEducationCost?: number;
  housing?: {
    ownsHome?: boolean;
    /** m² per person */
    perCapitaArea?: number;
  };
  emergency?: {
    type?: EmergencyType;
    /** CNY */
    lossAmount?: number;
  };
  disasterAffected?: boolean;
}
