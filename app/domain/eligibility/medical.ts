/**
 * 4. medical 医疗救助. Not eligible when annualMedicalOutOfPocket is 0. When
 * supported: eligible, amount = min(medicalCap, rate × out-of-pocket) per year,
 * rate by the supporting programme. Not supported but out-of-pocket above
 * catastrophicMedical: needs_review (因病支出型困难, a caseworker assesses).
 * Otherwise not eligible.
 *
 * Supported but not yet known by which programme (tekun undecided): the rate,
 * hence the amount, is unknown, so needs_review listing the answers that decide it.
 */
import type { Context } from './context';
import { Trace } from './context';
import { or } from './figures';
import { minExact } from './money';
import type { ProgramResult } from './types';

export function assessMedical(ctx: Context): ProgramResult {
  const { params: p, figures: f } = ctx;
  const trace = new Trace('medical');
  const supported = ctx.supported;
  const oop = f.medical;
  if (oop === null) {
    if (supported.v !== null) trace.reason('medical.supported', supported.v, { program: ctx.supportedBy });
    return trace.needsInformation(['annualMedicalOutOfPocket', ...(supported.v === null ? supported.missing : [])]);
  }
  if (oop.isZero()) {
    trace.reason('medical.has_costs', false, { annualMedicalOutOfPocket: oop.toMoney() });
    trace.change('medical.no_costs');
    return trace.result('not_eligible');
  }
  trace.reason('medical.has_costs', true, { annualMedicalOutOfPocket: oop.toMoney() });

  if (supported.v === true) {
    const by = ctx.supportedBy;
    trace.reason('medical.supported', true, { program: by });
    if (by === null) return trace.needsInformation(or(ctx.tekun, ctx.dibao, ctx.lowIncome).missing);
    const rate = p.medicalRate[by];
    const reimbursed = rate.mul(oop);
    const total = minExact(p.medicalCap, reimbursed);
    const amount = total.toYuan();
    trace.reason('medical.amount', true, {
      rate: rate.toDecimal(),
      annualMedicalOutOfPocket: oop.toMoney(),
      reimbursed: reimbursed.toMoney(),
      cap: p.text.medicalCap,
      capped: reimbursed.gt(p.medicalCap),
      total: total.toMoney(),
      amount,
    });
    trace.change('medical.depends_on', { program: by, cap: p.text.medicalCap });
    return trace.result('eligible', { value: amount, period: 'year' });
  }

  const catastrophic = oop.gt(p.catastrophicMedical);
  const shownOop = oop.toMoney('ceil');
  if (supported.v === false) trace.reason('medical.supported', false, { program: null });
  trace.reason('medical.catastrophic', catastrophic, {
    annualMedicalOutOfPocket: shownOop,
    threshold: p.text.catastrophicMedical,
  });
  // Undecided support: eligible if supported, else needs_review or not eligible.
  if (supported.v === null) return trace.needsInformation(supported.missing);
  if (catastrophic) {
    trace.change('medical.caseworker_review');
    return trace.result('needs_review');
  }
  trace.change('medical.needs_support', { threshold: p.text.catastrophicMedical, current: shownOop });
  return trace.result('not_eligible');
}
