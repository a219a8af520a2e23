/**
 * 8. temporary 临时救助. Not eligible when emergency.type is none. Eligible when
 * supported OR emergency.lossAmount ≥ 6 × H; amount min(temporaryCap, 3 × S × N),
 * once. Otherwise needs_review (a caseworker assesses: never a refusal).
 *
 * A missing emergency.type is needs_review (it could be none or not). With a
 * real emergency the outcome is eligible or needs_review; missing answers are
 * listed when they could make it eligible.
 */
import type { Context } from './context';
import { Trace } from './context';
import type { Cond } from './figures';
import { FALSE, known, num, or, unknown } from './figures';
import { Exact, minExact } from './money';
import type { ProgramResult } from './types';

/** Loss threshold in months of household income, and the amount in months of S per person (rule book formulas). */
export const TEMPORARY_LOSS_MONTHS = 6;
export const TEMPORARY_AMOUNT_MONTHS = 3;

export function assessTemporary(ctx: Context): ProgramResult {
  const { params: p, figures: f } = ctx;
  const trace = new Trace('temporary');
  const emergency = ctx.household.emergency;
  const type = emergency?.type ?? null;
  if (type === 'none') {
    trace.reason('temporary.emergency', false, { emergencyType: type });
    trace.change('temporary.no_emergency');
    return trace.result('not_eligible');
  }
  if (type !== null) trace.reason('temporary.emergency', true, { emergencyType: type });

  const supported = ctx.supported;
  const lossNumber = num(emergency?.lossAmount);
  const loss = lossNumber === null ? null : Exact.of(lossNumber);
  let lossCond: Cond;
  let sixMonths: Exact | null = null;
  if (loss === null) lossCond = unknown('emergency.lossAmount');
  else if (f.H) {
    sixMonths = f.H.mulInt(TEMPORARY_LOSS_MONTHS);
    lossCond = known(loss.ge(sixMonths));
    trace.reason('temporary.loss_at_least_six_months', lossCond.v === true, {
      lossAmount: loss.toMoney('floor'),
      householdIncome: ctx.text.H,
      sixMonthsIncome: sixMonths.toMoney('ceil'),
    });
  } else {
    // some incomes missing: they can only raise H
    const knownSix = f.knownIncome.mulInt(TEMPORARY_LOSS_MONTHS);
    if (loss.lt(knownSix)) {
      lossCond = FALSE;
      trace.reason('temporary.known_loss_at_least_six_months', false, {
        lossAmount: loss.toMoney('floor'),
        knownIncome: ctx.text.knownIncome,
        sixMonthsIncome: knownSix.toMoney('ceil'),
      });
    } else lossCond = unknown(...f.missingIncome);
  }
  if (supported.v !== null) trace.reason('temporary.supported', supported.v, { program: ctx.supportedBy });
  const cond = or(supported, lossCond);

  if (type === null) {
    return trace.needsInformation(['emergency.type', ...(cond.v === null ? cond.missing : [])]);
  }
  if (cond.v === true) {
    const total = p.S.mulInt(TEMPORARY_AMOUNT_MONTHS * f.N);
    const capped = minExact(p.temporaryCap, total);
    const amount = capped.toYuan();
    trace.reason('temporary.amount', true, {
      months: TEMPORARY_AMOUNT_MONTHS,
      standard: p.text.S,
      members: f.N,
      total: total.toMoney(),
      cap: p.text.temporaryCap,
      capped: total.gt(p.temporaryCap),
      amount,
    });
    trace.change('temporary.one_time', { cap: p.text.temporaryCap });
    return trace.result('eligible', { value: amount, period: 'once' });
  }
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (sixMonths && loss) {
    trace.change('temporary.loss_threshold', { lossAtLeast: sixMonths.toMoney('ceil'), current: loss.toMoney('floor') });
  }
  trace.change('temporary.caseworker_review');
  return trace.result('needs_review');
}
