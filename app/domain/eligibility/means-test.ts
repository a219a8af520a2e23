/**
 * The income and asset checks shared by dibao and low_income: their reasons
 * (with the figures P, H, R, N, A) and the thresholds that would change them.
 */
import type { Context } from './context';
import type { Trace } from './context';
import type { Exact } from './money';

type MeansProgram = 'dibao' | 'low_income';

/** Reasons and changes for "P below threshold" (S for dibao, lowIncomeFactor × S for low_income). */
export function incomeChecks(
  ctx: Context,
  trace: Trace,
  program: MeansProgram,
  threshold: Exact,
  thresholdValues: Record<string, string>,
  collectChanges: boolean,
): void {
  const f = ctx.figures;
  const t = ctx.text;
  const cond = program === 'dibao' ? ctx.incomeBelowStandard : ctx.incomeBelowLine;
  const rule = program === 'dibao' ? 'income_below_standard' : 'income_below_line';
  if (cond.v === null) return;
  if (f.P) {
    trace.reason(`${program}.${rule}`, cond.v, {
      householdIncome: t.H,
      rigidSpending: t.R,
      members: f.N,
      perPersonIncome: t.P,
      ...thresholdValues,
    });
    if (collectChanges && !cond.v) {
      // H < threshold × N + R  ⇔  P < threshold (when H ≥ R; otherwise P = 0 anyway)
      trace.change(`${program}.income_threshold`, {
        householdIncomeBelow: householdIncomeLimit(ctx, threshold),
        current: t.H,
      });
    }
    return;
  }
  // decided false from the incomes we know (some are missing, R is known)
  trace.reason(`${program}.known_${rule}`, false, {
    knownIncome: t.knownIncome,
    rigidSpending: t.R,
    members: f.N,
    perPersonIncomeAtLeast: t.minP,
    ...thresholdValues,
  });
  if (collectChanges) {
    trace.change(`${program}.known_income_threshold`, {
      householdIncomeBelow: householdIncomeLimit(ctx, threshold),
      knownIncome: t.knownIncome,
    });
  }
}

/** threshold × N + R: the household monthly income at which P reaches threshold (rounded up to the fen). */
export function householdIncomeLimit(ctx: Context, threshold: Exact): string | null {
  const R = ctx.figures.R;
  if (!R) return null;
  return threshold.mulInt(ctx.figures.N).add(R).toMoney('ceil');
}

export function assetChecks(ctx: Context, trace: Trace, program: MeansProgram, collectChanges: boolean): void {
  const f = ctx.figures;
  const p = ctx.params;
  if (f.financial && f.A) {
    const passed = ctx.financialOk.v === true;
    const financial = f.financial.toMoney('ceil');
    trace.reason(`${program}.assets_within_limit`, passed, {
      financial,
      members: f.N,
      perPersonAssets: f.A.toMoney('ceil'),
      limit: p.text.assetLimit,
      assetMonths: p.text.assetMonths,
      standard: p.text.S,
    });
    if (collectChanges && !passed) {
      trace.change(`${program}.asset_limit`, {
        financialAtMost: p.assetLimit.mulInt(f.N).toMoney(),
        current: financial,
      });
    }
  }
  if (f.vehicles !== null) {
    const passed = ctx.vehiclesOk.v === true;
    trace.reason(`${program}.no_vehicle`, passed, { vehicles: f.vehicles });
    if (collectChanges && !passed) trace.change(`${program}.vehicle`, { vehicles: f.vehicles });
  }
  if (f.properties !== null) {
    const passed = ctx.propertiesOk.v === true;
    trace.reason(`${program}.at_most_one_property`, passed, { properties: f.properties });
    if (collectChanges && !passed) trace.change(`${program}.properties`, { properties: f.properties });
  }
}
