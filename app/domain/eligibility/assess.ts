/**
 * assessHousehold: applies the rule book version in force on asOf to one
 * household, programme by programme in rule-book order (later programmes use
 * earlier outcomes), and returns every outcome with its trace.
 * Pure: no I/O, no clock; the caller says which date the assessment is for.
 */
import { createContext, deriveSupport } from './context';
import { assessDibao } from './dibao';
import { assessDisaster } from './disaster';
import { assessEducation } from './education';
import { assessEmployment } from './employment';
import { householdFigures } from './figures';
import type { Household } from './household';
import { assessHousing } from './housing';
import { assessLowIncome } from './low-income';
import { assessMedical } from './medical';
import { EligibilityError, compiledParametersFor } from './parameters';
import { assessTekun } from './tekun';
import { assessTemporary } from './temporary';
import type { Assessment } from './types';

/** The household has no members (the schema requires at least one). */
export class InvalidHouseholdError extends EligibilityError {}

export function assessHousehold(household: Household, asOf: string): Assessment {
  const params = compiledParametersFor(asOf);
  if (!household || !Array.isArray(household.members) || household.members.length === 0) {
    throw new InvalidHouseholdError('A household needs at least one member');
  }
  const ctx = createContext(household, params, householdFigures(household));
  const tekun = assessTekun(ctx);
  deriveSupport(ctx, tekun.cond);
  return {
    asOf,
    rulesVersion: params.version.id,
    results: [
      tekun.result,
      assessDibao(ctx),
      assessLowIncome(ctx),
      assessMedical(ctx),
      assessEducation(ctx),
      assessHousing(ctx),
      assessEmployment(ctx),
      assessTemporary(ctx),
      assessDisaster(ctx),
    ],
  };
}
