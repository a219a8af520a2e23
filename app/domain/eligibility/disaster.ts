/**
 * 9. disaster 受灾人员救助. Eligible when disasterAffected is true (referral to
 * the emergency-management department; amount null).
 */
import type { Context } from './context';
import { Trace } from './context';
import { bool } from './figures';
import type { ProgramResult } from './types';

export function assessDisaster(ctx: Context): ProgramResult {
  const trace = new Trace('disaster');
  const affected = bool(ctx.household.disasterAffected);
  if (affected === null) return trace.needsInformation(['disasterAffected']);
  trace.reason('disaster.affected', affected, { disasterAffected: affected });
  if (!affected) {
    trace.change('disaster.not_affected');
    return trace.result('not_eligible');
  }
  trace.change('disaster.referral');
  return trace.result('eligible');
}
