/**
 * Plain-language sentences for the screening ("outreach" namespace): a
 * flag's reason with its figures, a malformed row's problem. Machine-readable
 * codes and values stay the source; these sentences are added beside them.
 */
import type { Translate } from "~/domain/eligibility";
import type { OutreachReason } from "./flags";
import type { RowProblem } from "./row";

/** "outreach.likely_dibao" → key "outreach:reason.likely_dibao". */
export function outreachReasonKey(reason: Pick<OutreachReason, "code">): string {
  return `outreach:reason.${reason.code.replace(/^outreach\./, "")}`;
}

export function explainOutreachReason(t: Translate, reason: OutreachReason): string {
  return t(outreachReasonKey(reason), reason.values);
}

export function explainRowProblem(t: Translate, problem: RowProblem): string {
  return t(`outreach:row.${problem.code}`, problem.values);
}
