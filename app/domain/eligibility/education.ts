/**
 * 5. education 教育救助. Eligible when supported and at least one member has
 * student other than none. Amount: sum of educationGrant over those students,
 * per year.
 *
 * If the household surely qualifies but some member's student answer is
 * missing, the amount cannot be computed: needs_review for those answers.
 */
import type { Context } from './context';
import { Trace } from './context';
import type { Cond } from './figures';
import { FALSE, TRUE, and, memberPaths, unknown } from './figures';
import { Exact } from './money';
import type { ProgramResult } from './types';

export function assessEducation(ctx: Context): ProgramResult {
  const { household, params: p } = ctx;
  const trace = new Trace('education');
  const supported = ctx.supported;
  const members = household.members;
  const missingStudent: string[] = [];
  let students = 0;
  let sum = Exact.ZERO;
  const grants: [number, string, Exact][] = [];
  for (let i = 0; i < members.length; i++) {
    const kind = members[i].student ?? null;
    if (kind === null) missingStudent.push(memberPaths(i).student);
    else if (kind !== 'none') {
      students++;
      const grant = p.educationGrant[kind];
      sum = sum.add(grant);
      grants.push([i + 1, kind, grant]);
    }
  }
  const hasStudent: Cond = students > 0 ? TRUE : missingStudent.length ? unknown(...missingStudent) : FALSE;
  if (supported.v !== null) trace.reason('education.supported', supported.v, { program: ctx.supportedBy });
  if (hasStudent.v !== null) trace.reason('education.has_student', hasStudent.v, { students });

  const cond = and(supported, hasStudent);
  if (cond.v === false) {
    if (supported.v === false) trace.change('education.needs_support');
    if (hasStudent.v === false) trace.change('education.needs_student');
    return trace.result('not_eligible');
  }
  if (cond.v === true) {
    for (const [person, level, grant] of grants) {
      trace.reason('education.student_grant', true, { person, level, grant: grant.toMoney() });
    }
  }
  if (cond.v === null) return trace.needsInformation(cond.missing);
  if (missingStudent.length) return trace.needsInformation(missingStudent);

  const amount = sum.toYuan();
  trace.reason('education.amount', true, { students, total: sum.toMoney(), amount });
  trace.change('education.depends_on', { program: ctx.supportedBy });
  return trace.result('eligible', { value: amount, period: 'year' });
}
