// "Continue for them" without a draft: what a call-back's check answers give
// the new application, so nothing the resident already said is asked twice.
import type { ApplyAnswers } from "~/domain/apply";
import { isComplete, toHousehold, type CheckAnswers } from "~/domain/check";

/** The household (when the check was finished) and who the application is for, with the caller's phone in the right place. */
export function prefillFromCheck(check: CheckAnswers | null, phone: string): ApplyAnswers {
  const answers: ApplyAnswers = {};
  if (!check) return answers;
  if (isComplete(check)) answers.household = toHousehold(check);
  if (check.forWhom === "self") {
    answers.forWhom = "self";
    answers.applicant = { name: "", idNumber: "", phone };
  } else if (check.forWhom === "other") {
    // The person who asked for the call is the helper; the applicant's details are asked on the phone.
    answers.forWhom = "other";
    answers.helper = { name: "", phone };
  }
  return answers;
}
