/**
 * 2. dibao 最低生活保障 (minimum living allowance).
 * Not eligible when tekun is eligible (covered by tekun). Otherwise eligible when
 * P is below S and the asset test passes. Amount: (S − P) × N per month.
 *
 * Three-valued: dibao = ¬tekun ∧ (P < S) ∧ assets. When tekun is undecided and
 * dibao's own condition could hold, dibao is needs_review; when its own
 * condition surely fails it is not_eligible whatever tekun turns out to be.
 */
import type { Context } from './context';
import { Trace } from './context';
import { assetChecks, householdIncomeLimit, incomeChecks } from './means-test';
import type { ProgramResult } from './types';

export function assessDibao(ctx: Context): ProgramResult {
  const { params: p, figures: f } = ctx;
  const trace = new Trace('dibao');
  if (ctx.tekun.v === true) {
    trace.reason('dibao.not_covered_by_tekun', false);
    trace.change('dibao.covered_by_tekun');
    return trace.result('not_eligible');
  }
  if (ctx.tekun.v === false) trace.reason('dibao.not_covered_by_tekun', true);

  const cond = ctx.dibao;
  incomeChecks(ctx, trace, 'dibao', p.S, { standard: p.text.S }, cond.v === false);
  assetChecks(ctx, trace, 'dibao', cond.v === false);
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (cond.v === false) return trace.result('not_eligible');

  // (S − P) × N = S × N − max(0, H − R): exact, rounded half up only here.
  const P = f.P!;
  const total = p.S.sub(P).mulInt(f.N);
  const amount = total.toYuan();
  trace.reason('dibao.amount', true, {
    standard: p.text.S,
    perPersonIncome: ctx.text.P,
    members: f.N,
    total: total.toMoney(),
    amount,
  });
  trace.change('dibao.ends_at_income', {
    householdIncomeAtLeast: householdIncomeLimit(ctx, p.S),
    current: ctx.text.H,
    financialAbove: p.assetLimit.mulInt(f.N).toMoney(),
  });
  return trace.result('eligible', { value: amount, period: 'month' });
}
