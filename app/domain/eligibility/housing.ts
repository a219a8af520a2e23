/**
 * 6. housing 住房救助. Eligible when tekun or dibao is eligible AND (ownsHome is
 * false OR perCapitaArea is below housingArea). Amount null (rent subsidy or
 * in-kind, set by a caseworker). perCapitaArea is not needed when ownsHome is false.
 */
import type { Context } from './context';
import { Trace } from './context';
import { TRUE, and, bool, known, num, or, unknown } from './figures';
import { Exact } from './money';
import type { ProgramResult } from './types';

export function assessHousing(ctx: Context): ProgramResult {
  const p = ctx.params;
  const trace = new Trace('housing');
  const housing = ctx.household.housing;
  const owns = bool(housing?.ownsHome);
  const areaNumber = num(housing?.perCapitaArea);
  const area = areaNumber === null ? null : Exact.of(areaNumber);
  const small = area === null ? unknown('housing.perCapitaArea') : known(area.lt(p.housingArea));
  const need =
    owns === false ? TRUE : or(owns === null ? unknown('housing.ownsHome') : known(!owns), small);
  const td = ctx.tekunOrDibao;

  if (td.v !== null) trace.reason('housing.tekun_or_dibao', td.v, { program: ctx.tekunOrDibaoBy });
  if (owns !== null) trace.reason('housing.no_own_home', !owns, { ownsHome: owns });
  const shownArea = area ? area.toMoney('floor') : null;
  if (owns !== false && area) {
    trace.reason('housing.area_below_limit', small.v === true, { perCapitaArea: shownArea, limit: p.text.housingArea });
  }

  const cond = and(td, need);
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (cond.v === false) {
    if (td.v === false) trace.change('housing.needs_support');
    if (need.v === false) trace.change('housing.area_threshold', { areaBelow: p.text.housingArea, current: shownArea });
    return trace.result('not_eligible');
  }
  trace.change('housing.depends_on', { program: ctx.tekunOrDibaoBy });
  return trace.result('eligible');
}
