/**
 * 1. tekun 特困人员救助供养 (extreme poverty support).
 * Eligible when EVERY member is (age ≥ 60, or disability severe, or age < 16)
 * AND cannot work AND has monthlyIncome below S, AND no capable supporter.
 * Amount: tekunFactor × S × N per month.
 *
 * Three-valued: one member who surely fails makes tekun not_eligible whatever
 * else is missing; eligible only when every answer is known and passes.
 * Per member the checks are shown in rule order up to the first failure (the
 * later ones cannot change that member's result).
 */
import type { Context } from './context';
import { Trace } from './context';
import type { Cond } from './figures';
import { andAll, bool, canWorkCond, known, memberPaths, not, num, or, unknown } from './figures';
import type { ProgramResult } from './types';

export function assessTekun(ctx: Context): { result: ProgramResult; cond: Cond } {
  const { household, params: p, figures: f } = ctx;
  const trace = new Trace('tekun');
  const conds: Cond[] = [];
  const members = household.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    const paths = memberPaths(i);
    const person = i + 1;
    const age = num(m.age);
    const disability = m.disability ?? null;
    const group = or(
      age === null ? unknown(paths.age) : known(age >= 60 || age < 16),
      disability === null ? unknown(paths.disability) : known(disability === 'severe'),
    );
    const cannotWork = not(canWorkCond(m, i));
    const income = f.incomes[i];
    const below = income === null ? unknown(paths.monthlyIncome) : known(income.lt(p.S));
    conds.push(group, cannotWork, below);

    if (group.v !== null) trace.reason('tekun.member_group', group.v, { person, age, disability });
    if (group.v === false) {
      trace.change('tekun.member_not_in_group', { person });
      continue;
    }
    if (cannotWork.v !== null) {
      trace.reason('tekun.member_cannot_work', cannotWork.v, { person, age, canWork: bool(m.canWork) });
    }
    if (cannotWork.v === false) {
      trace.change('tekun.member_not_in_group', { person });
      continue;
    }
    if (income !== null) {
      const shown = income.toMoney('floor');
      trace.reason('tekun.member_income_below_standard', below.v === true, {
        person,
        monthlyIncome: shown,
        standard: p.text.S,
      });
      if (below.v === false) {
        trace.change('tekun.member_income_threshold', { person, incomeBelow: p.text.S, current: shown });
      }
    }
  }

  const has = bool(household.supporters?.hasCapableSupporter);
  const noSupporter = has === null ? unknown('supporters.hasCapableSupporter') : known(!has);
  conds.push(noSupporter);
  if (has !== null) trace.reason('tekun.no_capable_supporter', !has, { hasCapableSupporter: has });
  if (has === true) trace.change('tekun.no_supporter');

  const cond = andAll(conds);
  if (cond.v === null) return { result: trace.needsInformation(cond.missing), cond };
  if (cond.v === false) return { result: trace.result('not_eligible'), cond };

  const total = p.tekunPerPerson.mulInt(f.N);
  const amount = total.toYuan();
  trace.reason('tekun.amount', true, {
    factor: p.text.tekunFactor,
    standard: p.text.S,
    members: f.N,
    total: total.toMoney(),
    amount,
  });
  trace.change('tekun.ends_if', { standard: p.text.S });
  return { result: trace.result('eligible', { value: amount, period: 'month' }), cond };
}
