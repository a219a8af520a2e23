/**
 * 3. low_income 低收入家庭认定 (低保边缘). Eligible when neither tekun nor dibao is
 * eligible, P is below lowIncomeFactor × S and the asset test passes. No cash
 * amount: it opens the special assistance programmes.
 *
 * "Neither tekun nor dibao" is evaluated as ¬tekun ∧ ¬(dibao's own condition):
 * if dibao's own condition surely holds, the household gets tekun or dibao,
 * so low_income is surely not eligible even while tekun is undecided.
 */
import type { Context } from './context';
import { Trace } from './context';
import { assetChecks, householdIncomeLimit, incomeChecks } from './means-test';
import type { ProgramResult } from './types';

export function assessLowIncome(ctx: Context): ProgramResult {
  const { params: p, figures: f } = ctx;
  const trace = new Trace('low_income');
  if (ctx.tekun.v === true || ctx.ownDibao.v === true) {
    const program = ctx.tekun.v === true ? 'tekun' : ctx.tekun.v === false ? 'dibao' : null;
    trace.reason('low_income.not_covered', false, { program });
    trace.change('low_income.covered', { program });
    return trace.result('not_eligible');
  }
  if (ctx.tekun.v === false && ctx.ownDibao.v === false) trace.reason('low_income.not_covered', true, { program: null });

  const cond = ctx.lowIncome;
  incomeChecks(
    ctx,
    trace,
    'low_income',
    p.lowIncomeLine,
    { factor: p.text.lowIncomeFactor, standard: p.text.S, line: p.text.lowIncomeLine },
    cond.v === false,
  );
  assetChecks(ctx, trace, 'low_income', cond.v === false);
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (cond.v === false) return trace.result('not_eligible');

  trace.change('low_income.ends_at_income', {
    householdIncomeAtLeast: householdIncomeLimit(ctx, p.lowIncomeLine),
    current: ctx.text.H,
    financialAbove: p.assetLimit.mulInt(f.N).toMoney(),
  });
  return trace.result('eligible');
}
