/**
 * Household figures (N, H, R, P, A) and member helpers of the rule book, with
 * three-valued logic for missing answers.
 *
 * A condition is true, false or unknown (null). Unknown carries the field paths
 * whose absence makes it unknown, so a programme that cannot be decided can say
 * exactly which answers are needed. Kleene logic: AND is false as soon as one
 * operand is false (whatever is missing), OR is true as soon as one is true.
 * Shared with the outreach CLI, which builds a Household from CSV rows.
 */
import type { Household, HouseholdMember } from './household';
import { Exact } from './money';

export type Tri = boolean | null;

export interface Cond {
  readonly v: Tri;
  /** Field paths needed to decide; empty unless v is null. */
  readonly missing: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);
export const TRUE: Cond = Object.freeze({ v: true, missing: NONE });
export const FALSE: Cond = Object.freeze({ v: false, missing: NONE });

export function known(v: boolean): Cond {
  return v ? TRUE : FALSE;
}

export function unknown(...missing: string[]): Cond {
  return { v: null, missing };
}

export function and(...cs: Cond[]): Cond {
  return andAll(cs);
}

export function andAll(cs: readonly Cond[]): Cond {
  let anyUnknown = false;
  for (const c of cs) {
    if (c.v === false) return FALSE;
    if (c.v === null) anyUnknown = true;
  }
  if (!anyUnknown) return TRUE;
  return { v: null, missing: collectMissing(cs) };
}

export function or(...cs: Cond[]): Cond {
  return orAll(cs);
}

export function orAll(cs: readonly Cond[]): Cond {
  let anyUnknown = false;
  for (const c of cs) {
    if (c.v === true) return TRUE;
    if (c.v === null) anyUnknown = true;
  }
  if (!anyUnknown) return FALSE;
  return { v: null, missing: collectMissing(cs) };
}

export function not(c: Cond): Cond {
  return c.v === null ? c : c.v ? FALSE : TRUE;
}

function collectMissing(cs: readonly Cond[]): string[] {
  const out: string[] = [];
  for (const c of cs) if (c.v === null) for (const f of c.missing) if (!out.includes(f)) out.push(f);
  return out;
}

/** Field paths of member i, built once (at most 30 members). */
export interface MemberPaths {
  age: string;
  disability: string;
  canWork: string;
  employed: string;
  student: string;
  monthlyIncome: string;
}
const PATH_CACHE: MemberPaths[] = [];
export function memberPaths(i: number): MemberPaths {
  let p = PATH_CACHE[i];
  if (!p) {
    const b = `members[${i}].`;
    p = {
      age: `${b}age`,
      disability: `${b}disability`,
      canWork: `${b}canWork`,
      employed: `${b}employed`,
      student: `${b}student`,
      monthlyIncome: `${b}monthlyIncome`,
    };
    if (i < 64) PATH_CACHE[i] = p;
  }
  return p;
}

export function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
export function bool(x: unknown): boolean | null {
  return typeof x === 'boolean' ? x : null;
}

// ---- member helpers ------------------------------------------------------

/** "Can work": canWork is true AND age ≥ 16; under 16 never can. */
export function canWorkCond(m: HouseholdMember, i: number): Cond {
  const age = num(m.age);
  const cw = bool(m.canWork);
  if (age !== null && age < 16) return FALSE;
  if (cw === false) return FALSE;
  if (cw === true && age !== null) return TRUE; // age ≥ 16 here
  const p = memberPaths(i);
  if (cw === null && age === null) return unknown(p.canWork, p.age);
  return cw === null ? unknown(p.canWork) : unknown(p.age);
}

/** Working age: 16–59 inclusive. */
export function workingAgeCond(m: HouseholdMember, i: number): Cond {
  const age = num(m.age);
  if (age === null) return unknown(memberPaths(i).age);
  return known(age >= 16 && age <= 59);
}

/** Main labour: aged 18–59 and can work. */
export function mainLabourCond(m: HouseholdMember, i: number): Cond {
  const age = num(m.age);
  const inRange: Cond = age === null ? unknown(memberPaths(i).age) : known(age >= 18 && age <= 59);
  return and(inRange, canWorkCond(m, i));
}

/** true / false, or null when an answer needed to tell is missing. */
export function canWork(member: HouseholdMember): Tri {
  return canWorkCond(member, 0).v;
}
export function isWorkingAge(member: HouseholdMember): Tri {
  return workingAgeCond(member, 0).v;
}
export function isMainLabour(member: HouseholdMember): Tri {
  return mainLabourCond(member, 0).v;
}

// ---- household figures ---------------------------------------------------

export interface HouseholdFigures {
  /** number of members */
  N: number;
  /** each member's monthly income, null when missing */
  incomes: (Exact | null)[];
  /** sum of the incomes that are known (a lower bound of H) */
  knownIncome: Exact;
  /** household monthly income, null when some income is missing */
  H: Exact | null;
  medical: Exact | null;
  education: Exact | null;
  /** monthly rigid expenditure (medical + education) / 12, null when either is missing */
  R: Exact | null;
  /** adjusted per-capita monthly income max(0, H − R) / N */
  P: Exact | null;
  /** lowest P can be given what is known: max(0, knownIncome − R) / N, or 0 when R is unknown */
  minP: Exact;
  financial: Exact | null;
  /** per-capita financial assets financial / N */
  A: Exact | null;
  vehicles: number | null;
  properties: number | null;
  /** paths of the missing incomes */
  missingIncome: string[];
  /** paths among annualMedicalOutOfPocket / annualEducationCost that are missing */
  missingRigid: string[];
}

/**
 * N, H, R, P and A of the rule book, computed exactly. For the outreach CLI:
 * build a Household with the summed out-of-pocket and annualEducationCost 0.
 */
export function householdFigures(household: Household): HouseholdFigures {
  const members = household.members;
  const N = members.length;
  const incomes: (Exact | null)[] = new Array(N);
  const missingIncome: string[] = [];
  let knownIncome = Exact.ZERO;
  for (let i = 0; i < N; i++) {
    const x = num(members[i].monthlyIncome);
    if (x === null) {
      incomes[i] = null;
      missingIncome.push(memberPaths(i).monthlyIncome);
    } else {
      const e = Exact.of(x);
      incomes[i] = e;
      knownIncome = knownIncome.add(e);
    }
  }
  const H = missingIncome.length === 0 ? knownIncome : null;

  const med = num(household.annualMedicalOutOfPocket);
  const edu = num(household.annualEducationCost);
  const medical = med === null ? null : Exact.of(med);
  const education = edu === null ? null : Exact.of(edu);
  const missingRigid: string[] = [];
  if (medical === null) missingRigid.push('annualMedicalOutOfPocket');
  if (education === null) missingRigid.push('annualEducationCost');
  const R = medical && education ? medical.add(education).divInt(12) : null;

  const P = H && R ? H.sub(R).max0().divInt(N) : null;
  const minP = P ?? (R ? knownIncome.sub(R).max0().divInt(N) : Exact.ZERO);

  const assets = household.assets;
  const fin = num(assets?.financial);
  const financial = fin === null ? null : Exact.of(fin);
  return {
    N,
    incomes,
    knownIncome,
    H,
    medical,
    education,
    R,
    P,
    minP,
    financial,
    A: financial ? financial.divInt(N) : null,
    vehicles: num(assets?.vehicles),
    properties: num(assets?.properties),
    missingIncome,
    missingRigid,
  };
}
