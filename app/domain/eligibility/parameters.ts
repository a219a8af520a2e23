/**
 * The parameter table of the rule book, versioned by effective date.
 *
 * Rules are data: a real city replaces this table, not the formulas. An
 * assessment on date D uses the newest version whose effectiveFrom ≤ D.
 * Values are written as in the rule book; they are converted once, exactly
 * (through their decimal strings), into `Exact` for the formulas.
 */
import type { StudentLevel } from './household';
import { Exact } from './money';

export type SupportProgram = 'tekun' | 'dibao' | 'low_income';

/** The rule book's parameters, named as in its table. */
export type ParameterValues = {
  /** 低保标准: minimum living standard, CNY per person per month */
  S: number;
  /** low-income line = factor × S */
  lowIncomeFactor: number;
  /** per-capita financial assets limit = assetMonths × S */
  assetMonths: number;
  /** extreme-poverty support = factor × S per person per month */
  tekunFactor: number;
  /** annual out-of-pocket medical spending above which a caseworker assesses (因病支出型困难) */
  catastrophicMedical: number;
  /** share of out-of-pocket medical cost reimbursed, by supporting programme */
  medicalRate: Readonly<Record<SupportProgram, number>>;
  /** CNY per household per year */
  medicalCap: number;
  /** CNY per student per year */
  educationGrant: Readonly<Record<StudentLevel, number>>;
  /** m² per person below which housing is inadequate */
  housingArea: number;
  /** CNY per event */
  temporaryCap: number;
};

export interface RuleVersionInfo {
  id: string;
  effectiveFrom: string;
  parameters: Record<string, unknown>;
}

export interface RuleVersion extends RuleVersionInfo {
  parameters: ParameterValues;
}

function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

const TABLE: RuleVersion[] = [
  {
    id: 'demo-city@2026-01-01',
    effectiveFrom: '2026-01-01',
    parameters: {
      S: 1000,
      lowIncomeFactor: 1.5,
      assetMonths: 24,
      tekunFactor: 1.3,
      catastrophicMedical: 50000,
      medicalRate: { tekun: 1.0, dibao: 0.7, low_income: 0.5 },
      medicalCap: 60000,
      educationGrant: { compulsory: 1000, high_school: 2000, higher_education: 5000 },
      housingArea: 15,
      temporaryCap: 20000,
    },
  },
  {
    id: 'demo-city@2027-01-01',
    effectiveFrom: '2027-01-01',
    parameters: {
      S: 1080,
      lowIncomeFactor: 1.5,
      assetMonths: 24,
      tekunFactor: 1.3,
      catastrophicMedical: 50000,
      medicalRate: { tekun: 1.0, dibao: 0.7, low_income: 0.5 },
      medicalCap: 60000,
      educationGrant: { compulsory: 1000, high_school: 2000, higher_education: 5000 },
      housingArea: 15,
      temporaryCap: 20000,
    },
  },
];

/** All versions, oldest first (for seeding the database and showing the table). */
export const RULE_VERSIONS: readonly RuleVersion[] = freeze(TABLE);

/** A version with its parameters converted for exact computation. */
export interface CompiledParameters {
  version: RuleVersion;
  S: Exact;
  lowIncomeFactor: Exact;
  /** lowIncomeFactor × S */
  lowIncomeLine: Exact;
  assetMonths: Exact;
  /** assetMonths × S, per person */
  assetLimit: Exact;
  tekunFactor: Exact;
  /** tekunFactor × S, per person per month */
  tekunPerPerson: Exact;
  catastrophicMedical: Exact;
  medicalRate: Readonly<Record<SupportProgram, Exact>>;
  medicalCap: Exact;
  educationGrant: Readonly<Record<StudentLevel, Exact>>;
  housingArea: Exact;
  temporaryCap: Exact;
  /** Pre-formatted figures used in nearly every trace (saves work per call). */
  text: {
    S: string;
    lowIncomeFactor: string;
    lowIncomeLine: string;
    assetMonths: string;
    assetLimit: string;
    tekunFactor: string;
    catastrophicMedical: string;
    medicalCap: string;
    housingArea: string;
    temporaryCap: string;
  };
}

