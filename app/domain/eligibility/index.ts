/**
 * Eligibility rules engine (public API). Pure TypeScript, no I/O: implements
 * the Demo City rule book (/work/shared/policy/README.md) with versioned
 * parameters, exact arithmetic, three-valued handling of missing answers and a
 * full trace of reasons and "what would change it" for every programme.
 */
export type { Amount, Assessment, Change, Outcome, ProgramCode, ProgramResult, Reason, ReasonValue } from './types';
export { PROGRAM_CODES } from './types';
export type {
  Disability,
  EmergencyType,
  Household,
  HouseholdMember,
  Relation,
  StudentKind,
  StudentLevel,
} from './household';
export { DISABILITIES, EMERGENCY_TYPES, RELATIONS, STUDENT_KINDS } from './household';
export type { CompiledParameters, ParameterValues, RuleVersion, RuleVersionInfo, SupportProgram } from './parameters';
export {
  EligibilityError,
  InvalidAsOfDateError,
  NoRulesInForceError,
  RULE_VERSIONS,
  compiledParametersFor,
  isValidIsoDate,
  parametersFor,
} from './parameters';
export { InvalidHouseholdError, assessHousehold } from './assess';
export type { Cond, HouseholdFigures, Tri } from './figures';
export { canWork, householdFigures, isMainLabour, isWorkingAge } from './figures';
export { Exact, compareExact, minExact } from './money';
export type { RoundingMode } from './money';
export type { Translate } from './explain';
export {
  amountText,
  changeKey,
  describeField,
  describeFields,
  explainChange,
  explainReason,
  outcomeLabel,
  programDescription,
  programName,
  reasonKey,
} from './explain';
