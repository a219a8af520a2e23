/**
 * Public result types of the eligibility engine (the contract the portal, the
 * bot and the outreach CLI code against).
 */

export type ProgramCode =
  | 'tekun'
  | 'dibao'
  | 'low_income'
  | 'medical'
  | 'education'
  | 'housing'
  | 'employment'
  | 'temporary'
  | 'disaster';

/** Rule-book order: later programmes use the outcomes of earlier ones. */
export const PROGRAM_CODES: readonly ProgramCode[] = Object.freeze([
  'tekun',
  'dibao',
  'low_income',
  'medical',
  'education',
  'housing',
  'employment',
  'temporary',
  'disaster',
] as const);

export type Outcome = 'eligible' | 'not_eligible' | 'needs_review';

/** Whole yuan, rounded half up at the end of the computation. */
export interface Amount {
  value: number;
  period: 'month' | 'year' | 'once';
}

export type ReasonValue = string | number | boolean | null;

/**
 * One rule checked. `code` is stable ('<programme>.<rule>'); `values` hold the
 * figures used: money as strings with 2 decimals ("850.00"), factors as plain
 * decimals ("1.3"), counts and ages as numbers, people as `person` (1-based).
 */
export interface Reason {
  code: string;
  passed: boolean;
  values: Record<string, ReasonValue>;
}

/** What would change the answer (a threshold, the answers still needed...). */
export interface Change {
  code: string;
  values: Record<string, ReasonValue>;
}

export interface ProgramResult {
  program: ProgramCode;
  outcome: Outcome;
  amount: Amount | null;
  reasons: Reason[];
  changes: Change[];
  /** Field paths still needed, e.g. "members[0].monthlyIncome" (0-based index). */
  missing: string[];
}

export interface Assessment {
  asOf: string;
  rulesVersion: string;
  results: ProgramResult[];
}
