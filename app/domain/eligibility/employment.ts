/**
 * 7. employment 就业救助. Eligible when dibao is eligible AND some member of
 * working age (16–59) can work and is not employed. Amount null (placement and
 * training). Per member the checks are shown in order up to the first failure.
 */
import type { Context } from './context';
import { Trace } from './context';
import type { Cond } from './figures';
import { and, bool, canWorkCond, known, memberPaths, num, orAll, unknown, workingAgeCond } from './figures';
import type { ProgramResult } from './types';

export function assessEmployment(ctx: Context): ProgramResult {
  const trace = new Trace('employment');
  const dibao = ctx.dibao;
  if (dibao.v !== null) trace.reason('employment.dibao', dibao.v);

  const members = ctx.household.members;
  const available: Cond[] = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    const person = i + 1;
    const age = num(m.age);
    const workingAge = workingAgeCond(m, i);
    const canWork = canWorkCond(m, i);
    const employed = bool(m.employed);
    const notEmployed = employed === null ? unknown(memberPaths(i).employed) : known(!employed);
    available.push(and(workingAge, canWork, notEmployed));
    if (workingAge.v !== null) trace.reason('employment.member_working_age', workingAge.v, { person, age });
    if (workingAge.v === false) continue;
    if (canWork.v !== null) trace.reason('employment.member_can_work', canWork.v, { person, age, canWork: bool(m.canWork) });
    if (canWork.v === false) continue;
    if (employed !== null) trace.reason('employment.member_not_employed', !employed, { person, employed });
  }
  const jobseeker = orAll(available);

  const cond = and(dibao, jobseeker);
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (cond.v === false) {
    if (dibao.v === false) trace.change('employment.needs_dibao');
    if (jobseeker.v === false) trace.change('employment.needs_jobseeker');
    return trace.result('not_eligible');
  }
  trace.change('employment.depends_on_dibao');
  return trace.result('eligible');
}
