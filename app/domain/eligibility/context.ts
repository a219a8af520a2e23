/**
 * The state shared by the programme rules during one assessment: parameters,
 * household figures, the shared conditions (income and asset tests) and the
 * outcomes of earlier programmes ("later programmes use earlier outcomes").
 *
 * Display rounding of figures that are compared with a threshold: a figure shown
 * next to a "below T" test is rounded down and one next to an "at most T" or
 * "above T" test is rounded up, so that the 2-decimal figures shown never
 * contradict the (exact) result of the comparison. Thresholds a household income
 * must stay below are rounded up to the fen, which is exact for incomes in fen.
 */
import type { Household } from './household';
import type { Cond, HouseholdFigures } from './figures';
import { FALSE, and, known, not, or, unknown } from './figures';
import type { Exact } from './money';
import type { CompiledParameters, SupportProgram } from './parameters';
import type { Amount, Change, Outcome, ProgramCode, ProgramResult, Reason, ReasonValue } from './types';

export interface Context {
  household: Household;
  params: CompiledParameters;
  figures: HouseholdFigures;
  /** P < S (dibao's income test) */
  incomeBelowStandard: Cond;
  /** P < lowIncomeFactor × S */
  incomeBelowLine: Cond;
  financialOk: Cond;
  vehiclesOk: Cond;
  propertiesOk: Cond;
  /** the asset test: A ≤ assetMonths × S, no vehicle, at most one property */
  assetTest: Cond;
  /** dibao's own condition, ignoring tekun */
  ownDibao: Cond;
  /** low_income's own condition, ignoring tekun and dibao */
  ownLow: Cond;
  // filled once tekun is assessed (see deriveSupport)
  tekun: Cond;
  dibao: Cond;
  lowIncome: Cond;
  /** tekun, dibao or low_income eligible */
  supported: Cond;
  /** which one, when it is known */
  supportedBy: SupportProgram | null;
  tekunOrDibao: Cond;
  tekunOrDibaoBy: 'tekun' | 'dibao' | null;
  /** formatted figures, computed once */
  text: FigureText;
}

export interface FigureText {
  N: number;
  H: string | null;
  R: string | null;
  /** P rounded down (it is only compared with "below") */
  P: string | null;
  minP: string;
  knownIncome: string;
}

function incomeBelow(f: HouseholdFigures, threshold: Exact): Cond {
  if (f.P) return known(f.P.lt(threshold));
  // Missing incomes can only raise H, so if the known part already reaches the
  // threshold the test fails whatever the missing answers are.
  if (f.minP.ge(threshold)) return FALSE;
  return unknown(...f.missingIncome, ...f.missingRigid);
}

export function createContext(household: Household, params: CompiledParameters, figures: HouseholdFigures): Context {
  const f = figures;
  const incomeBelowStandard = incomeBelow(f, params.S);
  const incomeBelowLine = incomeBelow(f, params.lowIncomeLine);
  const financialOk = f.A ? known(f.A.le(params.assetLimit)) : unknown('assets.financial');
  const vehiclesOk = f.vehicles === null ? unknown('assets.vehicles') : known(f.vehicles === 0);
  const propertiesOk = f.properties === null ? unknown('assets.properties') : known(f.properties <= 1);
  const assetTest = and(financialOk, vehiclesOk, propertiesOk);
  return {
    household,
    params,
    figures,
    incomeBelowStandard,
    incomeBelowLine,
    financialOk,
    vehiclesOk,
    propertiesOk,
    assetTest,
    ownDibao: and(incomeBelowStandard, assetTest),
    ownLow: and(incomeBelowLine, assetTest),
    tekun: FALSE,
    dibao: FALSE,
    lowIncome: FALSE,
    supported: FALSE,
    supportedBy: null,
    tekunOrDibao: FALSE,
    tekunOrDibaoBy: null,
    text: {
      N: f.N,
      H: f.H ? f.H.toMoney() : null,
      R: f.R ? f.R.toMoney() : null,
      P: f.P ? f.P.toMoney('floor') : null,
      minP: f.minP.toMoney('floor'),
      knownIncome: f.knownIncome.toMoney(),
    },
  };
}

/**
 * Once tekun is known: dibao = ¬tekun ∧ ownDibao; low_income = ¬tekun ∧ ¬dibao ∧ ownLow,
 * which simplifies to ¬tekun ∧ ¬ownDibao ∧ ownLow (so a household that surely
 * qualifies for tekun-or-dibao is surely not low_income, even if we cannot yet
 * tell which of the two). "Supported" = tekun ∨ dibao ∨ low_income, which
 * simplifies to tekun ∨ ownDibao ∨ ownLow: it can be true while it is still
 * unknown which programme supports (then a rate that depends on it is unknown).
 */
export function deriveSupport(ctx: Context, tekun: Cond): void {
  ctx.tekun = tekun;
  const notTekun = not(tekun);
  ctx.dibao = and(notTekun, ctx.ownDibao);
  ctx.lowIncome = and(notTekun, not(ctx.ownDibao), ctx.ownLow);
  ctx.supported = or(tekun, ctx.ownDibao, ctx.ownLow);
  ctx.supportedBy =
    tekun.v === true ? 'tekun' : ctx.dibao.v === true ? 'dibao' : ctx.lowIncome.v === true ? 'low_income' : null;
  ctx.tekunOrDibao = or(tekun, ctx.ownDibao);
  ctx.tekunOrDibaoBy = tekun.v === true ? 'tekun' : ctx.dibao.v === true ? 'dibao' : null;
}

/** Accumulates the trace of one programme. */
export class Trace {
  readonly reasons: Reason[] = [];
  readonly changes: Change[] = [];
  readonly program: ProgramCode;

  constructor(program: ProgramCode) {
    this.program = program;
  }

  reason(code: string, passed: boolean, values: Record<string, ReasonValue> = {}): void {
    this.reasons.push({ code, passed, values });
  }

  change(code: string, values: Record<string, ReasonValue> = {}): void {
    this.changes.push({ code, values });
  }

  result(outcome: Outcome, amount: Amount | null = null): ProgramResult {
    return { program: this.program, outcome, amount, reasons: this.reasons, changes: this.changes, missing: [] };
  }

  /**
   * needs_review for missing answers: adds '<programme>.missing_information' with
   * the field paths and '<programme>.provide_information' as what would change it.
   * Any change collected so far is dropped: the answers come first.
   */
  needsInformation(missing: readonly string[]): ProgramResult {
    const fields = dedupe(missing);
    const list = fields.join(',');
    this.reasons.push({ code: `${this.program}.missing_information`, passed: false, values: { fields: list } });
    this.changes.length = 0;
    this.changes.push({ code: `${this.program}.provide_information`, values: { fields: list } });
    return {
      program: this.program,
      outcome: 'needs_review',
      amount: null,
      reasons: this.reasons,
      changes: this.changes,
      missing: fields,
    };
  }
}

function dedupe(items: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of items) if (!out.includes(x)) out.push(x);
  return out;
}