function compile(version: RuleVersion): CompiledParameters {
  const p = version.parameters;
  const S = Exact.of(p.S);
  const lowIncomeFactor = Exact.of(p.lowIncomeFactor);
  const assetMonths = Exact.of(p.assetMonths);
  const tekunFactor = Exact.of(p.tekunFactor);
  const lowIncomeLine = lowIncomeFactor.mul(S);
  const assetLimit = assetMonths.mul(S);
  const catastrophicMedical = Exact.of(p.catastrophicMedical);
  const medicalCap = Exact.of(p.medicalCap);
  const housingArea = Exact.of(p.housingArea);
  const temporaryCap = Exact.of(p.temporaryCap);
  return freeze({
    version,
    S,
    lowIncomeFactor,
    lowIncomeLine,
    assetMonths,
    assetLimit,
    tekunFactor,
    tekunPerPerson: tekunFactor.mul(S),
    catastrophicMedical,
    medicalRate: {
      tekun: Exact.of(p.medicalRate.tekun),
      dibao: Exact.of(p.medicalRate.dibao),
      low_income: Exact.of(p.medicalRate.low_income),
    },
    medicalCap,
    educationGrant: {
      compulsory: Exact.of(p.educationGrant.compulsory),
      high_school: Exact.of(p.educationGrant.high_school),
      higher_education: Exact.of(p.educationGrant.higher_education),
    },
    housingArea,
    temporaryCap,
    text: {
      S: S.toMoney(),
      lowIncomeFactor: lowIncomeFactor.toDecimal(),
      lowIncomeLine: lowIncomeLine.toMoney(),
      assetMonths: assetMonths.toDecimal(),
      assetLimit: assetLimit.toMoney(),
      tekunFactor: tekunFactor.toDecimal(),
      catastrophicMedical: catastrophicMedical.toMoney(),
      medicalCap: medicalCap.toMoney(),
      housingArea: housingArea.toMoney(),
      temporaryCap: temporaryCap.toMoney(),
    },
  });
}

const COMPILED: readonly CompiledParameters[] = [...TABLE]
  .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
  .map(compile);

/** Base class of the errors this module throws, so callers can map them to a 400. */
export class EligibilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** asOf is not a real calendar date written YYYY-MM-DD. */
export class InvalidAsOfDateError extends EligibilityError {
  readonly asOf: string;
  constructor(asOf: string) {
    super(`Invalid assessment date "${asOf}": expected a calendar date YYYY-MM-DD`);
    this.asOf = asOf;
  }
}

/** asOf precedes every version of the rules: no rules were in force. */
export class NoRulesInForceError extends EligibilityError {
  readonly asOf: string;
  readonly earliest: string;
  constructor(asOf: string, earliest: string) {
    super(`No rules in force on ${asOf}: the earliest version takes effect on ${earliest}`);
    this.asOf = asOf;
    this.earliest = earliest;
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidIsoDate(text: string): boolean {
  const m = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

let lastAsOf = '';
let lastCompiled: CompiledParameters | null = null;

/** The compiled version in force on asOf (YYYY-MM-DD). */
export function compiledParametersFor(asOf: string): CompiledParameters {
  if (asOf === lastAsOf && lastCompiled) return lastCompiled;
  if (!isValidIsoDate(asOf)) throw new InvalidAsOfDateError(asOf);
  let found: CompiledParameters | null = null;
  // ISO dates compare correctly as strings
  for (const c of COMPILED) if (c.version.effectiveFrom <= asOf) found = c;
  if (!found) throw new NoRulesInForceError(asOf, COMPILED[0].version.effectiveFrom);
  lastAsOf = asOf;
  lastCompiled = found;
  return found;
}

/** The version in force on asOf: the newest with effectiveFrom ≤ asOf. */
export function parametersFor(asOf: string): RuleVersion {
  return compiledParametersFor(asOf).version;
}
